#pragma once
// What a resumable device is sent again when it resumes (docs/protocol.md "Resuming a device"),
// after `resumed`: a `mediaReset` that came while it was parked, the latest `sdpOffer` (even if
// it was sent: it may have been lost with the old connection; a device ignores a revision it has
// already answered), then the stream notices (remote mute, active speaker) that came while it was
// parked, the latest per stream, kind of notice and media kind, so that what changed while it was
// away is not lost. Bounded: past kMaxNotices the oldest notice is dropped.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "server/media/MediaEvents.hpp"

namespace sb::signaling {

class ResumeFrames {
  public:
    static constexpr std::size_t kMaxNotices = 256;

    void offer(std::string frame) { offer_ = std::move(frame); }
    // The media legs were lost: the offer before is from the lost media session.
    void reset(std::string frame);
    // Keeps `frame`, the text of `notice`, in place of an earlier one about the same.
    void notice(const media::StreamNotice& notice, std::string frame);
    // The frames in the order to send them; the offer stays for the next resume, the rest goes.
    std::vector<std::string> take();

  private:
    std::string reset_;
    std::string offer_;
    std::vector<std::pair<std::string, std::string>> notices_;  // key, frame
};

}  // namespace sb::signaling
