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
      samplesPerSlot_(static_cast<std::uint32_t>(config.clockRate * config.packetInterval.count() / 1000)),
      toneSlots_(std::max<std::uint32_t>(1, slotsFor(config.tone))) {}

std::uint32_t DtmfSender::slotsFor(std::chrono::milliseconds d) const {
    auto interval = std::max<std::chrono::milliseconds::rep>(1, config_.packetInterval.count());
    auto count = std::max<std::chrono::milliseconds::rep>(0, d.count());
    return static_cast<std::uint32_t>((count + interval - 1) / interval);  // round up
}

bool DtmfSender::valid(std::string_view digits) {
    return std::all_of(digits.begin(), digits.end(),
                       [](char c) { return c == ',' || TelephoneEvent::eventForDigit(c); });
}

void DtmfSender::enqueue(std::string_view digits) {
    for (char c : digits) {
        if (c != ',' && !TelephoneEvent::eventForDigit(c))
            throw std::invalid_argument(std::string("DTMF: '") + c +
                                        "' is not a digit (0-9 * # A-D) or ',' (pause)");
    }
    queue_.append(digits);
}

void DtmfSender::clear() {
    queue_.clear();
    queueHead_ = 0;
    if (phase_ == Phase::Silent) phase_ = Phase::Idle;
}

std::optional<DtmfSender::Packet> DtmfSender::next(std::uint32_t slotTimestamp) {
    for (;;) {
        switch (phase_) {
        case Phase::Idle: {
            if (queueHead_ >= queue_.size()) return std::nullopt;
            char c = queue_[queueHead_++];
            if (queueHead_ == queue_.size()) {
                queue_.clear();
                queueHead_ = 0;
            }
            if (c == ',') {
                phase_ = Phase::Silent;
                silentLeft_ = slotsFor(config_.pause);
                continue;  // this slot is the pause's first
            }
            // §2.5.1.2: the event's timestamp is the start of the tone and stays fixed.
            current_ = Packet{slotTimestamp, true, TelephoneEvent{}};
            current_.event.event = *TelephoneEvent::eventForDigit(c);
            current_.event.volume = config_.volume;
            slotsDone_ = 0;
            phase_ = Phase::Tone;
            continue;
        }
        case Phase::Tone: {
            ++slotsDone_;
            // §2.5.1.3: the duration covers the tone up to the end of this packet's interval.
            current_.marker = slotsDone_ == 1;
            current_.event.duration =
                static_cast<std::uint16_t>(std::min<std::uint32_t>(slotsDone_ * samplesPerSlot_, 0xFFFF));
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
                std::uint32_t gap = slotsFor(config_.gap);
                silentLeft_ = gap > kEndPackets - 1 ? gap - (kEndPackets - 1) : 0;
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
