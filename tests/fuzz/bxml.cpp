// Fuzzes BXML parsing (bxml::parse, what every answer/redirect callback reply goes through):
// arbitrary documents, with the verbs, attributes and limits of the BXML reference. Refusals are
// BxmlError; findings are crashes, sanitizer reports, other exceptions, or a parsed document that
// breaks its own limits (verbs, transfer targets, digits, tags, URLs).
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

#include "server/voice/Bxml.hpp"

using namespace sb::voice::bxml;

namespace {

void checkVerb(const Verb& verb) {
    if (verbName(verb).empty()) __builtin_trap();
    std::visit(
        [](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Transfer>) {
                if (v.targets.empty() || v.targets.size() > kMaxTransferTargets) __builtin_trap();
                for (const auto& t : v.targets) {
                    if (destinationOf(t).empty()) __builtin_trap();
                    const auto& cb = callbacksOf(t);
                    if (cb.transferAnswer && cb.transferAnswer->url.size() > kMaxUrlLength)
                        __builtin_trap();
                    if (cb.tag && cb.tag->size() > kMaxTagLength) __builtin_trap();
                }
                if (v.callTimeout && (*v.callTimeout < 1 || *v.callTimeout > 300)) __builtin_trap();
            } else if constexpr (std::is_same_v<T, SendDtmf>) {
                if (v.digits.empty() || v.digits.size() > kMaxDtmfDigits) __builtin_trap();
                if (!(v.toneDuration >= 50 && v.toneDuration <= 5000)) __builtin_trap();
                if (!(v.toneInterval >= 50 && v.toneInterval <= 5000)) __builtin_trap();
            } else if constexpr (std::is_same_v<T, Pause> || std::is_same_v<T, Ring>) {
                if (!(v.duration >= 0.1 && v.duration <= 86400)) __builtin_trap();
            } else if constexpr (std::is_same_v<T, Redirect>) {
                if (v.redirect.url.empty() || v.redirect.url.size() > kMaxUrlLength)
                    __builtin_trap();
            } else if constexpr (std::is_same_v<T, Tag>) {
                if (v.value.size() > kMaxTagLength) __builtin_trap();
            }
        },
        verb);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view document(reinterpret_cast<const char*>(data), size);
    try {
        auto verbs = parse(document);
        if (verbs.size() > kMaxVerbs) __builtin_trap();
        for (const auto& v : verbs) checkVerb(v);
    } catch (const BxmlError&) {
    }
    return 0;
}
