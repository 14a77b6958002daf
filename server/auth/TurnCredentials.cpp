#include "server/auth/TurnCredentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdexcept>

namespace sb::auth {

TurnCredentials::TurnCredentials(std::string secret, std::vector<std::string> urls,
                                 std::int64_t lifetimeSeconds)
    : secret_(std::move(secret)), urls_(std::move(urls)), lifetimeSeconds_(lifetimeSeconds) {}

IceServer TurnCredentials::mint(std::string_view participantId, std::int64_t nowUnixSeconds) const {
    IceServer server;
    server.urls = urls_;
    server.username = std::to_string(nowUnixSeconds + lifetimeSeconds_);
    server.username += ':';
    server.username += participantId;
    server.credential = password(secret_, server.username);
    return server;
}

std::string TurnCredentials::password(std::string_view secret, std::string_view username) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(username.data()), username.size(), digest,
              &length) ||
        length != 20)
        throw std::runtime_error("OpenSSL cannot compute HMAC-SHA1");
    // Standard base64 with padding (RFC 4648 §4): 20 bytes give 28 characters.
    unsigned char encoded[32] = {};
    int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    return {reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n)};
}

}  // namespace sb::auth
