#pragma once
// What devices learn about the streams they receive besides the media (docs/protocol.md "Remote
// mute and active speaker"): a publisher's mute changes and Janus's talk detection, each told to
// the devices whose subscriber receives the stream's track, and the mute state of the streams a
// device newly receives. Runs on the media strand only.

#include <set>
#include <string>
#include <vector>

#include "server/media/LegHost.hpp"

namespace sb::media {

// Tells `notice` to each device that receives one of `tracks` (once, if it receives several);
// returns their ids.
std::vector<std::string> tellReceivers(LegHost& host, const std::set<FeedMid>& tracks,
                                       const StreamNotice& notice);

// The streams of `added` (newly in a device's subscriber offer) whose kind is muted: one
// notice per (stream, kind), for the device to get right after that offer (a late joiner sees
// the mute made before it came).
std::vector<StreamNotice> mutedAmong(const LegHost& host, const std::set<FeedMid>& added);

}  // namespace sb::media
