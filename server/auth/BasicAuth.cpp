#include "server/auth/BasicAuth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <strings.h>

#include <algorithm>

#include "server/net/HttpError.hpp"

namespace sb::auth {

AccountAuthenticator::AccountAuthenticator(std::vector<Account> accounts,
                                           AuthThrottleConfig throttle)
    : accounts_(std::move(accounts)),
      byAddress_(std::make_unique<AuthThrottle>(throttle.maxFailures, throttle.lockout,
                                                throttle.maxAddresses)),
      byAccount_(std::make_unique<AuthThrottle>(throttle.maxFailures, throttle.lockout,
                                                accounts_.size() + 1)) {
    for (std::size_t i = 0; i < accounts_.size(); ++i) byUsername_[accounts_[i].username] = i;
}

bool AccountAuthenticator::hasAccount(const std::string& accountId) const {
    for (const auto& a : accounts_)
        if (a.id == accountId) return true;
    return false;
}

bool parseBasicAuthorization(std::string_view header, std::string& user, std::string& password) {
    // RFC 7617 §2: the scheme name is case-insensitive.
    constexpr std::string_view scheme = "basic ";
    if (header.size() <= scheme.size() ||
        strncasecmp(header.data(), scheme.data(), scheme.size()) != 0)
        return false;
    std::string_view b64 = header.substr(scheme.size());
    while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
    while (!b64.empty() && b64.back() == ' ') b64.remove_suffix(1);
    if (b64.empty() || b64.size() % 4 != 0 || b64.size() > 1024) return false;
    std::string decoded(b64.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                            reinterpret_cast<const unsigned char*>(b64.data()),
                            static_cast<int>(b64.size()));
    if (n < 0) return false;
    // EVP_DecodeBlock does not strip the bytes that '=' padding stands for.
    std::size_t len = static_cast<std::size_t>(n);
    if (b64.back() == '=') --len;
    if (b64.size() >= 2 && b64[b64.size() - 2] == '=') --len;
    decoded.resize(len);
    auto colon = decoded.find(':');
    if (colon == std::string::npos) return false;
    user = decoded.substr(0, colon);
    password = decoded.substr(colon + 1);
    return true;
}

const Account& AccountAuthenticator::authenticate(std::string_view authorization,
                                                  const std::string& clientAddress) const {
    std::string user, password;
    // No credentials, or not of the Basic form: nothing was guessed, so nothing is counted.
    if (!parseBasicAuthorization(authorization, user, password)) throw net::errors::unauthorized();
    auto it = byUsername_.find(user);
    const Account* account = it == byUsername_.end() ? nullptr : &accounts_[it->second];
    // Checked before the password, so that during a lockout the right password is refused too.
    auto wait = byAddress_->lockedFor(clientAddress);
    if (account) wait = std::max(wait, byAccount_->lockedFor(account->id));
    if (wait > 0) throw net::errors::authThrottled(wait);
    // Constant-time comparison so the response time does not reveal how much of a guess matched.
    bool ok = account && account->password.size() == password.size() &&
              CRYPTO_memcmp(account->password.data(), password.data(), password.size()) == 0;
    if (!ok) {
        byAddress_->recordFailure(clientAddress);
        if (account) byAccount_->recordFailure(account->id);
        throw net::errors::unauthorized();
    }
    return *account;
}

const Account& AccountAuthenticator::authorize(std::string_view authorization,
                                               const std::string& accountId,
                                               const std::string& clientAddress) const {
    const auto& account = authenticate(authorization, clientAddress);
    if (account.id != accountId) {
        if (!hasAccount(accountId)) throw net::errors::accountNotFound(accountId);
        throw net::errors::forbiddenAccount();
    }
    return account;
}

}  // namespace sb::auth
