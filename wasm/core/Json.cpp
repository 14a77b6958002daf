#include "wasm/core/Json.hpp"

// The value type only: parse() and dump() are in JsonText.cpp of each platform (Json.hpp).

namespace sb::sdk {

namespace {

const Json kNull;

}  // namespace

const Json& Json::null() {
    return kNull;
}

const std::string& Json::asString() const {
    // kNull's string is empty: no static string of its own (size, bench/size/).
    return type_ == Type::String ? string_ : kNull.string_;
}

const Json& Json::operator[](std::string_view key) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (keys_[i] == key) return values_[i];
    return kNull;
}

bool Json::has(std::string_view key) const {
    return &(*this)[key] != &kNull;  // one search loop in the wasm (size, bench/size/)
}

Json& Json::set(std::string key, Json value) {
    if (type_ != Type::Object) reset(Type::Object);
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (keys_[i] == key) return values_[i] = std::move(value);
    keys_.push_back(std::move(key));
    values_.push_back(std::move(value));
    return values_.back();
}

Json& Json::set(const char* key, Json value) {
    return set(std::string(key), std::move(value));
}

Json& Json::setText(const char* key, const std::string& text) {
    return set(key, Json(text));
}

Json& Json::setText(const char* key, const char* text) {
    return set(key, Json(text));
}

// An empty value of `type` in place (size: no move assignment of a temporary, bench/size/).
void Json::reset(Type type) {
    type_ = type;
    number_ = 0;
    string_.clear();
    keys_.clear();
    values_.clear();
}

void Json::appendMember(std::string key, Json value) {
    keys_.push_back(std::move(key));
    values_.push_back(std::move(value));
}

Json& Json::push(Json value) {
    if (type_ != Type::Array) reset(Type::Array);
    values_.push_back(std::move(value));
    return values_.back();
}

void Json::strings(std::vector<std::string>& out) const {
    out.clear();
    for (const auto& v : values_) out.push_back(v.asString());
}

}  // namespace sb::sdk
