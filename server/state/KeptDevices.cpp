#include "server/state/KeptDevices.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/base/Log.hpp"

namespace sb::state {

using nlohmann::json;

std::string resumeSecretDigest(std::string_view secret) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(secret.data(), secret.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(std::size_t{len} * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xf]);
    }
    return out;
}

SnapshotFile::SnapshotFile(std::string path, std::chrono::milliseconds interval)
    : path_(std::move(path)), interval_(interval), thread_([this] { run(); }) {}

SnapshotFile::~SnapshotFile() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    flush();
}

void SnapshotFile::put(const std::string& key, json entry) {
    {
        std::lock_guard lock(mutex_);
        entries_[key] = std::move(entry);
        dirty_ = true;
    }
    wake_.notify_one();
}

void SnapshotFile::erase(const std::string& key) {
    {
        std::lock_guard lock(mutex_);
        if (entries_.erase(key) == 0) return;
        dirty_ = true;
    }
    wake_.notify_one();
}

void SnapshotFile::rewrite() {
    {
        std::lock_guard lock(mutex_);
        dirty_ = true;
    }
    wake_.notify_one();
}

std::uint64_t SnapshotFile::writes() const {
    std::lock_guard lock(mutex_);
    return writes_;
}

void SnapshotFile::flush() {
    std::lock_guard write(writeMutex_);
    json snapshot = json::array();
    {
        std::lock_guard lock(mutex_);
        if (!dirty_) return;
        dirty_ = false;
        for (const auto& [key, entry] : entries_) {
            if (snapshot.size() >= kMaxEntries) break;
            snapshot.push_back(entry);
        }
    }
    try {
        writeSnapshot(snapshot.dump());
        std::lock_guard lock(mutex_);
        ++writes_;
    } catch (const std::exception& e) {
        // The next change tries again; the old snapshot stays as it was meanwhile.
        base::log(base::LogLevel::Error, path_ + ": " + e.what());
        std::lock_guard lock(mutex_);
        dirty_ = true;
    }
}

// At most one write per interval however many devices change: a burst of connects costs one.
void SnapshotFile::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait(lock, [this] { return stopping_ || dirty_; });
        if (stopping_) break;
        lock.unlock();
        std::this_thread::sleep_for(interval_);
        flush();
        lock.lock();
    }
}

namespace {
void writeAll(int fd, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

std::string directoryOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}
}  // namespace

// Temporary file, fdatasync, rename over the old one, fsync of the directory (so the rename
// itself survives power loss): the file always holds one whole snapshot.
void SnapshotFile::writeSnapshot(const std::string& text) const {
    std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
    try {
        writeAll(fd, text, tmp);
        if (::fdatasync(fd) != 0)
            throw std::runtime_error("cannot sync " + tmp + ": " + std::strerror(errno));
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path_.c_str()) != 0)
        throw std::runtime_error("cannot rename " + tmp + ": " + std::strerror(errno));
    int dir = ::open(directoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

namespace {
// Ours are UUIDs, hex digests and ids the REST API accepted: short printable strings.
bool shortString(const json& v, std::size_t max) {
    return v.is_string() && !v.get_ref<const std::string&>().empty() &&
           v.get_ref<const std::string&>().size() <= max;
}
}  // namespace

std::vector<json> SnapshotFile::load(const std::string& path) {
    std::vector<json> out;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return out;
    // Ours take ~300 bytes an entry: a larger file is not one of ours.
    if (static_cast<std::uint64_t>(in.tellg()) > std::uint64_t{kMaxEntries} * 1024) {
        base::log(base::LogLevel::Warn, path + " is too large: ignored");
        return out;
    }
    in.seekg(0);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json all = json::parse(text, nullptr, false);
    if (!all.is_array()) {
        if (!text.empty()) base::log(base::LogLevel::Warn, path + " is not a JSON array: ignored");
        return out;
    }
    for (auto& e : all) {
        if (out.size() >= kMaxEntries) break;
        if (e.is_object()) out.push_back(std::move(e));
    }
    return out;
}

void KeptDevicesFile::put(const KeptDevice& d) {
    json entry{{"deviceId", d.deviceId},
               {"accountId", d.accountId},
               {"participantId", d.participantId},
               {"secretSha256", d.secretDigest},
               {"deadline", d.deadline}};
    if (d.loopback) entry["loopback"] = true;  // absent in files of older servers: false
    file_.put(d.deviceId, std::move(entry));
}

std::vector<KeptDevice> KeptDevicesFile::load(const std::string& path) {
    std::vector<KeptDevice> out;
    for (const auto& e : SnapshotFile::load(path)) {
        if (!shortString(e.value("deviceId", json()), 64) ||
            !shortString(e.value("accountId", json()), 256) ||
            !shortString(e.value("participantId", json()), 256) ||
            !shortString(e.value("secretSha256", json()), 64) ||
            !e.value("deadline", json()).is_number_integer())
            continue;
        out.push_back(KeptDevice{
            e["deviceId"].get<std::string>(), e["accountId"].get<std::string>(),
            e["participantId"].get<std::string>(), e["secretSha256"].get<std::string>(),
            e["deadline"].get<EpochSeconds>(), e.value("loopback", json()) == json(true)});
    }
    return out;
}

}  // namespace sb::state
