#include "wasm/core/JsonRpcClient.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk {

JsonRpcClient::~JsonRpcClient() {
    for (auto& p : pending_) timers_.cancel(p.timer);
}

int JsonRpcClient::request(const std::string& method, Json params, ResultHandler done,
                           int timeoutMs) {
    int id = nextId_++;
    Json frame = Json::object();
    frame.set("jsonrpc", "2.0");
    frame.set("id", id);
    frame.set("method", method);
    frame.set("params", std::move(params));
    int timer = timers_.start(timeoutMs, [this, id, method]() {
        for (auto& p : pending_) {
            if (p.id != id) continue;
            p.timer = 0;
            return complete(id, errors::requestTimeout(method), Json());
        }
    });
    pending_.push_back(Pending{id, std::move(done), timer});
    send_(frame.dump());
    return id;
}

void JsonRpcClient::notify(const std::string& method, Json params) {
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
                 Json());
    } else if (msg.has("result")) {
        complete(key, Error{}, msg["result"]);
    } else {
        return false;  // JSON-RPC §5: a response has exactly one of result / error
    }
    return true;
}

void JsonRpcClient::complete(int id, const Error& error, const Json& result) {
    auto it = pending_.begin();
    while (it != pending_.end() && it->id != id) ++it;
    if (it == pending_.end()) return;  // late answer after a timeout, or not ours
    Pending p = std::move(*it);
    pending_.erase(it);  // before calling out: the handler may send the next request
    if (p.timer) timers_.cancel(p.timer);
    if (p.done) p.done(error, result);
}

void JsonRpcClient::failAll(const Error& error) {
    while (!pending_.empty()) complete(pending_.front().id, error, Json());
}

}  // namespace sb::sdk
