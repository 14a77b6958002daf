#pragma once
// The RFC 4733 §2.3 telephone-event payload: event code, end bit, volume and duration.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

struct TelephoneEvent {
    static constexpr std::size_t kSize = 4;

    std::uint8_t event = 0;      // §3.2: 0–9, 10 '*', 11 '#', 12–15 'A'–'D'
    bool end = false;            // E bit (§2.3.4)
    std::uint8_t volume = 10;    // §2.3.5: power level, 0 to -63 dBm0, as 0–63
    std::uint16_t duration = 0;  // §2.3.6: in timestamp units since the event's timestamp

    // Writes the 4 bytes (R is sent as 0, §2.3.3). `out` holds kSize bytes.
    void encode(std::uint8_t* out) const;
    // Reads the first 4 bytes; nullopt when the payload is shorter (§2.3: a payload may hold
    // more than one event block only with RFC 2198 redundancy, which we do not negotiate).
    static std::optional<TelephoneEvent> decode(ByteView payload);

    // DTMF digit ↔ event code (§3.2, table 3); nullopt / '\0' outside "0-9*#A-D".
    static std::optional<std::uint8_t> eventForDigit(char digit);
    static char digitForEvent(std::uint8_t event);
};

}  // namespace sb::sip::media
