#include "wasm/core/JsonRpcClient.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk {

JsonRpcClient::~JsonRpcClient() {
    while (Pending* p = pending_) {
        pending_ = p->next;
        if (p->timer) timers_.cancel(p->timer);
        delete p;
    }
}

std::size_t JsonRpcClient::pending() const {
    std::size_t n = 0;
    for (const Pending* p = pending_; p; p = p->next) ++n;
    return n;
}

int JsonRpcClient::request(const char* method, Json params, ResultHandler done, int timeoutMs) {
    int id = nextId_++;
    Json frame = Json::object();
    frame.set("jsonrpc", "2.0");
    frame.set("id", id);
    frame.set("method", method);
    frame.set("params", std::move(params));
    int timer = timers_.start(timeoutMs, [this, id, method]() {
        for (Pending* p = pending_; p; p = p->next) {
            if (p->id != id) continue;
            p->timer = 0;
            return complete(id, errors::requestTimeout(method), Json::null());
        }
    });
    Pending** last = &pending_;
    while (*last) last = &(*last)->next;
    *last = new Pending{id, std::move(done), timer, nullptr};
    send_(frame.dump());
    return id;
}

void JsonRpcClient::notify(const char* method, Json params) {
    Json frame = Json::object();
    frame.set("jsonrpc", "2.0");
    frame.set("method", method);
    if (!params.isNull()) frame.set("params", std::move(params));
    send_(frame.dump());
}

bool JsonRpcClient::handleFrame(const std::string& text) {
    auto parsed = Json::parse(text);
    if (!parsed || !parsed->isObject()) return false;
    const Json& msg = *parsed;
    const Json& method = msg["method"];
    if (method.isString()) {
        if (notification_) notification_(method.asString(), msg["params"]);
        return true;
    }
    const Json& id = msg["id"];
    if (!id.isNumber()) return false;  // we only send integer ids, so anything else is not ours
    int key = static_cast<int>(id.asNumber());
    if (msg.has("error")) {
        const Json& e = msg["error"];
        const Json& data = e["data"];
        complete(key,
                 errors::rpc(static_cast<int>(e["code"].asNumber()), e["message"].asString(),
                             data.isNull() ? std::string() : data.dump()),
                 Json::null());
    } else if (msg.has("result")) {
        complete(key, noError(), msg["result"]);
    } else {
        return false;  // JSON-RPC §5: a response has exactly one of result / error
    }
    return true;
}

void JsonRpcClient::complete(int id, const Error& error, const Json& result) {
    Pending** link = &pending_;
    while (*link && (*link)->id != id) link = &(*link)->next;
    Pending* p = *link;
    if (!p) return;   // late answer after a timeout, or not ours
    *link = p->next;  // before calling out: the handler may send the next request
    if (p->timer) timers_.cancel(p->timer);
    ResultHandler done = std::move(p->done);
    delete p;
    if (done) done(error, result);
}

void JsonRpcClient::failAll(const Error& error) {
    while (pending_) complete(pending_->id, error, Json::null());
}

}  // namespace sb::sdk
