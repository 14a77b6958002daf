#pragma once
// A client of the Janus WebSocket JSON API (janus-protocol subprotocol): one Janus session with
// keepalives, request/transaction matching, and asynchronous events routed to their handles.
// Everything — callbacks included — runs on the strand given at construction, which the media
// orchestration shares, so neither needs locks. Reconnects with backoff if Janus goes away.
// Every message is validated (JanusMessages.hpp) before a field of it is used; a malformed reply
// fails its own request, and nothing Janus sends can throw out of this client's handlers.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::media {

struct JanusReply {
    bool ok = false;
    std::string error;  // why, when !ok
    int code = 0;  // Janus's or the plugin's error code when !ok; 0 for transport or shape errors
    nlohmann::json data;  // plugindata.data for plugin replies, else the reply's "data"
    nlohmann::json jsep;  // null when absent
};

using JanusCallback = std::function<void(const JanusReply&)>;
using HandleId = std::uint64_t;

// What the VideoRoom client needs of a Janus session; JanusClient is the real one, unit tests
// script their own.
class JanusPort {
  public:
    virtual ~JanusPort() = default;
    virtual void attach(const std::string& plugin,
                        std::function<void(bool ok, HandleId, const std::string& error)> cb) = 0;
    virtual void message(HandleId handle, nlohmann::json body, nlohmann::json jsep,
                         JanusCallback cb) = 0;
    virtual void detach(HandleId handle) = 0;
};

class JanusClient : public JanusPort {
  public:
    struct Listener {
        // An event without a pending transaction, for a handle: "event" (plugin), "webrtcup",
        // "hangup", "media", "slowlink", "detached"…  `msg` is the whole Janus message.
        std::function<void(HandleId, const nlohmann::json& msg)> onHandleEvent;
        // The Janus session is usable (first time, and again after every reconnect). Handles and
        // rooms of a previous session are gone when this is called again.
        std::function<void()> onReady;
        std::function<void()> onLost;
    };

    // `maxMessageBytes`: a bigger message from Janus closes the connection (then reconnects).
    JanusClient(const boost::asio::strand<boost::asio::any_io_executor>& strand, std::string url,
                Listener listener, std::size_t maxMessageBytes = std::size_t{1024} * 1024);
    ~JanusClient() override;

    void start();
    void stop();
    bool ready() const;

    void attach(const std::string& plugin,
                std::function<void(bool ok, HandleId, const std::string& error)> cb) override;
    void message(HandleId handle, nlohmann::json body, nlohmann::json jsep,
                 JanusCallback cb) override;
    void detach(HandleId handle) override;
    void hangup(HandleId handle);

    class Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace sb::media
