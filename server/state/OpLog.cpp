#include "server/state/OpLog.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace sb::state {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeader = 16;  // u32 length, u32 crc, u64 seq
constexpr std::uint32_t kMaxPayload = 64u << 20;
constexpr const char* kSegmentInfix = ".oplog.";

constexpr std::array<std::uint32_t, 256> crcTable() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}
constexpr auto kCrcTable = crcTable();

// CRC-32 (IEEE) of `data`, continuing from `crc` (the CRC of what precedes it).
std::uint32_t crc32(const char* data, std::size_t n, std::uint32_t crc = 0) {
    std::uint32_t c = crc ^ 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i)
        c = kCrcTable[(c ^ static_cast<unsigned char>(data[i])) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void putLe(char* out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint64_t getLe(const char* in, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
    return v;
}

[[noreturn]] void fail(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), "oplog: " + what);
}

// fsync of the directory holding `dbPath`: makes file creations and deletions in it durable
// (fsync(2): syncing a file does not sync the directory entry that names it).
void syncDirectory(const std::string& dbPath) {
    fs::path db(dbPath);
    std::string dir = db.has_parent_path() ? db.parent_path().string() : std::string(".");
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(errno, "cannot open directory " + dir);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) fail(err, "cannot sync directory " + dir);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(errno, "cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

OpLog::OpLog(std::string dbPath, Options options) : dbPath_(std::move(dbPath)), options_(options) {
    std::string lockPath = dbPath_ + ".lock";
    lockFd_ = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd_ < 0) fail(errno, "cannot open " + lockPath);
    if (::flock(lockFd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(lockFd_);
        if (err == EWOULDBLOCK)
            throw std::runtime_error("store: " + dbPath_ + " is in use by another process (" +
                                     lockPath + " is locked)");
        fail(err, "cannot lock " + lockPath);
    }
    fs::path db(dbPath_);
    fs::path dir = db.has_parent_path() ? db.parent_path() : fs::path(".");
    std::string prefix = db.filename().string() + kSegmentInfix;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        if (name.size() == prefix.size() + 20 && name.compare(0, prefix.size(), prefix) == 0 &&
            std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                        [](char c) { return c >= '0' && c <= '9'; }))
            existing_.push_back(entry.path().string());
    }
    std::sort(existing_.begin(), existing_.end());  // zero-padded: by first seq
}

OpLog::~OpLog() {
    for (int fd : closing_) ::close(fd);
    if (fd_ >= 0) ::close(fd_);
    ::close(lockFd_);
}

std::string OpLog::segmentPath(std::uint64_t firstSeq) const {
    std::string digits = std::to_string(firstSeq);
    return dbPath_ + kSegmentInfix + std::string(20 - digits.size(), '0') + digits;
}

OpLog::Recovered OpLog::recover(std::uint64_t after) const {
    Recovered r;
    r.lastSeq = after;
    std::uint64_t expect = 0;  // seq the next record must have; 0 before the first one
    bool damaged = false;
    for (const auto& path : existing_) {
        std::string data = readFile(path);
        std::size_t pos = 0;
        while (pos < data.size()) {
            if (!damaged) {
                const char* h = data.data() + pos;
                std::size_t left = data.size() - pos;
                std::uint64_t len = left >= kHeader ? getLe(h, 4) : 0;
                std::uint64_t seq = left >= kHeader ? getLe(h + 8, 8) : 0;
                damaged = left < kHeader || len > kMaxPayload || len > left - kHeader ||
                          getLe(h + 4, 4) != crc32(h + 8, 8 + len) ||
                          (expect != 0 && seq != expect) ||
                          (seq > after && r.ops.empty() && seq != after + 1);
                if (!damaged && seq > after) {
                    try {
                        r.ops.push_back(decodeStoreOp(std::string_view(h + kHeader, len)));
                        r.lastSeq = seq;
                    } catch (const std::exception&) {
                        damaged = true;
                    }
                }
                if (!damaged) {
                    expect = seq + 1;
                    pos += kHeader + len;
                    continue;
                }
            }
            // Everything from the damage on is dropped.
            r.ignoredBytes += data.size() - pos;
            break;
        }
    }
    return r;
}

void OpLog::start(std::uint64_t nextSeq) {
    // Oldest first: if this is interrupted, what is left still starts where the database ends.
    for (const auto& path : existing_)
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail(errno, "cannot delete " + path);
    existing_.clear();
    nextSeq_ = nextSeq;
    appendedSeq_.store(nextSeq - 1, std::memory_order_release);
    openSegment(nextSeq);
    std::lock_guard lock(syncMutex_);
    syncDirectory(dbPath_);
    dirDirty_ = false;
}

void OpLog::openSegment(std::uint64_t firstSeq) {
    std::string path = segmentPath(firstSeq);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) fail(errno, "cannot create " + path);
    std::lock_guard syncLock(syncMutex_);
    if (fd_ >= 0) {
        std::lock_guard lock(fullMutex_);
        full_.push_back({path_, firstSeq - 1});
        closing_.push_back(fd_);  // its last records may not be synced yet: sync() closes it
    }
    fd_ = fd;
    dirDirty_ = true;
    path_ = std::move(path);
    size_ = 0;
    rotateAt_ = options_.segmentBytes;
}

std::uint64_t OpLog::append(const std::string& payload) {
    if (fd_ < 0)
        throw std::runtime_error(
            "oplog: no journal file open (not started, or a failed write could not be undone)");
    if (payload.size() > kMaxPayload) throw std::length_error("oplog: record too large");
    std::uint64_t seq = nextSeq_;
    char header[kHeader];
    putLe(header, payload.size(), 4);
    putLe(header + 8, seq, 8);
    putLe(header + 4, crc32(payload.data(), payload.size(), crc32(header + 8, 8)), 4);

    iovec iov[2] = {{header, kHeader}, {const_cast<char*>(payload.data()), payload.size()}};
    std::size_t total = kHeader + payload.size();
    std::size_t done = 0;
    while (done < total) {
        ssize_t n =
            done == 0
                ? ::pwritev(fd_, iov, 2, static_cast<off_t>(size_))
                : ::pwrite(fd_, done < kHeader ? header + done : payload.data() + (done - kHeader),
                           done < kHeader ? kHeader - done : total - done,
                           static_cast<off_t>(size_ + done));
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n < 0 && errno != EINTR) {
            int err = errno;
            if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
                // A torn record that cannot be cut off would hide every later one: stop here.
                std::lock_guard syncLock(syncMutex_);
                ::close(fd_);
                fd_ = -1;
            }
            fail(err, "cannot write " + path_);
        }
    }
    size_ += total;
    ++nextSeq_;
    appendedSeq_.store(seq, std::memory_order_release);
    if (size_ >= rotateAt_) rotate();
    return seq;
}

std::uint64_t OpLog::sync() {
    std::lock_guard lock(syncMutex_);
    // Read before syncing: every record up to here is in the page cache of fd_ or of a segment
    // in closing_ (rotation moves the old fd there under this lock).
    std::uint64_t upTo = appendedSeq_.load(std::memory_order_acquire);
    while (!closing_.empty()) {
        if (::fdatasync(closing_.front()) != 0) fail(errno, "cannot sync a journal segment");
        syncCount_.fetch_add(1, std::memory_order_relaxed);
        ::close(closing_.front());
        closing_.erase(closing_.begin());
    }
    if (fd_ >= 0) {
        // fdatasync: the records and the file size, not the timestamps (fdatasync(2)).
        if (::fdatasync(fd_) != 0) fail(errno, "cannot sync " + path_);
        syncCount_.fetch_add(1, std::memory_order_relaxed);
    }
    if (dirDirty_) {
        syncDirectory(dbPath_);
        dirDirty_ = false;
    }
    return upTo;
}

void OpLog::rotate() {
    try {
        openSegment(nextSeq_);
    } catch (const std::exception&) {
        // The record is written; keep appending to this segment and try again later.
        rotateAt_ = size_ + options_.segmentBytes / 4 + 1;
    }
}

void OpLog::releaseUpTo(std::uint64_t seq) {
    std::vector<Segment> done;
    {
        std::lock_guard lock(fullMutex_);
        auto end = std::find_if(full_.begin(), full_.end(),
                                [&](const Segment& s) { return s.lastSeq > seq; });
        done.assign(std::make_move_iterator(full_.begin()), std::make_move_iterator(end));
        full_.erase(full_.begin(), end);
    }
    for (const auto& s : done) ::unlink(s.path.c_str());
}

void OpLog::removeAll() {
    releaseUpTo(UINT64_MAX);
    std::lock_guard lock(syncMutex_);
    for (int fd : closing_) ::close(fd);
    closing_.clear();
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
        ::unlink(path_.c_str());
    }
}

}  // namespace sb::state
