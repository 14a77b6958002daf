#include "server/net/JsonBody.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/BoundedJson.hpp"
#include "server/base/Utf8.hpp"
#include "server/net/HttpError.hpp"

namespace sb::net {

using nlohmann::json;

bool isBlank(std::string_view body) {
    return std::all_of(body.begin(), body.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

json parseObject(std::string_view body) {
    auto parsed = protocol::parseBoundedJson(body);
    json& j = parsed.value;
    if (j.is_discarded()) {
        // Re-parse with exceptions only to obtain the parser's position for the message.
        try {
            [[maybe_unused]] auto unused = json::parse(body.begin(), body.end());
        } catch (const json::parse_error& e) {
            throw errors::invalidJson("syntax error at byte " + std::to_string(e.byte));
        }
        throw errors::invalidJson("syntax error");
    }
    if (parsed.tooDeep)
        throw errors::invalidJson("arrays and objects nest deeper than " +
                                  std::to_string(protocol::kMaxJsonDepth) + " levels");
    if (!j.is_object())
        throw errors::invalidJson(std::string("expected an object, got ") + j.type_name());
    return std::move(j);
}

void refuseUnknownFields(const json& obj, const std::set<std::string>& known,
                         const std::string& what) {
    for (const auto& [key, value] : obj.items())
        if (!known.count(key))
            throw errors::invalidField(key.substr(0, 64), "is not a field of " + what);
}

bool present(const json& obj, const char* field) {
    auto it = obj.find(field);
    return it != obj.end() && !it->is_null();
}

std::optional<std::string> optionalString(const json& obj, const char* field) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string())
        throw errors::invalidField(field, std::string("must be a string, got ") + it->type_name());
    return it->get<std::string>();
}

std::string requiredString(const json& obj, const char* field) {
    auto v = optionalString(obj, field);
    if (!v || v->empty()) throw errors::invalidField(field, "is required");
    return *v;
}

std::optional<std::string> boundedText(const json& obj, const char* field,
                                       std::size_t maxCharacters) {
    auto v = optionalString(obj, field);
    if (!v) return v;
    auto len = base::utf8Length(*v);
    if (!len) throw errors::invalidField(field, "must be valid UTF-8");
    if (*len > maxCharacters)
        throw errors::invalidField(
            field, "must be at most " + std::to_string(maxCharacters) + " characters");
    if (std::any_of(v->begin(), v->end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        throw errors::invalidField(field, "must not contain control characters");
    return v;
}

std::optional<std::string> httpUrl(const json& obj, const char* field, std::size_t maxLength) {
    auto v = optionalString(obj, field);
    if (!v) return v;
    bool http = v->rfind("http://", 0) == 0 || v->rfind("https://", 0) == 0;
    bool clean = std::all_of(v->begin(), v->end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u != 0x7f;
    });
    if (!http || !clean || v->size() <= 8)
        throw errors::invalidField(field, "must be an http:// or https:// URL");
    if (v->size() > maxLength)
        throw errors::invalidField(field,
                                   "must be at most " + std::to_string(maxLength) + " characters");
    return v;
}

std::string httpMethod(const json& obj, const char* field) {
    auto v = optionalString(obj, field);
    if (!v) return "POST";
    std::string m = *v;
    std::transform(m.begin(), m.end(), m.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    if (m != "GET" && m != "POST")
        throw errors::invalidField(field, "must be \"GET\" or \"POST\", got \"" + *v + "\"");
    return m;
}

}  // namespace sb::net
