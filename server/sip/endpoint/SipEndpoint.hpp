#pragma once
// A SIP user agent for the SIP interconnect: answers INVITEs (whose User-To-User header names a
// participant) and places outbound calls, G.711 audio only. SIP itself is sofia-sip's NUA; this
// class only decides, and builds/reads the SDP (NUA's own offer/answer engine is disabled).
//
// Threading: sofia's event loop (su_root) runs in a thread of its own, started by start(). Every
// event is handed to the asio executor given to the constructor (boost::asio::post); the methods
// below are called from the asio side and are marshalled into the sofia thread (see
// SofiaLoop.hpp for how). All methods are thread-safe; none blocks except start() and stop().
//
// What the endpoint does without asking the app:
// - an INVITE over capacity (SipConfig::maxCalls) gets 503 Service Unavailable;
// - an INVITE without SDP (offer expected in the ACK) gets 488: not supported yet;
// - INFO carrying a DTMF digit gets 200 and becomes Events::onDigit (SofiaInfo.cpp: 415, 400,
//   413, 481 and 503 for what it refuses);
// - OPTIONS gets 200; other methods 405/501; malformed requests 400 (all by sofia); a message
//   larger than SipConfig::maxMessageBytes is refused by sofia's transport (413 / dropped);
// - every final response carries the standard reason phrase of its status (RFC 3261 §21),
//   never text the app or the peer supplied: nothing a peer sends is echoed or kept;
// - session timers (RFC 4028) with the far end as refresher: a dialog nobody refreshes is
//   ended with BYE and reported as onEnded; 100rel/PRACK are switched off.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/sip/endpoint/SipDialog.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::sip {

enum class G711 { Pcmu, Pcma };  // RTP payload types 0 and 8 (RFC 3551)

// What the far end will receive and send, from its SDP (offer for inbound, answer for outbound).
struct RemoteMedia {
    std::string address;        // where to send RTP: the m-line's c= (else the session's c=)
    std::uint16_t port = 0;     // its RTP port
    G711 codec = G711::Pcmu;    // the codec to use with it
    int telephoneEventPt = -1;  // RFC 4733 telephone-event payload type; -1 = not offered
    bool sends = true;          // the far end's SDP direction: it sends RTP (not recvonly/inactive)
    bool receives = true;       // it wants RTP (not sendonly/inactive, not c=0.0.0.0)
};

// Our side of the media, supplied by the app (the RTP socket it opened).
struct LocalMedia {
    std::string address;         // our RTP address, written to c= (IPv4)
    std::uint16_t port = 0;      // our RTP port, written to m=audio
    G711 codec = G711::Pcmu;     // answer: the codec to answer with (must be in the offer, else
                                 // the invite's chosen codec is used); offer: listed first
    int telephoneEventPt = 101;  // offer: PT for telephone-event (<0 = don't offer it). An
                                 // answer reuses the offer's PT, or omits it if not offered.
};

struct InboundInvite {
    std::string callId;         // our id for the call (stable, unique), not the SIP Call-ID
    std::string sipCallId;      // the Call-ID header, as received
    std::string from;           // the From header value (display name, URI, tag), as received
    std::string to;             // the To header value, as received
    std::string requestUri;     // the Request-URI, as received
    std::string requestUser;    // its user part, from sofia's URI parser ("" if none)
    std::string fromUser;       // the From URI's user part, from sofia's URI parser ("" if none)
    std::string sourceAddress;  // IP address the INVITE came from (the packet's, not Via's)
    std::string userToUser;     // raw User-To-User header value ("" if absent), RFC 7433; several
                                // header fields are joined with ","
    // The header's values as parseUui reads them (UserToUser.hpp); empty when it is absent or
    // malformed, and then userToUserError says why. The endpoint accepts the INVITE either way:
    // whether the values are good enough (a participant token, say) is the app's decision.
    std::vector<UuiValue> userToUserValues;
    std::string userToUserError;
    // info: the Diversion header values (RFC 5806), top first, one per header field, as
    // received: at most 8, each at most 512 characters (longer ones are left out).
    std::vector<std::string> diversion;
    RemoteMedia remote;       // chosen from the offer: PCMU preferred, else PCMA; telephone-event
                              // if offered
    bool codecMatch = false;  // false: no PCMU/PCMA in the offer → the app rejects with 488
};

struct OutboundCall {
    std::string toUri;       // request URI and To, e.g. "sip:+15551234@127.0.0.1:5070"
    std::string fromUri;     // From; "" = sip:switchboard@<bindAddress>:<port>
    std::string userToUser;  // User-To-User header value ("" = none), e.g. "{jwt};encoding=jwt"
    std::vector<std::string> diversion;  // info: Diversion header values, top first (RFC 5806)
    LocalMedia local;  // our RTP address/port and codec preference for the SDP offer
    std::chrono::seconds timeout{30};  // no answer by then → CANCEL and onFailed(408)
};

struct SipConfig {
    std::string bindAddress = "127.0.0.1";  // the only address listened on (IPv4 literal)
    // Behind 1:1 NAT: the host (IPv4 or DNS name) others reach us at, written in our Via and
    // Contact (and From) instead of bindAddress; "" = bindAddress.
    std::string publicHost;
    const std::string& advertisedHost() const {
        return publicHost.empty() ? bindAddress : publicHost;
    }
    std::uint16_t port = 5060;              // 0 = let the OS pick; port() tells which
    bool udp = true;                        // listen on UDP
    bool tcp = true;                        // listen on TCP (same port)
    std::string userAgent = "switchboard";  // User-Agent / Server header
    std::size_t maxCalls = 200;             // concurrent calls, both directions; more → 503
    std::size_t maxMessageBytes = 65536;    // larger SIP messages are refused by sofia's transport
    unsigned tcpIdleSeconds = 300;  // a TCP connection with no traffic for this long is closed
    unsigned messageTimeoutSeconds = 10;  // a message not complete within this is dropped (and
                                          // its TCP connection closed): slow senders
    // RFC 4028 session timer offered and demanded (Session-Expires, seconds; 0 = off) and the
    // smallest interval accepted (Min-SE; shorter requests get 422). The far end refreshes; a
    // session it does not refresh in time is ended with BYE (§10).
    unsigned sessionExpiresSeconds = 1800;
    unsigned minSessionExpiresSeconds = 90;
    // info: DTMF in SIP INFO (SofiaInfo.cpp)
    std::size_t infoMaxBodyBytes = 256;  // a longer INFO body gets 413 (a digit needs ~30 bytes)
    unsigned infoPerSecond = 20;         // INFO requests per call per second (burst as many);
                                         // more get 503; 0 = INFO is refused (405)
};

class SofiaUserAgent;

class SipEndpoint {
  public:
    struct Events {  // all delivered on the executor given to the constructor, never on sofia's
                     // thread. None is delivered for a call after the app's own hangup()/reject(),
                     // nor after stop().
        // A new INVITE with an SDP offer. The app must call answer() or reject() (sofia answers
        // 480 by itself if neither happens within 120 s, reported as onEnded).
        std::function<void(const InboundInvite&)> onInvite;
        // Outbound call answered: 200 OK received (with a usable SDP answer) and ACK sent.
        std::function<void(const std::string& callId, const RemoteMedia&)> onAnswered;
        // 180/183 for an outbound call (once per call).
        std::function<void(const std::string& callId)> onRinging;
        // Outbound call failed: final response ≥300, transport error (503), no answer within
        // OutboundCall::timeout (408), unusable SDP answer (488, BYE sent), over capacity (503).
        std::function<void(const std::string& callId, int status, const std::string& reason)>
            onFailed;
        // A call ended by the far end or the network: BYE received ("bye"), CANCEL of an inbound
        // INVITE not yet answered ("cancel"), or another termination (sofia's reason phrase,
        // e.g. no ACK for our 200 OK).
        std::function<void(const std::string& callId, const std::string& reason)> onEnded;
        // A re-INVITE of an answered call changed the far end's media (new address, hold with
        // a=sendonly/inactive, resume). It was answered at once with our same address and codec
        // and the matching direction (RFC 3264 §6.1).
        std::function<void(const std::string& callId, const RemoteMedia&)> onMediaChanged;
        // info: a DTMF digit ("0-9*#A-D") the far end sent in a SIP INFO request of a call
        // (application/dtmf-relay or application/dtmf; SofiaInfo.cpp), already answered 200.
        std::function<void(const std::string& callId, char digit)> onDigit;
        // A call's dialog is confirmed (the ACK of our 200 arrived, or we sent the ACK of its
        // 200): what a BYE needs if this process dies before the call ends (SipDialog.hpp).
        std::function<void(const SipDialog&)> onConfirmed;
    };

    SipEndpoint(boost::asio::any_io_executor executor, SipConfig config, Events events);
    ~SipEndpoint();  // stop()
    SipEndpoint(const SipEndpoint&) = delete;
    SipEndpoint& operator=(const SipEndpoint&) = delete;

    // Binds UDP and/or TCP on bindAddress:port and starts sofia's thread. Throws
    // std::runtime_error if it cannot bind. Call once.
    void start();
    // Ends all calls (BYE, CANCEL, or 503 for unanswered inbound), stops the thread. Blocks until
    // the sockets are closed (normally milliseconds; at most a few seconds). Idempotent.
    void stop();
    // The bound port (after start()), 0 before.
    std::uint16_t port() const;

    // 200 OK with SDP: one m=audio with the codec (+ telephone-event if offered). Unknown or
    // ended callId: ignored.
    void answer(const std::string& callId, const LocalMedia& local);
    // A final response ≥300 to an INVITE not yet answered (403/404/486/488/503…), with the
    // status's standard reason phrase (RFC 3261 §21): `reason` is for the app's logs only.
    void reject(const std::string& callId, int status, const std::string& reason = {});
    // INVITE with an SDP offer (PCMU, PCMA, telephone-event) and the User-To-User header. Returns
    // the callId at once; progress arrives as onRinging/onAnswered/onFailed.
    std::string dial(const OutboundCall& call);
    // BYE (answered), CANCEL (outbound, not answered), 480 (inbound, not answered), or nothing
    // (already gone).
    void hangup(const std::string& callId);
    // Calls neither ended nor hung up, both directions.
    std::size_t activeCalls() const;

  private:
    struct Delivery;
    std::shared_ptr<Delivery> delivery_;
    std::unique_ptr<SofiaUserAgent> agent_;
};

}  // namespace sb::sip
