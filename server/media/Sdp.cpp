#include "server/media/Sdp.hpp"

#include <algorithm>
#include <sstream>

namespace sb::media {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

void readAttributes(MediaSection& m) {
    for (const auto& line : m.lines) {
        std::string_view l(line);
        if (startsWith(l, "a=mid:")) {
            m.mid = std::string(l.substr(6));
        } else if (l == "a=sendrecv" || l == "a=sendonly" || l == "a=recvonly" ||
                   l == "a=inactive") {
            m.direction = std::string(l.substr(2));
        } else if (l == "a=bundle-only") {
            m.bundleOnly = true;
        } else if (startsWith(l, "a=msid:")) {
            auto rest = l.substr(7);
            auto sp = rest.find(' ');
            m.msidStream = std::string(rest.substr(0, sp));
            m.msidTrack =
                sp == std::string_view::npos ? std::string() : std::string(rest.substr(sp + 1));
        }
    }
}

void parseMLine(MediaSection& m) {
    // m=<media> <port>[/<n>] <proto> <fmt> …
    std::istringstream in(m.lines.front().substr(2));
    std::string port;
    in >> m.kind >> port;
    try {
        m.port = std::stoi(port);
    } catch (const std::exception&) {
        m.port = 0;
    }
}

}  // namespace

SessionDescription SessionDescription::parse(std::string_view sdp) {
    SessionDescription out;
    std::size_t pos = 0;
    while (pos < sdp.size()) {
        auto end = sdp.find('\n', pos);
        if (end == std::string_view::npos) end = sdp.size();
        std::string line(sdp.substr(pos, end - pos));
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (startsWith(line, "m=")) {
            out.sections.emplace_back();
            out.sections.back().lines.push_back(std::move(line));
        } else if (out.sections.empty()) {
            out.sessionLines.push_back(std::move(line));
        } else {
            out.sections.back().lines.push_back(std::move(line));
        }
    }
    for (auto& m : out.sections) {
        parseMLine(m);
        readAttributes(m);
    }
    return out;
}

std::string SessionDescription::str() const {
    std::string out;
    for (const auto& l : sessionLines) out.append(l).append("\r\n");
    for (const auto& m : sections)
        for (const auto& l : m.lines) out.append(l).append("\r\n");
    return out;
}

MediaSection* SessionDescription::byMid(const std::string& mid) {
    for (auto& m : sections)
        if (m.mid == mid) return &m;
    return nullptr;
}

const MediaSection* SessionDescription::byMid(const std::string& mid) const {
    return const_cast<SessionDescription*>(this)->byMid(mid);
}

bool isEnabled(const MediaSection& m) {
    return m.port != 0 || m.bundleOnly;
}

void rejectSection(MediaSection& m) {
    auto& mline = m.lines.front();
    // "m=<media> <port> <proto> <fmt>": a device's m-line may lack fields (found by tests/fuzz/sdp,
    // regression seed short_mline); the port is replaced only where there is one.
    auto first = mline.find(' ');
    if (first != std::string::npos) {
        auto second = mline.find(' ', first + 1);
        mline = mline.substr(0, first + 1) + "0" +
                (second == std::string::npos ? "" : mline.substr(second));
    }
    m.port = 0;
    for (auto& l : m.lines)
        if (l == "a=sendrecv" || l == "a=sendonly" || l == "a=recvonly") l = "a=inactive";
    m.direction = "inactive";
    m.lines.erase(std::remove(m.lines.begin(), m.lines.end(), "a=bundle-only"), m.lines.end());
    m.bundleOnly = false;
}

void setMsid(MediaSection& m, const std::string& stream, const std::string& track) {
    bool had = false;
    for (auto& l : m.lines) {
        if (startsWith(l, "a=msid:")) {
            l = "a=msid:" + stream + " " + track;
            had = true;
        } else if (startsWith(l, "a=ssrc:")) {
            // a=ssrc:<ssrc> msid:<stream> <track> (RFC 5576 source-level msid, still emitted)
            auto sp = l.find(' ');
            if (sp != std::string::npos && l.compare(sp + 1, 5, "msid:") == 0)
                l = l.substr(0, sp) + " msid:" + stream + " " + track;
        }
    }
    if (!had) m.lines.push_back("a=msid:" + stream + " " + track);
    m.msidStream = stream;
    m.msidTrack = track;
}

void removeFromBundle(SessionDescription& sdp, const std::string& mid) {
    for (auto& l : sdp.sessionLines) {
        if (!startsWith(l, "a=group:BUNDLE")) continue;
        std::istringstream in(l.substr(std::string("a=group:BUNDLE").size()));
        std::string out = "a=group:BUNDLE", tok;
        while (in >> tok)
            if (tok != mid) out += " " + tok;
        l = out;
    }
}

}  // namespace sb::media
