#pragma once
// Writes one response whose body is a range of an open file (net::FileBody), a bounded chunk at
// a time: the header with Content-Length, then pread() 64 KiB, write it, repeat (Beast's
// buffer_body idiom). Memory stays at one chunk whatever the file's size, and each chunk gets
// its own deadline, so a slow reader of a large file is cut only when it stalls.
// Runs on the session's strand; `done` runs once, with the first error or success. A template on
// the transport (Streams.hpp), compiled for both in FileReply.cpp.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "server/net/HttpTypes.hpp"
#include "server/net/Streams.hpp"

namespace sb::net {

template <class Stream>
class BasicFileReply : public std::enable_shared_from_this<BasicFileReply<Stream>> {
  public:
    using Response = boost::beast::http::response<boost::beast::http::buffer_body>;
    using Done = std::function<void(boost::beast::error_code)>;
    static constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;

    // `header` has status and fields set; Content-Length is set here. `headOnly`: HEAD, no body.
    BasicFileReply(Stream& stream, Response header, std::shared_ptr<net::FileBody> file,
                   bool headOnly, std::chrono::steady_clock::duration chunkTimeout);
    void start(Done done);

  private:
    void onHeader(boost::beast::error_code ec);
    void nextChunk();
    void onChunk(boost::beast::error_code ec);
    void finish(boost::beast::error_code ec);

    Stream& stream_;
    Response response_;
    boost::beast::http::response_serializer<boost::beast::http::buffer_body> serializer_;
    std::shared_ptr<net::FileBody> file_;
    bool headOnly_;
    std::chrono::steady_clock::duration timeout_;
    std::vector<char> chunk_;
    std::uint64_t sent_ = 0;
    Done done_;
};

using FileReply = BasicFileReply<PlainStream>;

}  // namespace sb::net
