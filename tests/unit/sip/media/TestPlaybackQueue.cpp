// PlayAudio clips: replacing or mixed into the room audio, in order, with completion callbacks.
#include <catch2/catch.hpp>

#include <vector>

#include "server/sip/media/PlaybackQueue.hpp"

using namespace sb::sip::media;

TEST_CASE("PlaybackQueue replaces the room audio frame by frame", "[sip][media][PlaybackQueue]") {
    PlaybackQueue q;
    std::vector<bool> done;
    q.enqueue(std::vector<std::int16_t>(200, 1000), PlayMode::Replace,
              [&](bool c) { done.push_back(c); });
    PcmFrame f;
    f.fill(5);
    REQUIRE(q.apply(f));
    CHECK(f[0] == 1000);
    CHECK(f[159] == 1000);
    f.fill(5);
    REQUIRE(q.apply(f));  // the last 40 samples, then silence
    CHECK(f[39] == 1000);
    CHECK(f[40] == 0);
    CHECK(done == std::vector<bool>{true});
    CHECK_FALSE(q.active());
    f.fill(5);
    CHECK_FALSE(q.apply(f));
    CHECK(f[0] == 5);  // untouched once nothing plays
}

TEST_CASE("PlaybackQueue mixes with saturation and plays clips in order",
          "[sip][media][PlaybackQueue]") {
    PlaybackQueue q;
    std::vector<int> order;
    q.enqueue(std::vector<std::int16_t>(160, 30000), PlayMode::Mix,
              [&](bool) { order.push_back(1); });
    q.enqueue({}, PlayMode::Mix, [&](bool) { order.push_back(2); });  // empty: done without a frame
    q.enqueue(std::vector<std::int16_t>(160, -7), PlayMode::Mix, [&](bool) { order.push_back(3); });
    PcmFrame f;
    f.fill(10000);
    q.apply(f);
    CHECK(f[0] == 32767);
    f.fill(10);
    q.apply(f);
    CHECK(f[0] == 3);
    CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("PlaybackQueue stop reports clips as not completed", "[sip][media][PlaybackQueue]") {
    PlaybackQueue q;
    int completed = 0, cut = 0;
    auto cb = [&](bool c) { (c ? completed : cut)++; };
    q.enqueue(std::vector<std::int16_t>(1000, 1), PlayMode::Mix, cb);
    q.enqueue(std::vector<std::int16_t>(1000, 1), PlayMode::Mix, cb);
    PcmFrame f{};
    q.apply(f);
    q.stop();
    CHECK(cut == 2);
    CHECK(completed == 0);
    CHECK_FALSE(q.active());
}

TEST_CASE("PlaybackQueue callbacks may enqueue the next clip", "[sip][media][PlaybackQueue]") {
    PlaybackQueue q;
    bool second = false;
    q.enqueue(std::vector<std::int16_t>(160, 1), PlayMode::Replace, [&](bool) {
        q.enqueue(std::vector<std::int16_t>(160, 2), PlayMode::Replace,
                  [&](bool) { second = true; });
    });
    PcmFrame f{};
    q.apply(f);
    q.apply(f);
    CHECK(f[0] == 2);
    CHECK(second);
}

TEST_CASE("PlaybackQueue refuses clips past its bound; the queued ones play on",
          "[sip][media][PlaybackQueue][outbound]") {
    PlaybackQueue q;
    std::vector<int> finished;  // clip index, negative when refused or stopped
    for (int i = 0; i < static_cast<int>(PlaybackQueue::kMaxClips) + 3; ++i)
        q.enqueue(std::vector<std::int16_t>(160, 1), PlayMode::Replace,
                  [&, i](bool c) { finished.push_back(c ? i : -i - 1); });
    // The three over the bound were refused at once.
    REQUIRE(finished.size() == 3);
    CHECK(finished[0] == -static_cast<int>(PlaybackQueue::kMaxClips) - 1);
    PcmFrame f;
    for (std::size_t i = 0; i <= PlaybackQueue::kMaxClips; ++i) q.apply(f);
    REQUIRE(finished.size() == 3 + PlaybackQueue::kMaxClips);
    CHECK(finished[3] == 0);
    CHECK(finished.back() == static_cast<int>(PlaybackQueue::kMaxClips) - 1);
    CHECK_FALSE(q.active());
}
