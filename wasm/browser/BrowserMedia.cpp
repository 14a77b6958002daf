#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

void BrowserMedia::getUserMedia(const std::string& constraintsJson,
                                Fn<void(const Error&, const LocalStream&)> done) {
    sb_media_get(constraintsJson.c_str(), js::add(
                                              [done](int ok, int, const std::string& text) {
                                                  if (!ok) return done(rejection(text), {});
                                                  done({}, describe(text));
                                              },
                                              true));
}

// String(error) of getUserMedia's rejection is "Name: message" for a DOMException or an
// Error; the core classifies by the name (errors::userMedia).
Error BrowserMedia::rejection(const std::string& text) {
    auto colon = text.find(": ");
    std::string name = text.substr(0, colon);
    bool named = colon != std::string::npos && name.size() > 5 &&
                 name.compare(name.size() - 5, 5, "Error") == 0 &&
                 name.find(' ') == std::string::npos;
    return named ? errors::userMedia(name, text.substr(colon + 2)) : errors::userMedia("", text);
}

LocalStream BrowserMedia::describe(const std::string& lines) {
    auto fields = js::split(lines);
    LocalStream out{fields[0], {}};
    for (std::size_t i = 1; i + 1 < fields.size(); i += 2)
        out.tracks.push_back(LocalTrack{fields[i], fields[i + 1]});
    return out;
}

}  // namespace sb::sdk::browser
