# web/dist/ from build-wasm/ (cmake -DROOT=<repo> -DOUT=<build-wasm> -P wasm/Dist.cmake): the
# facade (web/src/) and the Emscripten glue bundled and minified into one index.js, and the wasm.
# web/build.mjs does the bundling when it exists; else esbuild here.
set(DIST ${ROOT}/web/dist)
file(REMOVE_RECURSE ${OUT}/facade ${DIST})
file(MAKE_DIRECTORY ${OUT}/facade ${DIST})
if(EXISTS ${ROOT}/web/build.mjs)
    execute_process(COMMAND node ${ROOT}/web/build.mjs ${OUT}/switchboard.js ${OUT}/switchboard.wasm ${DIST}
        COMMAND_ERROR_IS_FATAL ANY)
else()
    file(GLOB facade ${ROOT}/web/src/*.js)
    file(COPY ${facade} ${OUT}/switchboard.js DESTINATION ${OUT}/facade)
    execute_process(COMMAND ${ROOT}/wasm/node_modules/.bin/esbuild ${OUT}/facade/index.js --bundle --format=esm
        --minify --target=es2020 --legal-comments=none --log-level=warning --outfile=${DIST}/index.js
        COMMAND_ERROR_IS_FATAL ANY)
    file(COPY ${OUT}/switchboard.wasm DESTINATION ${DIST})
endif()
