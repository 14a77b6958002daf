#pragma once
// Application events are queued and emitted only once the work that produced them is finished,
// and never re-entrantly: a listener that calls back into the SDK (say, disconnect() from a
// state-change handler) has its own events queued behind the current ones (STYLE.md 10, after
// libdatachannel's "callbacks after the state change is committed").

#include <string>

#include "wasm/core/Fn.hpp"

namespace sb::sdk {

class EventQueue {
  public:
    // Held by every entry point into the core; events posted while any Scope is alive wait until
    // the outermost one ends.
    class Scope {
      public:
        explicit Scope(EventQueue& queue) : queue_(queue) { ++queue_.depth_; }
        ~Scope() {
            if (--queue_.depth_ == 0) queue_.flush();
        }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

      private:
        EventQueue& queue_;
    };

    EventQueue() = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    ~EventQueue();

    void post(Fn<void()> event);
    // Posts `(*listener)(text)`, if the listener is set by then: one callable type for every
    // event that carries a string (a stream id, a DTMF notification; bench/size/). `listener`
    // must outlive the queue.
    void postText(const Fn<void(const std::string&)>* listener, std::string text);
    bool empty() const { return head_ == nullptr; }

  private:
    void flush();

    // A singly linked FIFO: smaller in the wasm than a std::vector of Fn (bench/size/), and a
    // handful of events at a time.
    struct Node {
        Fn<void()> event;
        Node* next = nullptr;
    };
    Node* head_ = nullptr;
    Node* tail_ = nullptr;
    int depth_ = 0;
    bool flushing_ = false;
};

}  // namespace sb::sdk
