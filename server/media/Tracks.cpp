#include "server/media/Tracks.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace sb::media {

std::string mediaTypeOf(const std::string& kind) {
    if (kind == "audio") return "AUDIO";
    if (kind == "video") return "VIDEO";
    return "APPLICATION";
}

OfferPlan planOffer(const std::string& offerSdp, const state::PublishPermissions& permissions) {
    OfferPlan plan;
    auto sdp = SessionDescription::parse(offerSdp);
    for (auto& m : sdp.sections) {
        if (m.kind != "audio" && m.kind != "video") continue;
        bool permitted = m.kind == "audio" ? permissions.audio : permissions.video;
        if (!permitted) {
            // A disabled section sends nothing and needs no refusal; a bundle-only one (port 0
            // too) is live on the bundle transport and does (isEnabled, RFC 8843 §7.2).
            if (isEnabled(m)) {
                plan.refusedMids.push_back(m.mid);
                // Janus answers an inactive section inactive, so the browser never sends on it.
                for (auto& l : m.lines)
                    if (l == "a=sendrecv" || l == "a=sendonly") l = "a=inactive";
                m.direction = "inactive";
            }
            continue;
        }
        bool sending = isEnabled(m) && (m.direction == "sendonly" || m.direction == "sendrecv" ||
                                        m.direction.empty());
        if (sending && m.msidStream && !m.msidStream->empty() && *m.msidStream != "-")
            plan.tracks.push_back({m.mid, m.kind, *m.msidStream, m.msidTrack.value_or(""), "", -1});
    }
    plan.sdpForJanus = sdp.str();
    return plan;
}

void readNegotiatedCodecs(const std::string& answerSdp, std::vector<PublishedTrack>& tracks) {
    auto sdp = SessionDescription::parse(answerSdp);
    for (auto& t : tracks) {
        const auto* m = sdp.byMid(t.mid);
        if (!m) continue;
        // m=<media> <port> <proto> <fmt> …: the first format is the one in use (RFC 3264 §6.1).
        std::istringstream mline(m->lines.front());
        std::string media, port, proto;
        int pt = -1;
        mline >> media >> port >> proto >> pt;
        t.payloadType = pt;
        std::string prefix = "a=rtpmap:" + std::to_string(pt) + " ";
        for (const auto& l : m->lines) {
            if (l.rfind(prefix, 0) != 0) continue;
            auto name = l.substr(prefix.size(), l.find('/') - prefix.size());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            t.codec = name;
        }
        if (t.codec.empty() && pt == 0) t.codec = "pcmu";
        if (t.codec.empty() && pt == 8) t.codec = "pcma";
    }
}

std::string finishAnswer(const std::string& answerSdp,
                         const std::vector<std::string>& refusedMids) {
    if (refusedMids.empty()) return answerSdp;
    auto sdp = SessionDescription::parse(answerSdp);
    for (const auto& mid : refusedMids) {
        if (auto* m = sdp.byMid(mid)) {
            rejectSection(*m);
            removeFromBundle(sdp, mid);
        }
    }
    return sdp.str();
}

StreamMetadata streamMetadata(const std::vector<PublishedTrack>& tracks,
                              const std::string& participantId,
                              const std::map<std::string, std::string>& aliases) {
    StreamMetadata out;
    for (const auto& t : tracks) {
        auto& entry = out[t.msid];
        if (entry.endpointId.empty()) {
            entry.endpointId = t.msid;
            entry.participantId = participantId;
            if (auto a = aliases.find(t.msid); a != aliases.end()) entry.alias = a->second;
        }
        auto type = mediaTypeOf(t.kind);
        if (std::find(entry.mediaTypes.begin(), entry.mediaTypes.end(), type) ==
            entry.mediaTypes.end())
            entry.mediaTypes.push_back(type);
    }
    return out;
}

}  // namespace sb::media
