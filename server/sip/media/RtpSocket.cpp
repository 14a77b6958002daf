#include "server/sip/media/RtpSocket.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <stdexcept>

namespace sb::sip::media {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {
constexpr std::size_t kMaxBindAttempts = 16;
}

std::shared_ptr<RtpSocket> RtpSocket::open(const asio::any_io_executor& executor,
                                           const asio::ip::address& address,
                                           const std::shared_ptr<PortAllocator>& ports) {
    if (!ports) throw std::invalid_argument("RtpSocket: no port allocator");
    boost::system::error_code lastError;
    std::size_t attempts = std::min(kMaxBindAttempts, ports->capacity());
    for (std::size_t i = 0; i < attempts; ++i) {
        auto port = ports->allocate();
        if (!port)
            throw std::runtime_error("RTP ports exhausted (" + std::to_string(ports->min()) + "-" +
                                     std::to_string(ports->max()) + ")");
        udp::endpoint local(address, *port);
        udp::socket socket(executor);
        boost::system::error_code ec;
        socket.open(local.protocol(), ec);
        if (!ec) socket.bind(local, ec);
        if (!ec) socket.non_blocking(true, ec);
        if (!ec) return std::make_shared<RtpSocket>(Token{}, std::move(socket), local, ports);
        lastError = ec;
        ports->release(*port);  // held by another process; the allocator moves on round-robin
        if (ec != asio::error::address_in_use) break;
    }
    throw std::runtime_error("RTP: cannot bind a UDP socket on " + address.to_string() + ": " +
                             lastError.message());
}

RtpSocket::RtpSocket(Token, udp::socket socket, Endpoint local,
                     std::shared_ptr<PortAllocator> ports)
    : socket_(std::move(socket)), local_(std::move(local)), ports_(std::move(ports)) {}

RtpSocket::~RtpSocket() {
    closeNow();
}

void RtpSocket::start(ReceiveHandler handler) {
    asio::dispatch(socket_.get_executor(),
                   [self = shared_from_this(), h = std::move(handler)]() mutable {
                       if (!self->socket_.is_open()) return;
                       self->handler_ = std::move(h);
                       self->receive();
                   });
}

void RtpSocket::receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), sender_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            self->received(ec, n);
        });
}

void RtpSocket::received(const boost::system::error_code& ec, std::size_t size) {
    if (!ec && socket_.is_open() && handler_) handler_(ByteView{buffer_.data(), size}, sender_);
    // The handler may have closed the socket: it is released here, after it has returned.
    if (ec == asio::error::operation_aborted || !socket_.is_open()) {
        handler_ = nullptr;  // breaks cycles through the callback
        return;
    }
    receive();
}

bool RtpSocket::send(ByteView data, const Endpoint& to) {
    if (!socket_.is_open()) return false;
    boost::system::error_code ec;
    std::size_t n = socket_.send_to(asio::buffer(data.data, data.size), to, 0, ec);
    return !ec && n == data.size;
}

void RtpSocket::close() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->closeNow(); });
}

void RtpSocket::closeNow() {
    if (socket_.is_open()) {
        boost::system::error_code ec;
        socket_.close(ec);
    }
    if (!released_ && ports_) {
        released_ = true;
        ports_->release(local_.port());
    }
}

}  // namespace sb::sip::media
