#pragma once
// Line-oriented logging to stderr: one write per line so lines from several threads never
// interleave.

#include <string_view>

namespace sb::base {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);
void log(LogLevel level, std::string_view message);
// Parses "debug" | "info" | "warn" | "error" | "off"; returns false for anything else.
bool parseLogLevel(std::string_view text, LogLevel& out);

}  // namespace sb::base
