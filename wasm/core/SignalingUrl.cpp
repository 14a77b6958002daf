#include "wasm/core/SignalingUrl.hpp"

#include "protocol/PercentEncoding.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::url {

std::string signaling(const std::string& base, const std::string& token, const std::string& client,
                      const std::string& sdkVersion, const std::string& uniqueId,
                      const std::string& resumeDevice, const std::string& resumeSecret,
                      bool loopback) {
    // The base without its trailing slashes, made from (pointer, length): no pop_back in the
    // wasm (size, bench/size/).
    std::size_t length = base.size();
    while (length > 0 && base[length - 1] == '/') --length;
    std::string url(base.data(), length);
    // One loop rather than a chain of concatenations (size, bench/size/).
    static const char* const kNames[] = {"/v3/?token=", "&client=",       "&sdkVersion=",
                                         "&uniqueId=",  "&resumeDevice=", "&resumeSecret="};
    const std::string* values[] = {&token,    &client,       &sdkVersion,
                                   &uniqueId, &resumeDevice, &resumeSecret};
    for (int i = 0; i < (resumeDevice.empty() ? 4 : 6); ++i) {
        url += kNames[i];
        protocol::appendPercent(url, *values[i]);
    }
    if (loopback) url += "&loopback=1";
    return url;
}

std::string probe(const std::string& websocketUrl) {
    if (!startsWith(websocketUrl, "wss://") && !startsWith(websocketUrl, "ws://"))
        return websocketUrl;
    // "ws" becomes "http" in both: one append of the rest, no substr (size, bench/size/).
    std::string url = "http";
    url.append(websocketUrl.data() + 2, websocketUrl.size() - 2);
    return url;
}

Error classifyProbe(int status, const std::string& body, const std::string& websocketUrl) {
    if (status == 0) return errors::serverUnreachable(websocketUrl);
    if (status == 200) return errors::websocketFailed();
    auto json = Json::parse(body);
    if (json && (*json)["code"].isString()) {
        std::string message = (*json)["error"].asString();
        return errors::make((*json)["code"].asString().c_str(),
                            message.empty() ? "The server refused the token" : message);
    }
    return errors::serverRefused(status);
}

double tokenExpiry(const std::string& token) {
    std::string payload;
    unsigned bits = 0;
    int count = 0;
    int part = 0;  // header.payload.signature
    for (char c : token) {
        if (c == '.' && ++part > 1) break;
        if (part != 1 || c == '.') continue;
        // base64url (RFC 4648 §5) by ranges, not validated: a payload that is not a token's
        // does not parse as JSON.
        int digit = c == '_'   ? 63
                    : c == '-' ? 62
                    : c >= 'a' ? c - 'a' + 26
                    : c >= 'A' ? c - 'A'
                               : c + 4;
        bits = bits << 6 | static_cast<unsigned>(digit & 63);
        count += 6;
        if (count >= 8) {
            count -= 8;
            char byte = static_cast<char>(bits >> count & 0xFF);
            payload.append(&byte, 1);  // not push_back: none of its own in the wasm (size)
        }
    }
    auto claims = Json::parse(payload);
    return claims ? (*claims)["exp"].asNumber(0) : 0;
}

}  // namespace sb::sdk::url
