#include "server/auth/RandomId.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sb::auth {

namespace {

constexpr char kDigits[] = "0123456789abcdef";

// Random bytes from the kernel's CSPRNG (getrandom(2)) a page at a time per thread: one syscall
// per 256 ids instead of OpenSSL's RAND_bytes per id (its locking and fork checks were 5 % of a
// createParticipant). Each byte is handed out once and then cleared from the pool.
void randomBytes(unsigned char* out, std::size_t n) {
    thread_local std::array<unsigned char, 4096> pool;
    thread_local std::size_t used = pool.size();
    while (n > 0) {
        if (used == pool.size()) {
            std::size_t filled = 0;
            while (filled < pool.size()) {
                ssize_t r = ::getrandom(pool.data() + filled, pool.size() - filled, 0);
                if (r < 0) {
                    if (errno == EINTR) continue;
                    throw std::runtime_error("getrandom failed");
                }
                filled += static_cast<std::size_t>(r);
            }
            used = 0;
        }
        std::size_t take = std::min(n, pool.size() - used);
        std::memcpy(out, pool.data() + used, take);
        std::memset(pool.data() + used, 0, take);
        used += take;
        out += take;
        n -= take;
    }
}

}  // namespace

std::string randomUuid() {
    std::array<unsigned char, 16> b;
    randomBytes(b.data(), b.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string out(36, '-');
    std::size_t pos = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;  // the dashes of 8-4-4-4-12
        out[pos++] = kDigits[b[i] >> 4];
        out[pos++] = kDigits[b[i] & 15];
    }
    return out;
}

std::string randomHex(std::size_t bytes) {
    std::string out;
    out.reserve(bytes * 2);
    unsigned char chunk[64];
    while (bytes > 0) {
        std::size_t n = std::min(bytes, sizeof chunk);
        randomBytes(chunk, n);
        for (std::size_t i = 0; i < n; ++i) {
            out.push_back(kDigits[chunk[i] >> 4]);
            out.push_back(kDigits[chunk[i] & 15]);
        }
        std::memset(chunk, 0, n);
        bytes -= n;
    }
    return out;
}

}  // namespace sb::auth
