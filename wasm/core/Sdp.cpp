#include "wasm/core/Sdp.hpp"

#include <vector>

namespace sb::sdk::sdp {

namespace {

// Splits into lines without their CR/LF terminators.
std::vector<std::string> lines(const std::string& sdp) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < sdp.size()) {
        std::size_t end = sdp.find('\n', start);
        if (end == std::string::npos) end = sdp.size();
        std::size_t stop = end;
        if (stop > start && sdp[stop - 1] == '\r') --stop;
        out.push_back(sdp.substr(start, stop - start));
        start = end + 1;
    }
    return out;
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

struct Section {
    std::string kind;
    bool rejected = false;
    bool sends = true;
    std::vector<std::string> msids;
};

// The media sections of `sdp`: kind, port 0, direction, msid stream ids.
std::vector<Section> sections(const std::string& sdp) {
    std::vector<Section> out;
    for (const auto& line : lines(sdp)) {
        if (startsWith(line, "m=")) {
            Section s;
            std::size_t sp = line.find(' ');
            s.kind = line.substr(2, sp == std::string::npos ? std::string::npos : sp - 2);
            s.rejected = sp != std::string::npos && line.compare(sp + 1, 2, "0 ") == 0;
            out.push_back(s);
        } else if (!out.empty()) {
            Section& s = out.back();
            if (line == "a=recvonly" || line == "a=inactive") s.sends = false;
            if (startsWith(line, "a=msid:")) {
                std::size_t sp = line.find(' ');
                s.msids.push_back(
                    line.substr(7, sp == std::string::npos ? std::string::npos : sp - 7));
            }
        }
    }
    return out;
}

}  // namespace

std::string forcePassiveSetup(const std::string& sdp) {
    std::string out;
    bool inMedia = false;
    bool hasSetup = false;
    auto closeSection = [&]() {
        if (inMedia && !hasSetup) out += "a=setup:passive\r\n";
    };
    for (const auto& line : lines(sdp)) {
        if (startsWith(line, "m=")) {
            closeSection();
            inMedia = true;
            hasSetup = false;
        }
        if (inMedia && startsWith(line, "a=setup:")) {
            out += "a=setup:passive\r\n";
            hasSetup = true;
            continue;
        }
        out += line;
        out += "\r\n";
    }
    closeSection();
    return out;
}

TrackCounts sentTracksPerStream(const std::string& sdp) {
    TrackCounts out;
    for (const auto& s : sections(sdp)) {
        if (s.rejected || !s.sends || (s.kind != "audio" && s.kind != "video")) continue;
        for (const auto& msid : s.msids) {
            auto it = out.begin();
            while (it != out.end() && it->first != msid) ++it;
            if (it == out.end())
                out.emplace_back(msid, 1);
            else
                ++it->second;
        }
    }
    return out;
}

}  // namespace sb::sdk::sdp
