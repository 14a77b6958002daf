#pragma once
// Reading what Janus sends, without trusting its shape: every field is type-checked before use,
// so a malformed message (not JSON, wrong types, missing fields) fails the one request it answers
// — with "malformed reply from the media server" — instead of throwing out of an Asio handler
// and ending the process. Pure functions (unit-tested without a Janus).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/media/JanusClient.hpp"

namespace sb::media::janus {

inline constexpr const char* kMalformed = "malformed reply from the media server";
// The error of every request pending when the connection to Janus is lost, or the client stops:
// the Janus session (its handles) is gone with it.
inline constexpr const char* kConnectionLost = "media server connection lost";
inline constexpr const char* kClientStopped = "janus client stopped";
inline constexpr int kNoSuchFeed =
    428;  // JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED (plugins/janus_videoroom.c)

// Typed reads of `obj[key]`: nullopt when obj is not an object, the key is absent, or the value
// has another type. Never throw.
std::optional<std::uint64_t> uintAt(const nlohmann::json& obj, const char* key);
std::optional<std::string> stringAt(const nlohmann::json& obj, const char* key);
std::optional<bool> boolAt(const nlohmann::json& obj, const char* key);
// obj[key] if it is an array, else an empty array.
const nlohmann::json& arrayAt(const nlohmann::json& obj, const char* key);

// A reply to a request (matched by transaction): ok with data/jsep, or an error — Janus's own
// ("error" / plugin "error_code"), or kMalformed when a field it needs has the wrong shape.
// data is always an object; jsep is null or an object with string "type" and "sdp".
JanusReply parseReply(const nlohmann::json& msg);
// A VideoRoom "No such feed" (JANUS_VIDEOROOM_ERROR_NO_SUCH_FEED, 428). A remote publisher is
// added to its room by its own thread after add_remote_publisher has been answered, so a request
// naming it at once can get this and succeed a moment later.
bool isNoSuchFeed(const JanusReply& reply);

// The handle an asynchronous event is for ("sender"), if it is a positive integer; and whether
// its "jsep" (when present) has the shape parseReply requires.
std::optional<HandleId> senderOf(const nlohmann::json& msg);
bool validJsep(const nlohmann::json& jsep);

// Janus's error text made safe to pass on: printable ASCII only, at most 200 characters.
std::string sanitizedReason(const std::string& reason);

}  // namespace sb::media::janus
