# Writes IN as a C++ string constant `sb::ops::kOpenApiDocument` into OUT.
# The text is cut at line ends into raw string literals of at most 60,000 bytes, joined once at
# start-up: C++ compilers need only support literals of 65,536 bytes (clang's -Woverlength-strings).
file(READ "${IN}" CONTENT)
set(rest "${CONTENT}")
set(parts "")
while(NOT rest STREQUAL "")
  string(LENGTH "${rest}" n)
  if(n LESS 60000)
    set(part "${rest}")
    set(rest "")
  else()
    string(SUBSTRING "${rest}" 0 60000 head)
    string(FIND "${head}" "\n" cut REVERSE)
    if(cut LESS 0)
      message(FATAL_ERROR "${IN}: a line longer than 60,000 bytes cannot be embedded")
    endif()
    math(EXPR cut "${cut} + 1")
    string(SUBSTRING "${rest}" 0 ${cut} part)
    string(SUBSTRING "${rest}" ${cut} -1 rest)
  endif()
  string(APPEND parts "    R\"sbjson(${part})sbjson\",\n")
endwhile()
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.
#include <string>
#include <string_view>
namespace sb::ops {
namespace {
const char* const kParts[] = {
${parts}};
std::string joined() {
    std::string text;
    for (const char* part : kParts) text += part;
    return text;
}
}  // namespace
extern const std::string_view kOpenApiDocument;
const std::string_view kOpenApiDocument = [] {
    static const std::string text = joined();
    return std::string_view(text);
}();
}  // namespace sb::ops
")
