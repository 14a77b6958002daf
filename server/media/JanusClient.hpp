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

// Requests that wait. Janus 1.1 runs a "detach" on its request thread as soon as
// it arrives, and VideoRoom answers a room's "destroy" at once from a task thread; but it queues
// most requests to a handle ("join", "update", "configure", "start"…) for its one handler thread,
// and answers them from there later. So a detach or a destroy overtakes a message sent before it.
// In Janus 1.1.2 that is a use after free: a subscriber's "update" being handled reads
// subscriber->room, which the subscriber's detach has freed if the room was destroyed and its
// publishers had left (a detached subscriber gives up its room reference, though the handler
// still uses it). Janus crashed that way in a browser test (SIGFPE in g_hash_table_lookup on the
// freed room's participants table, from janus_videoroom_handler; docs/janus-crash.md). So a
// detach is sent only once every message sent to its handle before it has been answered, and a
// "destroy" only once every plugin message sent before it has been answered (or has failed, or
// timed out after the 10 s request timeout).
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
