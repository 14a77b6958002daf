#pragma once
// The only things the SDK core knows about the platform: small interfaces ("ports") that
// wasm/browser/ implements over WebSocket, RTCPeerConnection, navigator.mediaDevices, fetch and
// setTimeout, and that native tests implement with fakes (STYLE.md 1). They are kept together
// because each is a handful of pure virtual functions.
//
// Contract shared by every port: callbacks are invoked later, from the platform's event loop,
// never synchronously from inside the call that registered them (as promise reactions and DOM
// events are); an object that is closed or destroyed never calls back again.

#include <memory>
#include <string>
#include "wasm/core/Fn.hpp"

#include "wasm/core/Types.hpp"

namespace sb::sdk {

using Done = Fn<void(const Error&)>;
using LogFn = Fn<void(LogLevel level, const std::string& message)>;
using SdpDone = Fn<void(const Error&, const std::string& sdp)>;

// A WebSocket (WHATWG HTML §9.3). open() replaces any previous connection and its handler.
enum class SocketEvent { Open, Message, Close };
class SocketPort {
  public:
    // One handler for all the socket's events (one callable type, bench/size/): Open; Message
    // with the frame's text; Close with the close code (also after a failed open: 1006).
    using Handler = Fn<void(SocketEvent event, int code, const std::string& text)>;
    virtual ~SocketPort() = default;
    virtual void open(const std::string& url, Handler handler) = 0;
    virtual void send(const std::string& text) = 0;
    virtual void close(int code) = 0;
};

// One-shot timers (setTimeout/clearTimeout). Ids are never 0, so 0 can mean "no timer".
class TimerPort {
  public:
    virtual ~TimerPort() = default;
    virtual int start(int delayMs, Fn<void()> callback) = 0;
    virtual void cancel(int id) = 0;
};

// A plain HTTP GET, used to learn why a WebSocket upgrade was refused (docs/protocol.md
// extension). status 0 means the request itself failed (network error, refused connection).
class HttpPort {
  public:
    virtual ~HttpPort() = default;
    virtual void get(const std::string& url,
                     Fn<void(int status, const std::string& body)> done) = 0;
};

// Local media (W3C Media Capture and Streams). The adapter keeps the MediaStream objects and
// hands the core their ids.
class MediaPort {
  public:
    // Called with the id of a track of a stream it captured or adopted that ended on its own
    // (Media Capture §4.3.1 `ended`: its device went away, the permission was revoked, its
    // source ended; never after stop()). Display captures are not watched: a shared screen that
    // ends has no device to fall back to.
    using Handler = Fn<void(const std::string& trackId)>;
    virtual ~MediaPort() = default;
    virtual void setHandler(Handler handler) = 0;
    virtual void getUserMedia(const std::string& constraintsJson,
                              Fn<void(const Error&, const LocalStream&)> done) = 0;
    // MediaStreamTrack.stop() on every track of the stream, then forget it.
    virtual void stopStream(const std::string& streamId) = 0;
    // MediaStreamTrack.enabled on the stream's tracks of one kind (local mute, reference §2.8).
    virtual void setTracksEnabled(const std::string& streamId, const std::string& kind,
                                  bool enabled) = 0;
    // Puts the one track of `otherStreamId` (a capture of one kind) where track `trackId` of
    // `streamId` is (MediaStream addTrack/removeTrack, §4.2), and that track into `otherStreamId`;
    // the track coming in takes over `enabled` (local mute). So the application's MediaStream holds
    // the track that is sent, and a switch back is the same call.
    virtual void swapTrack(const std::string& streamId, const std::string& trackId,
                           const std::string& otherStreamId) = 0;
};

// One RTCPeerConnection (W3C WebRTC §4). Descriptions are plain SDP strings.
enum class PeerEvent { Track, TrackRemoved, ConnectionState, ChannelMessage, IceCandidateError };
class PeerConnectionPort {
  public:
    // One handler for all the connection's events (one callable type per owner, bench/size/):
    //   Track              `track`: the §5.7 event's track and streams;
    //   TrackRemoved       a: the stream, b: the track, which left it (`removetrack`, §4.4.1.6)
    //                      or ended;
    //   ConnectionState    a: §4.3.3 connectionState;
    //   ChannelMessage     a: the data channel's label, b: the text;
    //   IceCandidateError  §4.8.2 `icecandidateerror`, an ICE server failed, e.g. a TURN server
    //                      refused the credential (code 401, RFC 8656 §7.2) or did not answer
    //                      (701): a: its url, code: errorCode, b: errorText.
    using Handler = Fn<void(PeerEvent event, const std::string& a, const std::string& b, int code,
                            const RemoteTrack* track)>;
    virtual ~PeerConnectionPort() = default;
    virtual void setHandler(Handler handler) = 0;
    // A negotiated data channel (W3C WebRTC §6.2, `negotiated: true`, fixed SCTP stream id).
    virtual void createDataChannel(const std::string& label, int id) = 0;
    virtual void sendOnChannel(const std::string& label, const std::string& text) = 0;
    // addTransceiver(track, {direction: "sendonly", streams: [stream]}) (§5.1), then
    // setCodecPreferences (§5.4) with the entries of `codecPreferencesJson` of the track's kind.
    virtual void addTrack(const LocalTrack& track, const std::string& streamId,
                          const std::string& codecPreferencesJson) = 0;
    // Stops the transceiver that sends this track (§5.4 stop()); the next offer rejects it.
    virtual void removeTrack(const std::string& trackId) = 0;
    // RTCRtpSender.replaceTrack (§5.2) on the sender of `oldTrackId`, with `track`, which is in
    // that sender's stream by then (MediaPort::swapTrack): no renegotiation, the same msid.
    virtual void replaceTrack(const std::string& oldTrackId, const std::string& trackId,
                              Done done) = 0;
    virtual void createOffer(bool iceRestart, SdpDone done) = 0;
    virtual void createAnswer(SdpDone done) = 0;
    virtual void setLocalDescription(const std::string& type, const std::string& sdp,
                                     Done done) = 0;
    virtual void setRemoteDescription(const std::string& type, const std::string& sdp,
                                      Done done) = 0;
    // RTCDTMFSender.insertDTMF on the first audio sender of the stream (§7.2); false if none.
    virtual bool insertDtmf(const std::string& streamId, const std::string& tones) = 0;
    // getStats() as a JSON array of the report's stats objects (§8.2).
    virtual void getStats(Fn<void(const Error&, const std::string& json)> done) = 0;
    virtual void close() = 0;
};

class PeerConnectionFactory {
  public:
    virtual ~PeerConnectionFactory() = default;
    // `configurationJson` is an RTCConfiguration (§4.2.1) as JSON.
    virtual std::unique_ptr<PeerConnectionPort> create(const std::string& configurationJson) = 0;
};

// Everything the Client needs from the platform; owned by the caller, outlives the Client.
struct Platform {
    SocketPort& socket;
    TimerPort& timers;
    HttpPort& http;
    MediaPort& media;
    PeerConnectionFactory& peers;
};

}  // namespace sb::sdk
