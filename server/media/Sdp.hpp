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
    std::string kind;  // "audio", "video", "application"
    int port = 0;      // 0 = rejected/disabled (RFC 8843 §7.3.3 bundle-only aside)
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

// Sets a section's port to 0 and its direction to inactive: how an answerer refuses one stream
// without refusing the whole offer (RFC 8829 §5.3.1, RFC 3264 §6).
void rejectSection(MediaSection& section);

// Replaces the section's msid (the a=msid line and any a=ssrc:… msid: lines).
void setMsid(MediaSection& section, const std::string& stream, const std::string& track);

// Removes `mid` from the a=group:BUNDLE line(s).
void removeFromBundle(SessionDescription& sdp, const std::string& mid);

}  // namespace sb::media
