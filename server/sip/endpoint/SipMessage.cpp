#include "server/sip/endpoint/SipMessage.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_string.h>

namespace sb::sip {

namespace {

struct TempHome {
    su_home_t* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
    ~TempHome() { su_home_unref(home); }
};

}  // namespace

std::string headerText(const void* header) {
    if (!header) return {};
    TempHome t;
    char* s = sip_header_as_string(t.home, static_cast<const sip_header_t*>(header));
    return s ? s : "";
}

std::string urlText(const url_t* url) {
    if (!url) return {};
    TempHome t;
    char* s = url_as_string(t.home, url);
    return s ? s : "";
}

bool hasSdp(const sip_t* sip) {
    return sip && sip->sip_payload && sip->sip_payload->pl_data && sip->sip_content_type &&
           sip->sip_content_type->c_type && su_casematch(sip->sip_content_type->c_type, kSdpType);
}

std::string_view body(const sip_t* sip) {
    return {sip->sip_payload->pl_data, static_cast<std::size_t>(sip->sip_payload->pl_len)};
}

bool hasLineBreak(const std::string& s) {
    return s.find_first_of("\r\n") != std::string::npos;
}

const char* standardPhrase(int status) {
    const char* p = sip_status_phrase(status);
    return p ? p : "";
}

std::string userOf(const url_t* url) {
    return url && url->url_user ? url->url_user : "";
}

std::string sourceOf(msg_t* msg) {
    const su_addrinfo_t* ai = msg ? msg_addrinfo(msg) : nullptr;
    if (!ai || !ai->ai_addr) return {};
    char buf[INET6_ADDRSTRLEN] = {};
    if (ai->ai_addr->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
        if (inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) return buf;
    } else if (ai->ai_addr->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
        if (inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf)) return buf;
    }
    return {};
}

RemoteMedia remoteFrom(const AudioDescription& d) {
    RemoteMedia r;
    r.address = d.address;
    r.port = d.port;
    r.telephoneEventPt = d.telephoneEventPt;
    r.sends = d.sends;
    r.receives = d.receives;
    return r;
}

std::vector<std::string> unknownHeaderValues(const sip_t* sip, const char* name,
                                             std::size_t maxCount, std::size_t maxLength) {
    std::vector<std::string> out;
    if (!sip) return out;
    for (const sip_unknown_t* u = sip->sip_unknown; u && out.size() < maxCount; u = u->un_next) {
        if (!u->un_name || !u->un_value || !su_casematch(u->un_name, name)) continue;
        std::string_view value(u->un_value);
        if (!value.empty() && value.size() <= maxLength) out.emplace_back(value);
    }
    return out;
}

}  // namespace sb::sip
