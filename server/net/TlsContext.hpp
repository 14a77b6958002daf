#pragma once
// The server's TLS settings (docs/security.md "TLS"): an OpenSSL context for TLS 1.2 and 1.3
// only, with the Mozilla "intermediate" cipher list for TLS 1.2, ALPN http/1.1, and the
// certificate chain and key read from PEM files.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "server/net/HttpServer.hpp"

namespace sb::net {

// Throws std::runtime_error naming the file and what is wrong with it (unreadable, not a
// certificate, not a key, encrypted, or a key that does not match the certificate).
std::shared_ptr<boost::asio::ssl::context> makeTlsContext(const TlsFiles& files);

// One line for the log: the certificate's subject, serial and expiry.
std::string describeCertificate(boost::asio::ssl::context& context);

}  // namespace sb::net
