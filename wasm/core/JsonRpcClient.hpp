#pragma once
// JSON-RPC 2.0 client (https://www.jsonrpc.org/specification) for the device signaling protocol:
// integer ids from 1 like the stock SDK (reference §2.2), a timeout per request (the stock SDK
// has none and can hang forever), responses routed by id, notifications dispatched from one
// table keyed by method (STYLE.md 3), error objects surfaced as Error{rpc_error, rpcCode}.
// The pending requests are a linked list searched linearly: a few entries, and neither tree nor
// vector code of their own in the wasm (bench/size/).

#include <cstddef>
#include <string>
#include <utility>

#include "wasm/core/Fn.hpp"

#include "wasm/core/Json.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk {

class JsonRpcClient {
  public:
    using Send = Fn<void(const std::string& frame)>;
    using ResultHandler = Fn<void(const Error& error, const Json& result)>;
    using NotificationHandler = Fn<void(const std::string& method, const Json& params)>;

    static constexpr int kDefaultTimeoutMs = 15000;

    JsonRpcClient(TimerPort& timers, Send send) : timers_(timers), send_(std::move(send)) {}
    ~JsonRpcClient();
    JsonRpcClient(const JsonRpcClient&) = delete;
    JsonRpcClient& operator=(const JsonRpcClient&) = delete;

    // Returns the request id. `done` is called exactly once: result, error object, timeout or
    // failAll(). `method`: a string that outlives the request (a protocol/Methods.hpp constant),
    // kept by pointer for the timeout's error (size: no std::string per call, bench/size/).
    int request(const char* method, Json params, ResultHandler done,
                int timeoutMs = kDefaultTimeoutMs);
    void notify(const char* method, Json params);
    // The server's notifications (and requests: the device API has none, and answering is not
    // needed), whatever their method: one handler (bench/size/), which ignores the unknown ones.
    void onNotification(NotificationHandler handler) { notification_ = std::move(handler); }

    // Feeds one inbound text frame. Returns false when it is not a JSON-RPC message we understand
    // (the caller logs it); unknown response ids and methods are ignored (returns true).
    bool handleFrame(const std::string& text);

    // Fails every pending request (socket closed, disconnect).
    void failAll(const Error& error);
    std::size_t pending() const;

  private:
    struct Pending {
        int id;
        ResultHandler done;
        int timer;
        Pending* next;
    };
    void complete(int id, const Error& error, const Json& result);

    TimerPort& timers_;
    Send send_;
    int nextId_ = 1;
    Pending* pending_ = nullptr;  // oldest first
    NotificationHandler notification_;
};

}  // namespace sb::sdk
