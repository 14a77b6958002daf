#pragma once
// What one device reported through deviceDiagnostics, bounded in bytes: entries are kept as
// compact JSON text (a parsed nlohmann::json takes several times its text), newest kept, oldest
// dropped once the budget is spent; an entry larger than the whole budget is not kept at all.
// Counts what it dropped so the log can say so.

#include <cstddef>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::signaling {

class DiagnosticsLog {
  public:
    explicit DiagnosticsLog(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    // Returns false if the entry, or an older one to make room for it, was dropped.
    bool add(const nlohmann::json& entry);
    // The params of `deviceDiagnostics` ({"logs":[…]}) of device `deviceId`: every entry added,
    // a drop logged once per device. Throws protocol::RpcError (invalid params) when `logs` is
    // not an array; nothing is added then.
    void addReport(const nlohmann::json& params, const std::string& deviceId);
    std::size_t maxBytes() const { return maxBytes_; }
    std::size_t bytes() const { return bytes_; }
    std::size_t entries() const { return entries_.size(); }
    std::size_t dropped() const { return dropped_; }

  private:
    std::size_t maxBytes_;
    std::size_t bytes_ = 0;
    std::size_t dropped_ = 0;
    std::deque<std::string> entries_;
    bool dropLogged_ = false;  // said once per device: the device decides how much it sends
};

}  // namespace sb::signaling
