#pragma once
// A very small JSON value with its own codec (RFC 8259). The wasm build cannot afford
// nlohmann/json (+35 KB gzip, toolchain-notes Q5); this covers what the signaling protocol needs:
// objects keep insertion order, numbers are doubles (ids, revisions and SCTP stream ids are small
// integers, so the approximate decimal conversion below is exact for every value we exchange).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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

    static Json array() { return Json(Type::Array); }
    static Json object() { return Json(Type::Object); }
    // Parses a complete document; nullopt on any syntax error (no exceptions: -fno-exceptions).
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
    bool has(std::string_view key) const;
    Json& set(std::string key, Json value);
    const std::vector<std::string>& keys() const { return keys_; }

    // Array elements, or the values of an object in key order.
    const std::vector<Json>& values() const { return values_; }
    Json& push(Json value);
    std::size_t size() const { return values_.size(); }

    std::string dump() const;

  private:
    explicit Json(Type type) : type_(type) {}
    void dumpTo(std::string& out) const;

    Type type_ = Type::Null;
    double number_ = 0;
    std::string string_;
    std::vector<std::string> keys_;  // objects: parallel to values_
    std::vector<Json> values_;
};

}  // namespace sb::sdk
