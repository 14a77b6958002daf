#pragma once
// The SDK core's JSON value (RFC 8259): objects keep insertion order, numbers are doubles (ids,
// revisions and SCTP stream ids are small integers, exact in a double). The value type lives here,
// platform-free; text <-> value is done by a library on each platform, never by hand:
//   - natively (unit tests): nlohmann/json, in wasm/native/JsonText.cpp;
//   - in the wasm: the browser's own JSON.parse / JSON.stringify through embind, in
//     wasm/browser/JsonText.cpp (nlohmann would cost about 35 KB gzip there).
// Both refuse the same things: text over kMaxTextBytes, nesting deeper than kMaxDepth, any syntax
// error (RFC 8259 §2-§9), a NUL byte, numbers outside a double's range (1e400), unpaired surrogate
// escapes. Where they differ is listed in docs/architecture.md ("JSON in the SDK").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sb::sdk {

class Json {
  public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : type_(Type::Bool), number_(b ? 1 : 0) {}
    Json(int n) : type_(Type::Number), number_(n) {}
    Json(double n) : type_(Type::Number), number_(n) {}
    Json(const char* s) : type_(Type::String), string_(s) {}
    Json(std::string s) : type_(Type::String), string_(std::move(s)) {}

    // A server message cannot be longer: the server closes a device connection whose unsent
    // bytes pass 1 MiB (maxWebSocketQueueBytes, docs/security.md). Real ones are a few KB (an SDP
    // offer takes 1-2 KB per media section).
    static constexpr std::size_t kMaxTextBytes = std::size_t{1024} * 1024;
    // Arrays and objects nested at most this deep, as the server accepts
    // (protocol/BoundedJson.hpp): the value is copied, dumped and destroyed recursively, one stack
    // frame per level.
    static constexpr std::size_t kMaxDepth = 64;

    static Json array() { return Json(Type::Array); }
    static Json object() { return Json(Type::Object); }
    // A null value to pass by reference (size: no temporary made and destroyed at the call).
    static const Json& null();
    // Parses a complete document; nullopt on any syntax error or limit above, never an exception
    // (the wasm is built with -fno-exceptions).
    static std::optional<Json> parse(std::string_view text);

    Type type() const { return type_; }
    bool isNull() const { return type_ == Type::Null; }
    bool isNumber() const { return type_ == Type::Number; }
    bool isString() const { return type_ == Type::String; }
    bool isObject() const { return type_ == Type::Object; }
    bool isArray() const { return type_ == Type::Array; }

    bool asBool() const { return type_ == Type::Bool && number_ != 0; }
    double asNumber(double fallback = 0) const {
        return type_ == Type::Number ? number_ : fallback;
    }
    // Empty for non-strings, so callers can read optional string fields without checks.
    const std::string& asString() const;

    // Object access: a missing member (or a non-object) reads as null.
    const Json& operator[](std::string_view key) const;
    // A literal key: its length is known here, not measured at run time (size, bench/size/).
    template <std::size_t N>
    const Json& operator[](const char (&key)[N]) const {
        return (*this)[std::string_view(key, N - 1)];
    }
    bool has(std::string_view key) const;
    Json& set(std::string key, Json value);
    // The same for a literal key: the key's string is made here rather than at every call site.
    Json& set(const char* key, Json value);
    // A string member: its Json made here rather than at every call site (size, bench/size/).
    // Templates, so that a literal 0 or nullptr is not taken for a string: they make a number
    // and a null, as Json(0) and Json(nullptr) do.
    template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
    Json& set(const char* key, const S& text) {
        return setText(key, text);
    }
    template <class Char, std::enable_if_t<std::is_same_v<Char, char>, int> = 0>
    Json& set(const char* key, const Char* text) {
        return setText(key, text);
    }
    const std::vector<std::string>& keys() const { return keys_; }

    // Array elements, or the values of an object in key order.
    const std::vector<Json>& values() const { return values_; }
    Json& push(Json value);
    std::size_t size() const { return values_.size(); }
    // `out` becomes asString() of each value, in order (one loop in the wasm for every list of
    // names read from the server, bench/size/).
    void strings(std::vector<std::string>& out) const;

    // Compact text (no spaces). Strings that are not UTF-8 are dumped with U+FFFD in place of the
    // bad bytes; numbers that are not finite as null (JSON has neither; JSON.stringify does the
    // same, ECMA-262 SerializeJSONProperty).
    std::string dump() const;

  private:
    // The text conversions (JsonText.cpp of each platform) build objects whose keys their parser
    // already made unique; they append members without set()'s search, so a document of n
    // members costs n steps rather than n² comparisons.
    friend struct JsonText;
    explicit Json(Type type) : type_(type) {}
    void appendMember(std::string key, Json value);
    Json& setText(const char* key, const std::string& text);
    Json& setText(const char* key, const char* text);
    void reset(Type type);

    Type type_ = Type::Null;
    double number_ = 0;
    std::string string_;
    std::vector<std::string> keys_;  // objects: parallel to values_
    std::vector<Json> values_;
};

}  // namespace sb::sdk
