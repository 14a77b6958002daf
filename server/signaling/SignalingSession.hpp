#pragma once
// One connected device on /v3/: decodes JSON-RPC frames, dispatches them from one table keyed by
// method name, and turns every failure into a JSON-RPC error object in one place (onMessage).

#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>

#include "protocol/JsonRpc.hpp"
#include "server/auth/TurnCredentials.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/net/WebSocket.hpp"
#include "server/session/DeviceEvents.hpp"
#include "server/signaling/DeviceGate.hpp"
#include "server/signaling/DeviceReporter.hpp"
#include "server/signaling/DiagnosticsLog.hpp"
#include "server/signaling/MediaJson.hpp"
#include "server/signaling/ResumableDevices.hpp"
#include "server/signaling/ResumeFrames.hpp"

namespace sb::signaling {

class SignalingSession : public net::WsHandler,
                         public media::DeviceSink,
                         public std::enable_shared_from_this<SignalingSession> {
  public:
    SignalingSession(std::string deviceId, DeviceIdentity identity,
                     std::shared_ptr<media::MediaOrchestrator> media,
                     std::shared_ptr<net::ConcurrencyLimit::Slot> slot = {},
                     SessionLimits limits = {},
                     std::shared_ptr<const auth::TurnCredentials> turn = {},
                     std::shared_ptr<session::DeviceEventSink> events = {},
                     const std::shared_ptr<ResumableDevices>& resumable = {});

    // Restored from disk (RestoredDevices.hpp): parked until `deadline`, resumable with the
    // secret of `digest`, no media legs until it resumes (then told `mediaReset`).
    void markRestored(const std::string& digest, std::chrono::steady_clock::time_point deadline);

    // net::WsHandler
    void onOpen(std::shared_ptr<net::WsConnection> connection) override;
    void onMessage(std::string text) override;
    void onClose() override;

    // Resuming (docs/protocol.md "Resuming a device", SignalingSessionResume.cpp). What a device
    // connecting with `who`'s token and `secret` would get from this session.
    ResumeCheck resumeCheck(const DeviceIdentity& who, const std::string& secret) const;
    // The device is resuming on a new connection while this one looks alive: this one is closed
    // (4409), which parks the device.
    void closeForResume();
    // Parked no more (its grace period is over, or it was closed by the server): the device is
    // released as a closed one would have been.
    void release(const char* why = "its grace period ended without a resume");

    // media::DeviceSink
    void streamsOffered(const media::StreamsOffer& offer) override;
    void dtmfHeard(const media::HeardDtmf& dtmf) override;
    void streamNotice(const media::StreamNotice& notice) override;
    void closeDevice(media::CloseReason reason) override;
    void mediaReset(const std::string& reason) override;

    // A frame to the device, if it is connected (replyLater's).
    void send(std::string text);

  private:
    using Handler = void (SignalingSession::*)(const protocol::RpcMessage&);
    static const std::unordered_map<std::string, Handler>& handlers();

    void setMediaPreferences(const protocol::RpcMessage& m);
    void offerSdp(const protocol::RpcMessage& m);
    void answerSdp(const protocol::RpcMessage& m);
    void ping(const protocol::RpcMessage& m) { replyResult(m, nlohmann::json::object()); }
    void deviceDiagnostics(const protocol::RpcMessage& m);
    void leave(const protocol::RpcMessage& m);
    void sendDtmf(const protocol::RpcMessage& m);
    void restartIce(const protocol::RpcMessage& m);
    void setStreamMuted(const protocol::RpcMessage& m);

    void replyResult(const protocol::RpcMessage& m, const nlohmann::json& result);
    void close(std::uint16_t code, const std::string& reason);
    // Detaches from media, gives back the device's place under the caps, tells the application.
    void finish(session::DeviceEvent event = session::DeviceEvent::Disconnect,
                const std::string& why = "disconnected");
    void resumed();
    nlohmann::json resumeOffer(bool wanted);

    std::string deviceId_;
    DeviceIdentity identity_;
    std::shared_ptr<media::MediaOrchestrator> media_;
    mutable std::mutex mutex_;  // guards connection_ (notify/close come from the media strand)
    std::shared_ptr<net::WsConnection> connection_;
    DiagnosticsLog diagnostics_;  // what the device reported, bounded in bytes
    bool left_ = false;
    std::shared_ptr<net::ConcurrencyLimit::Slot> slot_;  // under the device caps until closed
    std::shared_ptr<const auth::TurnCredentials> turn_;  // null: no TURN configured
    DeviceReporter reporter_;  // to the application (participant webhooks)
    // Weak: the registry holds a parked session, which must not hold it (a cycle). Null: none.
    std::weak_ptr<ResumableDevices> resumable_;
    // Guarded by mutex_: the next resume's secret (empty: not resumable), whether a connection was
    // ever opened, whether the session is parked (WebSocket lost, media kept) and until when,
    // whether it is closing for a resume, whether the server closed it and how, what a resume gets.
    std::string resumeSecret_;
    std::string resumeDigest_;  // its SHA-256 (a restored device knows only that)
    bool restored_ = false;     // restored and not yet resumed: no media legs
    bool opened_ = false;
    bool parked_ = false;
    std::chrono::steady_clock::time_point parkDeadline_{};
    bool closingForResume_ = false;
    bool closedByServer_ = false;
    std::pair<std::uint16_t, std::string> serverClose_;
    ResumeFrames resumeFrames_;
};

}  // namespace sb::signaling
