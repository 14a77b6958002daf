#pragma once
// Bandwidth's recordings REST endpoints (bandwidth.yml, "Recordings"), under the account's Basic
// auth: list an account's or a call's recordings, a recording's metadata, download its WAV,
// delete the recording or only its media, pause/resume a call's recording. Another account's recordings are 404.

#include "server/api/RestApi.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::voice {

// Most bytes a media download reads into memory (the reply body); larger files get 413. The
// largest recording is maxDuration (3 h) × 16 kB/s per channel, so this bounds memory per reply.
constexpr std::uint64_t kMaxMediaReplyBytes = 400ull * 1024 * 1024;

// Routes over voice.recordings() (set) and, for PUT …/recording, the calls of `voice`.
void addRecordingRoutes(api::Router& router, api::RestDeps deps, VoiceService& voice);

}  // namespace sb::voice
