// Fuzzes the jitter buffer with arbitrary sequence numbers, timestamps, payload sizes and arrival
// order: the input is a program of operations. First byte: min and max depth (adaptive or fixed).
// Then each operation byte: bit 0 clear = push (2-byte seq, 4-byte timestamp, 2-byte payload
// length, the payload), set = one 20 ms tick (pop), and every byte whose bit 1 is set also peeks.
// Findings: crashes, sanitizer reports, and broken invariants: more packets buffered than slots,
// a depth outside its bounds, a frame larger than the packet size limit, a Ready frame whose
// payload differs from what was pushed for that sequence number.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "server/sip/media/JitterBuffer.hpp"

using sb::sip::media::ByteView;
using sb::sip::media::JitterBuffer;
using sb::sip::media::kMaxPacketSize;

namespace {

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t at = 0;
    bool has(std::size_t n) const { return size - at >= n; }
    std::uint32_t read(int bytes) {
        std::uint32_t v = 0;
        for (int i = 0; i < bytes; ++i) v = v << 8 | data[at++];
        return v;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    Reader in{data, size, 0};
    std::uint32_t depths = in.read(1);
    std::size_t minDepth = depths & 0x0F;
    std::size_t maxDepth = depths >> 4;
    JitterBuffer jb(minDepth, maxDepth);
    // The depth stays within the clamped bounds (1..kCapacity/2, max >= min).
    std::size_t lowest = jb.depth();
    std::size_t highest =
        std::max(lowest, std::min<std::size_t>(maxDepth, JitterBuffer::kCapacity / 2));
    // What each accepted sequence number carried (its last accepted payload): Ready frames must
    // give exactly that back.
    std::map<std::uint16_t, std::vector<std::uint8_t>> sent;
    std::vector<std::uint8_t> payload;
    while (in.has(1)) {
        std::uint32_t op = in.read(1);
        if ((op & 1) == 0) {
            if (!in.has(8)) break;
            auto seq = static_cast<std::uint16_t>(in.read(2));
            std::uint32_t ts = in.read(4);
            std::size_t len = in.read(2) % (kMaxPacketSize + 64);
            std::size_t take = std::min(len, in.size - in.at);
            payload.assign(in.data + in.at, in.data + in.at + take);
            payload.resize(len, static_cast<std::uint8_t>(seq));  // fill the rest deterministically
            in.at += take;
            auto result = jb.push(seq, ts, ByteView{payload.data(), payload.size()});
            if (len > kMaxPacketSize && result != JitterBuffer::PushResult::Rejected)
                __builtin_trap();
            if (result == JitterBuffer::PushResult::Accepted ||
                result == JitterBuffer::PushResult::Resynced)
                sent[seq] = payload;
        } else {
            auto frame = jb.pop();
            if (frame.payload.size > kMaxPacketSize) __builtin_trap();
            if (frame.status == JitterBuffer::Status::Ready) {
                auto it = sent.find(frame.sequence);
                if (it == sent.end() || it->second.size() != frame.payload.size ||
                    (frame.payload.size &&
                     std::memcmp(it->second.data(), frame.payload.data, frame.payload.size)))
                    __builtin_trap();
            }
        }
        if (op & 2) {
            auto next = jb.peekNext();
            if (next.size > kMaxPacketSize) __builtin_trap();
        }
        if (jb.buffered() > JitterBuffer::kCapacity) __builtin_trap();
        if (jb.depth() < lowest || jb.depth() > highest) __builtin_trap();
    }
    return 0;
}
