#include "server/bridge/Diversion.hpp"

namespace sb::bridge {

bool keepableDiversion(std::string_view value) {
    if (value.empty() || value.size() > kMaxDiversionValueLength) return false;
    for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t') return false;  // CR, LF and other controls: never re-sent
        if (u == 0x7f) return false;
    }
    return true;
}

namespace {

// A URI user part we write ourselves: a number or a plain name (RFC 3261 §25.1 unreserved
// characters and '+'); anything else (a sip: URI as a call's `to`) gets no stacked entry.
bool plainUser(std::string_view user) {
    if (user.empty() || user.size() > 64) return false;
    for (char c : user) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z') || c == '+' || c == '-' || c == '.' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::vector<std::string> forwardedDiversion(const DiversionRequest& request) {
    std::vector<std::string> out;
    if (request.treatment != "propagate" && request.treatment != "stack") return out;
    if (request.treatment == "stack" && plainUser(request.divertingNumber)) {
        const std::string_view reason = request.reason.empty() ? "unknown" : request.reason;
        std::string top = "<sip:";
        top += request.divertingNumber;
        top += '@';
        top += request.host;
        top += ">;reason=";
        top += reason;
        top += ";counter=1";
        out.push_back(std::move(top));
    }
    if (request.received) {
        for (const auto& value : *request.received) {
            if (out.size() >= kMaxDiversionValues + 1) break;  // ours + the kept ones
            if (keepableDiversion(value)) out.push_back(value);
        }
    }
    return out;
}

}  // namespace sb::bridge
