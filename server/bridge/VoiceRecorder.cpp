#include "server/bridge/VoiceRecorder.hpp"

#include <cmath>

#include "server/base/Log.hpp"

namespace sb::bridge {

using sip::media::RecordingTap;

namespace {
const char* reasonName(RecordingTap::EndReason r) {
    switch (r) {
        case RecordingTap::EndReason::MaxDuration:
            return "maxDuration";
        case RecordingTap::EndReason::Silence:
            return "silence";
        case RecordingTap::EndReason::Digit:
            return "digit";
        case RecordingTap::EndReason::Stopped:
            return "stopped";
        case RecordingTap::EndReason::Hangup:
            return "hangup";
    }
    return "hangup";
}
constexpr double kFramesPerSecond = 50;  // 20 ms ticks
}  // namespace

void VoiceRecorder::start(std::uint64_t id, const std::string& callId,
                          const std::shared_ptr<sip::media::CallAudioPipeline>& pipeline,
                          const voice::RecordingSpec& spec, const voice::RecordingDone& done) {
    RecordingTap::Config config;
    config.layout = spec.phoneOnly       ? RecordingTap::Layout::PhoneOnly
                    : spec.channels == 2 ? RecordingTap::Layout::Split
                                         : RecordingTap::Layout::Mix;
    config.maxFrames = static_cast<std::uint64_t>(std::llround(spec.maxSeconds * kFramesPerSecond));
    config.silenceFrames =
        static_cast<std::uint64_t>(std::llround(spec.silenceSeconds * kFramesPerSecond));
    config.terminatingDigits = spec.terminatingDigits;
    int channels = config.layout == RecordingTap::Layout::Split ? 2 : 1;
    auto holder = std::make_shared<std::weak_ptr<RecordingTap>>();
    voice::RecordingWriter::Budget budget;
    budget.cover = spec.cover ? spec.cover : [](std::uint64_t) { return true; };
    // Storage full or a failed write: the recording ends there (its result says why), not at
    // maxDuration or hangup, so a <Record> moves on and the file is released at once.
    budget.failed = [holder] {
        if (auto tap = holder->lock()) tap->stop();
    };
    auto file = writer_->open(spec.path, channels, std::move(budget));
    std::weak_ptr<VoiceRecorder> weakSelf = weak_from_this();
    std::weak_ptr<sip::media::CallAudioPipeline> weakPipeline = pipeline;
    auto writer = writer_;
    auto tap = std::make_shared<RecordingTap>(
        config,
        [writer, file](std::vector<std::int16_t>&& block) {
            return writer->write(file, std::move(block));
        },
        [writer, file, done, id, weakSelf, weakPipeline, holder](RecordingTap::EndReason reason,
                                                                 char digit) {
            auto tapNow = holder->lock();
            std::uint64_t dropped = tapNow ? tapNow->droppedFrames() : 0;
            if (auto p = weakPipeline.lock(); p && tapNow) p->removeTap(tapNow);
            if (auto self = weakSelf.lock()) {
                std::lock_guard lock(self->mutex_);
                self->entries_.erase(id);
            }
            if (dropped)
                base::log(base::LogLevel::Warn,
                          "recording: " + std::to_string(dropped) +
                              " blocks of 20 ms dropped (the disk writer's queue was full)");
            writer->close(file,
                          [done, reason, digit, dropped](const voice::RecordingFileResult& fr) {
                              voice::RecordingResult r;
                              r.ok = fr.ok;
                              r.error = fr.error;
                              r.endReason = reasonName(reason);
                              if (reason == RecordingTap::EndReason::Digit) r.digit = digit;
                              r.durationSeconds = static_cast<double>(fr.frames) / 8000.0;
                              r.bytes = fr.bytes;
                              r.droppedFrames = dropped;
                              done(r);
                          });
        });
    *holder = tap;
    {
        std::lock_guard lock(mutex_);
        entries_[id] = Entry{tap, callId, spec.phoneOnly};
    }
    pipeline->addTap(tap);
}

std::shared_ptr<RecordingTap> VoiceRecorder::tapOf(std::uint64_t id) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : it->second.tap.lock();
}

void VoiceRecorder::setPaused(std::uint64_t id, bool paused) {
    if (auto tap = tapOf(id)) tap->setPaused(paused);
}

void VoiceRecorder::stop(std::uint64_t id) {
    if (auto tap = tapOf(id)) tap->stop();
}

void VoiceRecorder::stopVerbRecordings(const std::string& callId) {
    std::lock_guard lock(mutex_);
    for (auto& [id, e] : entries_)
        if (e.verb && e.callId == callId)
            if (auto tap = e.tap.lock()) tap->stop();
}

std::size_t VoiceRecorder::active() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace sb::bridge
