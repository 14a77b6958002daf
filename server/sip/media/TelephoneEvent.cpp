#include "server/sip/media/TelephoneEvent.hpp"

namespace sb::sip::media {

namespace {
constexpr char kDigits[] = "0123456789*#ABCD";
}

void TelephoneEvent::encode(std::uint8_t* out) const {
    out[0] = event;
    out[1] = static_cast<std::uint8_t>((end ? 0x80 : 0x00) | (volume & 0x3F));
    out[2] = static_cast<std::uint8_t>(duration >> 8);
    out[3] = static_cast<std::uint8_t>(duration);
}

std::optional<TelephoneEvent> TelephoneEvent::decode(ByteView payload) {
    if (payload.data == nullptr || payload.size < kSize) return std::nullopt;
    TelephoneEvent e;
    e.event = payload[0];
    e.end = (payload[1] & 0x80) != 0;
    e.volume = payload[1] & 0x3F;
    e.duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
    return e;
}

std::optional<std::uint8_t> TelephoneEvent::eventForDigit(char digit) {
    if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
    for (std::uint8_t i = 0; i < 16; ++i)
        if (kDigits[i] == digit) return i;
    return std::nullopt;
}

char TelephoneEvent::digitForEvent(std::uint8_t event) {
    return event < 16 ? kDigits[event] : '\0';
}

}  // namespace sb::sip::media
