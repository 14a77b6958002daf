#include "wasm/core/EModel.hpp"

#include <cmath>

namespace sb::sdk::emodel {

namespace {
// Table 3 defaults that the delay terms read.
constexpr double kNo = -61.179214;  // (7-3), dBm0p
constexpr double kRlr = 2;
constexpr double kTelr = 65;
constexpr double kWepl = 110;
constexpr double kMt = 100;
constexpr double kLog10e = 0.43429448190325182;  // 1 / ln 10: lg x = kLog10e ln x
constexpr double kLog2e = 1.4426950408889634;    // 1 / ln 2

// The constants below are folded here rather than left to the compiler, which keeps IEEE order
// (each one left standing is 9 bytes of the wasm, bench/size/).

// x / 2 + sqrt(x^2 / 4 + c): the shape of Idte (7-19) and Idle (7-25).
[[gnu::noinline]] double half(double x, double c) {
    return x / 2 + std::sqrt(x * x / 4 + c);
}
// (1 + y^6)^(1/6), twice in Idd (7-27), as e^(ln(1 + y^6) / 6): no pow import.
[[gnu::noinline]] double root6(double y) {
    double y2 = y * y;
    return std::exp(std::log(1 + y2 * y2 * y2) / 6);
}
}  // namespace

double absoluteDelayImpairment(double taMs) {
    if (taMs <= kMt) return 0;
    // Only exp and log (and sqrt, a wasm instruction): the wasm takes them from JavaScript's Math
    // (-sJS_MATH).
    double x = std::log(taMs / kMt) * kLog2e;       // (7-28)
    return 25 * (root6(x) - 3 * root6(x / 3) + 2);  // (7-27)
}

double delayImpairment(double taMs) {
    double t = taMs > 0 ? taMs : 0;
    // Talker echo (7-19 to 7-22), none below T = 1 ms: Roe - (80 + 2.5 (TERV - 14)) with
    // Roe = -1.5 (No - RLR) and TERV = TELR - 40 lg((1 + T/10) / (1 + T/150)) + 6 e^(-0.3 T^2).
    double idte = 0;
    if (t >= 1) {
        constexpr double kD = -1.5 * (kNo - kRlr) - 80 - 2.5 * (kTelr - 14);
        double d = kD + 2.5 * 40 * kLog10e * std::log((1 + t / 10) / (1 + t / 150)) -
                   2.5 * 6 * std::exp(-0.3 * t * t);
        idte = (half(d, 100) - 1) * (1 - std::exp(-t));
    }
    // Listener echo (7-25, 7-26) over the round trip Tr = 2 T; (1 + Tr)^(-1/4) as two square
    // roots (no pow import).
    double idle = half(kRo - 10.5 * (kWepl + 7) * (1 / std::sqrt(std::sqrt(2 * t + 1))), 169);
    return idte + idle + absoluteDelayImpairment(t);
}

double effectiveEquipmentImpairment(Codec codec, double lossPercent, double burstR) {
    double ppl = lossPercent > 0 ? lossPercent : 0;
    return codec.ie + (95 - codec.ie) * ppl / (ppl / burstR + codec.bpl);
}

double rating(double taMs, double lossPercent, Codec codec, double burstR) {
    return kRo - kIs - delayImpairment(taMs) -
           effectiveEquipmentImpairment(codec, lossPercent, burstR);
}

double mos(double r) {
    if (r < 0) return 1;
    if (r > 100) return 4.5;
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

}  // namespace sb::sdk::emodel
