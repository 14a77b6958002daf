#include "server/sip/media/SecureRandom.hpp"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace sb::sip::media {

std::uint32_t secureRandom32() {
    std::uint32_t value = 0;
    auto* out = reinterpret_cast<unsigned char*>(&value);
    std::size_t filled = 0;
    while (filled < sizeof value) {
        ssize_t r = ::getrandom(out + filled, sizeof value - filled, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        filled += static_cast<std::size_t>(r);
    }
    return value;
}

}  // namespace sb::sip::media
