#include "server/voice/RecordingReservation.hpp"

#include <algorithm>

namespace sb::voice {

namespace {
constexpr std::uint64_t kBytesPerSecondPerChannel = 16000;  // 8 kHz × 16 bit
constexpr std::uint64_t kWavHeaderBytes = 44;
}  // namespace

RecordingReservation::RecordingReservation(std::shared_ptr<RecordingStore> store,
                                           std::string accountId, int channels,
                                           std::uint64_t capBytes)
    : store_(std::move(store)),
      accountId_(std::move(accountId)),
      chunk_(static_cast<std::uint64_t>(kChunkSeconds) * kBytesPerSecondPerChannel *
             static_cast<std::uint64_t>(channels)),
      minimum_(kBytesPerSecondPerChannel * static_cast<std::uint64_t>(channels) + kWavHeaderBytes),
      cap_(std::max(capBytes, kWavHeaderBytes)) {}

std::string RecordingReservation::start() {
    auto wanted = std::min(cap_, kWavHeaderBytes + chunk_);
    auto grant = store_->reserve(accountId_, std::min(minimum_, wanted), wanted);
    if (!grant.bytes) return grant.refusal;
    reserved_ = grant.bytes;
    return {};
}

bool RecordingReservation::cover(std::uint64_t totalBytes) {
    // Only the writer thread grows a reservation, so this read-then-add is not a race.
    auto have = reserved_.load();
    if (totalBytes <= have) return true;
    if (totalBytes > cap_) {
        std::lock_guard lock(mutex_);
        refusal_ = "the recording reached its longest size";
        return false;
    }
    auto needed = totalBytes - have;
    auto wanted = std::min(cap_ - have, std::max(needed, chunk_));
    auto grant = store_->reserve(accountId_, needed, wanted);
    if (!grant.bytes) {
        std::lock_guard lock(mutex_);
        refusal_ = grant.refusal;
        return false;
    }
    reserved_ = have + grant.bytes;
    return true;
}

std::string RecordingReservation::refusal() const {
    std::lock_guard lock(mutex_);
    return refusal_;
}

}  // namespace sb::voice
