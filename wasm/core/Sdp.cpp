#include "wasm/core/Sdp.hpp"

#include <string_view>
#include <vector>

#include "wasm/core/Types.hpp"

namespace sb::sdk::sdp {

namespace {

constexpr std::size_t npos = std::string_view::npos;

// The line of `sdp` at `pos`, without its CR/LF terminator, and `pos` moved past it; false at
// the end. One pass over the text, no vector of lines (size: bench/size/).
bool nextLine(const std::string& sdp, std::size_t& pos, std::string_view& line) {
    if (pos >= sdp.size()) return false;
    std::size_t end = std::string_view(sdp).find('\n', pos);
    if (end == std::string::npos) end = sdp.size();
    std::size_t stop = end;
    if (stop > pos && sdp[stop - 1] == '\r') --stop;
    line = std::string_view(sdp).substr(pos, stop - pos);
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
    // direction lets the offerer send (a direction line may follow the msids), its msids.
    bool counted = false;
    bool sends = true;
    std::vector<std::string> msids;
    auto closeSection = [&]() {
        if (counted && sends) {
            for (const auto& msid : msids) out.set(msid, out[msid].asNumber() + 1);
        }
        msids.clear();
    };
    std::size_t pos = 0;
    std::string_view line;
    while (nextLine(sdp, pos, line)) {
        if (startsWith(line, "m=")) {
            closeSection();
            std::size_t sp = line.find(' ');
            std::string_view kind = line.substr(2, sp == npos ? npos : sp - 2);
            bool rejected = sp != npos && line.substr(sp + 1, 2) == "0 ";
            counted = !rejected && (kind == "audio" || kind == "video");
            sends = true;
        } else {
            if (line == "a=recvonly" || line == "a=inactive") sends = false;
            if (startsWith(line, "a=msid:")) {
                std::size_t sp = line.find(' ');
                msids.emplace_back(line.substr(7, sp == npos ? npos : sp - 7));
            }
        }
    }
    closeSection();
    return out;
}

}  // namespace sb::sdk::sdp
