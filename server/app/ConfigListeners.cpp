// The config keys of the listeners: http, tls, adminHttp (Config.cpp reads the others).

#include "server/app/ConfigJson.hpp"

namespace sb::app {

using config_json::bad;
using config_json::get;

HostPort parseHostPort(const std::string& text, const std::string& key) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        bad(key, "expected ADDRESS:PORT, got \"" + text + "\"");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    int port = -1;
    try {
        std::size_t used = 0;
        port = std::stoi(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) port = -1;
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535) bad(key, "port must be 0..65535 in \"" + text + "\"");
    return {host, static_cast<std::uint16_t>(port)};
}

namespace config_json {

void setHttp(const std::string& text, Config& c, const std::string& key) {
    auto hp = parseHostPort(text, key);
    c.httpAddress = hp.host;
    c.httpPort = hp.port;
}

TlsConfig parseTls(const nlohmann::json& v) {
    if (!v.is_object()) bad("tls", "must be an object with certFile and keyFile");
    TlsConfig t;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string key = "tls." + it.key();
        if (it.key() == "certFile")
            t.certFile = get<std::string>(it.value(), key);
        else if (it.key() == "keyFile")
            t.keyFile = get<std::string>(it.value(), key);
        else if (it.key() == "redirectHttp") {
            if (!it.value().is_null()) t.redirectHttp = get<std::string>(it.value(), key);
        } else if (it.key().rfind('_', 0) != 0) {
            bad(key, "unknown key");
        }
    }
    if (t.certFile.empty()) bad("tls.certFile", "is required (a PEM certificate chain)");
    if (t.keyFile.empty()) bad("tls.keyFile", "is required (a PEM private key)");
    if (t.redirectHttp) parseHostPort(*t.redirectHttp, "tls.redirectHttp");
    return t;
}

}  // namespace config_json
}  // namespace sb::app
