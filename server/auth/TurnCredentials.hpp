#pragma once
// Short-lived TURN credentials in the TURN REST API scheme (draft-uberti-behave-turn-rest-00 §2.2),
// which coturn checks with `use-auth-secret` and `static-auth-secret`: the username is
// "<expiry as Unix time>:<participant id>" and the password is base64(HMAC-SHA1(secret, username)).
// coturn recomputes the password from the username and refuses it once the expiry has passed, so
// the secret never leaves the server and a leaked credential dies on its own.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sb::auth {

// One RTCIceServer (W3C WebRTC §4.2.2): the URLs and the credential that opens them.
struct IceServer {
    std::vector<std::string> urls;
    std::string username;
    std::string credential;
};

class TurnCredentials {
  public:
    // `secret` is coturn's static-auth-secret; `urls` are turn:/turns: URIs (RFC 7065).
    TurnCredentials(std::string secret, std::vector<std::string> urls,
                    std::int64_t lifetimeSeconds);

    // The credential for this participant, valid until `nowUnixSeconds` + the lifetime.
    IceServer mint(std::string_view participantId, std::int64_t nowUnixSeconds) const;
    // base64(HMAC-SHA1(secret, username)), as coturn computes it (throws if OpenSSL cannot).
    static std::string password(std::string_view secret, std::string_view username);

    std::int64_t lifetimeSeconds() const { return lifetimeSeconds_; }

  private:
    std::string secret_;
    std::vector<std::string> urls_;
    std::int64_t lifetimeSeconds_;
};

}  // namespace sb::auth
