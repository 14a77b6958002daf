// Json <-> text natively, through nlohmann/json: the half of Json.hpp that the unit tests (and any
// native program using the SDK core) link. The wasm links wasm/browser/JsonText.cpp instead.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "wasm/core/Json.hpp"

namespace sb::sdk {

struct JsonText {
    static void appendMember(Json& object, std::string key, Json value) {
        object.appendMember(std::move(key), std::move(value));
    }
};

namespace {

// nlohmann's SAX events (its json_sax interface) straight into a Json: no intermediate document,
// members in the order of the text, nesting refused beyond Json::kMaxDepth while parsing (so a
// 1 MiB run of '[' never builds anything deep). Returning false stops the parser.
class Builder {
  public:
    Json result;

    bool null() { return add(Json()); }
    bool boolean(bool v) { return add(Json(v)); }
    bool number_integer(std::int64_t v) { return add(Json(static_cast<double>(v))); }
    bool number_unsigned(std::uint64_t v) { return add(Json(static_cast<double>(v))); }
    // nlohmann has already refused numbers out of a double's range (1e400: out_of_range.406).
    bool number_float(double v, const std::string& /*text*/) { return add(Json(v)); }
    bool string(std::string& v) { return add(Json(std::move(v))); }
    bool binary(nlohmann::json::binary_t& /*v*/) { return false; }  // CBOR & co. only, not JSON
    bool start_object(std::size_t /*size*/) { return open(Json::object()); }
    bool key(std::string& k) {
        open_.back().key = std::move(k);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t /*size*/) { return open(Json::array()); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                     const nlohmann::detail::exception& /*error*/) {
        return false;
    }

  private:
    struct Container {
        Json value;
        std::string key;                       // objects: the name of the member being read
        std::unordered_set<std::string> seen;  // objects: the names read so far
    };

    bool open(Json container) {
        if (open_.size() >= Json::kMaxDepth) return false;
        open_.push_back(Container{std::move(container), {}, {}});
        return true;
    }
    bool close() {
        Json done = std::move(open_.back().value);
        open_.pop_back();
        return add(std::move(done));
    }
    bool add(Json v) {
        if (open_.empty()) {
            result = std::move(v);
            return true;
        }
        Container& parent = open_.back();
        if (!parent.value.isObject()) {
            parent.value.push(std::move(v));
        } else if (parent.seen.insert(parent.key).second) {
            JsonText::appendMember(parent.value, std::move(parent.key), std::move(v));
        } else {
            // A repeated name (RFC 8259 §4 leaves the meaning open): the last value wins, in the
            // first one's place, as JSON.parse does in the wasm.
            parent.value.set(std::move(parent.key), std::move(v));
        }
        return true;
    }

    std::vector<Container> open_;
};

// 2^53: up to here every integer is exact in a double.
constexpr double kMaxExactInteger = 9007199254740992.0;

nlohmann::ordered_json toLibrary(const Json& j) {
    switch (j.type()) {
        case Json::Type::Null:
            return nullptr;
        case Json::Type::Bool:
            return j.asBool();
        case Json::Type::Number: {
            // Whole numbers as integers ("7", not "7.0"), as JSON.stringify writes them in the
            // wasm.
            double v = j.asNumber();
            if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) <= kMaxExactInteger)
                return static_cast<std::int64_t>(v);
            return v;  // non-finite values are dumped as null
        }
        case Json::Type::String:
            return j.asString();
        case Json::Type::Array: {
            auto out = nlohmann::ordered_json::array();
            for (const auto& element : j.values()) out.push_back(toLibrary(element));
            return out;
        }
        case Json::Type::Object: {
            auto out = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < j.keys().size(); ++i)
                out[j.keys()[i]] = toLibrary(j.values()[i]);
            return out;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<Json> Json::parse(std::string_view text) {
    if (text.size() > kMaxTextBytes) return std::nullopt;
    // nlohmann's lexer takes a NUL byte for the end of the input and would accept "[1]\0junk".
    // A NUL is never part of a valid text (it is not whitespace, and within a string it must be
    // escaped, RFC 8259 §2 and §7), so any NUL refuses the document, as JSON.parse does.
    if (text.find('\0') != std::string_view::npos) return std::nullopt;
    Builder builder;
    // Strict: the whole text is one document (RFC 8259 §2), nothing after it.
    if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) return std::nullopt;
    return std::move(builder.result);
}

std::string Json::dump() const {
    return toLibrary(*this).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sb::sdk
