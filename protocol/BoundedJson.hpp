#pragma once
// The bounded way JSON from clients comes in (device frames, request bodies): nlohmann parses and
// destroys without recursion, but copying a value and dump() recurse once per level, and a
// 256 KiB frame of '[' is 128K levels, enough to overflow a thread's stack. Real messages nest a
// handful of levels, so anything deeper than kMaxJsonDepth is refused where it enters.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace sb::protocol {

inline constexpr std::size_t kMaxJsonDepth = 64;

struct BoundedJson {
    nlohmann::json value;  // discarded (is_discarded()) when the text is not JSON
    // Something nested deeper than the limit: it was left out of `value` while parsing, so the
    // shallow part (an id, say) can still be read for the error reply, and the rest is refused.
    bool tooDeep = false;
};

inline BoundedJson parseBoundedJson(std::string_view text, std::size_t maxDepth = kMaxJsonDepth) {
    BoundedJson out;
    // The callback's depth counts the containers around the event: a container that starts at
    // depth d is the (d + 1)-th level.
    auto bound = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        bool opens = event == nlohmann::json::parse_event_t::object_start ||
                     event == nlohmann::json::parse_event_t::array_start;
        if (opens && static_cast<std::size_t>(depth) >= maxDepth) {
            out.tooDeep = true;
            return false;  // skips the whole container: the value never grows deep
        }
        return true;
    };
    out.value = nlohmann::json::parse(text.begin(), text.end(), bound, false);
    return out;
}

}  // namespace sb::protocol
