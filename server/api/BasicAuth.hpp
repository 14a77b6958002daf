#pragma once
// HTTP Basic authentication of REST callers against the configured accounts (reference §4.1).

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/app/Config.hpp"

namespace sb::api {

class AccountAuthenticator {
public:
    explicit AccountAuthenticator(std::vector<app::Account> accounts);

    // The account named in the path, if `authorization` holds that account's credentials.
    // Throws 401 for missing or wrong credentials, 403 for valid credentials of another account.
    const app::Account& authorize(std::string_view authorization, const std::string& accountId) const;

    bool hasAccount(const std::string& accountId) const;

private:
    std::vector<app::Account> accounts_;
    std::unordered_map<std::string, std::size_t> byUsername_;
};

// Decodes "Basic base64(user:password)"; returns false if the header is not of that form.
bool parseBasicAuthorization(std::string_view header, std::string& user, std::string& password);

}  // namespace sb::api
