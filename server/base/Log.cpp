#include "server/base/Log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace sb::base {

namespace {
std::atomic<int> gLevel{static_cast<int>(LogLevel::Info)};

const char* name(LogLevel l) {
    switch (l) {
        case LogLevel::Debug:
            return "DEBUG";
        case LogLevel::Info:
            return "INFO";
        case LogLevel::Warn:
            return "WARN";
        case LogLevel::Error:
            return "ERROR";
        case LogLevel::Off:
            return "OFF";
    }
    return "?";
}
}  // namespace

void setLogLevel(LogLevel level) {
    gLevel = static_cast<int>(level);
}
bool logEnabled(LogLevel level) {
    return static_cast<int>(level) >= gLevel.load(std::memory_order_relaxed);
}

void log(LogLevel level, std::string_view message) {
    if (!logEnabled(level) || level == LogLevel::Off) return;
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    std::string line;
    line.reserve(message.size() + 48);
    line.append(stamp).append(" ").append(name(level)).append(" ").append(message).append("\n");
    std::fwrite(line.data(), 1, line.size(), stderr);
}

bool parseLogLevel(std::string_view text, LogLevel& out) {
    if (text == "debug")
        out = LogLevel::Debug;
    else if (text == "info")
        out = LogLevel::Info;
    else if (text == "warn")
        out = LogLevel::Warn;
    else if (text == "error")
        out = LogLevel::Error;
    else if (text == "off")
        out = LogLevel::Off;
    else
        return false;
    return true;
}

}  // namespace sb::base
