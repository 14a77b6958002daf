#include "wasm/core/EventQueue.hpp"

namespace sb::sdk {

EventQueue::~EventQueue() {
    while (head_) {
        Node* node = head_;
        head_ = node->next;
        delete node;
    }
}

void EventQueue::post(Fn<void()> event) {
    auto* node = new Node{std::move(event)};
    (tail_ ? tail_->next : head_) = node;
    tail_ = node;
    if (depth_ == 0) flush();
}

void EventQueue::postText(const Fn<void(const std::string&)>* listener, std::string text) {
    post([listener, text = std::move(text)]() {
        if (*listener) (*listener)(text);
    });
}

void EventQueue::flush() {
    if (flushing_) return;  // an outer flush is running: it will reach this event
    flushing_ = true;
    while (head_) {
        Node* node = head_;
        head_ = node->next;
        if (!head_) tail_ = nullptr;
        auto event = std::move(node->event);
        delete node;
        // The listener may re-enter the SDK; a Scope it opens ends at depth 0 and calls flush(),
        // which returns at once because flushing_ is set.
        event();
    }
    flushing_ = false;
}

}  // namespace sb::sdk
