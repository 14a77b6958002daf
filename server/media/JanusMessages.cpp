#include "server/media/JanusMessages.hpp"

namespace sb::media::janus {

using nlohmann::json;

namespace {
const json* field(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

JanusReply failed(std::string why, int code = 0) {
    JanusReply r;
    r.error = std::move(why);
    r.code = code;
    return r;
}

int codeOf(const json* code) {
    if (!code || !code->is_number_integer()) return 0;
    auto c = code->get<std::int64_t>();
    return c > 0 && c < 100000 ? static_cast<int>(c) : 0;
}
}  // namespace

std::optional<std::uint64_t> uintAt(const json& obj, const char* key) {
    const auto* v = field(obj, key);
    if (!v || !v->is_number_unsigned()) return std::nullopt;
    return v->get<std::uint64_t>();
}

std::optional<std::string> stringAt(const json& obj, const char* key) {
    const auto* v = field(obj, key);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
}

std::optional<bool> boolAt(const json& obj, const char* key) {
    const auto* v = field(obj, key);
    if (!v || !v->is_boolean()) return std::nullopt;
    return v->get<bool>();
}

const json& arrayAt(const json& obj, const char* key) {
    static const json empty = json::array();
    const auto* v = field(obj, key);
    return v && v->is_array() ? *v : empty;
}

std::string sanitizedReason(const std::string& reason) {
    std::string out;
    for (char c : reason) {
        if (out.size() >= 200) break;
        auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    return out.empty() ? "error" : out;
}

bool validJsep(const json& jsep) {
    return jsep.is_object() && stringAt(jsep, "type") && stringAt(jsep, "sdp");
}

std::optional<HandleId> senderOf(const json& msg) {
    auto s = uintAt(msg, "sender");
    if (!s || *s == 0) return std::nullopt;
    return *s;
}

JanusReply parseReply(const json& msg) {
    if (!msg.is_object()) return failed(kMalformed);
    auto kind = stringAt(msg, "janus");
    if (!kind) return failed(kMalformed);
    if (*kind == "error") {
        // {"janus":"error","error":{"code":N,"reason":"…"}} (Janus API, janus.js).
        const auto* e = field(msg, "error");
        auto reason = e ? stringAt(*e, "reason") : std::nullopt;
        return failed(sanitizedReason(reason.value_or("error")), e ? codeOf(field(*e, "code")) : 0);
    }
    JanusReply r;
    if (const auto* pd = field(msg, "plugindata")) {
        const auto* data = field(*pd, "data");
        if (!data || !data->is_object()) return failed(kMalformed);
        r.data = *data;
        if (r.data.contains("error_code") || r.data.contains("error")) {
            auto code = field(r.data, "error_code");
            std::string codeText =
                code && code->is_number_integer() ? std::to_string(code->get<std::int64_t>()) : "?";
            return failed(sanitizedReason(stringAt(r.data, "error").value_or("plugin error")) +
                              " (" + codeText + ")",
                          codeOf(code));
        }
    } else if (const auto* data = field(msg, "data")) {
        if (!data->is_object()) return failed(kMalformed);
        r.data = *data;
    } else {
        r.data = json::object();
    }
    if (const auto* jsep = field(msg, "jsep")) {
        if (!validJsep(*jsep)) return failed(kMalformed);
        r.jsep = *jsep;
    }
    r.ok = true;
    return r;
}

bool isNoSuchFeed(const JanusReply& reply) {
    return !reply.ok && reply.code == kNoSuchFeed;
}

}  // namespace sb::media::janus
