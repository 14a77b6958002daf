#pragma once
// The publishing peer connection (reference §2.4, docs/protocol.md `offerSdp`): the client is
// always the offerer. The connection is created on the first publish with the two negotiated
// data channels and offered once with them alone, as the stock SDK does; every later change is
// one re-offer listing all current streams in mediaMetadata.mediaStreams.

#include <memory>
#include <string>
#include <vector>

#include "wasm/core/Alive.hpp"
#include "wasm/core/IceErrors.hpp"
#include "wasm/core/IceRestarter.hpp"
#include "wasm/core/JsonRpcClient.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk {

class Publisher {
  public:
    using PublishDone = Fn<void(const Error& error, const StreamInfo& stream)>;

    static constexpr int kMaxIceRestarts = IceRestartPolicy{}.maxRestarts;
    static constexpr int kIceRestartDelayMs = IceRestartPolicy{}.delayMs;
    static constexpr int kIceDisconnectedMs = IceRestartPolicy{}.disconnectedMs;

    Publisher(JsonRpcClient& rpc, PeerConnectionFactory& peers, MediaPort& media, TimerPort& timers,
              std::string configurationJson, const LogFn& log);
    ~Publisher() { close(false); }
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    // Result: endpointId (streamId) = the local MediaStream id, mediaTypes from the answer's
    // streamMetadata (fallback APPLICATION, as the stock SDK), alias.
    void publish(const LocalStream& stream, const std::string& alias,
                 const std::string& codecPreferencesJson, PublishDone done);
    // No ids = every published stream. Stops the tracks and their transceivers, then re-offers.
    void unpublish(std::vector<std::string> streamIds, Done done);
    // RFC 4733 tones on one stream, or on every published stream when `streamId` is empty.
    bool sendDtmf(const std::string& tones, const std::string& streamId);
    void setTracksEnabled(const std::string& kind, bool enabled, const std::string& streamId);
    // Tells the server again which published kinds are muted (`setStreamMuted`): after each
    // negotiation and after a resume, as a mute may have been lost with the media legs or the
    // socket, or come before the server knew the stream's tracks.
    void tellMuted();
    bool has(const std::string& streamId) const;
    std::size_t streamCount() const;
    // Appends the track id and stream id of each published track (call quality).
    void tracks(std::vector<std::string>& out) const;
    void getStats(Fn<void(const Error&, const std::string&)> done);
    // Stops every published track, closes the connection, fails queued operations (unless
    // `notify` is false: the owner is being destroyed). Reused by the next connect().
    void close(bool notify = true);
    void configure(std::string configurationJson, IceRestartPolicy restarts = {}) {
        configuration_ = std::move(configurationJson);
        ice_.configure(restarts);
    }
    // Called with ice_failed once the restarts did not bring the connection back (the owner may
    // close this publisher from inside it), and with no error when restarting() changed.
    void onIce(Fn<void(const Error&)> callback) { ice_.onReport(std::move(callback)); }
    // An ICE restart now, if something is published (the network came back). With `fresh`, the
    // media server lost its side (docs/protocol.md `mediaReset`): the restart is a new
    // connection publishing the same tracks. An ICE restart of the old one cannot work when the
    // server's DTLS certificate is the one it had (the same Janus after a switchboard restart):
    // the browser keeps its DTLS association (RFC 5763 §5: a new association only with a new
    // fingerprint), which the server's new handle never had.
    void restartIce(bool fresh) {
        if (!pc_ || !streams_) return;
        rebuild_ = rebuild_ || fresh;
        ice_.restart(fresh);
    }
    bool restarting() const { return ice_.restarting(); }
    // The connection's last ICE server error code (IceErrorLogger::last), 0 if none.
    int iceError() const { return iceErrors_.last; }

    // Devices (PublisherDevices.cpp). The published track of `kind` ("audio" | "video") of one
    // stream (`streamId` empty: the first with such a track) is replaced by a capture of
    // `deviceId` (empty: the default device) with RTCRtpSender.replaceTrack (W3C WebRTC §5.2):
    // no new offer, the stream keeps its id (the msid subscribers know it by). The old track is
    // stopped once the new one is sent. Queued with publish/unpublish, one change at a time.
    void switchDevice(const std::string& kind, const std::string& deviceId,
                      const std::string& streamId, PublishDone done);
    // A published track ended on its own (MediaPort TrackEnded): the default device of its kind
    // is captured in its place, and onFallback tells the JSON {kind, lostDeviceId, deviceId,
    // endpointId}, or the error (then deviceId is "").
    void trackEnded(const std::string& trackId);
    // `callback` must outlive this (the owner's listener).
    void onFallback(const Fn<void(const Error&, const std::string&)>* callback) {
        fallback_ = callback;
    }

  private:
    struct Published {
        std::string id;
        std::string alias;
        std::vector<LocalTrack> tracks;
        std::string codecPreferences;
        Published* next;
        unsigned char muted = 0;  // 1: audio, 2: video (setTracksEnabled)
    };
    struct Op {
        // Switch: `stream` names the stream (id, may be empty) and in its one track the device
        // (id) and kind; `alias` is the ended track's id for a fallback, else empty.
        enum class Kind { Publish, Unpublish, IceRestart, Switch } kind;
        LocalStream stream;
        std::string alias;
        std::string codecPreferences;
        std::vector<std::string> ids;
        PublishDone done;
        Op* next = nullptr;
    };
    void tellMuted(const Published& s, const char* kind, bool muted);
    void enqueue(Op* op);
    void runNext();
    void finish(const Error& error, const StreamInfo& stream);
    // Without a stream: its empty StreamInfo made here, not at every call site (bench/size/).
    void finish(const Error& error);
    // Publish: the connection (created and offered with the data channels alone the first
    // time), then addStream().
    void runPublish();
    // A new connection, offered with the data channels alone; negotiated() goes on.
    void openConnection();
    void addStream();
    // Every published stream on a new connection (after a media server reset).
    void addAll();
    void runUnpublish(const Op& op);
    // One offer/answer exchange for the running op, which negotiated() then finishes.
    void negotiate(bool iceRestart);
    void applyAnswer(const Json& result);
    void negotiated(const Error& error);
    Json mediaMetadata() const;
    void runSwitch();
    // The capture of a switch arrived: swapped into the published stream, then sent.
    void captured(const Error& error, const LocalStream& capture);
    // The end of the running switch: done or the fallback's report, with the device now sent.
    void switched(const Error& error, const char* deviceId);
    void drop(const std::string& streamId);

    JsonRpcClient& rpc_;
    PeerConnectionFactory& peers_;
    MediaPort& media_;
    TimerPort& timers_;
    std::string configuration_;
    const LogFn& log_;  // the owner's, which outlives this
    IceErrorLogger iceErrors_{"Publishing", {}};
    std::unique_ptr<PeerConnectionPort> pc_;
    Published* streams_ = nullptr;  // in publishing order; a list: no vector<Published> code
    Op* ops_ = nullptr;  // queued, oldest (the running one) first; a list: no vector<Op> code
    bool busy_ = false;
    // The exchange of the running op (one at a time): its offer, the server's result, and
    // whether it is the first offer of a new connection (size: no captured copies).
    bool connecting_ = false;
    bool rebuild_ = false;  // the next ICE restart is a new connection
    std::string offer_;
    Json result_;
    // The running switch: the stream and track being replaced, the device of that track, and
    // the capture, which holds the old track once swapped (stopped by close() if the switch
    // never ends).
    std::string switchStream_;
    std::string switchTrack_;
    std::string lostDevice_;
    std::string spare_;
    const Fn<void(const Error&, const std::string&)>* fallback_ = nullptr;
    IceRestarter ice_{timers_, "publishing", log_};
    // Replaced on close(): callbacks of the previous connection see their token expired.
    Alive alive_;
};

}  // namespace sb::sdk
