#pragma once
// Helpers of the config parser (Config.cpp, ConfigListeners.cpp): errors naming the key, typed
// reads of JSON values, and the listener keys' parsers.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "server/app/Config.hpp"

namespace sb::app::config_json {

[[noreturn]] inline void bad(const std::string& key, const std::string& why) {
    throw std::runtime_error("config: " + key + ": " + why);
}

template <typename T>
T get(const nlohmann::json& j, const std::string& key) {
    try {
        return j.get<T>();
    } catch (const nlohmann::json::exception&) {
        bad(key, "wrong type (" + std::string(j.type_name()) + ")");
    }
}

// "http" / --http: ADDRESS:PORT into c.httpAddress and c.httpPort.
void setHttp(const std::string& text, Config& c, const std::string& key);
// "tls": {"certFile", "keyFile", "redirectHttp"}; the files are read when the server starts.
TlsConfig parseTls(const nlohmann::json& v);

}  // namespace sb::app::config_json
