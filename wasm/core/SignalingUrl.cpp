#include "wasm/core/SignalingUrl.hpp"

#include <cstring>

#include "protocol/PercentEncoding.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::url {

std::string signaling(const std::string& base, const std::string& token, const std::string& client,
                      const std::string& sdkVersion, const std::string& uniqueId,
                      const std::string& resumeDevice, const std::string& resumeSecret) {
    std::string root = base;
    while (!root.empty() && root.back() == '/') root.pop_back();
    using protocol::encodePercent;
    return root + "/v3/?token=" + encodePercent(token) + "&client=" + encodePercent(client) +
           "&sdkVersion=" + encodePercent(sdkVersion) + "&uniqueId=" + encodePercent(uniqueId) +
           (resumeDevice.empty() ? ""
                                 : "&resumeDevice=" + encodePercent(resumeDevice) +
                                       "&resumeSecret=" + encodePercent(resumeSecret));
}

std::string probe(const std::string& websocketUrl) {
    if (startsWith(websocketUrl, "wss://")) return "https://" + websocketUrl.substr(6);
    if (startsWith(websocketUrl, "ws://")) return "http://" + websocketUrl.substr(5);
    return websocketUrl;
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
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";  // RFC 4648 §5
    std::string payload;
    unsigned bits = 0;
    int count = 0;
    auto dot = token.find('.');
    for (auto i = dot + 1; dot != std::string::npos && i < token.size(); ++i) {
        const char* digit = token[i] ? std::strchr(kAlphabet, token[i]) : nullptr;
        if (!digit) break;  // the second '.', or padding
        bits = bits << 6 | static_cast<unsigned>(digit - kAlphabet);
        count += 6;
        if (count >= 8) {
            count -= 8;
            payload += static_cast<char>(bits >> count & 0xFF);
        }
    }
    auto claims = Json::parse(payload);
    return claims ? (*claims)["exp"].asNumber(0) : 0;
}

}  // namespace sb::sdk::url
