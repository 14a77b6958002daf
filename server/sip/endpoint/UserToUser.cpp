#include "server/sip/endpoint/UserToUser.hpp"

#include <cctype>

namespace sb::sip {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::vector<std::string> splitUserToUser(std::string_view header) {
    std::vector<std::string> values;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= header.size(); ++i) {
        const bool end = i == header.size();
        if (!end && header[i] == '"') quoted = !quoted;
        if (!end && header[i] == '\\' && quoted) {  // quoted-pair (RFC 3261 §25.1)
            ++i;
            continue;
        }
        if (end || (header[i] == ',' && !quoted)) {
            auto value = trim(header.substr(start, i - start));
            if (!value.empty()) values.emplace_back(value);
            start = i + 1;
        }
    }
    return values;
}

std::string joinUserToUser(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ',';
        out += v;
    }
    return out;
}

UserToUserValue parseUserToUserValue(std::string_view value) {
    UserToUserValue out;
    auto semi = value.find(';');
    out.data = std::string(trim(value.substr(0, semi)));
    while (semi != std::string_view::npos) {
        auto rest = value.substr(semi + 1);
        auto next = rest.find(';');
        auto param = trim(rest.substr(0, next));
        auto eq = param.find('=');
        if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "encoding") {
            out.encoding = lower(trim(param.substr(eq + 1)));
        }
        semi = next == std::string_view::npos ? next : semi + 1 + next;
    }
    return out;
}

}  // namespace sb::sip
