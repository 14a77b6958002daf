// Fuzzes the reader of SIP responses on a stream (sip::takeFinalStatus, sip::statusOf), which reads
// what a phone answers to the BYEs of a killed predecessor's dialogs. The input is fed in two
// pieces (its first byte says where it is cut), as a TCP connection may deliver it. Checked: a
// final status is 200–999 and statusOf of what is left agrees; the buffer never grows past what
// was fed; nothing past kMaxResponseBytes is waited on.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/sip/endpoint/ResponseStream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t cut = input.empty() ? 0 : data[0] % (input.size() + 1);
    std::string stream(input.substr(0, cut));
    int status = sb::sip::takeFinalStatus(stream);
    if (status == 0) {
        stream.append(input.substr(cut));
        status = sb::sip::takeFinalStatus(stream);
    }
    if (stream.size() > input.size()) __builtin_trap();
    if (status > 0 && (status < 200 || status > 999 || sb::sip::statusOf(stream) != status))
        __builtin_trap();
    if (status == 0 && stream.size() > sb::sip::kMaxResponseBytes) __builtin_trap();
    (void)sb::sip::statusOf(input);
    return 0;
}
