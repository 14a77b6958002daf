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
}  // namespace

double absoluteDelayImpairment(double taMs) {
    if (taMs <= kMt) return 0;
    // Only exp, log and pow: the wasm takes those from JavaScript's Math (-sJS_MATH).
    double x = std::log(taMs / kMt) / std::log(2.0);  // (7-28)
    return 25 * (std::pow(1 + std::pow(x, 6), 1.0 / 6) -
                 3 * std::pow(1 + std::pow(x / 3, 6), 1.0 / 6) + 2);  // (7-27)
}

double delayImpairment(double taMs) {
    double t = taMs > 0 ? taMs : 0;
    // Talker echo (7-19 to 7-22), none below T = 1 ms.
    double idte = 0;
    if (t >= 1) {
        double roe = -1.5 * (kNo - kRlr);
        double terv = kTelr - 40 * std::log((1 + t / 10) / (1 + t / 150)) / std::log(10.0) +
                      6 * std::exp(-0.3 * t * t);
        double d = roe - (80 + 2.5 * (terv - 14));
        idte = (d / 2 + std::sqrt(d * d / 4 + 100) - 1) * (1 - std::exp(-t));
    }
    // Listener echo (7-25, 7-26) over the round trip Tr = 2 T.
    double d = kRo - 10.5 * (kWepl + 7) * std::pow(2 * t + 1, -0.25);
    double idle = d / 2 + std::sqrt(d * d / 4 + 169);
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
