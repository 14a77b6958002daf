#include "server/auth/SecretFile.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/random.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
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

namespace {

[[noreturn]] void fail(const std::string& what, int err) {
    throw std::runtime_error("token secret: " + what + ": " + std::strerror(err));
}

void writeAll(int fd, const std::string& data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write " + path, errno);
        done += static_cast<std::size_t>(n);
    }
}

void syncDirectoryOf(const std::string& path) {
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("cannot open directory " + dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) fail("cannot sync directory " + dir, err);
}

std::optional<std::string> readSecret(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.size() < 32) throw std::runtime_error("token secret in " + path + " is too short");
    return s;
}

}  // namespace

// Written so that `path` never exists half-written, whatever crashes when: the secret goes to a
// fresh temp file in the same directory (mkstemp: a unique name, O_EXCL, mode 0600 from the
// start), is fsynced, then linked to `path` - a rename that fails instead of replacing a secret
// another process created meanwhile - and the directory is fsynced so the name survives power
// loss. A temp file left by an earlier crash is never reused (unique names).
std::string loadOrCreateSecret(const std::string& path) {
    if (auto existing = readSecret(path)) return *existing;
    auto bytes = randomBytes<32>();
    std::string secret = hex(bytes.data(), bytes.size());
    std::string tmp = path + ".tmp.XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) fail("cannot create a temp file next to " + path, errno);
    try {
        writeAll(fd, secret + "\n", tmp);
        if (::fsync(fd) != 0) fail("cannot sync " + tmp, errno);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0 && err == EEXIST) {
        // Another process created it first: use theirs.
        if (auto theirs = readSecret(path)) return *theirs;
    }
    if (rc != 0) fail("cannot create " + path, err);
    syncDirectoryOf(path);
    return secret;
}

namespace {

// Random bytes for ids, from the kernel's CSPRNG (getrandom(2)) a page at a time per thread:
// one syscall per 256 ids instead of OpenSSL's RAND_bytes per id (its locking and fork checks
// were 5 % of a createParticipant).
void idBytes(unsigned char* out, std::size_t n) {
    thread_local std::array<unsigned char, 4096> pool;
    thread_local std::size_t used = pool.size();
    if (pool.size() - used < n) {
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
    std::memcpy(out, pool.data() + used, n);
    std::memset(pool.data() + used, 0, n);  // handed out once
    used += n;
}

}  // namespace

std::string randomUuid() {
    std::array<unsigned char, 16> b;
    idBytes(b.data(), b.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t pos = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;  // the dashes of 8-4-4-4-12
        out[pos++] = kDigits[b[i] >> 4];
        out[pos++] = kDigits[b[i] & 15];
    }
    return out;
}

}  // namespace sb::auth
