#pragma once
// The recording verbs of a call flow (issue 9): <Record>, <StartRecording>, <StopRecording>,
// <PauseRecording>, <ResumeRecording>, and REST's pause/resume of the call recording.
//
// A recording that cannot be made (storage limit, disk full, no recording support) fails the
// recording, never the call: recordingAvailable (status error) and, for <Record>, recordComplete
// say why, and the call goes on. recordingAvailable goes out when the file is complete, even
// after the call ended (a <StartRecording> runs until hangup), so its completion keeps what it
// needs (a snapshot of the call, the store, the callback client) instead of the flow.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "server/voice/RecordingStore.hpp"
#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class RecordingVerbs : public VerbLoop::Family {
  public:
    explicit RecordingVerbs(VerbLoop& loop) : loop_(loop) {}
    // Where recordings go and the base of their mediaUrl (publicBaseUrl). Set before the flow
    // starts; without it the recording verbs fail (recordingAvailable/recordComplete say why).
    void setStore(std::shared_ptr<RecordingStore> store, std::string publicBaseUrl);
    // REST PUT …/calls/{id}/recording: pause or resume the <StartRecording> in progress (any
    // thread). False when none is.
    bool setPaused(bool paused);
    bool execute(const bxml::Verb& verb) override;

  private:
    struct Context;
    void record(const bxml::Record& verb);
    void startRecording(const bxml::StartRecording& verb);
    // Reserves storage and persists the new recording; its result says why when refused.
    std::shared_ptr<Context> newRecording(const bxml::RecordingCallbacks& callbacks, int channels,
                                          double maxSeconds, RecordingSpec& spec);

    VerbLoop& loop_;
    std::shared_ptr<RecordingStore> store_;
    std::string publicBaseUrl_;
    std::atomic<std::uint64_t> callRecording_{0};  // the <StartRecording> in progress; 0: none
};

}  // namespace sb::voice
