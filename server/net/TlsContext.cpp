#include "server/net/TlsContext.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace sb::net {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" configuration (ssl-config.mozilla.org, version 5.7): forward-secret
// AEAD suites only. TLS 1.3 suites are OpenSSL's defaults, which are the same three as Mozilla's.
// The DHE suites of that list are left out: they need a DH parameter file and add nothing for
// the browsers and phones this serves, which all do ECDHE.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The most recent OpenSSL error as text ("no start line", "key values mismatch"), and clears the
// queue so the next operation's error is not mixed with it.
std::string lastSslError() {
    unsigned long code = ERR_peek_last_error();
    std::string text;
    if (const char* reason = ERR_reason_error_string(code)) text = reason;
    ERR_clear_error();
    return text.empty() ? "unknown OpenSSL error" : text;
}

// Opening the file ourselves first gives "No such file or directory" or "Permission denied"
// rather than OpenSSL's generic "system lib".
void checkReadable(const std::string& what, const std::string& path) {
    if (path.empty()) throw std::runtime_error(what + " is not set");
    std::ifstream in(path);
    if (!in) throw std::runtime_error(what + " " + path + ": cannot read: " + std::strerror(errno));
}

// A key protected by a passphrase would make OpenSSL ask for it on the terminal and block the
// start (or a SIGHUP reload) forever: refuse instead of prompting.
int noPassphrase(char*, int, int, void*) {
    return 0;
}

// ALPN (RFC 7301): the only application protocol here is HTTP/1.1 (WebSocket upgrades ride on
// it, RFC 6455). A client offering only others (h2) gets no ALPN answer and may go on with
// HTTP/1.1 or leave, instead of a handshake failure.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outLength, const unsigned char* in,
               unsigned int inLength, void*) {
    static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, outLength, kHttp11, sizeof kHttp11, in, inLength) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::shared_ptr<ssl::context> makeTlsContext(const TlsFiles& files) {
    checkReadable("certificate file", files.certFile);
    checkReadable("key file", files.keyFile);
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* ctx = context->native_handle();
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
        SSL_CTX_set1_groups_list(ctx, kGroups) != 1)
        throw std::runtime_error("TLS settings refused by OpenSSL: " + lastSslError());
    // No compression (CRIME), no renegotiation (a client could make the server do a handshake's
    // work over and over on one connection); the client's cipher order, as Mozilla advises when
    // every suite offered is strong.
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    // Resumption through session tickets (RFC 8446 §4.6.1, RFC 5077) only, which keep nothing
    // here: OpenSSL's server-side session cache would keep up to 20480 sessions that any client
    // can fill by handshaking.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_default_passwd_cb(ctx, &noPassphrase);
    SSL_CTX_set_alpn_select_cb(ctx, &selectAlpn, nullptr);

    if (SSL_CTX_use_certificate_chain_file(ctx, files.certFile.c_str()) != 1)
        throw std::runtime_error("certificate file " + files.certFile +
                                 ": not a PEM certificate chain (" + lastSslError() + ")");
    // Read first, then installed: OpenSSL's use_PrivateKey_file reports a key of another
    // certificate as a load failure, and the two deserve different messages.
    EVP_PKEY* key = nullptr;
    if (BIO* bio = BIO_new_file(files.keyFile.c_str(), "r")) {
        key = PEM_read_bio_PrivateKey(bio, nullptr, &noPassphrase, nullptr);
        BIO_free(bio);
    }
    if (!key)
        throw std::runtime_error("key file " + files.keyFile +
                                 ": not an unencrypted PEM private key (" + lastSslError() + ")");
    int used = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);  // the context holds its own reference
    if (used != 1 || SSL_CTX_check_private_key(ctx) != 1)
        throw std::runtime_error("key file " + files.keyFile +
                                 " does not match the certificate in " + files.certFile + " (" +
                                 lastSslError() + ")");
    return context;
}

std::string describeCertificate(ssl::context& context) {
    X509* cert = SSL_CTX_get0_certificate(context.native_handle());
    if (!cert) return "no certificate";
    std::string out;
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
    out += subject;
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    if (serial) {
        char* hex = BN_bn2hex(serial);
        if (hex) out += std::string(", serial ") + hex;
        OPENSSL_free(hex);
        BN_free(serial);
    }
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio && ASN1_TIME_print(bio, X509_get0_notAfter(cert)) == 1) {
        char* data = nullptr;
        long n = BIO_get_mem_data(bio, &data);
        if (n > 0) out += ", valid until " + std::string(data, static_cast<std::size_t>(n));
    }
    BIO_free(bio);
    return out;
}

}  // namespace sb::net
