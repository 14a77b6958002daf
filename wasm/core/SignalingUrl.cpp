#include "wasm/core/SignalingUrl.hpp"

#include "protocol/PercentEncoding.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::url {

std::string signaling(const std::string& base, const std::string& token, const std::string& client,
                      const std::string& sdkVersion, const std::string& uniqueId) {
    std::string root = base;
    while (!root.empty() && root.back() == '/') root.pop_back();
    using protocol::encodePercent;
    return root + "/v3/?token=" + encodePercent(token) + "&client=" + encodePercent(client) +
           "&sdkVersion=" + encodePercent(sdkVersion) + "&uniqueId=" + encodePercent(uniqueId);
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

}  // namespace sb::sdk::url
