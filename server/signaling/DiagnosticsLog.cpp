#include "server/signaling/DiagnosticsLog.hpp"

#include "protocol/SafeJson.hpp"

namespace sb::signaling {

bool DiagnosticsLog::add(const nlohmann::json& entry) {
    std::string text = protocol::dumpJson(entry);
    if (text.size() > maxBytes_) {
        ++dropped_;
        return false;
    }
    bool kept = true;
    while (!entries_.empty() && bytes_ + text.size() > maxBytes_) {
        bytes_ -= entries_.front().size();
        entries_.pop_front();
        ++dropped_;
        kept = false;
    }
    bytes_ += text.size();
    entries_.push_back(std::move(text));
    return kept;
}

}  // namespace sb::signaling
