#include "wasm/core/Sdp.hpp"

#include <string_view>

#include "wasm/core/Types.hpp"

namespace sb::sdk::sdp {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// The index of the first `c` in `s` from `from`, or npos: a plain loop rather than libc++'s
// string_view::find, which is several times larger in the wasm (bench/size/).
std::size_t findChar(std::string_view s, char c, std::size_t from = 0) {
    for (; from < s.size(); ++from)
        if (s[from] == c) return from;
    return npos;
}

// The line of `sdp` at `pos`, without its CR/LF terminator, and `pos` moved past it; false at
// the end. One pass over the text, no vector of lines (size: bench/size/).
bool nextLine(const std::string& sdp, std::size_t& pos, std::string_view& line) {
    if (pos >= sdp.size()) return false;
    std::size_t end = findChar(sdp, '\n', pos);
    if (end == std::string::npos) end = sdp.size();
    std::size_t stop = end;
    if (stop > pos && sdp[stop - 1] == '\r') --stop;
    line = std::string_view(sdp.data() + pos, stop - pos);
    pos = end + 1;
    return true;
}

}  // namespace

std::string forcePassiveSetup(const std::string& sdp) {
    std::string out;
    bool inMedia = false;
    bool hasSetup = false;
    auto closeSection = [&]() {
        if (inMedia && !hasSetup) out += "a=setup:passive\r\n";
    };
    std::size_t pos = 0;
    std::string_view line;
    while (nextLine(sdp, pos, line)) {
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
        out.append(line.data(), line.size());
        out += "\r\n";
    }
    closeSection();
    return out;
}

TrackCounts sentTracksPerStream(const std::string& sdp) {
    TrackCounts out = Json::object();
    // The media section being read: audio or video and not rejected (port 0), whether its
    // direction lets the offerer send (a direction line may follow the msids), and where its
    // lines start: its msids are read once the section is closed (size: no vector of them,
    // bench/size/).
    bool counted = false;
    bool sends = true;
    std::size_t start = 0;
    auto closeSection = [&](std::size_t end) {
        if (!counted || !sends) return;
        std::string_view line;
        for (std::size_t at = start; at < end && nextLine(sdp, at, line);) {
            if (!startsWith(line, "a=msid:")) continue;
            std::size_t sp = findChar(line, ' ');
            std::string msid(line.data() + 7, (sp == npos ? line.size() : sp) - 7);
            out.set(msid, out[msid].asNumber() + 1);
        }
    };
    std::size_t pos = 0;
    std::string_view line;
    for (std::size_t at = 0; nextLine(sdp, pos, line); at = pos) {
        if (startsWith(line, "m=")) {
            closeSection(at);
            start = pos;
            std::size_t sp = findChar(line, ' ');
            // In place rather than substr (size, bench/size/): "m=" and "a=msid:" hold no space.
            std::string_view kind(line.data() + 2, (sp == npos ? line.size() : sp) - 2);
            bool rejected =
                sp != npos && sp + 2 < line.size() && line[sp + 1] == '0' && line[sp + 2] == ' ';
            counted = !rejected && (kind == "audio" || kind == "video");
            sends = true;
        } else if (line == "a=recvonly" || line == "a=inactive") {
            sends = false;
        }
    }
    closeSection(pos);
    return out;
}

}  // namespace sb::sdk::sdp
