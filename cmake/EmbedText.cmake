# Writes IN as a C++ string constant into OUT: `NAMESPACE::NAME` (default sb::ops::kOpenApiDocument;
# the Janus config templates are embedded the same way, as sb::app::kJanus...).
# The text is cut at line ends into raw string literals of at most 60,000 bytes, joined once at
# start-up: C++ compilers need only support literals of 65,536 bytes (clang's -Woverlength-strings).
if(NOT DEFINED NAMESPACE)
  set(NAMESPACE sb::ops)
endif()
if(NOT DEFINED NAME)
  set(NAME kOpenApiDocument)
endif()
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
namespace ${NAMESPACE} {
namespace {
const char* const kParts[] = {
${parts}};
std::string joined() {
    std::string text;
    for (const char* part : kParts) text += part;
    return text;
}
}  // namespace
extern const std::string_view ${NAME};
const std::string_view ${NAME} = [] {
    static const std::string text = joined();
    return std::string_view(text);
}();
}  // namespace ${NAMESPACE}
")
