#include "server/sip/endpoint/SofiaInfo.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>

#include <algorithm>
#include <chrono>
#include <string_view>

#include "server/sip/endpoint/DtmfInfo.hpp"

namespace sb::sip {

SofiaInfo::SofiaInfo(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaStack& stack)
    : config_(config), sink_(sink), stack_(stack) {}

bool SofiaInfo::takeInfoToken(SofiaCall& call) {
    // A token bucket per call: infoPerSecond tokens a second, at most infoPerSecond saved.
    const double rate = config_.infoPerSecond;
    const auto now = std::chrono::steady_clock::now();
    if (call.infoTokens < 0) {
        call.infoTokens = rate;
    } else {
        const std::chrono::duration<double> elapsed = now - call.infoRefilled;
        call.infoTokens = std::min(rate, call.infoTokens + elapsed.count() * rate);
    }
    call.infoRefilled = now;
    if (call.infoTokens < 1) return false;
    call.infoTokens -= 1;
    return true;
}

void SofiaInfo::onInfo(nua_handle_t* nh, SofiaCall* call, sip_t const* sip) {
    if (!call) {
        // An INFO outside any dialog arrives on a handle of its own: refuse it and drop the
        // handle (no nua_i_state will come for it).
        nua_respond(nh, SIP_481_NO_TRANSACTION, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
        nua_handle_destroy(nh);
        return;
    }
    if (!call->live || !sip) {
        nua_respond(nh, SIP_481_NO_TRANSACTION, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
        return;
    }
    if (!takeInfoToken(*call)) {
        nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
        return;
    }
    const sip_payload_t* payload = sip->sip_payload;
    const std::string_view bodyText = payload && payload->pl_data
                                          ? std::string_view(payload->pl_data, payload->pl_len)
                                          : std::string_view{};
    if (bodyText.size() > config_.infoMaxBodyBytes) {
        nua_respond(nh, SIP_413_REQUEST_TOO_LARGE, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
        return;
    }
    const sip_content_type_t* ct = sip->sip_content_type;
    const std::string_view type =
        ct && ct->c_type ? std::string_view(ct->c_type) : std::string_view{};
    const DtmfInfo info = parseDtmfInfo(type, bodyText);
    switch (info.kind) {
        case DtmfInfo::Kind::Unsupported:
            nua_respond(nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR(kDtmfInfoAccept),
                        NUTAG_WITH_THIS(stack_.nua()), TAG_END());
            return;
        case DtmfInfo::Kind::Malformed:
            nua_respond(nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
            return;
        case DtmfInfo::Kind::Empty:
        case DtmfInfo::Kind::NotADigit:
            nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
            return;
        case DtmfInfo::Kind::Digit:
            break;
    }
    nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(stack_.nua()), TAG_END());
    // One key press is one INFO transaction: sofia absorbs retransmissions, and a new request
    // that reuses the CSeq of the last reported digit is the same press sent again.
    const std::uint32_t cseq = sip->sip_cseq ? sip->sip_cseq->cs_seq : 0;
    if (call->digitSeen && cseq <= call->lastDigitCSeq) return;
    call->digitSeen = true;
    call->lastDigitCSeq = cseq;
    sink_.digit(call->id, info.digit);
}

}  // namespace sb::sip
