#pragma once
// The two transports of the HTTP listener: plain TCP, and TLS over it (Beast over OpenSSL). The
// sessions (HttpSession, WebSocketSession, FileReply) are templates on these, compiled for both
// in their own .cpp files, so the plain path is the same code with the TLS steps left out.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <type_traits>

namespace sb::net {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

template <class Stream>
inline constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

}  // namespace sb::net
