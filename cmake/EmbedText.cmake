# Writes IN as a C++ string constant `sb::ops::kOpenApiDocument` into OUT.
file(READ "${IN}" CONTENT)
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace sb::ops {\nextern const std::string_view kOpenApiDocument;\nconst std::string_view kOpenApiDocument = R\"sbjson(${CONTENT})sbjson\";\n}  // namespace sb::ops\n")
