#pragma once
// What BXML verbs do to one SIP call (voice::CallMedia over the bridge): answer, play a WAV, send
// DTMF, speak, transfer into a WebRTC session or out through the trunk, record, <Bridge>,
// <Forward>, conferences, hang up. Every operation hops onto the bridge's strand, finds the call
// there and hands it to the part of the bridge that does it; a call that has ended meanwhile
// fails it. Private to server/bridge.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/voice/CallMedia.hpp"

namespace sb::bridge {

class SipBridge;
struct BridgeCall;

class SipBridgeMedia : public voice::CallMedia {
  public:
    SipBridgeMedia(std::weak_ptr<SipBridge> bridge, std::string sipId)
        : bridge_(std::move(bridge)), sipId_(std::move(sipId)) {}

    void answer(Done done) override;
    void playAudio(const std::string& url,
                   const std::optional<voice::BasicCredentials>& credentials, Done done) override;
    void sendDtmf(const std::string& digits, double toneMs, double gapMs, Done done) override;
    void transfer(const voice::TransferRequest& request, std::function<void(std::size_t)> answered,
                  std::function<void(voice::TransferOutcome)> done) override;
    void stop() override;
    void hangup() override;
    // ivr
    void speak(const std::string& text, const std::string& voice, Done done) override;
    void onDigit(std::function<void(char)> handler) override;
    // record (issue 9): VoiceRecorder
    std::uint64_t startRecording(const voice::RecordingSpec& spec,
                                 voice::RecordingDone done) override;
    void setRecordingPaused(std::uint64_t id, bool paused) override;
    void stopRecording(std::uint64_t id) override;
    // rooms: <Bridge> (VoiceRooms) and <Forward> (TransferLegs)
    void bridgeWith(const std::shared_ptr<voice::CallMedia>& target, Done connected,
                    std::function<void(bool)> ended) override;
    void forward(const voice::TransferRequest& request, bool answerCaller,
                 std::function<void()> answered,
                 std::function<void(voice::TransferOutcome)> done) override;
    // conf (VoiceConference)
    void joinConference(const std::string& accountId, const std::string& sessionId, bool mute,
                        bool hold, Done joined, std::function<void(std::string)> left) override;
    void setConferenceAudio(bool mute, bool hold) override;

  private:
    // Runs f(bridge, call) on the bridge's strand; `fail` (may be empty) hears "server stopping"
    // or "call ended" instead when there is no bridge or no call any more.
    template <typename F>
    void run(F f, Done fail);

    std::weak_ptr<SipBridge> bridge_;
    std::string sipId_;
};

}  // namespace sb::bridge
