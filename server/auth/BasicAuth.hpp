#pragma once
// HTTP Basic authentication of REST callers against the configured accounts (reference §4.1).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/auth/Account.hpp"
#include "server/auth/AuthThrottle.hpp"

namespace sb::auth {

// Failed-password throttling (AuthThrottle): per source address and per account.
struct AuthThrottleConfig {
    std::size_t maxFailures = 10;  // 0 = off
    std::chrono::seconds lockout{60};
    std::size_t maxAddresses = 10000;  // addresses remembered at once (LRU)
};

class AccountAuthenticator {
  public:
    explicit AccountAuthenticator(std::vector<Account> accounts, AuthThrottleConfig throttle = {});

    // The account named in the path, if `authorization` holds that account's credentials.
    // Throws 401 for missing or wrong credentials, 403 for valid credentials of another account,
    // 429 while `clientAddress` or the account is locked after too many wrong passwords.
    const Account& authorize(std::string_view authorization, const std::string& accountId,
                             const std::string& clientAddress = {}) const;
    // The account these credentials belong to (any account), under the same throttling.
    const Account& authenticate(std::string_view authorization,
                                const std::string& clientAddress) const;

    bool hasAccount(const std::string& accountId) const;

  private:
    std::vector<Account> accounts_;
    std::unordered_map<std::string, std::size_t> byUsername_;
    std::unique_ptr<AuthThrottle> byAddress_;
    std::unique_ptr<AuthThrottle> byAccount_;  // keyed by account id: bounded by the config
};

// Decodes "Basic base64(user:password)"; returns false if the header is not of that form.
bool parseBasicAuthorization(std::string_view header, std::string& user, std::string& password);

}  // namespace sb::auth
