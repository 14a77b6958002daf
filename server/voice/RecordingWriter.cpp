#include "server/voice/RecordingWriter.hpp"

#include <sndfile.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "server/base/Log.hpp"

namespace sb::voice {

namespace fs = std::filesystem;

constexpr int kSampleRate = 8000;
constexpr std::uint64_t kWavHeaderBytes = 44;  // RIFF + fmt + data chunk headers (PCM)

struct RecordingWriter::File {
    std::string path;
    int channels = 1;
    Budget budget;
    SNDFILE* handle = nullptr;  // writer thread only
    RecordingFileResult result;
};

struct RecordingWriter::Job {
    enum class Kind { Open, Write, Close } kind;
    std::shared_ptr<File> file;
    std::vector<std::int16_t> samples;
    Done done;
};

RecordingWriter::RecordingWriter(std::size_t maxQueuedBlocks) : maxQueued_(maxQueuedBlocks) {
    thread_ = std::thread([this] { run(); });
}

RecordingWriter::~RecordingWriter() {
    shutdown();
}

void RecordingWriter::shutdown() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::shared_ptr<RecordingWriter::File> RecordingWriter::open(std::string path, int channels,
                                                             std::uint64_t maxBytes) {
    return open(std::move(path), channels,
                Budget{[maxBytes](std::uint64_t total) { return total <= maxBytes; }, {}});
}

std::shared_ptr<RecordingWriter::File> RecordingWriter::open(std::string path, int channels,
                                                             Budget budget) {
    auto file = std::make_shared<File>();
    file->path = std::move(path);
    file->channels = channels;
    file->budget = std::move(budget);
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return file;
        jobs_.push_back(Job{Job::Kind::Open, file, {}, {}});
    }
    wake_.notify_one();
    return file;
}

bool RecordingWriter::write(const std::shared_ptr<File>& file,
                            std::vector<std::int16_t>&& samples) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (queuedWrites_ >= maxQueued_) {
            ++dropped_;
            return false;
        }
        ++queuedWrites_;
        jobs_.push_back(Job{Job::Kind::Write, file, std::move(samples), {}});
    }
    wake_.notify_one();
    return true;
}

void RecordingWriter::close(const std::shared_ptr<File>& file, Done done) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        jobs_.push_back(Job{Job::Kind::Close, file, {}, std::move(done)});
    }
    wake_.notify_one();
}

std::uint64_t RecordingWriter::droppedBlocks() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

std::size_t RecordingWriter::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void RecordingWriter::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) break;  // stopping, and everything queued is done
            job = std::move(jobs_.front());
            jobs_.pop_front();
            if (job.kind == Job::Kind::Write) --queuedWrites_;
        }
        try {
            perform(job);
        } catch (const std::exception& e) {  // nothing may end the writer thread
            base::log(base::LogLevel::Error, std::string("recording writer: ") + e.what());
        }
    }
    // Recordings whose close never came (the server stopped mid-call): finish their WAV headers
    // so what was written stays playable (RecordingStore::load marks them partial).
    for (auto& f : open_)
        if (f->handle) sf_close(f->handle), f->handle = nullptr;
    open_.clear();
}

void RecordingWriter::perform(Job& job) {
    File& f = *job.file;
    switch (job.kind) {
        case Job::Kind::Open: {
            std::error_code ec;
            fs::create_directories(fs::path(f.path).parent_path(), ec);
            SF_INFO info{};
            info.samplerate = kSampleRate;
            info.channels = f.channels;
            info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
            if (!f.budget.cover(kWavHeaderBytes)) {
                f.result = {false, "storage limit reached", 0, 0};
                if (f.budget.failed) f.budget.failed();
                return;
            }
            f.handle = sf_open(f.path.c_str(), SFM_WRITE, &info);
            if (!f.handle) {
                f.result = {false, std::string("cannot create the file: ") + sf_strerror(nullptr),
                            0, 0};
                if (f.budget.failed) f.budget.failed();
            } else {
                f.result.bytes = kWavHeaderBytes;
                open_.push_back(job.file);
            }
            return;
        }
        case Job::Kind::Write: {
            if (!f.handle || !f.result.ok) return;
            auto frames = static_cast<std::uint64_t>(job.samples.size()) /
                          static_cast<std::uint64_t>(f.channels);
            std::uint64_t bytes = job.samples.size() * sizeof(std::int16_t);
            if (!f.budget.cover(f.result.bytes + bytes)) {
                f.result.ok = false;
                f.result.error = "storage limit reached";
                if (f.budget.failed) f.budget.failed();
                return;
            }
            auto n = sf_write_short(f.handle, job.samples.data(),
                                    static_cast<sf_count_t>(job.samples.size()));
            if (n != static_cast<sf_count_t>(job.samples.size())) {
                f.result.ok = false;
                f.result.error = std::string("write failed (disk full?): ") + sf_strerror(f.handle);
                if (f.budget.failed) f.budget.failed();
                return;
            }
            f.result.frames += frames;
            f.result.bytes += bytes;
            return;
        }
        case Job::Kind::Close: {
            if (f.handle) {
                if (sf_close(f.handle) != 0 && f.result.ok) {
                    f.result.ok = false;
                    f.result.error = "closing the file failed (disk full?)";
                }
                f.handle = nullptr;
                open_.erase(std::remove(open_.begin(), open_.end(), job.file), open_.end());
                std::error_code ec;
                auto size = fs::file_size(f.path, ec);
                if (!ec) f.result.bytes = size;
            }
            if (job.done) job.done(f.result);
            return;
        }
    }
}

}  // namespace sb::voice
