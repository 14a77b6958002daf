#include "server/voice/Call.hpp"

#include <cstdio>
#include <ctime>

namespace sb::voice {

const char* toString(CallDirection d) {
    return d == CallDirection::Inbound ? "inbound" : "outbound";
}

std::string isoTime(TimePoint t) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    auto secs = static_cast<std::time_t>(ms / 1000);
    auto rem = static_cast<int>(ms % 1000);
    if (rem < 0) {  // before 1970: floor, not truncate
        rem += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
    return buf;
}

}  // namespace sb::voice
