#pragma once
// The one way JSON leaves the process (HTTP bodies, JSON-RPC frames). nlohmann::json::dump()
// throws type_error.316 when a string holds invalid UTF-8; input is validated at the boundary, but
// output must never throw whatever slipped through, so invalid bytes become U+FFFD here.

#include <nlohmann/json.hpp>
#include <string>

namespace sb::protocol {

inline std::string dumpJson(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb::protocol
