#pragma once
// HMAC-SHA256 with one key (RFC 2104), for signing device tokens (JWS HS256, RFC 7515 §A.1).
//
// The key is set up once: OpenSSL 3's one-shot HMAC() fetches the algorithm from its provider and
// keys a fresh context on every call, which perf showed as a third of the cost of issuing a token.
// sign() copies the keyed context instead. Thread-safe: the keyed context is only read.

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace sb::auth {

class HmacSha256 {
  public:
    using Digest = std::array<unsigned char, 32>;

    explicit HmacSha256(std::string_view key);  // throws std::runtime_error if OpenSSL cannot
    Digest sign(std::string_view data) const;

  private:
    struct Keyed;
    std::shared_ptr<const Keyed> keyed_;
};

}  // namespace sb::auth
