#include "server/auth/SecretFile.hpp"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sb::auth {

namespace {
template <std::size_t N>
std::array<unsigned char, N> randomBytes() {
    std::array<unsigned char, N> b{};
    if (RAND_bytes(b.data(), static_cast<int>(N)) != 1) throw std::runtime_error("RAND_bytes failed");
    return b;
}

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[p[i] >> 4]);
        out.push_back(digits[p[i] & 15]);
    }
    return out;
}
}  // namespace

std::string loadOrCreateSecret(const std::string& path) {
    {
        std::ifstream in(path);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            std::string s = ss.str();
            while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
            if (s.size() < 32) throw std::runtime_error("token secret in " + path + " is too short");
            return s;
        }
    }
    auto bytes = randomBytes<32>();
    std::string secret = hex(bytes.data(), bytes.size());
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write token secret to " + tmp);
        out << secret << "\n";
    }
    ::chmod(tmp.c_str(), 0600);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot create token secret file " + path);
    return secret;
}

std::string randomUuid() {
    auto b = randomBytes<16>();
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string h = hex(b.data(), b.size());
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

}  // namespace sb::auth
