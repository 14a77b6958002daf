// The G.107 E-model (wasm/core/EModel.hpp) against values worked out by hand from the
// recommendation's formulas, each written next to its expectation.
#include <catch2/catch.hpp>

#include "wasm/core/EModel.hpp"

using namespace sb::sdk;
using Catch::Detail::Approx;

TEST_CASE("E-model: the default parameters rate R 93.2, MOS 4.41", "[wasm][emodel]") {
    // No delay, no loss: R = Ro - Is - Idle(Tr = 0) = 94.769 - 1.414 - 0.149 (G.107 §7.7:
    // "R = 93.2" with every default).
    double r = emodel::rating(0, 0, emodel::kG711);
    CHECK(r == Approx(93.206).margin(0.005));
    // 1 + 0.035 * 93.206 + 93.206 * 33.206 * 6.794 * 7e-6 = 4.409
    CHECK(emodel::mos(r) == Approx(4.409).margin(0.001));
    // Idle at Tr = 0: Rle = 10.5 * 117 = 1228.5; d = 94.769 - 1228.5 = -1133.73;
    // d / 2 + sqrt(d² / 4 + 169) = 0.149.
    CHECK(emodel::delayImpairment(0) == Approx(0.149).margin(0.001));
}

TEST_CASE("E-model: Id for mouth-to-ear delays of 100, 200 and 400 ms", "[wasm][emodel]") {
    // Idd (7-27), X = log2(Ta / 100): 25 {(1 + X^6)^(1/6) - 3 (1 + (X / 3)^6)^(1/6) + 2}.
    // Ta 100: X = 0, 25 (1 - 3 + 2) = 0.
    CHECK(emodel::absoluteDelayImpairment(100) == 0);
    CHECK(emodel::absoluteDelayImpairment(50) == 0);
    // Ta 200: X = 1, 25 (2^(1/6) - 3 (730/729)^(1/6) + 2) = 25 (1.122462 - 3.000686 + 2) = 3.044
    CHECK(emodel::absoluteDelayImpairment(200) == Approx(3.0444).margin(0.0005));
    // Ta 400: X = 2, 25 (65^(1/6) - 3 (1 + 64/729)^(1/6) + 2) = 25 (2.005175 - 3.042371 + 2)
    // = 24.070
    CHECK(emodel::absoluteDelayImpairment(400) == Approx(24.070).margin(0.001));

    // Id = Idte + Idle + Idd (7-18), T = Ta, Tr = 2 Ta, TELR 65, WEPL 110:
    // Idte: TERV = 65 - 40 lg((1 + T/10) / (1 + T/150)) (+ 6 e^(-0.3 T²), 0 here),
    //       Re = 80 + 2.5 (TERV - 14), d = Roe - Re with Roe = 94.769,
    //       Idte = d/2 + sqrt(d²/4 + 100) - 1;
    // Idle: Rle = 10.5 * 117 * (Tr + 1)^(-1/4), d = Ro - Rle, Idle = d/2 + sqrt(d²/4 + 169).
    // Ta 100: TERV 32.218, Re 125.55, Idte 1.964; Rle 326.27, Idle 0.728; Id = 2.692.
    CHECK(emodel::delayImpairment(100) == Approx(2.692).margin(0.001));
    // Ta 200: TERV 26.830, Re 112.08, Idte 3.571; Rle 274.53, Idle 0.935; Idd 3.044; Id = 7.551.
    CHECK(emodel::delayImpairment(200) == Approx(7.551).margin(0.001));
    // Ta 400: TERV 23.060, Re 102.65, Idte 5.808; Rle 230.92, Idle 1.230; Idd 24.070;
    // Id = 31.108.
    CHECK(emodel::delayImpairment(400) == Approx(31.108).margin(0.001));
}

TEST_CASE("E-model: G.711 under 1 % and 5 % random packet loss", "[wasm][emodel]") {
    // Ie,eff = 0 + 95 * Ppl / (Ppl + 4.3) (7-29, BurstR 1); R = 93.206 - Ie,eff.
    // 1 %: 95 / 5.3 = 17.925, R = 75.282, MOS = 1 + 2.6349 + 75.282 * 15.282 * 24.718 * 7e-6
    // = 3.834
    CHECK(emodel::effectiveEquipmentImpairment(emodel::kG711, 1) == Approx(17.925).margin(0.001));
    double r1 = emodel::rating(0, 1, emodel::kG711);
    CHECK(r1 == Approx(75.282).margin(0.005));
    CHECK(emodel::mos(r1) == Approx(3.834).margin(0.001));
    // 5 %: 475 / 9.3 = 51.075, R = 42.131, MOS = 1 + 1.4746 + 42.131 * (-17.869) * 57.869 * 7e-6
    // = 2.170
    CHECK(emodel::effectiveEquipmentImpairment(emodel::kG711, 5) == Approx(51.075).margin(0.001));
    double r5 = emodel::rating(0, 5, emodel::kG711);
    CHECK(r5 == Approx(42.131).margin(0.005));
    CHECK(emodel::mos(r5) == Approx(2.170).margin(0.001));
    // Bursty loss hurts more: BurstR 2 at 5 %: 475 / (2.5 + 4.3) = 69.853.
    CHECK(emodel::effectiveEquipmentImpairment(emodel::kG711, 5, 2) ==
          Approx(69.853).margin(0.001));
}

TEST_CASE("E-model: Opus (Ie 0, Bpl 10) and the MOS bounds", "[wasm][emodel]") {
    // 25 % loss: Ie,eff = 95 * 25 / 35 = 67.857, R = 25.349, MOS = 1 + 0.8872
    // + 25.349 * (-34.651) * 74.651 * 7e-6 = 1.428: what the browser test injects.
    CHECK(emodel::mos(emodel::rating(0, 25)) == Approx(1.428).margin(0.001));
    // 1 %: 95 / 11 = 8.636, R = 84.570, MOS 4.184.
    CHECK(emodel::mos(emodel::rating(0, 1)) == Approx(4.184).margin(0.001));
    CHECK(emodel::mos(-5) == 1);
    CHECK(emodel::mos(0) == 1);
    CHECK(emodel::mos(100) == Approx(4.5));
    CHECK(emodel::mos(120) == 4.5);
    // A negative delay or loss (counters gone backwards) counts as none.
    CHECK(emodel::rating(-10, -1) == Approx(emodel::rating(0, 0)));
}
