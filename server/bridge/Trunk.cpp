#include "server/bridge/Trunk.hpp"

#include <sofia-sip/url.h>

#include "server/net/HttpError.hpp"

namespace sb::bridge {

namespace {

// "sip:user@host:port;params" → "host:port" (port 5060 when absent).
std::string hostPortOf(const std::string& uri) {
    std::string rest = uri.rfind("sip:", 0) == 0 ? uri.substr(4) : uri;
    auto at = rest.find('@');
    if (at != std::string::npos) rest = rest.substr(at + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    if (rest.find(':') == std::string::npos) rest += ":5060";
    return rest;
}

// The trunk's own host, when it is an address (sofia's parser, not ours).
std::vector<std::string> hostOf(const std::string& trunk) {
    std::vector<std::string> hosts;
    auto* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
    if (url_t* url = url_make(home, trunk.c_str()); url && url->url_host) {
        std::string host = url->url_host;
        if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
        boost::system::error_code ec;
        asio::ip::make_address(host, ec);
        if (!ec) hosts.push_back(host);
    }
    su_home_unref(home);
    return hosts;
}

}  // namespace

Trunk::Trunk(std::shared_ptr<BridgeCalls> calls) : calls_(std::move(calls)) {
    const auto& config = calls_->config();
    if (!config.trunkAddresses.empty()) {
        try {
            addresses_ = AddressList(config.trunkAddresses);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(std::string("sipTrunkAddresses: ") + e.what());
        }
    } else if (!config.trunk.empty()) {
        if (auto hosts = hostOf(config.trunk); !hosts.empty()) addresses_ = AddressList(hosts);
    }
}

bool Trunk::isOwnUri(const std::string& uri) const {
    auto hp = hostPortOf(uri);
    const auto port = std::to_string(calls_->sipPort());
    const auto& sip = calls_->config().sip;
    return hp == sip.bindAddress + ":" + port || hp == sip.advertisedHost() + ":" + port ||
           hp == "sipx.webrtc.bandwidth.com:5060" || hp == "localhost:" + port;
}

std::string Trunk::uriFor(const std::string& to) const {
    const auto& trunk = calls_->config().trunk;
    if (trunk.empty())
        throw net::HttpError(net::ErrorCode::Internal,
                             "no SIP trunk is configured for outbound calls");
    auto trunkHost = hostPortOf(trunk);
    if (to.rfind("sip:", 0) == 0) {
        if (hostPortOf(to) != trunkHost)
            throw net::HttpError(net::ErrorCode::Forbidden,
                                 "sip: destinations must go through the configured trunk", "to");
        return to;
    }
    return "sip:" + to + "@" + trunkHost;
}

std::shared_ptr<BridgeCall> Trunk::dial(const std::string& pendingId, Dial dial,
                                        std::string& error) {
    auto call = calls_->create(pendingId, nullptr, error);  // its ports are in our offer
    if (!call) return nullptr;
    const auto& config = calls_->config();
    sip::OutboundCall oc;
    oc.toUri = dial.toUri;
    oc.fromUri = dial.from.rfind("sip:", 0) == 0
                     ? dial.from
                     : "sip:" + dial.from + "@" + config.sip.advertisedHost();
    if (!dial.displayName.empty()) {
        // createCall's displayName: the From display name as a quoted-string, '"' and '\' escaped
        // as quoted-pairs (RFC 3261 §25.1); VoiceApi has refused control characters.
        std::string quoted;
        for (char c : dial.displayName) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        oc.fromUri = "\"" + quoted + "\" <" + oc.fromUri + ">";
    }
    oc.userToUser = dial.userToUser;
    oc.diversion = std::move(dial.diversion);
    oc.local.address = config.sdpAddress();
    oc.local.port = call->pipeline->phonePort();
    oc.timeout =
        std::chrono::seconds(static_cast<long>(dial.timeoutSeconds > 0 ? dial.timeoutSeconds : 30));
    calls_->rename(call, calls_->endpoint().dial(oc));
    call->inbound = false;
    return call;
}

}  // namespace sb::bridge
