# Switchboard — the two entry points are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3

.PHONY: demo test deps deps-test deps-bench build build-asan unit unit-asan integration integration-asan \
        compat js wasm install browser twohost netns-up netns-down bench format check-format check-layers check-sizes clean build-fuzz fuzz fuzz-smoke tidy
SBNET := scripts/netns.sh

demo: deps-test build wasm
	scripts/demo.sh

test: deps-test build build-asan wasm
	$(MAKE) --no-print-directory check-format check-layers check-sizes unit unit-asan tidy integration integration-asan compat js browser twohost fuzz-smoke

deps:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh test
deps-bench:
	@scripts/install-deps.sh bench

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
build: $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

# The browser SDK: C++ core + browser adapters compiled by Debian's Emscripten into build-wasm/
# and web/dist/, as the `wasm` target of the top-level CMake build (wasm/CMakeLists.txt).
wasm:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_WASM=ON >/dev/null
	ninja -C $(BUILD) wasm

# A server install (docs/deploy.md): `make build wasm`, then `sudo make install`. It installs what
# those built and builds nothing itself (as root it would leave root-owned files in the tree).
# DESTDIR=DIR puts the tree under DIR instead of / (packages, tests/integration/install.test.mjs).
PREFIX ?= /usr/local
install:
	@[ -f $(BUILD)/build.ninja ] || { echo "$(BUILD)/ has no build: run make build wasm first" >&2; exit 1; }
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# ASan+UBSan, clang at -O0: unit-asan and integration-asan run its unit_tests and switchboard. It is
# also compiled with the fuzzer's coverage instrumentation (SB_FUZZ) and holds the libFuzzer targets
# that fuzz-smoke runs, so `make test` compiles the server twice (build/ and this), not three times.
$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
	    -DSB_SANITIZE=ON -DSB_FUZZ=ON >/dev/null
build-asan: $(ASAN_BUILD)/build.ninja
	@grep -q '^SB_FUZZ:BOOL=ON' $(ASAN_BUILD)/CMakeCache.txt || { echo "$(ASAN_BUILD)/ is an older" \
	    "gcc ASan build without the fuzz targets: rm -rf $(ASAN_BUILD) and make build-asan again" >&2; exit 1; }
	ninja -C $(ASAN_BUILD) -j$(JOBS)

# libFuzzer targets (tests/fuzz/README.md) for long runs: clang with ASan+UBSan, optimized, in their
# own build folder (fuzz-smoke uses the -O0 ones of $(ASAN_BUILD), built anyway by `make test`).
$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	    -DSB_FUZZ=ON -DSB_BUILD_TESTS=OFF >/dev/null
build-fuzz: $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) -j$(JOBS) fuzz
# Each target for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600 fuzz_targets="sdp rtp" for a longer run of some).
fuzz: deps-test build-fuzz
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(fuzz_targets)
# A few seconds each from the committed seeds: keeps the targets compiling and replays past crashes.
fuzz-smoke:
	tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SMOKE_SECONDS)

unit:
	$(BUILD)/unit_tests
LSAN := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan.supp
unit-asan:
	ASAN_OPTIONS=detect_leaks=1 $(LSAN) UBSAN_OPTIONS=print_stacktrace=1 $(ASAN_BUILD)/unit_tests
integration:
	node --test --test-concurrency=1 tests/integration/
integration-asan:
	ASAN_OPTIONS=detect_leaks=1 $(LSAN) SWITCHBOARD_BIN=$(ASAN_BUILD)/switchboard node --test --test-concurrency=1 tests/integration/
compat:
	node --test --test-concurrency=1 tests/compat/
js:
	node --test --test-concurrency=1 tests/js/

# Media tests run inside the project's own network namespace (scripts/netns.sh): Janus,
# switchboard, Chromium and Firefox share its loopback and one veth, so no packet leaves it.
# Firefox gathers no ICE candidates without a default route: the namespace gets one through an
# address nobody answers ARP for (tests/browser/firefox-media.test.mjs checks that it never does).
browser netns-up: export SBNET_DEFAULT_ROUTE := 1
browser:
	node tests/browser/build-stock-sdk.mjs
	@$(SBNET) up
	@trap '$(SBNET) down --force' EXIT; $(SBNET) exec node --test --test-concurrency=1 tests/browser/
# Two hosts (scripts/twohost.sh): switchboard, Janus and coturn in a "server" namespace, Chromium
# in a "laptop" one, joined by a veth; HTTPS with a test CA, TURN, a UDP-blocking firewall.
TWOHOST := scripts/twohost.sh
twohost:
	@$(TWOHOST) up
	@trap '$(TWOHOST) down --force' EXIT; $(TWOHOST) exec server node --test --test-concurrency=1 tests/twohost/
netns-up:
	@$(SBNET) up
netns-down:
	@$(SBNET) down --force

bench: deps-bench build
	bench/api/run.sh

# clang-tidy with .clang-tidy's checks (scripts/tidy.sh), on $(BUILD)'s compile_commands.json.
# `make test` checks all of server/, protocol/ and wasm/core/ (176 files): about 4 min of the
# 2-core CI machine with -j2 when nothing else runs (measured 2026-12-06: 237 s; the Asio/Beast
# heavy folders server/voice, media, bridge and net take 7-17 s a file). TIDY_SCOPE=ci checks
# only the faster folders (98 files, 79 s) for a quick look while editing those.
TIDY_SCOPE ?= all
TIDY_ci := protocol wasm/core server/base server/session server/api server/app server/auth \
           server/ops server/signaling server/sip server/state server/web
TIDY_all := protocol wasm/core server
tidy:
	@[ -n "$(TIDY_$(TIDY_SCOPE))" ] || { echo "TIDY_SCOPE is ci or all" >&2; exit 2; }
	JOBS=$(JOBS) scripts/tidy.sh $(BUILD) $(TIDY_$(TIDY_SCOPE))

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
check-format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
# Each folder of server/ includes only its own and lower layers (the order is in the script).
check-layers:
	scripts/check-layers.sh

# No class of server/ over 500 lines across its files, no file over 400 (how it counts: the script).
check-sizes:
	scripts/check-sizes.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
