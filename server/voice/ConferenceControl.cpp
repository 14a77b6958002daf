#include "server/voice/ConferenceControl.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "server/base/Log.hpp"
#include "server/net/HttpError.hpp"
#include "server/voice/ConferenceEvents.hpp"
#include "server/voice/ConferenceRegistry.hpp"

namespace sb::voice {

namespace {

net::HttpError completed(const std::string& conferenceId) {
    return net::HttpError(net::ErrorCode::Conflict, "conference " + conferenceId + " has completed",
                          "conferenceId");
}

}  // namespace

ConferenceControl::ConferenceControl(ConferenceRegistry& registry, ConferenceEvents& events,
                                     Clock clock)
    : registry_(registry), events_(events), clock_(std::move(clock)) {}

void ConferenceControl::update(const std::string& accountId, const std::string& conferenceId,
                               const ConferenceUpdate& update) {
    std::vector<std::function<void(const std::string&)>> ejects;
    std::optional<CallbackTarget> redirect;
    nlohmann::json redirectBody;
    CallbackScope scope;
    {
        std::lock_guard lock(registry_.mutex());
        auto c = registry_.find(accountId, conferenceId);
        if (c->info.completedTime) throw completed(conferenceId);
        if (update.status && *update.status == "completed") {
            // Bandwidth: "ends the conference and immediately removes all members"; each goes on
            // with the verb after its <Conference>. The conference completes (event, room deleted)
            // when the last of them is out; a <Conference> with its name now makes a new one.
            c->info.completedTime = clock_();
            registry_.release(*c);
            for (auto& [id, h] : c->hooks)
                if (h.eject) ejects.push_back(h.eject);
            base::log(base::LogLevel::Info,
                      "voice: conference " + conferenceId + " ended over REST");
        } else if (update.redirect) {
            redirect = update.redirect;
            redirectBody = events_.event(c->info, "conferenceRedirect");
            scope = ConferenceEvents::scopeOf(*c);
        }
    }
    for (auto& e : ejects) e(conferenceId);
    if (redirect) events_.redirect(conferenceId, *redirect, scope, std::move(redirectBody));
}

void ConferenceControl::replaceBxml(const std::string& accountId, const std::string& conferenceId,
                                    const std::string& document) {
    std::lock_guard lock(registry_.mutex());
    auto c = registry_.find(accountId, conferenceId);
    if (c->info.completedTime) throw completed(conferenceId);
    (void)document;
    throw net::HttpError(
        net::ErrorCode::Conflict,
        "playing or recording into a conference is not supported by this server yet; the document "
        "was valid but nothing was done",
        "body");
}

}  // namespace sb::voice
