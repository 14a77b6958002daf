// Summing with saturation, silence, inputs joining and leaving.
#include <catch2/catch.hpp>

#include "server/sip/media/Mixer.hpp"

using namespace sb::sip::media;

namespace {
PcmFrame filled(std::int16_t v) {
    PcmFrame f;
    f.fill(v);
    return f;
}
PcmFrame ramp(int step) {
    PcmFrame f;
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = static_cast<std::int16_t>(int(i) * step);
    return f;
}
}  // namespace

TEST_CASE("Mixer sums known vectors", "[sip][media][Mixer]") {
    Mixer m;
    REQUIRE(m.addInput(1));
    REQUIRE(m.addInput(2));
    CHECK_FALSE(m.addInput(1));
    m.push(1, ramp(10));
    m.push(2, ramp(-3));
    PcmFrame out;
    CHECK(m.mix(out) == 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        CHECK(out[i] == static_cast<std::int16_t>(int(i) * 7));
}

TEST_CASE("Mixer saturates instead of wrapping", "[sip][media][Mixer]") {
    Mixer m;
    m.addInput(1);
    m.addInput(2);
    m.addInput(3);
    m.push(1, filled(30000));
    m.push(2, filled(30000));
    m.push(3, filled(-10000));
    PcmFrame out;
    m.mix(out);
    CHECK(out[0] == 32767);  // 50000 clipped, not wrapped
    m.push(1, filled(-30000));
    m.push(2, filled(-30000));
    m.mix(out);
    CHECK(out[159] == -32768);
    PcmFrame a = filled(20000);
    Mixer::addInto(a, filled(20000));
    CHECK(a[5] == 32767);
}

TEST_CASE("Mixer gives silence when nothing was pushed and forgets frames after mixing",
          "[sip][media][Mixer]") {
    Mixer m;
    PcmFrame out = filled(5);
    CHECK(m.mix(out) == 0);
    CHECK(out == filled(0));
    m.addInput(9);
    m.push(9, filled(100));
    CHECK(m.mix(out) == 1);
    CHECK(out[0] == 100);
    CHECK(m.mix(out) == 0);  // not pushed again: the input is silent this period
    CHECK(out[0] == 0);
    m.push(9, filled(1));
    m.push(9, filled(2));  // a second push replaces the first
    m.mix(out);
    CHECK(out[0] == 2);
}

TEST_CASE("Mixer inputs join and leave at any time", "[sip][media][Mixer]") {
    Mixer m;
    CHECK_FALSE(m.push(4, filled(1)));  // unknown input
    m.addInput(4);
    m.push(4, filled(1000));
    m.addInput(5);  // joins mid-period
    m.push(5, filled(10));
    PcmFrame out;
    CHECK(m.mix(out) == 2);
    CHECK(out[0] == 1010);
    m.push(4, filled(1000));
    m.push(5, filled(10));
    CHECK(m.removeInput(4));  // leaves with a pending frame: it is dropped
    CHECK_FALSE(m.removeInput(4));
    CHECK(m.mix(out) == 1);
    CHECK(out[0] == 10);
    CHECK(m.inputCount() == 1);
    CHECK(m.hasInput(5));
    CHECK_FALSE(m.hasInput(4));
}
