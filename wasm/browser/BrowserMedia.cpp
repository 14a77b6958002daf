#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

void BrowserMedia::getUserMedia(const std::string& constraintsJson,
                                Fn<void(const Error&, const LocalStream&)> done) {
    sb_media_get(constraintsJson.c_str(), js::add(
                                              [done](int ok, int, const std::string& text) {
                                                  if (!ok) return done(errors::media(text), {});
                                                  done({}, describe(text));
                                              },
                                              true));
}

LocalStream BrowserMedia::describe(const std::string& lines) {
    auto fields = js::split(lines);
    LocalStream out{fields[0], {}};
    for (std::size_t i = 1; i + 1 < fields.size(); i += 2)
        out.tracks.push_back(LocalTrack{fields[i], fields[i + 1]});
    return out;
}

}  // namespace sb::sdk::browser
