#pragma once
// What a publisher's offer publishes, as the media orchestration sees it: tracks by mid, grouped
// into streams by msid, filtered by the participant's publish permissions.

#include <map>
#include <string>
#include <vector>

#include "server/media/MediaEvents.hpp"
#include "server/media/Sdp.hpp"
#include "server/state/Model.hpp"

namespace sb::media {

struct PublishedTrack {
    std::string mid;
    std::string kind;  // "audio" | "video"
    std::string msid;  // MediaStream id: the stream's identity on both sides
    std::string trackId;
    std::string codec;  // negotiated with Janus: "opus", "pcmu", … (lower case)
    int payloadType = -1;
};

// Fills codec/payloadType of `tracks` from the first format of each m-section of Janus's answer.
void readNegotiatedCodecs(const std::string& answerSdp, std::vector<PublishedTrack>& tracks);

struct OfferPlan {
    std::vector<PublishedTrack> tracks;    // permitted, sending, with an msid
    std::vector<std::string> refusedMids;  // kinds the participant may not publish
    std::string sdpForJanus;               // refused sections made inactive
};

// Reads the offer; m-sections of a kind not in `permissions` are refused (never forwarded).
OfferPlan planOffer(const std::string& offerSdp, const state::PublishPermissions& permissions);

// Rewrites Janus's answer so refused sections are rejected (port 0, out of BUNDLE) — RFC 8829
// §5.3.1 lets an answerer reject individual m-sections.
std::string finishAnswer(const std::string& answerSdp, const std::vector<std::string>& refusedMids);

// streamMetadata of reference §2.3 for one participant's tracks: {msid: {endpointId,
// participantId, mediaTypes, alias?}}; `aliases` maps msid to the alias the client gave.
StreamMetadata streamMetadata(const std::vector<PublishedTrack>& tracks,
                              const std::string& participantId,
                              const std::map<std::string, std::string>& aliases);

std::string mediaTypeOf(const std::string& kind);  // "audio" → "AUDIO"

}  // namespace sb::media
