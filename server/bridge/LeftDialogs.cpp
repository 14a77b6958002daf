#include "server/bridge/LeftDialogs.hpp"

#include "server/base/Log.hpp"

namespace sb::bridge {

using nlohmann::json;

LeftDialogs::LeftDialogs(const std::string& path) {
    for (const auto& entry : state::SnapshotFile::load(path))
        if (auto d = fromJson(entry)) previous_.push_back(std::move(*d));
    file_ = std::make_unique<state::SnapshotFile>(path);
    // The previous process's dialogs are being ended now: not again after the next restart.
    file_->rewrite();
    if (!previous_.empty())
        base::log(base::LogLevel::Info, "sip: " + std::to_string(previous_.size()) +
                                            " calls left by the previous process: sending BYE");
}

void LeftDialogs::confirmed(const sip::SipDialog& dialog) {
    file_->put(dialog.callId, toJson(dialog));
}

void LeftDialogs::ended(const std::string& callId) {
    file_->erase(callId);
}

json LeftDialogs::toJson(const sip::SipDialog& d) {
    return {{"callId", d.callId},      {"sipCallId", d.sipCallId}, {"local", d.local},
            {"remote", d.remote},      {"target", d.remoteTarget}, {"routes", d.routeSet},
            {"transport", d.transport}};
}

namespace {
// A SIP header value as we keep it: printable, no line breaks (a BYE is built from it).
bool headerValue(const json& v, std::size_t max) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > max) return false;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return false;
    return true;
}
}  // namespace

std::optional<sip::SipDialog> LeftDialogs::fromJson(const json& e) {
    for (const char* key : {"callId", "sipCallId", "local", "remote", "target", "transport"})
        if (!headerValue(e.value(key, json()), 1024)) return std::nullopt;
    const auto& routes = e.value("routes", json());
    if (!routes.is_array() || routes.size() > 16) return std::nullopt;
    sip::SipDialog d;
    for (const auto& r : routes) {
        if (!headerValue(r, 1024)) return std::nullopt;
        d.routeSet.push_back(r.get<std::string>());
    }
    d.callId = e["callId"].get<std::string>();
    d.sipCallId = e["sipCallId"].get<std::string>();
    d.local = e["local"].get<std::string>();
    d.remote = e["remote"].get<std::string>();
    d.remoteTarget = e["target"].get<std::string>();
    d.transport = e["transport"].get<std::string>();
    return d;
}

}  // namespace sb::bridge
