#include "wasm/core/SignalingUrl.hpp"

#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::url {

namespace {

std::string encode(const std::string& value) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string signaling(const std::string& base, const std::string& token, const std::string& client,
                      const std::string& sdkVersion, const std::string& uniqueId) {
    std::string root = base;
    while (!root.empty() && root.back() == '/') root.pop_back();
    return root + "/v3/?token=" + encode(token) + "&client=" + encode(client) +
           "&sdkVersion=" + encode(sdkVersion) + "&uniqueId=" + encode(uniqueId);
}

std::string probe(const std::string& websocketUrl) {
    if (websocketUrl.rfind("wss://", 0) == 0) return "https://" + websocketUrl.substr(6);
    if (websocketUrl.rfind("ws://", 0) == 0) return "http://" + websocketUrl.substr(5);
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

}  // namespace sb::sdk::url
