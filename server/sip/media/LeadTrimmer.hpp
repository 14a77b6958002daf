#pragma once
// Cuts the near silence before a sentence's first word (issue 9: TTS start under 150 ms). flite's
// voices begin every utterance with a pause: 140–330 ms under about -40 dBFS before the first
// word (slt 190–240 ms; measured 2026-12-07 for the four voices), which a caller hears as the
// prompt starting that much late even though its first packet left at once. The SpeechService
// passes the first phrase of each sentence through this and keeps kLeadIn of it before the first
// sample of magnitude kLoud, so the word starts about 20 ms in, most soft beginnings (an "h", an
// "f") still there.
//
// Only samples that come before a loud one are dropped, so a phrase that never gets loud is kept
// whole (never trimmed to nothing). Work and memory are bounded: at most kMaxHeld samples are
// held and scanned; a phrase with a longer quiet start is passed on untouched from there.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sb::sip::media {

class LeadTrimmer {
  public:
    // About -38 dBFS: 4 times the lead-in's floor (its samples stay under 100), below the onset
    // of soft consonants (the voices are calibrated to peaks of about -2 dBFS, SpeechSynthesizer).
    static constexpr int kLoud = 400;
    static constexpr std::size_t kLeadIn = 160;    // 20 ms at 8 kHz: a natural start, no click
    static constexpr std::size_t kMaxHeld = 4800;  // 600 ms: longer than any voice's lead-in

    // Takes the next samples; `out` gets what may be played now (nothing while still quiet).
    void push(const std::int16_t* samples, std::size_t count, std::vector<std::int16_t>& out);
    // The phrase ended: `out` gets whatever is still held (a quiet phrase, kept whole).
    void finish(std::vector<std::int16_t>& out);
    // True once the lead-in is decided: every later sample goes straight through.
    bool passing() const { return passing_; }
    std::size_t trimmed() const { return trimmed_; }  // samples dropped

  private:
    void release(std::size_t from, std::vector<std::int16_t>& out);

    std::vector<std::int16_t> held_;
    bool passing_ = false;
    std::size_t trimmed_ = 0;
};

}  // namespace sb::sip::media
