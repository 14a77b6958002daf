#include "server/auth/SecretFile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "server/auth/RandomId.hpp"

namespace sb::auth {

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
    std::string secret = randomHex(32);
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

}  // namespace sb::auth
