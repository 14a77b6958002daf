#pragma once
// SIP calls as participants of WebRTC sessions (issue 4): an INVITE whose User-To-User header
// carries a participant token becomes that participant's audio in its session, and so does a
// voice call whose BXML <Transfer> names such a token (or this server) as a <SipUri>. The call's
// pipeline is attached through the media orchestration (Janus remote publisher + rtp_forward).
// Refusals happen before anything is allocated. Runs on the bridge's strand.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/Trunk.hpp"

namespace sb::bridge {

class SessionCalls : public std::enable_shared_from_this<SessionCalls> {
  public:
    SessionCalls(std::shared_ptr<BridgeCalls> calls, std::shared_ptr<Trunk> trunk)
        : calls_(std::move(calls)), trunk_(std::move(trunk)) {}

    // An INVITE with a User-To-User header: joins the session of the participant its token names.
    void onTokenInvite(const sip::InboundInvite& invite);
    // Does this <Transfer> go into a session (a target of this server, or with a token)?
    bool entersSession(const voice::TransferRequest& request) const;
    // <Transfer> of a voice call into the session of the first target's participant; the
    // transfer lasts while the phone is in the session.
    void transferIn(BridgeCall& call, const voice::TransferRequest& request,
                    const std::function<void(std::size_t)>& answered,
                    const std::function<void(voice::TransferOutcome)>& done);
    // The call ended: out of its session.
    void released(BridgeCall& call);

  private:
    // Why a call could not join its participant's session; nullopt: it joined.
    using JoinDone = std::function<void(std::optional<media::PhoneJoinFailure>)>;
    bool intoSession(const voice::bxml::TransferTarget& target) const;
    void join(const sip::InboundInvite& invite, const std::string& accountId,
              const std::string& participantId, const JoinDone& done);
    // Makes the call's audio its participant's audio in the participant's session.
    void attach(const std::shared_ptr<BridgeCall>& call, const JoinDone& done);
    void attached(const std::string& callId, const std::optional<media::PhoneJoinFailure>& failure,
                  const media::PhoneEndpoint& janus, const JoinDone& done);

    std::shared_ptr<BridgeCalls> calls_;
    std::shared_ptr<Trunk> trunk_;
};

}  // namespace sb::bridge
