#include <catch2/catch.hpp>

#include "server/signaling/ResumeFrames.hpp"

using namespace sb;
using media::StreamNotice;
using Frames = std::vector<std::string>;

TEST_CASE("ResumeFrames: what a resumed device is sent, in order, the latest of each",
          "[server][signaling][resume]") {
    signaling::ResumeFrames frames;
    auto muted = [](const std::string& id, bool on) {
        return StreamNotice{StreamNotice::Kind::Muted, id, "p", "audio", on};
    };
    SECTION("the reset, the latest offer, then the notices that came while it was parked") {
        frames.offer("offer-1");
        frames.notice(muted("s1", true), "mute-s1");
        frames.reset("reset");  // the offer before it is from the lost media session
        frames.offer("offer-2");
        frames.notice({StreamNotice::Kind::Speaking, "s1", "p", "audio", true}, "talk-s1");
        CHECK(frames.take() == Frames{"reset", "offer-2", "mute-s1", "talk-s1"});
        // The offer stays for the next resume; the rest was told.
        CHECK(frames.take() == Frames{"offer-2"});
    }
    SECTION("a newer notice about the same stream and kind replaces the older one") {
        frames.notice(muted("s1", true), "mute-s1-on");
        frames.notice(muted("s2", true), "mute-s2-on");
        frames.notice(muted("s1", false), "mute-s1-off");
        CHECK(frames.take() == Frames{"mute-s2-on", "mute-s1-off"});
    }
    SECTION("bounded: past the limit the oldest notice goes") {
        for (std::size_t i = 0; i <= signaling::ResumeFrames::kMaxNotices; ++i)
            frames.notice(muted("s" + std::to_string(i), true), "f" + std::to_string(i));
        auto all = frames.take();
        REQUIRE(all.size() == signaling::ResumeFrames::kMaxNotices);
        CHECK(all.front() == "f1");
    }
    SECTION("a reset while connected only forgets the offer") {
        frames.offer("offer-1");
        frames.reset({});
        CHECK(frames.take().empty());
    }
}
