#pragma once
// BYEs for the dialogs a previous process left (it was killed mid-call): without them the phones
// stay in a call with nobody until their own timers notice. Each BYE is built from the dialog
// (RFC 3261 §12.2.1.1) and sent from a socket of its own on our SIP address. A UDP dialog's BYE is
// retransmitted as a non-INVITE client transaction does (§17.1.2.2: Timer E from T1 = 500 ms
// doubling to T2 = 4 s) until any final response, or Timer F (64·T1 = 32 s). A TCP dialog's
// connection went with the process: its BYE goes over a new connection to the same destination
// (§18.1.1), sent once (a reliable transport has no Timer E), with the same Timer F.
//
// The dialog's CSeq is unknown (NUA kept it in memory): the BYE carries 2^31 - 1, the largest a
// CSeq may be (§8.1.1.5), which is above any earlier request of ours in the dialog, as §12.2.1.1
// requires.

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "server/sip/endpoint/SipDialog.hpp"

namespace sb::sip {

class LeftoverByes {
  public:
    // Starts a thread that sends the BYEs from `bindAddress` (an IPv4 literal; advertisedHost in
    // the Via) and ends once each has a final response or timed out.
    LeftoverByes(std::vector<SipDialog> dialogs, std::string bindAddress,
                 std::string advertisedHost, std::string userAgent);
    ~LeftoverByes();  // stops waiting for responses
    LeftoverByes(const LeftoverByes&) = delete;
    LeftoverByes& operator=(const LeftoverByes&) = delete;

    // The BYE a dialog gets, with `via` as its sent-by (host:port) and `branch`.
    static std::string byeFor(const SipDialog& dialog, const std::string& via,
                              const std::string& branch, const std::string& userAgent);

  private:
    void run(std::vector<SipDialog> dialogs);

    std::string bindAddress_, advertisedHost_, userAgent_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace sb::sip
