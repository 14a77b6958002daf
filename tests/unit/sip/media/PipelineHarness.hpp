#pragma once
// Real UDP on 127.0.0.1 for the CallAudioPipeline tests: an io_context on two threads, a paced
// sender (drift-free 20 ms), a capturing socket, and RTP helpers.

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/sip/media/RtpPacket.hpp"
#include "server/sip/media/RtpSocket.hpp"

namespace sb::sip::media::test {

namespace asio = boost::asio;
using namespace std::chrono_literals;

inline const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

struct Loop {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::vector<std::thread> threads;

    Loop() {
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
    }
    void stop() {
        guard.reset();
        io.stop();
        for (auto& t : threads)
            if (t.joinable()) t.join();
    }
    ~Loop() { stop(); }
};

// Calls f(k) for k = 0 … count-1 at start + k·20 ms on the io_context.
class Pacer : public std::enable_shared_from_this<Pacer> {
  public:
    Pacer(asio::any_io_executor ex, int count, std::function<void(int)> f)
        : timer_(ex), count_(count), f_(std::move(f)) {}
    void start() {
        epoch_ = std::chrono::steady_clock::now();
        schedule();
    }
    bool finished() const { return finished_; }
    void waitFinished() const {
        while (!finished_) std::this_thread::sleep_for(5ms);
    }

  private:
    void schedule() {
        timer_.expires_at(epoch_ + k_ * 20ms);
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            self->f_(self->k_);
            if (++self->k_ >= self->count_) {
                self->finished_ = true;
                return;
            }
            self->schedule();
        });
    }
    asio::steady_timer timer_;
    std::chrono::steady_clock::time_point epoch_;
    int k_ = 0, count_;
    std::function<void(int)> f_;
    std::atomic<bool> finished_{false};
};

// Use the executor (a strand) of the sockets that f sends on.
inline std::shared_ptr<Pacer> pace(asio::any_io_executor ex, int count,
                                   std::function<void(int)> f) {
    auto p = std::make_shared<Pacer>(ex, count, std::move(f));
    p->start();
    return p;
}

// Everything one socket received, with arrival times.
struct Capture {
    struct Item {
        std::vector<std::uint8_t> bytes;
        std::chrono::steady_clock::time_point at;
        RtpHeader header() const {
            return RtpPacket::parse(ByteView{bytes.data(), bytes.size()})->header;
        }
        ByteView payload() const {
            return RtpPacket::parse(ByteView{bytes.data(), bytes.size()})->payload;
        }
    };
    std::shared_ptr<RtpSocket> socket;
    std::mutex mutex;
    std::vector<Item> items;

    Capture(asio::any_io_executor ex, std::shared_ptr<PortAllocator> ports)
        : socket(RtpSocket::open(ex, kLoopback, std::move(ports))) {
        socket->start([this](ByteView data, const RtpSocket::Endpoint&) {
            std::lock_guard<std::mutex> lock(mutex);
            items.push_back({std::vector<std::uint8_t>(data.begin(), data.end()),
                             std::chrono::steady_clock::now()});
        });
    }
    std::size_t size() {
        std::lock_guard<std::mutex> lock(mutex);
        return items.size();
    }
    RtpSocket::Endpoint endpoint() const { return socket->localEndpoint(); }
};

// An RTP packet as a browser's arrives through Janus: with a one-byte header extension
// (RFC 8285; audio level, janus-notes §4).
inline std::vector<std::uint8_t> browserPacket(const RtpHeader& h,
                                               const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> b(12 + 8 + payload.size());
    RtpPacket::build(h, ByteView{}, b.data(), 12);
    b[0] |= 0x10;
    const std::uint8_t ext[8] = {0xBE, 0xDE, 0x00, 0x01, 0x10, 0x85, 0x00, 0x00};
    std::memcpy(b.data() + 12, ext, 8);
    if (!payload.empty()) std::memcpy(b.data() + 20, payload.data(), payload.size());
    return b;
}

inline std::vector<std::uint8_t> plainPacket(const RtpHeader& h,
                                             const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> b(12 + payload.size());
    RtpPacket::build(h, ByteView{payload.data(), payload.size()}, b.data(), b.size());
    return b;
}

}  // namespace sb::sip::media::test
