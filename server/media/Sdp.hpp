#pragma once
// Just enough SDP (RFC 8866) handling for an SFU in the middle: split a description into its
// m-sections, read mid/direction/msid, reject sections, and rewrite msid lines. Lines are kept
// verbatim so everything we do not touch reaches the other side unchanged.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::media {

struct MediaSection {
    std::string kind;         // "audio", "video", "application"
    int port = 0;             // 0 = rejected/disabled, unless bundleOnly (see isEnabled)
    bool bundleOnly = false;  // a=bundle-only (RFC 8843 §6)
    std::string mid;
    std::string direction;  // "sendrecv", "sendonly", "recvonly", "inactive" or "" (none given)
    std::optional<std::string> msidStream;  // a=msid:<stream> <track> (RFC 8830)
    std::optional<std::string> msidTrack;
    std::vector<std::string> lines;  // the section's lines, the m= line first, without CRLF
};

struct SessionDescription {
    std::vector<std::string> sessionLines;  // v=, o=, s=, t=, a=group, …
    std::vector<MediaSection> sections;

    static SessionDescription parse(std::string_view sdp);
    std::string str() const;  // CRLF line endings

    MediaSection* byMid(const std::string& mid);
    const MediaSection* byMid(const std::string& mid) const;
};

// True unless the section is disabled or rejected. Port 0 means that (RFC 3264 §8.2), except with
// a=bundle-only: then the section is offered for the BUNDLE transport only, which it shares with
// the tagged section (RFC 8843 §7.2; browsers do this with max-bundle, Firefox for every section
// after the first). Port 0 without bundle-only disables the section (RFC 8843 §7.5.3).
bool isEnabled(const MediaSection& section);

// Sets a section's port to 0, its direction to inactive and drops a=bundle-only: how an answerer
// refuses one stream without refusing the whole offer (RFC 8829 §5.3.1, RFC 3264 §6; a rejected
// bundled section carries no bundle-only, RFC 8843 §7.3.3).
void rejectSection(MediaSection& section);

// Replaces the section's msid (the a=msid line and any a=ssrc:… msid: lines).
void setMsid(MediaSection& section, const std::string& stream, const std::string& track);

// Removes `mid` from the a=group:BUNDLE line(s).
void removeFromBundle(SessionDescription& sdp, const std::string& mid);

}  // namespace sb::media
