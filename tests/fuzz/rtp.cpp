// Fuzzes RTP and RFC 4733 parsing: each input is a sequence of datagrams (2-byte big-endian
// length, then the bytes), parsed as RTP (RFC 3550 §5.1) with every length checked; the payloads
// of packets then go through TelephoneEvent::decode and one DtmfReceiver, as the SIP media path
// does with telephone-event packets. Findings: crashes, reads outside the datagram, a payload or
// extension view that points outside it, a digit outside 0-9*#A-D.
#include <cstdint>
#include <cstring>
#include <vector>

#include "server/sip/media/DtmfReceiver.hpp"
#include "server/sip/media/RtpPacket.hpp"
#include "server/sip/media/TelephoneEvent.hpp"

using namespace sb::sip::media;

namespace {
bool inside(ByteView part, const std::uint8_t* begin, std::size_t size) {
    return part.size == 0 || (part.data >= begin && part.data + part.size <= begin + size);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    DtmfReceiver dtmf;
    std::size_t at = 0;
    while (at + 2 <= size) {
        std::size_t len = static_cast<std::size_t>(data[at] << 8 | data[at + 1]);
        at += 2;
        if (len > size - at) len = size - at;
        // A copy of exactly the datagram's size, so ASan sees any read beyond it.
        std::vector<std::uint8_t> datagram(data + at, data + at + len);
        at += len;
        ByteView view{datagram.data(), datagram.size()};
        auto packet = RtpPacket::parse(view);
        if (!packet) continue;
        if (!inside(packet->payload, datagram.data(), datagram.size()) ||
            !inside(packet->extension, datagram.data(), datagram.size()))
            __builtin_trap();
        if (auto ev = TelephoneEvent::decode(packet->payload)) {
            std::uint8_t again[TelephoneEvent::kSize];
            ev->encode(again);
            auto back = TelephoneEvent::decode(ByteView{again, sizeof again});
            if (!back || back->event != ev->event || back->end != ev->end ||
                back->duration != ev->duration)
                __builtin_trap();
        }
        if (auto digit =
                dtmf.onPacket(packet->header.ssrc, packet->header.timestamp, packet->payload)) {
            if (!std::strchr("0123456789*#ABCD", *digit) || *digit == '\0') __builtin_trap();
        }
        // What we build from the parsed header parses back to the same header.
        std::vector<std::uint8_t> out(RtpPacket::kHeaderSize + packet->payload.size);
        std::size_t n = RtpPacket::build(packet->header, packet->payload, out.data(), out.size());
        auto again = RtpPacket::parse(ByteView{out.data(), n});
        if (!again || again->header.sequence != packet->header.sequence ||
            again->header.timestamp != packet->header.timestamp ||
            again->payload.size != packet->payload.size)
            __builtin_trap();
    }
    return 0;
}
