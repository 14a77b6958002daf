#pragma once
// Bandwidth's recordings REST endpoints (bandwidth.yml, "Recordings"), under the account's Basic
// auth: list an account's or a call's recordings, a recording's metadata, download its WAV,
// delete the recording or only its media, pause/resume a call's recording. Another account's
// recordings are 404. Downloads are streamed from the file (any size, bounded memory).

#include "server/auth/AccountGate.hpp"
#include "server/net/Router.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::voice {

// Routes over voice.recordings() (set) and, for PUT …/recording, the calls of `voice`.
void addRecordingRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice);

}  // namespace sb::voice
