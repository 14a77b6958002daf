#pragma once
// Recordings of SIP calls (issue 9): voice::CallMedia::startRecording over a call's audio
// pipeline. Each recording is a RecordingTap on the pipeline (the call's strand) feeding the
// shared RecordingWriter (its own thread, bounded queue); when the tap ends (maxDuration,
// silence, digit, stop, hangup) the file is closed and `done` reports the result.
// Thread-safe: pause/stop may come from any thread.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/RecordingTap.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/RecordingWriter.hpp"

namespace sb::bridge {

class VoiceRecorder : public std::enable_shared_from_this<VoiceRecorder> {
  public:
    explicit VoiceRecorder(std::shared_ptr<voice::RecordingWriter> writer)
        : writer_(std::move(writer)) {}

    static std::uint64_t newId() {
        static std::atomic<std::uint64_t> next{1};
        return next++;
    }
    // `callId` groups a call's recordings (stopVerbRecordings). `done` runs on the writer thread.
    void start(std::uint64_t id, const std::string& callId,
               const std::shared_ptr<sip::media::CallAudioPipeline>& pipeline,
               const voice::RecordingSpec& spec, const voice::RecordingDone& done);
    void setPaused(std::uint64_t id, bool paused);
    void stop(std::uint64_t id);
    // Stops the call's <Record> recordings (the flow moved on); <StartRecording> ones go on.
    void stopVerbRecordings(const std::string& callId);
    std::size_t active() const;
    std::uint64_t droppedBlocks() const { return writer_->droppedBlocks(); }

  private:
    struct Entry {
        std::weak_ptr<sip::media::RecordingTap> tap;
        std::string callId;
        bool verb = false;
    };
    std::shared_ptr<sip::media::RecordingTap> tapOf(std::uint64_t id) const;

    std::shared_ptr<voice::RecordingWriter> writer_;
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Entry> entries_;
};

}  // namespace sb::bridge
