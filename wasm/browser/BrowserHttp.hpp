#pragma once
// HttpPort over fetch() (WHATWG Fetch §5.1), through emscripten::val: the probe that tells why a
// WebSocket was refused.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserHttp : public HttpPort {
  public:
    void get(const std::string& url, Fn<void(int, const std::string&)> done) override {
        val init = js::object(R"({"cache":"no-store"})");
        // fetch() throws only for a malformed URL; a rejection is a network error (Fetch §4.1):
        // status 0, the server cannot be reached. Both arrive as a failed settle.
        js::settle(web::jsTry(val::global(), "fetch", url, init), Step{std::move(done), -1});
    }

  private:
    // Both steps of the probe, as one callback type: the response (status -1), then its body.
    struct Step {
        Fn<void(int, const std::string&)> done;
        int status;
        void operator()(const val& ok, const val& value) const {
            if (status < 0) {
                if (!ok.isTrue()) return done(0, {});
                js::settle(web::jsTry(value, "text"),
                           Step{done, js::get(value, "status").as<int>()});
                return;
            }
            // The probe reads a short JSON error body; a longer one is not read (64 KiB).
            auto text = ok.isTrue() ? js::boundedString(value, 64 * 1024) : std::nullopt;
            done(status, text ? *text : std::string());
        }
    };
};

}  // namespace sb::sdk::browser
