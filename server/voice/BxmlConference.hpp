#pragma once
// conf (issue 9): <Conference> (dev.bandwidth.com/docs/voice/bxml/conference) joins the running
// call to the conference of that name in the call's account, creating it on first use. Parsed by
// BxmlConference.cpp, executed by ConferenceVerbs.cpp; the conference itself is
// ConferenceService (Conferences.hpp).

#include <optional>
#include <string>
#include <vector>

namespace sb::voice::bxml {

// Bandwidth: "up to 100 characters of letters, numbers, and the symbols -, _, and ."
constexpr std::size_t kMaxConferenceName = 100;
constexpr std::size_t kMaxCallIdsToCoach = 20;  // Bandwidth: at most 20 calls in a conference

struct Conference {
    std::string name;   // the text content
    bool mute = false;  // others do not hear this member
    bool hold = false;  // this member hears nobody and is not heard
    // Comma-separated call ids this member coaches (hears everyone, heard only by these). Parsed
    // and validated; executing a <Conference> with a non-empty list is refused (docs/voice.md).
    std::vector<std::string> callIdsToCoach;
    // The conference's events; only the verb that creates the conference sets them (Bandwidth).
    std::optional<std::string> conferenceEventUrl;
    std::string conferenceEventMethod = "POST";
    std::optional<std::string> conferenceEventFallbackUrl;
    std::string conferenceEventFallbackMethod = "POST";
    std::optional<std::string> username, password, fallbackUsername, fallbackPassword;
    std::optional<std::string> tag;
    double callbackTimeout = 15;  // seconds, 1..25
};

}  // namespace sb::voice::bxml
