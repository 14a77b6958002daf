#include "server/voice/RecordingVerbs.hpp"

#include "server/base/Log.hpp"
#include "server/voice/CallbackEvents.hpp"
#include "server/voice/RecordingEvents.hpp"
#include "server/voice/RecordingReservation.hpp"

namespace sb::voice {

using base::LogLevel;

namespace {
constexpr double kBytesPerSecondPerChannel = 16000;  // 8 kHz × 16 bit
constexpr std::uint64_t kWavSlackBytes = 1024;       // header and a partial last block
}  // namespace

struct RecordingVerbs::Context {
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

    // Refused before anything was recorded: an error recording with no media.
    void refused() {
        meta.status = "error";
        meta.errorMessage = result.error;
        meta.endTime = meta.startTime;
        meta.hasMedia = false;
        available();
    }

    void available() {
        if (!callbacks.recordingAvailable) return;
        notify(*client, call, callbacks.recordingAvailable,
               recordingEvent("recordingAvailable", call, meta, mediaUrl, clock()));
    }
};

void RecordingVerbs::setStore(std::shared_ptr<RecordingStore> store, std::string publicBaseUrl) {
    store_ = std::move(store);
    publicBaseUrl_ = std::move(publicBaseUrl);
}

bool RecordingVerbs::setPaused(bool paused) {
    auto id = callRecording_.load();
    if (!id || loop_.finished()) return false;
    loop_.media().setRecordingPaused(id, paused);  // thread-safe (CallMedia's recording methods)
    return true;
}

bool RecordingVerbs::execute(const bxml::Verb& verb) {
    if (auto* r = std::get_if<bxml::Record>(&verb)) {
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
            loop_.media().stopRecording(id);
        else
            loop_.media().setRecordingPaused(id, pause);
        if (stop) callRecording_ = 0;
    }
    loop_.next();
    return true;
}

std::shared_ptr<RecordingVerbs::Context> RecordingVerbs::newRecording(
    const bxml::RecordingCallbacks& callbacks, int channels, double maxSeconds,
    RecordingSpec& spec) {
    const auto& call = loop_.call();
    auto ctx = std::make_shared<Context>();
    ctx->callbacks = callbacks;
    ctx->callbacks.recordingAvailable =
        resolveTarget(loop_.baseUrl(), ctx->callbacks.recordingAvailable);
    ctx->store = store_;
    ctx->call = call;
    ctx->client = &loop_.callbacks();
    ctx->clock = loop_.clock();
    auto& m = ctx->meta;
    m.recordingId = newRecordingId();
    m.accountId = call.accountId;
    m.applicationId = call.applicationId;
    m.callId = call.callId;
    m.to = call.to;
    m.from = call.from;
    m.direction = toString(call.direction);
    m.channels = channels;
    m.tag = callbacks.tag ? callbacks.tag : call.tag;
    m.startTime = isoTime(loop_.now());
    ctx->mediaUrl = publicBaseUrl_ + "/api/v2/accounts/" + m.accountId + "/calls/" + m.callId +
                    "/recordings/" + m.recordingId + "/media";
    if (!store_) {
        ctx->result.error = "recordings are not enabled on this server";
        return ctx;
    }
    auto cap = static_cast<std::uint64_t>(maxSeconds * kBytesPerSecondPerChannel * channels) +
               kWavSlackBytes;
    auto reservation = std::make_shared<RecordingReservation>(store_, m.accountId, channels, cap);
    if (auto refusal = reservation->start(); !refusal.empty()) {
        ctx->result.error = "recording refused: " + refusal;
        return ctx;
    }
    ctx->reservation = reservation;
    store_->begin(m);
    spec.path = store_->mediaPath(m);
    spec.channels = channels;
    spec.maxSeconds = maxSeconds;
    spec.cover = [reservation](std::uint64_t total) { return reservation->cover(total); };
    ctx->result.ok = true;
    return ctx;
}

void RecordingVerbs::record(const bxml::Record& verb) {
    RecordingSpec spec;
    spec.phoneOnly = true;
    spec.silenceSeconds = verb.silenceTimeout.value_or(0);
    spec.terminatingDigits = verb.terminatingDigits;
    auto ctx = newRecording(verb.callbacks, 1, verb.maxDuration, spec);
    auto complete = resolveTarget(loop_.baseUrl(), verb.recordComplete);
    auto afterwards = [complete](VerbLoop& loop, const std::shared_ptr<Context>& c) {
        if (!complete) return loop.next();
        // An empty reply: the verbs after <Record> run.
        loop.fetch(*complete,
                   recordingEvent("recordComplete", loop.call(), c->meta, c->mediaUrl, loop.now()),
                   VerbLoop::Reply::MayContinue);
    };
    if (!ctx->result.ok) {  // refused before anything was recorded: say why, go on
        base::log(LogLevel::Warn,
                  "voice: call " + loop_.call().callId + " <Record>: " + ctx->result.error);
        ctx->refused();
        return afterwards(loop_, ctx);
    }
    loop_.setMediaBusy(true);
    auto step = loop_.step();
    loop_.media().startRecording(spec, [weak = loop_.weakRef(loop_), ex = &loop_.executor(), ctx,
                                        step, afterwards](RecordingResult r) {
        ex->post([weak, ctx, step, afterwards, r = std::move(r)] {
            ctx->complete(r);
            auto loop = weak.lock();
            if (!loop || loop->stale(step)) return;
            loop->setMediaBusy(false);
            afterwards(*loop, ctx);
        });
    });
}

void RecordingVerbs::startRecording(const bxml::StartRecording& verb) {
    if (callRecording_) {  // one call recording at a time, as Bandwidth
        base::log(LogLevel::Info, "voice: call " + loop_.call().callId +
                                      " <StartRecording> while recording: ignored");
        return loop_.next();
    }
    RecordingSpec spec;
    int channels = verb.multiChannel ? 2 : 1;
    auto ctx = newRecording(verb.callbacks, channels, bxml::kMaxRecordSeconds, spec);
    if (!ctx->result.ok) {
        base::log(LogLevel::Warn,
                  "voice: call " + loop_.call().callId + " <StartRecording>: " + ctx->result.error);
        ctx->refused();
        return loop_.next();
    }
    auto idHolder = std::make_shared<std::uint64_t>(0);
    auto id = loop_.media().startRecording(
        spec,
        [weak = loop_.weakRef(*this), ex = &loop_.executor(), ctx, idHolder](RecordingResult r) {
            ex->post([weak, ctx, idHolder, r = std::move(r)] {
                ctx->complete(r);
                if (auto self = weak.lock(); self && self->callRecording_ == *idHolder)
                    self->callRecording_ = 0;
            });
        });
    *idHolder = id;
    callRecording_ = id;
    loop_.next();
}

}  // namespace sb::voice
