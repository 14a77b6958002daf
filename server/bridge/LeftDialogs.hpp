#pragma once
// The confirmed SIP dialogs of this process, on disk (`<dataDir>/sip-dialogs.json`, 0600,
// state::SnapshotFile: written in the background at most every 200 ms, never on the call's path),
// so that the next process can end with BYE the calls this one leaves if it is killed
// (sip::LeftoverByes). A dialog is written when it is confirmed and removed when its call ends.

#include <memory>
#include <string>
#include <vector>

#include "server/sip/endpoint/SipDialog.hpp"
#include "server/state/KeptDevices.hpp"

namespace sb::bridge {

class LeftDialogs {
  public:
    // Reads what the previous process left at `path` (see previous()), then keeps this
    // process's dialogs there.
    explicit LeftDialogs(const std::string& path);

    // The previous process's dialogs (well-formed ones only), once.
    std::vector<sip::SipDialog> takePrevious() { return std::move(previous_); }
    void confirmed(const sip::SipDialog& dialog);
    void ended(const std::string& callId);

    static nlohmann::json toJson(const sip::SipDialog& dialog);
    // Nullopt unless every field is there, of its type, and of a sane size.
    static std::optional<sip::SipDialog> fromJson(const nlohmann::json& entry);

  private:
    std::vector<sip::SipDialog> previous_;
    std::unique_ptr<state::SnapshotFile> file_;
};

}  // namespace sb::bridge
