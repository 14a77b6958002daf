// Fuzzes User-To-User handling (RFC 7433): the header of an INVITE as the SIP endpoint splits it
// (sip::splitUserToUser / parseUserToUserValue) and as the voice side reads it (voice::parseUui,
// extractUuiToken, validateUui). Expected refusals are UuiError; anything else escaping is a finding.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/sip/endpoint/UserToUser.hpp"
#include "server/voice/Uui.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view header(reinterpret_cast<const char*>(data), size);

    auto values = sb::sip::splitUserToUser(header);
    for (const auto& v : values) {
        if (v.empty()) __builtin_trap();  // empty values are dropped
        auto parsed = sb::sip::parseUserToUserValue(v);
        if (parsed.data.size() > v.size()) __builtin_trap();
    }
    // Not checked: split(join(values)) == values. It holds for well-formed values only (an
    // unbalanced quote in one value swallows the commas after it); join only sends our own.
    (void)sb::sip::joinUserToUser(values);

    try {
        auto uui = sb::voice::parseUui(header);
        if (uui.size() > sb::voice::kMaxUuiValues) __builtin_trap();
    } catch (const sb::voice::UuiError&) {
    }
    try {
        auto token = sb::voice::extractUuiToken(header);
        if (token.token.empty()) __builtin_trap();
    } catch (const sb::voice::UuiError&) {
    }
    try {
        sb::voice::validateUui(header, sb::voice::kMaxSipUriUuiLength, {"base64", "jwt"});
    } catch (const sb::voice::UuiError&) {
    }
    return 0;
}
