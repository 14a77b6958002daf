# web/dist/ from build-wasm/ (cmake -DROOT=<repo> -DOUT=<build-wasm> -P wasm/Dist.cmake): web/build.mjs
# bundles the facade (web/src/) and the Emscripten glue into the ES module and CommonJS entry
# points and copies the wasm.
execute_process(COMMAND node ${ROOT}/web/build.mjs ${OUT}/switchboard.js ${OUT}/switchboard.wasm ${ROOT}/web/dist
    COMMAND_ERROR_IS_FATAL ANY)
