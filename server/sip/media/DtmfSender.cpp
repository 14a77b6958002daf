#include "server/sip/media/DtmfSender.hpp"

#include <algorithm>
#include <stdexcept>

namespace sb::sip::media {

namespace {
constexpr std::uint32_t kEndPackets = 3;  // RFC 4733 §2.5.1.4: the final packet, three times
}

DtmfSender::DtmfSender() : DtmfSender(Config{}) {}

DtmfSender::DtmfSender(const Config& config)
    : config_(config),
      samplesPerSlot_(
          static_cast<std::uint32_t>(config.clockRate * config.packetInterval.count() / 1000)) {}

std::uint32_t DtmfSender::slotsFor(std::chrono::milliseconds d) const {
    auto interval = std::max<std::chrono::milliseconds::rep>(1, config_.packetInterval.count());
    auto count = std::max<std::chrono::milliseconds::rep>(0, d.count());
    return static_cast<std::uint32_t>((count + interval - 1) / interval);  // round up
}

namespace {
bool isPause(char c) {
    return c == ',' || c == 'w' || c == 'W';
}
}  // namespace

bool DtmfSender::valid(std::string_view digits) {
    return std::all_of(digits.begin(), digits.end(),
                       [](char c) { return isPause(c) || TelephoneEvent::eventForDigit(c); });
}

void DtmfSender::enqueue(std::string_view digits) {
    enqueue(digits, config_.tone, config_.gap);
}

void DtmfSender::enqueue(std::string_view digits, std::chrono::milliseconds tone,
                         std::chrono::milliseconds gap) {
    for (char c : digits) {
        if (!isPause(c) && !TelephoneEvent::eventForDigit(c))
            throw std::invalid_argument(std::string("DTMF: '") + c +
                                        "' is not a digit (0-9 * # A-D) or a pause (, w W)");
    }
    if (queue_.size() + digits.size() > config_.maxQueued)
        throw std::length_error("DTMF: " + std::to_string(queue_.size()) +
                                " digits are waiting; at most " +
                                std::to_string(config_.maxQueued) + " may");
    // A tone lasts at least one packet; its 16-bit duration caps it at 8.19 s at 8 kHz (long
    // events would need §2.5.1.3 segments).
    auto toneSlots = std::clamp<std::uint32_t>(
        slotsFor(tone), 1, 0xFFFF / std::max<std::uint32_t>(1, samplesPerSlot_));
    auto gapSlots = slotsFor(gap);
    auto pauseSlots = slotsFor(config_.pause);
    for (char c : digits) {
        if (isPause(c))
            queue_.push_back({',', c == 'W' ? 2 * pauseSlots : pauseSlots, 0});
        else
            queue_.push_back({c, toneSlots, gapSlots});
    }
}

void DtmfSender::clear() {
    queue_.clear();
    if (phase_ == Phase::Silent) phase_ = Phase::Idle;
}

std::optional<DtmfSender::Packet> DtmfSender::next(std::uint32_t slotTimestamp) {
    for (;;) {
        switch (phase_) {
            case Phase::Idle: {
                if (queue_.empty()) return std::nullopt;
                Item item = queue_.front();
                queue_.pop_front();
                if (item.digit == ',') {
                    phase_ = Phase::Silent;
                    silentLeft_ = item.toneSlots;
                    continue;  // this slot is the pause's first
                }
                // §2.5.1.2: the event's timestamp is the start of the tone and stays fixed.
                toneSlots_ = item.toneSlots;
                gapSlots_ = item.gapSlots;
                current_ = Packet{slotTimestamp, true, TelephoneEvent{}};
                current_.event.event = *TelephoneEvent::eventForDigit(item.digit);
                current_.event.volume = config_.volume;
                slotsDone_ = 0;
                phase_ = Phase::Tone;
                continue;
            }
            case Phase::Tone: {
                ++slotsDone_;
                // §2.5.1.3: the duration covers the tone up to the end of this packet's interval.
                current_.marker = slotsDone_ == 1;
                current_.event.duration = static_cast<std::uint16_t>(
                    std::min<std::uint32_t>(slotsDone_ * samplesPerSlot_, 0xFFFF));
                if (slotsDone_ >= toneSlots_) {
                    current_.event.end = true;
                    phase_ = Phase::EndRepeat;
                    slotsDone_ = 1;
                }
                return current_;
            }
            case Phase::EndRepeat: {
                // §2.5.1.4: the end packet is repeated unchanged, at the update interval.
                current_.marker = false;
                if (++slotsDone_ >= kEndPackets) {
                    silentLeft_ = gapSlots_ > kEndPackets - 1 ? gapSlots_ - (kEndPackets - 1) : 0;
                    phase_ = silentLeft_ > 0 ? Phase::Silent : Phase::Idle;
                }
                return current_;
            }
            case Phase::Silent: {
                if (silentLeft_ == 0) {
                    phase_ = Phase::Idle;
                    continue;
                }
                if (--silentLeft_ == 0) phase_ = Phase::Idle;
                return std::nullopt;
            }
        }
    }
}

}  // namespace sb::sip::media
