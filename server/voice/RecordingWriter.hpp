#pragma once
// Writes recordings to disk on a thread of its own (issue 9): the call's strand only queues
// blocks of samples, so a slow or full disk never delays RTP. The queue is bounded (blocks, all
// recordings together); a write that finds it full is refused and the caller counts the drop.
//
// Files are WAV, 8 kHz, 16-bit PCM, 1 or 2 channels, written with libsndfile. Before each block
// the file's budget must cover its new size (RecordingReservation reserves as the file grows);
// when it cannot, or a write fails (disk full), the file is failed: later blocks are discarded,
// `failed` runs once (so the recording can end) and the result says why. A failed or partial
// file is still closed properly (a valid WAV of what was written).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sb::voice {

struct RecordingFileResult {
    bool ok = true;
    std::string error;         // why not ok: "storage limit reached", "write failed: …"
    std::uint64_t frames = 0;  // samples per channel written
    std::uint64_t bytes = 0;   // file size on disk
};

class RecordingWriter {
  public:
    struct File;  // one open recording; opaque to callers
    using Done = std::function<void(RecordingFileResult)>;

    explicit RecordingWriter(std::size_t maxQueuedBlocks = 16384);
    ~RecordingWriter();  // shutdown()
    // Writes and closes what is queued, then joins the thread; later calls are ignored (their
    // `done` never runs). For an orderly stop before the executors `done` posts to go away.
    void shutdown();
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    // How a file may grow; both run on the writer thread.
    struct Budget {
        std::function<bool(std::uint64_t totalBytes)> cover;  // may the file reach this size?
        std::function<void()> failed;                         // once, when the file stops growing
    };
    // Queues the creation of `path` (its directory is created). Never blocks on the disk.
    std::shared_ptr<File> open(std::string path, int channels, Budget budget);
    // A fixed byte limit.
    std::shared_ptr<File> open(std::string path, int channels, std::uint64_t maxBytes);
    // Queues interleaved samples; false (nothing queued) when the queue is full.
    bool write(const std::shared_ptr<File>& file, std::vector<std::int16_t>&& samples);
    // Queues the close (never refused); `done` runs on the writer thread once the file is complete.
    void close(const std::shared_ptr<File>& file, Done done);

    std::uint64_t droppedBlocks() const;
    std::size_t queued() const;

  private:
    struct Job;
    void run();
    void perform(Job& job);

    std::size_t maxQueued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::vector<std::shared_ptr<File>>
        open_;  // writer thread only: closed at shutdown if still open
    std::size_t queuedWrites_ = 0;
    std::uint64_t dropped_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sb::voice
