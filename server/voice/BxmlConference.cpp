// conf (issue 9): parsing <Conference> (dev.bandwidth.com/docs/voice/bxml/conference).

#include "server/voice/BxmlElement.hpp"

namespace sb::voice::bxml::detail {

namespace {

bool isNameChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || c == '.';
}

bool isCallIdText(const std::string& s) {
    constexpr std::size_t kMaxCallId = 128;
    return !s.empty() && s.size() <= kMaxCallId && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_';
    });
}

bool boolean(Element& e, const char* name) {
    auto v = e.attr(name);
    if (!v) return false;
    auto s = trim(*v);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(e.where(), std::string(name) + " \"" + *v + "\" must be true or false");
}

}  // namespace

Conference parseConference(Element& e) {
    Conference c;
    c.mute = boolean(e, "mute");
    c.hold = boolean(e, "hold");
    if (auto list = e.attr("callIdsToCoach")) {
        std::string_view rest = *list;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto id = trim(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            if (id.empty()) continue;
            if (!isCallIdText(id))
                fail(e.where(), "callIdsToCoach: \"" + id + "\" is not a call id");
            if (c.callIdsToCoach.size() == kMaxCallIdsToCoach)
                fail(e.where(), "callIdsToCoach lists more than " +
                                    std::to_string(kMaxCallIdsToCoach) + " calls");
            c.callIdsToCoach.push_back(id);
        }
    }
    c.conferenceEventUrl = e.url("conferenceEventUrl");
    c.conferenceEventMethod = e.method("conferenceEventMethod");
    c.conferenceEventFallbackUrl = e.url("conferenceEventFallbackUrl");
    c.conferenceEventFallbackMethod = e.method("conferenceEventFallbackMethod");
    for (auto [name, target] :
         {std::pair{"username", &c.username}, std::pair{"password", &c.password},
          std::pair{"fallbackUsername", &c.fallbackUsername},
          std::pair{"fallbackPassword", &c.fallbackPassword}}) {
        *target = e.attr(name);
        if (*target && (*target)->size() > 1024)
            fail(e.where(), std::string(name) + " must be at most 1024 characters");
    }
    c.tag = e.tag();
    if (auto t = e.number("callbackTimeout", 1, 25, "seconds")) c.callbackTimeout = *t;
    e.checkAttributes();
    c.name = e.text();
    if (c.name.empty()) fail(e.where(), "needs the conference's name as its text");
    if (c.name.size() > kMaxConferenceName)
        fail(e.where(),
             "the name must be at most " + std::to_string(kMaxConferenceName) + " characters");
    if (!std::all_of(c.name.begin(), c.name.end(), isNameChar))
        fail(e.where(),
             "the name \"" + c.name + "\" may only have letters, digits, '-', '_' and '.'");
    return c;
}

}  // namespace sb::voice::bxml::detail
