#include "server/sip/endpoint/SofiaCallTable.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag.h>

#include <cstdio>
#include <random>

namespace sb::sip {

namespace {

std::string randomPrefix() {
    std::random_device rd;
    std::uniform_int_distribution<std::uint32_t> dist;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", dist(rd));
    return buf;
}

}  // namespace

SofiaCallTable::SofiaCallTable() : idPrefix_(randomPrefix()) {}

std::string SofiaCallTable::newCallId() {
    return "sip-" + idPrefix_ + "-" + std::to_string(nextId_.fetch_add(1));
}

SofiaCall* SofiaCallTable::find(const std::string& callId) {
    auto it = calls_.find(callId);
    return it == calls_.end() ? nullptr : it->second.get();
}

SofiaCall& SofiaCallTable::add(std::unique_ptr<SofiaCall> owned) {
    SofiaCall& c = *owned;
    nua_handle_bind(c.nh, &c);
    calls_.emplace(c.id, std::move(owned));
    ++active_;
    return c;
}

void SofiaCallTable::retire(SofiaCall& call) {
    if (!call.live) return;
    call.live = false;
    --active_;
}

void SofiaCallTable::endLocally(SofiaCall& call, bool stopping) {
    retire(call);
    if (call.endSent) return;
    call.endSent = true;
    if (call.inbound && !call.answered) {
        if (stopping)
            nua_respond(call.nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
        else
            nua_respond(call.nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
    } else if (!call.inbound && !call.answered) {
        nua_cancel(call.nh, TAG_END());
    } else {
        nua_bye(call.nh, TAG_END());
    }
}

void SofiaCallTable::endAllStopping() {
    for (auto& entry : calls_) endLocally(*entry.second, true);
}

void SofiaCallTable::release(SofiaCall& call) {
    retire(call);
    if (call.timer) su_timer_destroy(call.timer);
    nua_handle_bind(call.nh, nullptr);
    nua_handle_destroy(call.nh);
    const std::string id = call.id;  // a copy: erase() destroys `call`
    calls_.erase(id);
}

void SofiaCallTable::releaseAll() {
    while (!calls_.empty()) release(*calls_.begin()->second);
}

void SofiaCallTable::clear() {
    for (auto& entry : calls_) {
        if (entry.second->timer) su_timer_destroy(entry.second->timer);
    }
    calls_.clear();
}

}  // namespace sb::sip
