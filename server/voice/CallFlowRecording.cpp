// CallFlow's recording verbs (issue 9): <Record>, <StartRecording>, <StopRecording>,
// <PauseRecording>, <ResumeRecording>. Same class as CallFlow.cpp, split by concern.
//
// A recording that cannot be made (storage limit, disk full, no recording support) fails the
// recording, never the call: recordingAvailable (status error) and, for <Record>, recordComplete
// say why, and the call goes on. recordingAvailable goes out when the file is complete, even
// after the call ended (a <StartRecording> runs until hangup), so its completion keeps what it
// needs (a snapshot of the call, the store, the callback client) instead of the flow.

#include <filesystem>

#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallbackEvents.hpp"
#include "server/voice/RecordingEvents.hpp"
#include "server/voice/RecordingReservation.hpp"

namespace sb::voice {

using base::LogLevel;

namespace {
constexpr double kBytesPerSecondPerChannel = 16000;  // 8 kHz × 16 bit
constexpr std::uint64_t kWavSlackBytes = 1024;       // header and a partial last block
}  // namespace

struct CallFlow::RecordingContext {
    RecordingMeta meta;
    std::shared_ptr<RecordingReservation> reservation;
    bxml::RecordingCallbacks callbacks;
    std::string mediaUrl;
    std::shared_ptr<RecordingStore> store;
    Call call;  // as when it started (the events' call fields)
    CallbackClient* client = nullptr;
    Clock clock;
    RecordingResult result;

    // Records the outcome and sends recordingAvailable (when asked for). Any thread.
    void complete(const RecordingResult& r) {
        result = r;
        meta.endTime = isoTime(clock());
        meta.durationSeconds = r.durationSeconds;
        meta.bytes = r.bytes;
        meta.status = r.ok ? "complete" : "error";
        if (!r.ok) meta.errorMessage = r.error;
        // The budget ran out mid-recording: say which one (the writer only knows it stopped).
        if (!r.ok && reservation && !reservation->refusal().empty())
            meta.errorMessage = "recording stopped: " + reservation->refusal();
        meta.hasMedia = r.bytes > 44;
        meta.droppedBlocks = r.droppedFrames;
        if (store) store->finish(meta, reservation ? reservation->reserved() : 0);
        available();
    }

    void available() {
        if (!callbacks.recordingAvailable) return;
        notify(*client, call, callbacks.recordingAvailable,
               recordingEvent("recordingAvailable", call, meta, mediaUrl, clock()));
    }
};

void CallFlow::setRecordings(std::shared_ptr<RecordingStore> store, std::string publicBaseUrl) {
    recordings_ = std::move(store);
    recordingsBaseUrl_ = std::move(publicBaseUrl);
}

bool CallFlow::setRecordingPaused(bool paused) {
    auto id = callRecording_.load();
    if (!id || finished_) return false;
    media_->setRecordingPaused(id, paused);  // thread-safe (CallMedia's recording methods)
    return true;
}

bool CallFlow::executeRecording(const bxml::Verb& verb) {
    if (auto* r = std::get_if<bxml::Record>(&verb)) {
        redirectHops_ = 0;  // it spends time on the call
        record(*r);
        return true;
    }
    if (auto* s = std::get_if<bxml::StartRecording>(&verb)) {
        startRecording(*s);
        return true;
    }
    // Bandwidth: stopping, pausing or resuming when nothing is recording does nothing.
    bool stop = std::holds_alternative<bxml::StopRecording>(verb);
    bool pause = std::holds_alternative<bxml::PauseRecording>(verb);
    bool resume = std::holds_alternative<bxml::ResumeRecording>(verb);
    if (!stop && !pause && !resume) return false;
    if (auto id = callRecording_.load()) {
        if (stop)
            media_->stopRecording(id);
        else
            media_->setRecordingPaused(id, pause);
        if (stop) callRecording_ = 0;
    }
    next();
    return true;
}

std::shared_ptr<CallFlow::RecordingContext> CallFlow::newRecording(
    const bxml::RecordingCallbacks& callbacks, int channels, double maxSeconds,
    RecordingSpec& spec) {
    auto ctx = std::make_shared<RecordingContext>();
    ctx->callbacks = callbacks;
    ctx->callbacks.recordingAvailable = resolveTarget(baseUrl_, ctx->callbacks.recordingAvailable);
    ctx->store = recordings_;
    ctx->call = call_;
    ctx->client = &callbacks_;
    ctx->clock = clock_;
    auto& m = ctx->meta;
    m.recordingId = newRecordingId();
    m.accountId = call_.accountId;
    m.applicationId = call_.applicationId;
    m.callId = call_.callId;
    m.to = call_.to;
    m.from = call_.from;
    m.direction = toString(call_.direction);
    m.channels = channels;
    m.tag = callbacks.tag ? callbacks.tag : call_.tag;
    m.startTime = isoTime(clock_());
    ctx->mediaUrl = recordingsBaseUrl_ + "/api/v2/accounts/" + m.accountId + "/calls/" + m.callId +
                    "/recordings/" + m.recordingId + "/media";
    if (!recordings_) {
        ctx->result.error = "recordings are not enabled on this server";
        return ctx;
    }
    auto cap = static_cast<std::uint64_t>(maxSeconds * kBytesPerSecondPerChannel * channels) +
               kWavSlackBytes;
    auto reservation =
        std::make_shared<RecordingReservation>(recordings_, m.accountId, channels, cap);
    if (auto refusal = reservation->start(); !refusal.empty()) {
        ctx->result.error = "recording refused: " + refusal;
        return ctx;
    }
    ctx->reservation = reservation;
    recordings_->begin(m);
    spec.path = recordings_->mediaPath(m);
    spec.channels = channels;
    spec.maxSeconds = maxSeconds;
    spec.cover = [reservation](std::uint64_t total) { return reservation->cover(total); };
    ctx->result.ok = true;
    return ctx;
}

void CallFlow::record(const bxml::Record& verb) {
    RecordingSpec spec;
    spec.phoneOnly = true;
    spec.silenceSeconds = verb.silenceTimeout.value_or(0);
    spec.terminatingDigits = verb.terminatingDigits;
    auto ctx = newRecording(verb.callbacks, 1, verb.maxDuration, spec);
    auto complete = resolveTarget(baseUrl_, verb.recordComplete);
    auto afterwards = [complete](CallFlow& f, const std::shared_ptr<RecordingContext>& c) {
        if (!complete) return f.next();
        // An empty reply: the verbs after <Record> run.
        f.fetch(*complete,
                recordingEvent("recordComplete", f.call_, c->meta, c->mediaUrl, f.clock_()),
                Reply::MayContinue);
    };
    if (!ctx->result.ok) {  // refused before anything was recorded: say why, go on
        base::log(LogLevel::Warn,
                  "voice: call " + call_.callId + " <Record>: " + ctx->result.error);
        ctx->meta.status = "error";
        ctx->meta.errorMessage = ctx->result.error;
        ctx->meta.endTime = ctx->meta.startTime;
        ctx->meta.hasMedia = false;
        ctx->available();
        return afterwards(*this, ctx);
    }
    mediaBusy_ = true;
    auto step = step_;
    media_->startRecording(
        spec, [weak = weak_from_this(), ex = &executor_, ctx, step, afterwards](RecordingResult r) {
            ex->post([weak, ctx, step, afterwards, r = std::move(r)] {
                ctx->complete(r);
                auto self = weak.lock();
                if (!self || self->stale(step)) return;
                self->mediaBusy_ = false;
                afterwards(*self, ctx);
            });
        });
}

void CallFlow::startRecording(const bxml::StartRecording& verb) {
    if (callRecording_) {  // one call recording at a time, as Bandwidth
        base::log(LogLevel::Info,
                  "voice: call " + call_.callId + " <StartRecording> while recording: ignored");
        return next();
    }
    RecordingSpec spec;
    int channels = verb.multiChannel ? 2 : 1;
    auto ctx = newRecording(verb.callbacks, channels, bxml::kMaxRecordSeconds, spec);
    if (!ctx->result.ok) {
        base::log(LogLevel::Warn,
                  "voice: call " + call_.callId + " <StartRecording>: " + ctx->result.error);
        ctx->meta.status = "error";
        ctx->meta.errorMessage = ctx->result.error;
        ctx->meta.endTime = ctx->meta.startTime;
        ctx->meta.hasMedia = false;
        ctx->available();
        return next();
    }
    std::uint64_t id = 0;
    auto idHolder = std::make_shared<std::uint64_t>(0);
    id = media_->startRecording(
        spec, [weak = weak_from_this(), ex = &executor_, ctx, idHolder](RecordingResult r) {
            ex->post([weak, ctx, idHolder, r = std::move(r)] {
                ctx->complete(r);
                if (auto self = weak.lock(); self && self->callRecording_ == *idHolder)
                    self->callRecording_ = 0;
            });
        });
    *idHolder = id;
    callRecording_ = id;
    next();
}

}  // namespace sb::voice
