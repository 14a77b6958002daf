#include "server/net/FileReply.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace sb::net {

namespace beast = boost::beast;
namespace http = beast::http;

template <class Stream>
BasicFileReply<Stream>::BasicFileReply(Stream& stream, Response header,
                                       std::shared_ptr<net::FileBody> file, bool headOnly,
                                       std::chrono::steady_clock::duration chunkTimeout)
    : stream_(stream),
      response_(std::move(header)),
      serializer_(response_),
      file_(std::move(file)),
      headOnly_(headOnly),
      timeout_(chunkTimeout) {
    response_.content_length(file_->length);
    response_.body().data = nullptr;
    response_.body().size = 0;
    response_.body().more = !headOnly_ && file_->length > 0;
}

template <class Stream>
void BasicFileReply<Stream>::start(Done done) {
    done_ = std::move(done);
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    http::async_write_header(stream_, serializer_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                 self->onHeader(ec);
                             });
}

template <class Stream>
void BasicFileReply<Stream>::onHeader(beast::error_code ec) {
    if (ec || headOnly_ || file_->length == 0) return finish(ec);
    chunk_.resize(kChunkBytes);
    nextChunk();
}

template <class Stream>
void BasicFileReply<Stream>::nextChunk() {
    auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kChunkBytes, file_->length - sent_));
    ssize_t n;
    do n = ::pread(file_->fd, chunk_.data(), want, static_cast<off_t>(file_->offset + sent_));
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        // The file shrank or cannot be read: Content-Length was promised, so the connection
        // must end here (RFC 9112 §6.3: the client sees an incomplete message).
        return finish(beast::error_code(n < 0 ? errno : EIO, boost::system::generic_category()));
    }
    sent_ += static_cast<std::uint64_t>(n);
    response_.body().data = chunk_.data();
    response_.body().size = static_cast<std::size_t>(n);
    response_.body().more = sent_ < file_->length;
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    http::async_write(
        stream_, serializer_,
        [self = this->shared_from_this()](beast::error_code e, std::size_t) { self->onChunk(e); });
}

template <class Stream>
void BasicFileReply<Stream>::onChunk(beast::error_code ec) {
    if (ec == http::error::need_buffer)
        ec = {};  // the chunk was taken: the serializer wants the next
    if (ec) return finish(ec);
    if (serializer_.is_done() || sent_ >= file_->length) return finish({});
    nextChunk();
}

template <class Stream>
void BasicFileReply<Stream>::finish(beast::error_code ec) {
    file_.reset();  // the descriptor closes now, not when the session goes
    if (auto done = std::move(done_)) done(ec);
}

template class BasicFileReply<PlainStream>;
template class BasicFileReply<TlsStream>;

}  // namespace sb::net
