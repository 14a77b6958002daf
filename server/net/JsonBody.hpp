#pragma once
// Reading a JSON request body and its fields: what the REST parsers share (participants and
// sessions in Validation.cpp, the voice API's calls and conferences). Every refusal is an
// HttpError: invalid-json for the body itself, invalid-field naming the field for a field.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sb::net {

// Only spaces, tabs and line ends (a body that means "all defaults", or a missing one).
bool isBlank(std::string_view body);
// A request body that must be one JSON object; an invalid-json HttpError saying where the syntax
// breaks, or what was found instead, otherwise.
nlohmann::json parseObject(std::string_view body);

// Refuses the first member of `obj` not in `known`, naming it (its first 64 characters): "is not a
// field of <what>". A misspelt field must not be silently ignored.
void refuseUnknownFields(const nlohmann::json& obj, const std::set<std::string>& known,
                         const std::string& what);

// Whether `field` is there and not null.
bool present(const nlohmann::json& obj, const char* field);
// A field that may be absent or null; otherwise it must be a string.
std::optional<std::string> optionalString(const nlohmann::json& obj, const char* field);
// A string that must be there and not empty.
std::string requiredString(const nlohmann::json& obj, const char* field);
// A printable UTF-8 string of at most `maxCharacters` characters, without control characters
// (such values end up in SIP or HTTP headers: a line break would start a header of its own).
std::optional<std::string> boundedText(const nlohmann::json& obj, const char* field,
                                       std::size_t maxCharacters);
// An absolute http:// or https:// URL of at most `maxLength` characters, with no spaces or
// control characters: where a callback goes.
std::optional<std::string> httpUrl(const nlohmann::json& obj, const char* field,
                                   std::size_t maxLength);
// A callback's HTTP method: "GET" or "POST" in any case, returned in upper case; "POST" if absent.
std::string httpMethod(const nlohmann::json& obj, const char* field);

}  // namespace sb::net
