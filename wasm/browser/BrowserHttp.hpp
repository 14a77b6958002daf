#pragma once
// HttpPort over fetch() (WHATWG Fetch §5.1): the probe that tells why a WebSocket was refused.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserHttp : public HttpPort {
  public:
    void get(const std::string& url, Fn<void(int, const std::string&)> done) override;
};

}  // namespace sb::sdk::browser
