#pragma once
// One recording's share of the recording storage budgets (issue 9). It reserves bytes as the
// file grows, one chunk (a few seconds of audio) at a time, instead of the longest size the
// recording could reach: with the 1 GiB default an account could otherwise record only six
// 3-hour <StartRecording>s at once, though each uses a few MB a minute.
//
// start() takes the first chunk (refused with less than one second of audio left). cover() runs
// on the recording writer's thread before each block: when the file would grow past what is
// reserved it takes another chunk, or, near the limit, what is left if the block fits in it.
// false means the budget is spent: the writer stops the file there, so the bytes on disk never
// exceed the budgets. reserved() is what to hand back to RecordingStore::finish.
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "server/voice/RecordingStore.hpp"

namespace sb::voice {

class RecordingReservation {
  public:
    static constexpr double kChunkSeconds = 5;

    // `capBytes`: the most the recording can need (its longest duration), never exceeded.
    RecordingReservation(std::shared_ptr<RecordingStore> store, std::string accountId, int channels,
                         std::uint64_t capBytes);

    // Reserves the first chunk; empty when granted, else why not.
    std::string start();
    // Makes sure `totalBytes` (the file's size after the next block) is reserved.
    bool cover(std::uint64_t totalBytes);
    std::uint64_t reserved() const { return reserved_.load(); }
    // Why the last cover() failed ("the account's recording storage limit is reached (…)").
    std::string refusal() const;

    std::uint64_t chunkBytes() const { return chunk_; }

  private:
    std::shared_ptr<RecordingStore> store_;
    std::string accountId_;
    std::uint64_t chunk_, minimum_, cap_;
    std::atomic<std::uint64_t> reserved_{0};
    mutable std::mutex mutex_;
    std::string refusal_;
};

}  // namespace sb::voice
