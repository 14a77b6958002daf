#include "server/voice/CallbackTarget.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "server/base/Log.hpp"
#include "server/voice/Call.hpp"

namespace sb::voice {

std::optional<BasicCredentials> credentialsOf(const std::optional<std::string>& username,
                                              const std::optional<std::string>& password) {
    if (!username) return std::nullopt;
    return BasicCredentials{*username, password.value_or("")};
}

CallbackTarget callbackTarget(std::string url, std::string method,
                              const std::optional<std::string>& username,
                              const std::optional<std::string>& password,
                              std::optional<std::string> fallbackUrl, std::string fallbackMethod,
                              const std::optional<std::string>& fallbackUsername,
                              const std::optional<std::string>& fallbackPassword) {
    CallbackTarget t;
    t.url = std::move(url);
    t.method = std::move(method);
    t.credentials = credentialsOf(username, password);
    t.fallbackUrl = std::move(fallbackUrl);
    t.fallbackMethod = std::move(fallbackMethod);
    t.fallbackCredentials = credentialsOf(fallbackUsername, fallbackPassword);
    return t;
}

std::string resolveUrl(const std::string& base, const std::string& ref) {
    if (ref.find("://") != std::string::npos) return ref;
    auto scheme = base.find("://");
    if (scheme == std::string::npos) return ref;
    if (ref.rfind("//", 0) == 0) return base.substr(0, scheme + 1) + ref;
    auto pathStart = base.find_first_of("/?#", scheme + 3);
    std::string origin = base.substr(0, pathStart);
    if (!ref.empty() && ref.front() == '/') return origin + ref;
    if (pathStart == std::string::npos || base[pathStart] != '/') return origin + "/" + ref;
    auto pathEnd = base.find_first_of("?#", pathStart);
    auto path = base.substr(pathStart,
                            pathEnd == std::string::npos ? std::string::npos : pathEnd - pathStart);
    return origin + path.substr(0, path.rfind('/') + 1) + ref;
}

CallbackTarget resolveTarget(const std::string& base, CallbackTarget target) {
    target.url = resolveUrl(base, target.url);
    if (target.fallbackUrl) target.fallbackUrl = resolveUrl(base, *target.fallbackUrl);
    return target;
}

std::optional<CallbackTarget> resolveTarget(const std::string& base,
                                            std::optional<CallbackTarget> target) {
    if (target) target = resolveTarget(base, std::move(*target));
    return target;
}

CallbackTarget answerTarget(const Call& call) {
    const auto& cb = call.callbacks;
    return callbackTarget(call.answerUrl, call.answerMethod, cb.username, cb.password,
                          cb.answerFallbackUrl, cb.answerFallbackMethod, cb.fallbackUsername,
                          cb.fallbackPassword);
}

std::optional<CallbackTarget> disconnectTarget(const Call& call) {
    if (!call.disconnectUrl) return std::nullopt;
    CallbackTarget t;
    t.url = *call.disconnectUrl;
    t.method = call.disconnectMethod;
    t.credentials = credentialsOf(call.callbacks.username, call.callbacks.password);
    return t;
}

CallbackScope scopeOf(const Call& call, bool counted) {
    CallbackScope scope{call.accountId, counted ? call.callId : std::string()};
    scope.timeout = std::chrono::milliseconds(
        static_cast<long>(std::lround(call.callbacks.callbackTimeout * 1000)));
    return scope;
}

void sendCallback(CallbackClient& client, CallbackScope scope, const CallbackTarget& target,
                  nlohmann::json body, std::function<void(CallbackResult, std::string url)> done) {
    if (target.timeoutSeconds)
        scope.timeout = std::chrono::milliseconds(
            static_cast<long>(std::lround(*target.timeoutSeconds * 1000)));
    auto primary = scope;
    primary.credentials = target.credentials;
    if (!target.fallbackUrl) {
        return client.post(primary, target.url, target.method, std::move(body),
                           [done = std::move(done), url = target.url](CallbackResult r) {
                               done(std::move(r), url);
                           });
    }
    auto fallback = scope;
    fallback.credentials = target.fallbackCredentials;
    auto shared = std::make_shared<nlohmann::json>(body);
    client.post(
        primary, target.url, target.method, std::move(body),
        [&client, fallback, target, shared, done = std::move(done)](CallbackResult r) mutable {
            if (r.ok()) return done(std::move(r), target.url);
            auto first = describeFailure(r, target.url);
            base::log(base::LogLevel::Warn, "voice: callback " + first +
                                                "; trying the fallback URL " + *target.fallbackUrl);
            client.post(
                fallback, *target.fallbackUrl, target.fallbackMethod, std::move(*shared),
                [first, url = *target.fallbackUrl, done = std::move(done)](CallbackResult fr) {
                    if (!fr.ok()) {
                        CallbackResult both;
                        both.status = fr.status;
                        // describeFailure(both, url) then reads "<primary failure>; then the
                        // fallback: HTTP 404 (url)".
                        both.error =
                            first + "; then the fallback: " +
                            (fr.error.empty() ? "HTTP " + std::to_string(fr.status) : fr.error);
                        return done(std::move(both), url);
                    }
                    done(std::move(fr), url);
                });
        });
}

void notify(CallbackClient& client, const Call& call, const std::optional<CallbackTarget>& target,
            nlohmann::json event) {
    if (!target) return;
    auto type = event.value("eventType", std::string("event"));
    sendCallback(client, scopeOf(call), *target, std::move(event),
                 [callId = call.callId, type](const CallbackResult& r, const std::string& url) {
                     if (!r.ok())
                         base::log(base::LogLevel::Warn,
                                   "voice: call " + callId + " " + type +
                                       " not delivered: " + describeFailure(r, url));
                 });
}

}  // namespace sb::voice
