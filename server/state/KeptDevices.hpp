#pragma once
// The resumable devices, on disk (docs/protocol.md "Resuming across a restart"): what a resume to
// a restarted server needs of each, so that SIGKILL and a restart do not turn every device's
// resume into 410. One file, `<dataDir>/kept-devices.json` (mode 0600), next to the session
// store's database: a JSON array rewritten whole by a background thread at most every
// `interval`, to a temporary file that is synced and renamed over the old one (rename(2) is
// atomic, so a reader sees the old or the new snapshot, never a torn one).
//
// Why not the session store's journal: its changes are acknowledged after an fdatasync, and a
// device registering there would put one on every device's connect and resume. Here put() and
// erase() only touch a map; a device that connected less than `interval` before a SIGKILL is not
// in the file and gets 410 after the restart, as every device did before.
//
// The resume secret is never stored: only its SHA-256 (the secret is 128 random bits, so a fast
// digest is enough to make the file useless for resuming someone else's device).

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/state/Model.hpp"

namespace sb::state {

// A JSON array of objects, one per key, rewritten whole by a background thread at most every
// `interval` (see above). put() and erase() only touch a map. Also holds the SIP dialogs a BYE
// needs after a restart (bridge/LeftDialogs.hpp).
class SnapshotFile {
  public:
    // Entries beyond this are not written nor read (a damaged or foreign file cannot make the
    // server allocate without bound); the caps on devices and calls keep the real count far below.
    static constexpr std::size_t kMaxEntries = 100000;

    explicit SnapshotFile(std::string path,
                          std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    // Writes what changed since the last write, then stops the thread.
    ~SnapshotFile();
    SnapshotFile(const SnapshotFile&) = delete;
    SnapshotFile& operator=(const SnapshotFile&) = delete;

    // The objects the previous process left: a missing file, one that is not a JSON array or
    // is larger than kMaxEntries KiB gives none; elements that are not objects are skipped.
    // Never throws.
    static std::vector<nlohmann::json> load(const std::string& path);

    void put(const std::string& key, nlohmann::json entry);
    void erase(const std::string& key);
    // Writes the file again (with what put() gave since the start) even if nothing changed.
    void rewrite();
    // Writes now if anything changed (tests; the destructor).
    void flush();
    std::uint64_t writes() const;

  private:
    void run();
    void writeSnapshot(const std::string& text) const;

    std::string path_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, nlohmann::json> entries_;
    bool dirty_ = false;
    bool stopping_ = false;
    std::uint64_t writes_ = 0;
    std::mutex writeMutex_;  // one writer of the file at a time (thread, flush)
    std::thread thread_;
};

struct KeptDevice {
    std::string deviceId;
    std::string accountId;
    std::string participantId;
    std::string secretDigest;   // resumeSecretDigest(secret)
    EpochSeconds deadline = 0;  // parked until then; 0: connected when written
    bool loopback = false;      // docs/protocol.md "Loopback (preflight)"
};

// Lowercase hex SHA-256 of a resume secret.
std::string resumeSecretDigest(std::string_view secret);

class KeptDevicesFile {
  public:
    static constexpr std::size_t kMaxEntries = SnapshotFile::kMaxEntries;

    explicit KeptDevicesFile(std::string path,
                             std::chrono::milliseconds interval = std::chrono::milliseconds(200))
        : file_(std::move(path), interval) {}

    // What the previous process left; entries that are not well-formed are skipped.
    static std::vector<KeptDevice> load(const std::string& path);

    void put(const KeptDevice& device);
    void erase(const std::string& deviceId) { file_.erase(deviceId); }
    void rewrite() { file_.rewrite(); }
    void flush() { file_.flush(); }
    std::uint64_t writes() const { return file_.writes(); }

  private:
    SnapshotFile file_;
};

}  // namespace sb::state
