// Fuzzes the one User-To-User parser (RFC 7433), server/sip/endpoint/UserToUser.hpp: an INVITE's
// header as the endpoint hands it over (parseUui), the participant token the bridge reads from it
// (extractUuiToken) and the check of values the voice API sends (validateUui). Expected refusals
// are UuiError; anything else escaping is a finding.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/sip/endpoint/UserToUser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view header(reinterpret_cast<const char*>(data), size);

    try {
        auto uui = sb::sip::parseUui(header);
        if (uui.empty() || uui.size() > sb::sip::kMaxUuiValues) __builtin_trap();
        for (const auto& v : uui)
            if (v.data.empty()) __builtin_trap();  // a value without data is refused
    } catch (const sb::sip::UuiError&) {
    }
    try {
        auto token = sb::sip::extractUuiToken(header);
        if (token.token.empty()) __builtin_trap();
    } catch (const sb::sip::UuiError&) {
    }
    try {
        sb::sip::validateUui(header, sb::sip::kMaxUuiHeaderLength, {"base64", "jwt"});
    } catch (const sb::sip::UuiError&) {
    }
    return 0;
}
