#pragma once
// Recordings on disk (issue 9): <root>/<accountId>/<callId>/<recordingId>.wav and, next to it,
// <recordingId>.json with the metadata.
//
// Why a JSON sidecar and not the SQLite store: a recording's metadata lives and dies with its
// file (deleting a call's directory deletes both; a copied directory stays complete), the
// session store may be "memory" (recordings must survive restarts anyway), and the index is
// rebuilt by one directory scan at start.
//
// Storage limits: a per-account and a global byte budget (0 = unlimited). Recordings reserve
// bytes as their files grow, a few seconds of audio at a time (RecordingReservation); each
// reserve() is one step under the mutex, so concurrent recordings never take more together than
// the budgets hold. A finished recording keeps its file's real size.
// Thread-safe (one mutex); file operations are small (sidecars, unlink).

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sb::voice {

struct RecordingMeta {
    std::string recordingId, accountId, applicationId, callId, to, from, direction;
    std::optional<std::string> transferCallerId, transferTo, tag;
    int channels = 1;
    std::string fileFormat = "wav";
    std::string startTime, endTime;  // ISO 8601 UTC
    double durationSeconds = 0;
    std::string status = "processing";  // processing | complete | partial | error
    std::optional<std::string> errorMessage;
    std::uint64_t bytes = 0;
    bool hasMedia = true;             // false once the media was deleted (DELETE …/media)
    std::uint64_t droppedBlocks = 0;  // 20 ms blocks lost: the disk writer's queue was full
};

nlohmann::json toJson(const RecordingMeta& meta);
RecordingMeta recordingFromJson(const nlohmann::json& j);  // throws on a malformed sidecar

struct RecordingLimits {
    std::uint64_t perAccountBytes = 0;  // 0: unlimited
    std::uint64_t totalBytes = 0;       // all accounts; 0: unlimited
};

struct RecordingFilter {
    std::optional<std::string> callId, to, from, minStartTime, maxStartTime;
};

class RecordingStore {
  public:
    RecordingStore(std::string root, RecordingLimits limits);

    // Scans root and rebuilds the index; returns the recordings found. Recordings left
    // "processing" by a crash become "partial".
    std::size_t load();

    struct Grant {
        std::uint64_t bytes = 0;  // 0: refused
        std::string refusal;      // why, when refused
    };
    // Grants min(wanted, what both budgets have left) when that is at least `minimum`; else 0
    // and why.
    Grant reserve(const std::string& accountId, std::uint64_t minimum, std::uint64_t wanted);
    void release(const std::string& accountId, std::uint64_t reserved);

    // A new recording (status processing), persisted.
    void begin(const RecordingMeta& meta);
    // Its final state; `reserved` (from reserve) is replaced by the file's real size.
    void finish(const RecordingMeta& meta, std::uint64_t reserved);

    std::vector<RecordingMeta> list(const std::string& accountId, const RecordingFilter& filter,
                                    std::size_t limit = 1000) const;
    std::optional<RecordingMeta> get(const std::string& accountId, const std::string& callId,
                                     const std::string& recordingId) const;
    std::string mediaPath(const RecordingMeta& meta) const;
    // false: no such recording of this account's call. Throws std::logic_error while processing.
    bool remove(const std::string& accountId, const std::string& callId,
                const std::string& recordingId);
    bool removeMedia(const std::string& accountId, const std::string& callId,
                     const std::string& recordingId);

    std::uint64_t usedBytes(const std::string& accountId) const;
    std::uint64_t totalBytes() const;

  private:
    std::string dirOf(const std::string& accountId, const std::string& callId) const;
    void persist(const RecordingMeta& meta) const;
    RecordingMeta* find(const std::string& accountId, const std::string& callId,
                        const std::string& recordingId);

    std::string root_;
    RecordingLimits limits_;
    mutable std::mutex mutex_;
    std::map<std::string, RecordingMeta> byId_;  // recordingId → metadata
    std::map<std::string, std::uint64_t> used_;  // per account: files + reservations
    std::uint64_t total_ = 0;
};

// "r-" + the same random form as call ids (Bandwidth: r-fbe05094-9fd2afe9-bf5b-…).
std::string newRecordingId();
bool isRecordingId(const std::string& id);

}  // namespace sb::voice
