#include "server/auth/HmacSha256.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdexcept>

namespace sb::auth {

struct HmacSha256::Keyed {
    EVP_MAC* mac = nullptr;
    EVP_MAC_CTX* ctx = nullptr;
    ~Keyed() {
        EVP_MAC_CTX_free(ctx);
        EVP_MAC_free(mac);
    }
};

HmacSha256::HmacSha256(std::string_view key) {
    auto keyed = std::make_shared<Keyed>();
    keyed->mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (keyed->mac) keyed->ctx = EVP_MAC_CTX_new(keyed->mac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!keyed->ctx || EVP_MAC_init(keyed->ctx, reinterpret_cast<const unsigned char*>(key.data()),
                                    key.size(), params) != 1)
        throw std::runtime_error("OpenSSL cannot set up HMAC-SHA256");
    keyed_ = std::move(keyed);
}

HmacSha256::Digest HmacSha256::sign(std::string_view data) const {
    Digest out{};
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_->ctx),
                                                                  &EVP_MAC_CTX_free);
    std::size_t n = 0;
    if (!ctx ||
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out.data(), &n, out.size()) != 1 || n != out.size())
        throw std::runtime_error("HMAC-SHA256 failed");
    return out;
}

}  // namespace sb::auth
