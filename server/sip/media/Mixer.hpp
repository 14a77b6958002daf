#pragma once
// Sums the 20 ms frames of N inputs into one frame with saturation to int16.
//
// Inputs are keyed by an id and may be added or removed at any time. Each period every input
// may push() one frame; mix() sums what was pushed since the previous mix() and forgets it, so an
// input that delivered nothing this period (not started, lost, gone quiet) adds silence. The
// mixer excludes nobody by itself: the caller decides which streams feed it (e.g. never the
// phone's own audio back to the phone).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class Mixer {
  public:
    using InputId = std::uint32_t;

    bool addInput(InputId id);     // false if it already exists
    bool removeInput(InputId id);  // false if unknown; its pending frame is dropped
    bool hasInput(InputId id) const;
    std::size_t inputCount() const { return inputs_.size(); }

    // This period's frame of one input (kFrameSamples samples). A second push in the same period
    // replaces the first. False if the input is unknown.
    bool push(InputId id, const std::int16_t* samples);
    bool push(InputId id, const PcmFrame& frame) { return push(id, frame.data()); }

    // Writes the saturated sum of this period's frames to `out` (silence if none) and returns how
    // many inputs contributed.
    std::size_t mix(PcmFrame& out);

    // Saturating out[i] += in[i], for mixing one more source into an already mixed frame.
    static void addInto(PcmFrame& out, const PcmFrame& in);

  private:
    struct Input {
        InputId id;
        bool fresh = false;
        PcmFrame frame;
    };
    Input* find(InputId id);

    std::vector<Input> inputs_;  // few inputs: a linear scan beats hashing
};

}  // namespace sb::sip::media
