#pragma once
// The ITU-T G.107 E-model (06/2015), used to estimate a call's MOS from what getStats() measures:
//   R = Ro - Is - Id - Ie,eff + A                                            (7-1)
// on the narrowband rating scale (R 0..100; G.711 without impairments rates 93.2, MOS 4.41).
// Every parameter that getStats() cannot measure (loudness ratings, room noise, sidetone, echo
// loss) keeps its G.107 Table 3 default; those make Ro and Is constants. What varies is the
// mouth-to-ear delay Ta (Id) and the packet loss (Ie,eff); A (advantage factor) is 0, as for wired
// access.

namespace sb::sdk::emodel {

// A codec's equipment impairment Ie and packet-loss robustness Bpl (G.107 §7.5, G.113).
struct Codec {
    double ie;
    double bpl;
};

// G.711 without packet loss concealment, random loss: Ie 0, Bpl 4.3 (G.113 Appendix I).
constexpr Codec kG711{0, 4.3};
// Opus as WebRTC sends it (fullband, about 32 kbit/s). G.113 lists no Opus values. Ie 0: on this
// narrowband scale, whose top is G.711's quality, Opus at WebRTC's rates is at least as good as
// G.711 in the telephone band. Bpl 10: measured for Opus super-wideband VBR at 31-40 kbit/s under
// random loss, 9.8 to 10.4 (Alahmadi, Pocta, Melvin, "An Adaptive Bitrate Switching Algorithm for
// Speech Applications in Context of WebRTC", ACM TOMM 17(4) art. 133, 2021); without Opus in-band
// FEC, so conservative where the browsers negotiate it.
constexpr Codec kOpus{0, 10};

// G.107 §7.2 and §7.3 with the Table 3 defaults: Ro = 15 - 1.5 (SLR + No), No = -61.18 dBm0p;
// Is = Iolr + Ist + Iq.
constexpr double kRo = 94.768822;
constexpr double kIs = 1.413568;

// Id = Idte + Idle + Idd (7-18) for a mouth-to-ear delay of `taMs`, with the talker echo path's
// one-way delay T = Ta and the listener echo round trip Tr = 2 Ta (an echo canceller's residual
// at the default TELR 65 dB, WEPL 110 dB); mT 100 ms, sT 1 (the default delay sensitivity).
double delayImpairment(double taMs);
// Idd alone (7-27, 7-28): 0 up to mT = 100 ms.
double absoluteDelayImpairment(double taMs);
// Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl) (7-29), `lossPercent` = Ppl in 0..100;
// BurstR 1 is random loss.
double effectiveEquipmentImpairment(Codec codec, double lossPercent, double burstR = 1);
// R (7-1) for a mouth-to-ear delay and a packet loss.
double rating(double taMs, double lossPercent, Codec codec = kOpus, double burstR = 1);
// MOS (conversational quality, MOS-CQE) from R (Annex B, B-4): 1 below 0, 4.5 above 100, else
// 1 + 0.035 R + R (R - 60) (100 - R) 7e-6.
double mos(double r);

}  // namespace sb::sdk::emodel
