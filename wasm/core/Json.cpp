#include "wasm/core/Json.hpp"

#include <cmath>
#include <cstdint>

namespace sb::sdk {

namespace {

const std::string kEmptyString;
const Json kNull;

// Recursive-descent parser over RFC 8259 §2-§7. Hand-written (rather than strtod/printf) because
// those pull several KB of libc formatting code into the wasm.
class Parser {
  public:
    explicit Parser(std::string_view text) : s_(text) {}

    bool document(Json& out) {
        if (!value(out, 0)) return false;
        skipSpace();
        return pos_ == s_.size();
    }

  private:
    static constexpr int kMaxDepth = 64;

    void skipSpace() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    bool eat(char c) {
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    bool value(Json& out, int depth) {
        if (depth > kMaxDepth) return false;
        skipSpace();
        if (pos_ >= s_.size()) return false;
        char c = s_[pos_];
        if (c == '{') return object(out, depth);
        if (c == '[') return array(out, depth);
        if (c == '"') {
            std::string str;
            if (!string(str)) return false;
            out = Json(std::move(str));
            return true;
        }
        if (c == 't' && literal("true")) return out = Json(true), true;
        if (c == 'f' && literal("false")) return out = Json(false), true;
        if (c == 'n' && literal("null")) return out = Json(), true;
        return number(out);
    }

    bool object(Json& out, int depth) {
        ++pos_;
        out = Json::object();
        if (eat('}')) return true;
        do {
            skipSpace();
            std::string key;
            Json member;
            if (pos_ >= s_.size() || s_[pos_] != '"' || !string(key) || !eat(':') ||
                !value(member, depth + 1))
                return false;
            out.set(std::move(key), std::move(member));
        } while (eat(','));
        return eat('}');
    }

    bool array(Json& out, int depth) {
        ++pos_;
        out = Json::array();
        if (eat(']')) return true;
        do {
            Json element;
            if (!value(element, depth + 1)) return false;
            out.push(std::move(element));
        } while (eat(','));
        return eat(']');
    }

    bool hex4(std::uint32_t& cp) {
        if (pos_ + 4 > s_.size()) return false;
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            char h = s_[pos_++];
            cp <<= 4;
            if (h >= '0' && h <= '9')
                cp |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                cp |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                cp |= static_cast<std::uint32_t>(h - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    static void appendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool string(std::string& out) {
        ++pos_;  // opening quote
        while (pos_ < s_.size()) {
            char c = s_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;  // RFC 8259 §7: must be escaped
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) return false;
            char e = s_[pos_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    std::uint32_t cp;
                    if (!hex4(cp)) return false;
                    // A high surrogate followed by a low one encodes one code point (RFC 8259 §7).
                    if (cp >= 0xD800 && cp < 0xDC00 && literal("\\u")) {
                        std::uint32_t low;
                        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    appendUtf8(out, cp);
                    break;
                }
                default:
                    return false;
            }
        }
        return false;
    }

    bool digits(double& acc, int& count) {
        count = 0;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
            acc = acc * 10 + (s_[pos_++] - '0');
            ++count;
        }
        return count > 0;
    }

    bool number(Json& out) {
        bool negative = pos_ < s_.size() && s_[pos_] == '-';
        if (negative) ++pos_;
        double v = 0;
        int n = 0;
        if (!digits(v, n)) return false;
        int exponent = 0;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digits(v, n)) return false;
            exponent = -n;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            bool negExp = pos_ < s_.size() && s_[pos_] == '-';
            if (pos_ < s_.size() && (s_[pos_] == '-' || s_[pos_] == '+')) ++pos_;
            double e = 0;
            if (!digits(e, n) || e > 400) return false;
            exponent += negExp ? -static_cast<int>(e) : static_cast<int>(e);
        }
        for (; exponent > 0; --exponent) v *= 10;
        for (; exponent < 0; ++exponent) v /= 10;
        out = Json(negative ? -v : v);
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

void dumpString(std::string& out, const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += "\\u00";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

void dumpUnsigned(std::string& out, std::uint64_t v) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) out += buf[--n];
}

void dumpNumber(std::string& out, double v) {
    if (v != v || v > 9e15 || v < -9e15) {  // NaN and huge values: JSON has no Infinity
        out += v != v ? "null" : (v > 0 ? "9e15" : "-9e15");
        return;
    }
    if (v < 0) {
        out += '-';
        v = -v;
    }
    auto whole = static_cast<std::uint64_t>(v);
    dumpUnsigned(out, whole);
    auto micros = static_cast<std::uint64_t>(std::llround((v - static_cast<double>(whole)) * 1e6));
    if (micros == 0 || micros >= 1000000) return;
    out += '.';
    std::string frac;
    for (int i = 0; i < 6; ++i, micros /= 10)
        frac.insert(frac.begin(), static_cast<char>('0' + micros % 10));
    while (frac.back() == '0') frac.pop_back();
    out += frac;
}

}  // namespace

std::string decimal(long value) {
    std::string out;
    dumpNumber(out, static_cast<double>(value));
    return out;
}

std::optional<Json> Json::parse(std::string_view text) {
    Json out;
    if (!Parser(text).document(out)) return std::nullopt;
    return out;
}

const std::string& Json::asString() const {
    return type_ == Type::String ? string_ : kEmptyString;
}

const Json& Json::operator[](std::string_view key) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (keys_[i] == key) return values_[i];
    return kNull;
}

bool Json::has(std::string_view key) const {
    for (const auto& k : keys_)
        if (k == key) return true;
    return false;
}

Json& Json::set(std::string key, Json value) {
    if (type_ != Type::Object) *this = object();
    for (std::size_t i = 0; i < keys_.size(); ++i)
        if (keys_[i] == key) return values_[i] = std::move(value);
    keys_.push_back(std::move(key));
    values_.push_back(std::move(value));
    return values_.back();
}

Json& Json::push(Json value) {
    if (type_ != Type::Array) *this = array();
    values_.push_back(std::move(value));
    return values_.back();
}

std::string Json::dump() const {
    std::string out;
    dumpTo(out);
    return out;
}

void Json::dumpTo(std::string& out) const {
    switch (type_) {
        case Type::Null:
            out += "null";
            break;
        case Type::Bool:
            out += number_ != 0 ? "true" : "false";
            break;
        case Type::Number:
            dumpNumber(out, number_);
            break;
        case Type::String:
            dumpString(out, string_);
            break;
        case Type::Array:
        case Type::Object: {
            bool isObj = type_ == Type::Object;
            out += isObj ? '{' : '[';
            for (std::size_t i = 0; i < values_.size(); ++i) {
                if (i) out += ',';
                if (isObj) {
                    dumpString(out, keys_[i]);
                    out += ':';
                }
                values_[i].dumpTo(out);
            }
            out += isObj ? '}' : ']';
            break;
        }
    }
}

}  // namespace sb::sdk
