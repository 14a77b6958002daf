#pragma once
// Helpers of the config parser (Config.cpp, ConfigListeners.cpp): errors naming the key, typed
// reads of JSON values, and the listener keys' parsers.

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "server/app/Config.hpp"

namespace sb::app::config_json {

[[noreturn]] inline void bad(const std::string& key, const std::string& why) {
    throw std::runtime_error("config: " + key + ": " + why);
}

template <typename T>
T get(const nlohmann::json& j, const std::string& key) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // nlohmann converts 1.5, -1 or 70000 to an unsigned 16-bit field without complaint.
        if (!j.is_number_integer())
            bad(key, "must be an integer (" + std::string(j.type_name()) + ")");
        const bool negative = !j.is_number_unsigned() && j.get<std::int64_t>() < 0;
        if (negative
                ? j.get<std::int64_t>() < static_cast<std::int64_t>(std::numeric_limits<T>::min())
                : j.get<std::uint64_t>() >
                      static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            bad(key, "must be between " + std::to_string(std::numeric_limits<T>::min()) + " and " +
                         std::to_string(std::numeric_limits<T>::max()));
    }
    try {
        return j.get<T>();
    } catch (const nlohmann::json::exception&) {
        bad(key, "wrong type (" + std::string(j.type_name()) + ")");
    }
}

// Throws one error listing every problem, each "config: WHERE" + problem on its own line.
[[noreturn]] inline void refuse(const std::vector<std::string>& problems,
                                const std::string& where) {
    std::string text;
    for (const auto& p : problems) text += (text.empty() ? "config: " : "\nconfig: ") + where + p;
    throw std::runtime_error(text);
}

// "http" / --http: ADDRESS:PORT into c.httpAddress and c.httpPort.
void setHttp(const std::string& text, Config& c, const std::string& key);
// "tls": {"certFile", "keyFile", "redirectHttp"}; the files are read when the server starts.
TlsConfig parseTls(const nlohmann::json& v);

}  // namespace sb::app::config_json
