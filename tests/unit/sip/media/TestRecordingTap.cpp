// RecordingTap: the phone's packets lined up with the ticks, the three layouts, pause, and the
// ways a recording ends by itself (maxDuration, silence, terminating digit, stop, hangup).
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "server/sip/media/RecordingTap.hpp"

using namespace sb::sip::media;

namespace {
struct Harness {
    std::vector<std::vector<std::int16_t>> blocks;
    std::optional<RecordingTap::EndReason> reason;
    char digit = 0;
    int ends = 0;
    bool accept = true;
    RecordingTap tap;

    explicit Harness(RecordingTap::Config c)
        : tap(
              c,
              [this](std::vector<std::int16_t>&& b) {
                  if (!accept) return false;
                  blocks.push_back(std::move(b));
                  return true;
              },
              [this](RecordingTap::EndReason r, char d) {
                  reason = r;
                  digit = d;
                  ++ends;
              }) {}
};

RecordingTap::Config layout(RecordingTap::Layout l) {
    RecordingTap::Config c;
    c.layout = l;
    return c;
}
std::vector<std::int16_t> constant(std::int16_t v, std::size_t n = kFrameSamples) {
    return std::vector<std::int16_t>(n, v);
}
PcmFrame heard(std::int16_t v) {
    PcmFrame f;
    f.fill(v);
    return f;
}
}  // namespace

TEST_CASE("mix, split and phone-only layouts", "[sip][RecordingTap]") {
    auto said = constant(1000);
    SECTION("mix sums both sides, clamped") {
        Harness h(layout(RecordingTap::Layout::Mix));
        h.tap.phoneAudio(said.data(), said.size());
        h.tap.tick(heard(32000));
        REQUIRE(h.blocks.size() == 1);
        REQUIRE(h.blocks[0].size() == kFrameSamples);
        CHECK(h.blocks[0][0] == 32767);
        CHECK(h.tap.channels() == 1);
    }
    SECTION("split interleaves the phone (left) and what it hears (right)") {
        Harness h(layout(RecordingTap::Layout::Split));
        h.tap.phoneAudio(said.data(), said.size());
        h.tap.tick(heard(-500));
        REQUIRE(h.blocks[0].size() == 2 * kFrameSamples);
        CHECK(h.blocks[0][0] == 1000);
        CHECK(h.blocks[0][1] == -500);
        CHECK(h.tap.channels() == 2);
    }
    SECTION("phone only ignores what the phone hears") {
        Harness h(layout(RecordingTap::Layout::PhoneOnly));
        h.tap.phoneAudio(said.data(), said.size());
        h.tap.tick(heard(7000));
        CHECK(h.blocks[0][5] == 1000);
    }
}

TEST_CASE("a late packet leaves silence in its tick and is recorded in the next",
          "[sip][RecordingTap]") {
    Harness h(layout(RecordingTap::Layout::PhoneOnly));
    h.tap.tick(heard(0));                          // nothing from the phone yet
    auto said = constant(300, 2 * kFrameSamples);  // then two packets at once
    h.tap.phoneAudio(said.data(), said.size());
    h.tap.tick(heard(0));
    h.tap.tick(heard(0));
    REQUIRE(h.blocks.size() == 3);
    CHECK(h.blocks[0][0] == 0);
    CHECK(h.blocks[1][0] == 300);
    CHECK(h.blocks[2][159] == 300);
    CHECK(h.tap.frames() == 3);
}

TEST_CASE("phone audio far ahead of the ticks keeps only the newest frames",
          "[sip][RecordingTap]") {
    auto c = layout(RecordingTap::Layout::PhoneOnly);
    c.maxBufferedFrames = 2;
    Harness h(c);
    auto old = constant(1, 3 * kFrameSamples);
    auto fresh = constant(2);
    h.tap.phoneAudio(old.data(), old.size());
    h.tap.phoneAudio(fresh.data(), fresh.size());
    CHECK(h.tap.phoneSamplesDropped() == 2 * kFrameSamples);
    h.tap.tick(heard(0));
    h.tap.tick(heard(0));
    CHECK(h.blocks[0][0] == 1);
    CHECK(h.blocks[1][0] == 2);
}

TEST_CASE("paused ticks are neither written nor counted", "[sip][RecordingTap]") {
    Harness h(layout(RecordingTap::Layout::Mix));
    h.tap.tick(heard(1));
    h.tap.setPaused(true);
    for (int i = 0; i < 10; ++i) h.tap.tick(heard(2));
    h.tap.setPaused(false);
    h.tap.tick(heard(3));
    REQUIRE(h.blocks.size() == 2);
    CHECK(h.blocks[1][0] == 3);
    CHECK(h.tap.frames() == 2);
}

TEST_CASE("maxDuration ends the recording after exactly that many frames", "[sip][RecordingTap]") {
    auto c = layout(RecordingTap::Layout::PhoneOnly);
    c.maxFrames = 150;  // 3 s
    Harness h(c);
    auto loud = constant(4000);
    for (int i = 0; i < 200; ++i) {
        h.tap.phoneAudio(loud.data(), loud.size());
        h.tap.tick(heard(0));
    }
    CHECK(h.blocks.size() == 150);
    CHECK(h.ends == 1);
    CHECK(h.reason == RecordingTap::EndReason::MaxDuration);
}

TEST_CASE("silenceTimeout ends it after that much phone silence, speech resets it",
          "[sip][RecordingTap]") {
    auto c = layout(RecordingTap::Layout::PhoneOnly);
    c.silenceFrames = 50;  // 1 s
    Harness h(c);
    auto loud = constant(3000);
    auto quiet = constant(20);
    for (int i = 0; i < 40; ++i) {  // 0.8 s of quiet, then speech: not ended
        h.tap.phoneAudio(quiet.data(), quiet.size());
        h.tap.tick(heard(20000));  // what the phone hears does not count as speech
    }
    h.tap.phoneAudio(loud.data(), loud.size());
    h.tap.tick(heard(0));
    CHECK(h.ends == 0);
    for (int i = 0; i < 60 && !h.ends; ++i) {
        h.tap.phoneAudio(quiet.data(), quiet.size());
        h.tap.tick(heard(0));
    }
    CHECK(h.reason == RecordingTap::EndReason::Silence);
    CHECK(h.blocks.size() == 41 + 50);
}

TEST_CASE("a terminating digit ends it; other digits do not; stop and hangup end it once",
          "[sip][RecordingTap]") {
    auto c = layout(RecordingTap::Layout::PhoneOnly);
    c.terminatingDigits = "#*";
    Harness h(c);
    h.tap.digit('5');
    CHECK(h.ends == 0);
    h.tap.digit('*');
    CHECK(h.reason == RecordingTap::EndReason::Digit);
    CHECK(h.digit == '*');
    h.tap.closed();
    h.tap.tick(heard(0));
    CHECK(h.ends == 1);
    CHECK(h.blocks.empty());

    Harness s(layout(RecordingTap::Layout::Mix));
    s.tap.tick(heard(0));
    s.tap.stop();
    s.tap.tick(heard(0));
    CHECK(s.reason == RecordingTap::EndReason::Stopped);
    CHECK(s.blocks.size() == 1);

    Harness g(layout(RecordingTap::Layout::Mix));
    g.tap.closed();
    CHECK(g.reason == RecordingTap::EndReason::Hangup);
}

TEST_CASE("blocks the sink refuses are counted as dropped", "[sip][RecordingTap]") {
    Harness h(layout(RecordingTap::Layout::Mix));
    h.accept = false;
    for (int i = 0; i < 5; ++i) h.tap.tick(heard(0));
    CHECK(h.tap.droppedFrames() == 5);
    CHECK(h.tap.frames() == 5);  // maxDuration still counts them: the recording ends on time
}
