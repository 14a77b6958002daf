#pragma once
// HttpPort over fetch() (WHATWG Fetch §5.1), through library.js: the probe that tells why a
// WebSocket was refused.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserHttp : public HttpPort {
  public:
    void get(const std::string& url, Fn<void(int, const std::string&)> done) override {
        // A rejected fetch is a network error (Fetch §4.1): status 0, the server cannot be reached.
        sb_http_get(url.c_str(), js::add([done](int status, int,
                                                const std::string& body) { done(status, body); },
                                         true));
    }
};

}  // namespace sb::sdk::browser
