// Fuzzes the SIP INFO DTMF body parser (sip::parseDtmfInfo): the first input byte picks the
// Content-Type (one of the two accepted types, with parameters, or another), the rest is the body.
// Checked: a Digit is one of "0-9*#A-D"; anything but Digit carries no digit; another type is
// never read as a digit; the parser never throws (it is noexcept in effect: no try here).
#include <cstdint>
#include <string_view>

#include "server/sip/endpoint/DtmfInfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view kTypes[] = {"application/dtmf-relay",
                                                  "application/dtmf",
                                                  "Application/DTMF-Relay; charset=us-ascii",
                                                  "text/plain",
                                                  "",
                                                  "application/dtmf-relayx"};
    const auto type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

    const auto info = sb::sip::parseDtmfInfo(type, body);
    using Kind = sb::sip::DtmfInfo::Kind;
    if (info.kind == Kind::Digit) {
        if (info.digit == '\0' ||
            std::string_view("0123456789*#ABCD").find(info.digit) == std::string_view::npos)
            __builtin_trap();
        if (type == "text/plain" || type.empty() || type == "application/dtmf-relayx")
            __builtin_trap();
        if (body.size() > sb::sip::kDtmfInfoMaxBody) __builtin_trap();
    } else if (info.digit != '\0') {
        __builtin_trap();
    }
    if ((type == "text/plain" || type == "application/dtmf-relayx") &&
        info.kind != Kind::Unsupported)
        __builtin_trap();
    return 0;
}
