#include "server/signaling/DiagnosticsLog.hpp"

#include "protocol/JsonRpc.hpp"
#include "protocol/SafeJson.hpp"
#include "server/base/Log.hpp"

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

void DiagnosticsLog::addReport(const nlohmann::json& params, const std::string& deviceId) {
    using protocol::RpcError;
    using protocol::RpcErrorCode;
    const auto* logs = params.is_object() && params.contains("logs") ? &params["logs"] : nullptr;
    if (!logs || !logs->is_array())
        throw RpcError(RpcErrorCode::InvalidParams, "logs must be an array", "logs");
    for (const auto& entry : *logs) {
        if (!add(entry) && !dropLogged_) {
            dropLogged_ = true;
            base::log(base::LogLevel::Warn,
                      "device " + deviceId + " sent more than the " + std::to_string(maxBytes_) +
                          " bytes of diagnostics kept per device: older or larger entries are "
                          "dropped");
        }
    }
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "device " + deviceId + " diagnostics: " +
                                             std::to_string(logs->size()) + " entries");
}

}  // namespace sb::signaling
