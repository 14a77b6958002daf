// Fuzzes SDP handling: the WebRTC side (media::SessionDescription parse/str, rejectSection,
// setMsid, removeFromBundle, planOffer, finishAnswer, readNegotiatedCodecs, streamMetadata,
// PublisherSections: what
// offerSdp/answerSdp from a device go through) and the SIP side (sip::parseAudioSdp, sofia-sip's
// parser on a far end's offer or answer, then the codec choice and our answer built from it).
// The first byte picks the publish permissions; the rest is the description. Findings: crashes,
// sanitizer reports, exceptions, and a parse → str → parse round trip that loses m-sections.
#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "server/media/PublisherSections.hpp"
#include "server/media/Sdp.hpp"
#include "server/media/Tracks.hpp"
#include "server/signaling/MediaJson.hpp"
#include "server/sip/endpoint/AudioSdp.hpp"

using namespace sb;

namespace {
void webrtcSide(const std::string& sdp, std::uint8_t flags);
void sipSide(const std::string& sdp, std::uint8_t flags);
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string sdp(reinterpret_cast<const char*>(data) + 1, size - 1);

    // A device's SDP arrives in a JSON string, which nlohmann::json has already checked to be
    // UTF-8: the WebRTC side only ever sees UTF-8 (the SIP side sees raw bytes, below).
    bool utf8 = true;
    try {
        (void)nlohmann::json(sdp).dump();
    } catch (const nlohmann::json::type_error&) {
        utf8 = false;
    }
    if (utf8) webrtcSide(sdp, data[0]);
    sipSide(sdp, data[0]);
    return 0;
}

namespace {

void webrtcSide(const std::string& sdp, std::uint8_t flags) {
    auto parsed = media::SessionDescription::parse(sdp);
    auto again = media::SessionDescription::parse(parsed.str());
    if (again.sections.size() != parsed.sections.size()) __builtin_trap();
    for (auto& section : parsed.sections) {
        if (section.mid.empty()) continue;
        if (parsed.byMid(section.mid) == nullptr) __builtin_trap();
        media::setMsid(section, "stream-" + section.mid, "track-" + section.mid);
        media::rejectSection(section);
        media::removeFromBundle(parsed, section.mid);
    }
    (void)parsed.str();

    state::PublishPermissions permissions{(flags & 1) != 0, (flags & 2) != 0};
    auto plan = media::planOffer(sdp, permissions);
    for (const auto& t : plan.tracks) {
        if (t.kind == "audio" && !permissions.audio) __builtin_trap();
        if (t.kind == "video" && !permissions.video) __builtin_trap();
    }
    // Every live section of a kind the participant may not publish is refused, bundle-only ones
    // (port 0, RFC 8843 §7.2) included.
    for (const auto& m : media::SessionDescription::parse(sdp).sections) {
        bool permitted = m.kind == "audio" ? permissions.audio : permissions.video;
        if ((m.kind != "audio" && m.kind != "video") || permitted || !media::isEnabled(m)) continue;
        if (std::find(plan.refusedMids.begin(), plan.refusedMids.end(), m.mid) ==
            plan.refusedMids.end())
            __builtin_trap();
    }
    (void)media::finishAnswer(sdp, plan.refusedMids);
    media::readNegotiatedCodecs(sdp, plan.tracks);
    std::map<std::string, std::string> aliases;
    for (const auto& t : plan.tracks) aliases[t.msid] = "alias";
    (void)signaling::toJson(media::streamMetadata(plan.tracks, "participant", aliases)).dump();

    // PublisherSections: laid out by one offer, then this one again as Janus would get it; the
    // answer put back in the browser's order has exactly the offer's m-sections.
    media::PublisherSections sections;
    sections.commit(sections.toJanus(sdp).layout);
    auto janus = sections.toJanus(plan.sdpForJanus);
    auto back = media::PublisherSections::toBrowser(janus.sdp, plan.sdpForJanus);
    if (media::SessionDescription::parse(back).sections.size() !=
        media::SessionDescription::parse(plan.sdpForJanus).sections.size())
        __builtin_trap();
}

void sipSide(const std::string& sdp, std::uint8_t flags) {
    auto audio = sip::parseAudioSdp(sdp);
    if (audio.ok) {
        auto codec = (flags & 4) ? sip::chosenInAnswer(audio) : sip::preferredFromOffer(audio);
        sip::AudioSdpParams ours;
        ours.address = "127.0.0.1";
        ours.port = 40000;
        if (codec) ours.codecs = {*codec};
        ours.telephoneEventPt = audio.telephoneEventPt;
        ours.sessionId = 1;
        ours.version = 1;
        auto answer = sip::parseAudioSdp(sip::buildAudioSdp(ours));
        if (codec && (!answer.ok || answer.port != 40000)) __builtin_trap();
    } else if (audio.error.empty()) {
        __builtin_trap();  // a refusal always says why
    }
}

}  // namespace
