#pragma once
// A UDP socket for RTP on Boost.Asio: bound to one configured address (never the wildcard) and a
// port from a PortAllocator; an async receive loop delivering (datagram, sender) to a callback;
// non-blocking sends; close() frees the port.
//
// Thread model: handlers run on the executor given to open() (a call's strand). send() must be
// called on that executor; close() may be called from anywhere (it is dispatched there).
// One receive buffer per socket: no allocation per packet.

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <memory>

#include "server/sip/media/PortAllocator.hpp"
#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class RtpSocket : public std::enable_shared_from_this<RtpSocket> {
  public:
    using Endpoint = boost::asio::ip::udp::endpoint;
    // `data` is valid during the call only.
    using ReceiveHandler = std::function<void(ByteView data, const Endpoint& from)>;

    // Binds to `address` on a port from `ports`, skipping ports that another process holds.
    // Throws std::runtime_error when the range is exhausted or binding keeps failing.
    static std::shared_ptr<RtpSocket> open(const boost::asio::any_io_executor& executor,
                                           const boost::asio::ip::address& address,
                                           const std::shared_ptr<PortAllocator>& ports);
    ~RtpSocket();
    RtpSocket(const RtpSocket&) = delete;
    RtpSocket& operator=(const RtpSocket&) = delete;

    // Starts the receive loop; the handler is called for every datagram until close().
    void start(ReceiveHandler handler);
    // Sends one datagram without blocking; false if it was dropped (socket closed, buffer full).
    bool send(ByteView data, const Endpoint& to);
    // Stops the loop, closes the socket and gives the port back.
    void close();

    std::uint16_t port() const { return local_.port(); }
    Endpoint localEndpoint() const { return local_; }
    bool isOpen() const { return socket_.is_open(); }

    struct Token {};  // open() only; public for std::make_shared
    RtpSocket(Token, boost::asio::ip::udp::socket socket, Endpoint local,
              std::shared_ptr<PortAllocator> ports);

  private:
    void receive();
    void received(const boost::system::error_code& ec, std::size_t size);
    void closeNow();

    boost::asio::ip::udp::socket socket_;
    Endpoint local_;
    std::shared_ptr<PortAllocator> ports_;
    bool released_ = false;
    ReceiveHandler handler_;
    Endpoint sender_;
    std::array<std::uint8_t, 2048> buffer_;
};

}  // namespace sb::sip::media
