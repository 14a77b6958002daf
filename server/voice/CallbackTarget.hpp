#pragma once
// Where one Bandwidth callback goes: its URL, method and Basic credentials, and the fallback URL
// (with its own credentials) tried when the primary fails. Bandwidth's Voice API: "if the
// primary URL cannot be reached, times out (callbackTimeout) or answers with an error status,
// the fallback URL is requested instead" — answerFallbackUrl, redirectFallbackUrl,
// transferCompleteFallbackUrl, transferAnswerFallbackUrl, gatherFallbackUrl, …
// Every callback goes out through sendCallback: the call's own (answerTarget, disconnectTarget,
// REST redirects) and every verb's (BXML parsers read a verb's attributes into a CallbackTarget
// with one helper, detail::Element::callback in BxmlElement.hpp).

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/voice/CallbackClient.hpp"

namespace sb::voice {

struct Call;

struct CallbackTarget {
    std::string url;  // in a parsed BXML verb it may be relative (see resolveTarget)
    std::string method = "POST";
    std::optional<BasicCredentials> credentials;
    std::optional<std::string> fallbackUrl;
    std::string fallbackMethod = "POST";
    std::optional<BasicCredentials> fallbackCredentials;
    // Seconds per attempt (a verb's callbackTimeout); nullopt: the call's callbackTimeout.
    std::optional<double> timeoutSeconds;
};

// Credentials from Bandwidth's username/password pair (nullopt unless a username is given).
std::optional<BasicCredentials> credentialsOf(const std::optional<std::string>& username,
                                              const std::optional<std::string>& password);

// A target from Bandwidth's flat fields of one callback: its URL and method with the
// username/password pair, its fallback URL and method with the fallbackUsername/fallbackPassword
// pair (createCall's answer callback, updateCall's redirect, <Conference>'s conferenceEvent).
CallbackTarget callbackTarget(std::string url, std::string method,
                              const std::optional<std::string>& username,
                              const std::optional<std::string>& password,
                              std::optional<std::string> fallbackUrl, std::string fallbackMethod,
                              const std::optional<std::string>& fallbackUsername,
                              const std::optional<std::string>& fallbackPassword);

// Resolves a BXML URL that may be relative ("/next", "next.xml", "//host/x") against the URL
// of the document that contained it.
std::string resolveUrl(const std::string& base, const std::string& ref);
// A verb's callback with its URL and fallback URL resolved against `base`.
CallbackTarget resolveTarget(const std::string& base, CallbackTarget target);
std::optional<CallbackTarget> resolveTarget(const std::string& base,
                                            std::optional<CallbackTarget> target);

// The call's answer (outbound) or initiate (inbound) callback: answerUrl, answerFallbackUrl and
// the call's username/password and fallbackUsername/fallbackPassword.
CallbackTarget answerTarget(const Call& call);
// The call's disconnect callback (Bandwidth has no fallback for it); nullopt without disconnectUrl.
std::optional<CallbackTarget> disconnectTarget(const Call& call);

// The request scope of a call's callbacks: its account, its id (counted against the per-call
// bound unless `counted` is false) and its callbackTimeout per attempt.
CallbackScope scopeOf(const Call& call, bool counted = true);

// Sends `body` to target.url (with target.timeoutSeconds, when set, instead of the scope's); when
// that fails (after the client's own retries) and a fallback URL is set, to the fallback. `done`
// gets the final result and the URL that gave it (the base for relative URLs in a document it
// returned). When both fail, the result's error names both.
void sendCallback(CallbackClient& client, CallbackScope scope, const CallbackTarget& target,
                  nlohmann::json body, std::function<void(CallbackResult, std::string url)> done);

// A fire-and-forget event of `call` (transferAnswer, transferDisconnect, dtmf, recordingAvailable:
// what they return is not run) through sendCallback; a failure is logged. Nothing without a target.
void notify(CallbackClient& client, const Call& call, const std::optional<CallbackTarget>& target,
            nlohmann::json event);

}  // namespace sb::voice
