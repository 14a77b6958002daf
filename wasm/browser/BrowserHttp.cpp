#include "wasm/browser/BrowserHttp.hpp"

namespace sb::sdk::browser {

void BrowserHttp::get(const std::string& url, Fn<void(int, const std::string&)> done) {
    val init = val::object();
    init.set("cache", std::string("no-store"));
    TryResult request = tryCall(val::global(), "fetch", args(val(url), init));
    if (!request.ok) {
        // fetch() itself throws only on a malformed URL: as unreachable as it gets.
        JsCallbacks::then(val::global("Promise").call<val>("resolve"),
                          [done](bool, val) { done(0, ""); });
        return;
    }
    JsCallbacks::then(request.value, [done](bool ok, val response) {
        // A rejected fetch is a network error (Fetch §4.1): the server cannot be reached.
        if (!ok) return done(0, "");
        int status = response["status"].as<int>();
        JsCallbacks::then(response.call<val>("text"), [done, status](bool textOk, val body) {
            done(status, textOk ? body.as<std::string>() : std::string());
        });
    });
}

}  // namespace sb::sdk::browser
