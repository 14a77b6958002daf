#include "server/sip/endpoint/UserToUser.hpp"

#include <algorithm>
#include <cctype>

namespace sb::sip {

namespace {

bool isWs(char c) {
    return c == ' ' || c == '\t';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Data and parameter values: any visible character except the separators and the quote.
// (RFC 7433 says token or quoted-string, but SIP stacks send base64 with '/' and '=' unquoted.)
bool isDataChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != ',' && c != ';' && c != '"';
}

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '!' ||
           c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
}

class Scanner {
  public:
    explicit Scanner(std::string_view s) : s_(s) {}
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }
    void skip() { ++i_; }
    void skipWs() {
        while (!done() && isWs(peek())) ++i_;
    }
    std::string where() const { return " at position " + std::to_string(i_); }

    // A token of `pred` characters or a quoted-string (RFC 3261 §25.1, backslash escapes).
    std::string item(bool (*pred)(char), bool allowQuoted) {
        if (allowQuoted && !done() && peek() == '"') {
            ++i_;
            std::string out;
            while (!done() && peek() != '"') {
                if (peek() == '\\' && i_ + 1 < s_.size()) ++i_;
                out += s_[i_++];
            }
            if (done()) throw UuiError("User-To-User has an unterminated quoted string");
            ++i_;
            return out;
        }
        auto start = i_;
        while (!done() && pred(peek())) ++i_;
        return std::string(s_.substr(start, i_ - start));
    }

  private:
    std::string_view s_;
    std::size_t i_ = 0;
};

bool allOf(std::string_view s, bool (*pred)(char)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool isHexChar(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool isB64Char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
}
bool isB64UrlChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

bool isBase64(std::string_view s) {
    auto end = s.find_last_not_of('=');
    if (end == std::string_view::npos || s.size() - end - 1 > 2) return false;
    return allOf(s.substr(0, end + 1), isB64Char);
}

// Three base64url segments (RFC 7519 §7.2 compact serialization).
bool isJwt(std::string_view s) {
    auto a = s.find('.');
    if (a == std::string_view::npos) return false;
    auto b = s.find('.', a + 1);
    if (b == std::string_view::npos || s.find('.', b + 1) != std::string_view::npos) return false;
    return allOf(s.substr(0, a), isB64UrlChar) && allOf(s.substr(a + 1, b - a - 1), isB64UrlChar) &&
           allOf(s.substr(b + 1), isB64UrlChar);
}

std::string ordinal(std::size_t i) {
    return "User-To-User value " + std::to_string(i + 1);
}

void checkAlphabet(const UuiValue& v, std::size_t index) {
    bool ok = v.encoding == "jwt"      ? isJwt(v.data)
              : v.encoding == "base64" ? isBase64(v.data)
              : v.encoding == "hex"    ? allOf(v.data, isHexChar) && v.data.size() % 2 == 0
                                       : true;
    if (!ok) throw UuiError(ordinal(index) + " is not valid " + v.encoding + " data");
}

}  // namespace

std::vector<UuiValue> parseUui(std::string_view header) {
    if (header.size() > kMaxUuiHeaderLength)
        throw UuiError("User-To-User is " + std::to_string(header.size()) +
                       " characters; the limit is " + std::to_string(kMaxUuiHeaderLength));
    std::vector<UuiValue> values;
    Scanner sc(header);
    while (true) {
        sc.skipWs();
        UuiValue v;
        v.data = sc.item(isDataChar, true);
        if (v.data.empty()) throw UuiError(ordinal(values.size()) + " has no data" + sc.where());
        sc.skipWs();
        while (!sc.done() && sc.peek() == ';') {
            sc.skip();
            sc.skipWs();
            auto name = lower(sc.item(isNameChar, false));
            if (name.empty())
                throw UuiError(ordinal(values.size()) + " has a parameter without a name" +
                               sc.where());
            sc.skipWs();
            std::string value;
            if (!sc.done() && sc.peek() == '=') {
                sc.skip();
                sc.skipWs();
                value = sc.item(isDataChar, true);
                if (value.empty())
                    throw UuiError(ordinal(values.size()) + " parameter " + name + " has no value");
                sc.skipWs();
            }
            if (name == "encoding") {
                if (!v.encoding.empty())
                    throw UuiError(ordinal(values.size()) + " has two encoding parameters");
                v.encoding = lower(value);
            }
            v.params.emplace_back(std::move(name), std::move(value));
        }
        values.push_back(std::move(v));
        if (values.size() > kMaxUuiValues)
            throw UuiError("User-To-User has more than " + std::to_string(kMaxUuiValues) +
                           " values");
        if (sc.done()) break;
        if (sc.peek() != ',')
            throw UuiError(std::string("User-To-User has an unexpected '") + sc.peek() + "'" +
                           sc.where());
        sc.skip();
    }
    return values;
}

void validateUui(std::string_view uui, std::size_t maxLength,
                 std::initializer_list<std::string_view> allowed) {
    if (uui.size() > maxLength)
        throw UuiError("must be at most " + std::to_string(maxLength) +
                       " characters including encoding parameters, got " +
                       std::to_string(uui.size()));
    auto values = parseUui(uui);
    std::string names;
    for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& v = values[i];
        if (v.encoding.empty())
            throw UuiError(ordinal(i) + " must end with an ;encoding= parameter (" + names + ")");
        if (std::find(allowed.begin(), allowed.end(), v.encoding) == allowed.end())
            throw UuiError(ordinal(i) + " has encoding \"" + v.encoding + "\"; allowed: " + names);
        checkAlphabet(v, i);
    }
}

UuiToken extractUuiToken(std::string_view header) {
    return extractUuiToken(parseUui(header));
}

UuiToken extractUuiToken(const std::vector<UuiValue>& values) {
    UuiToken out;
    bool haveToken = false;
    bool haveBase64 = false;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& v = values[i];
        if (v.encoding == "jwt") {
            if (haveToken) throw UuiError("User-To-User carries more than one ;encoding=jwt value");
            checkAlphabet(v, i);
            out.token = v.data;
            haveToken = true;
        } else if (v.encoding == "base64") {
            if (haveBase64)
                throw UuiError("User-To-User carries more than one ;encoding=base64 value");
            checkAlphabet(v, i);
            haveBase64 = true;
            // generateTransferBxml puts the call id's hex digits here, labelled base64.
            if (allOf(v.data, isHexChar)) out.callIdHex = v.data;
        } else if (v.encoding.empty()) {
            throw UuiError(
                ordinal(i) +
                " has no ;encoding= parameter; expected jwt (or base64 for the call id)");
        } else {
            throw UuiError(ordinal(i) + " has encoding \"" + v.encoding +
                           "\"; only jwt and base64 are accepted");
        }
    }
    if (!haveToken)
        throw UuiError("User-To-User carries no ;encoding=jwt value (the participant token)");
    return out;
}

bool carriesUuiToken(std::string_view uui) {
    std::string lower(uui.substr(0, kMaxUuiHeaderLength));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.erase(std::remove_if(lower.begin(), lower.end(),
                               [](char c) { return c == ' ' || c == '\t' || c == '"'; }),
                lower.end());
    if (lower.find("encoding=jwt") != std::string::npos) return true;
    // A quoted-string parameter may hide it from the text search ("j\wt" is "jwt" unquoted,
    // RFC 3261 §25.1): the parsed values decide too.
    try {
        for (const auto& value : parseUui(uui))
            if (value.encoding == "jwt") return true;
    } catch (const UuiError&) {
    }
    return false;
}

}  // namespace sb::sip
