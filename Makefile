# beian — see README.md. Every target installs what is missing first (scripts/deps.sh).
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 20
CMAKE_FLAGS ?=

.PHONY: deps build bin test demo bench unit asan store-test http-test browser-test package package-test format clean failover scale \
	tsan tsan-test fuzz fuzz-build fuzz-smoke

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Only the release `beian` binary: what the CLI, HTTP, browser and package tests run (make test
# runs the unit and store tests in the sanitizer builds, so it does not compile them at -O2 too).
bin: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target beian

# The ASan+UBSan build is also the fuzz-smoke build: clang, every library instrumented for
# libFuzzer as well, so make test compiles the code once for both. Test-only builds (this one and
# TSan) compile in unity batches (CMAKE_UNITY_BUILD): far less time spent on the same headers.
$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DBEIAN_SANITIZE=ON \
	  -DBEIAN_FUZZ=ON -DBEIAN_BENCH=OFF -DCMAKE_UNITY_BUILD=ON $(CMAKE_FLAGS)

# Unit and store tests (store tests need PostgreSQL: scripts/with_pg.sh starts a throw-away server).
unit: build
	scripts/with_pg.sh ctest --test-dir $(BUILD) --output-on-failure

asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/with_pg.sh ctest --test-dir $(ASAN_BUILD) --output-on-failure

$(TSAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBEIAN_TSAN=ON -DBEIAN_BENCH=OFF \
	  -DCMAKE_UNITY_BUILD=ON $(CMAKE_FLAGS)

# Every ctest test (unit and store tests, both backends) and every CLI and HTTP test against a
# ThreadSanitizer build; fails on any race report (scripts/tsan.sh).
tsan: deps $(TSAN_BUILD)/CMakeCache.txt
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	scripts/tsan.sh $(TSAN_BUILD)

# The part of make tsan that make test runs (scripts/tsan.sh --quick): ctest store_test (store and
# service tests on SQLite and PostgreSQL), store_unit_test, http_unit_test and cli_unit_test, and the HTTP suites
# basics, race, revocation, attempts, ratelimits, fairness and limits (both backends), all against
# the ThreadSanitizer build. Left out: domain_test, codec_test, service_unit_test (single-threaded)
# and the other CLI and HTTP suites; make tsan runs them.
tsan-test: deps $(TSAN_BUILD)/CMakeCache.txt
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target beian store_test store_unit_test http_unit_test cli_unit_test
	scripts/tsan.sh --quick $(TSAN_BUILD)

$(FUZZ_BUILD)/CMakeCache.txt:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DBEIAN_FUZZ=ON -DBEIAN_BENCH=OFF $(CMAKE_FLAGS)

fuzz-build: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) --target fuzzers -j $(JOBS)

# Each libFuzzer target for FUZZ_SECONDS (after replaying fuzz/regressions/); see scripts/fuzz.sh.
fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The same for FUZZ_SMOKE_SECONDS each, with the fuzzers of the ASan build: part of make test.
fuzz-smoke: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) --target fuzzers -j $(JOBS)
	scripts/fuzz.sh $(ASAN_BUILD) $(FUZZ_SMOKE_SECONDS)

# No node test file may run longer than this (node 20 applies --test-timeout to each file when
# given directories): a hung test fails, naming its file, instead of stalling the run. The longest
# file, an axe sweep of the console, takes about 5 minutes.
TEST_TIMEOUT_MS ?= 1200000

http-test: bin
	scripts/with_pg.sh node --test --test-concurrency=1 --test-timeout=$(TEST_TIMEOUT_MS) tests/cli/ tests/http/

browser-test: bin
	cd tests/e2e && node --test --test-concurrency=2 --test-timeout=$(TEST_TIMEOUT_MS) .

# The Debian package (build/beian_VERSION_ARCH.deb) and its install/run/purge test (as root; it
# installs the package system-wide and purges it again, leaving the machine as it was).
package: bin
	cd $(BUILD) && cpack -G DEB

package-test: package
	tests/package/package_test.sh $(BUILD)

# Test servers skip fsync (scripts/with_pg.sh); benchmarks do not.
unit asan tsan-test http-test: export BEIAN_PG_FSYNC = off

# Unit and store tests run in the ASan+UBSan build (asan) and, where threads run, the TSan build;
# `make unit` runs them in the release build as well.
test: asan tsan-test http-test browser-test package-test fuzz-smoke

demo: build
	$(BUILD)/beian demo --db sqlite:demo.db

bench: build
	bench/run.sh $(BUILD)

# The failover test on a local Patroni cluster (tests/failover; about 3 minutes). Also run by make bench.
failover: build
	node --test --test-concurrency=1 --test-timeout=$(TEST_TIMEOUT_MS) tests/failover/

# 10^4 and 10^7 rows on PostgreSQL: load, latency of each request path, plans, sizes (bench/scale.sh;
# about an hour at 10^7 on a shared 2-core machine; SCALE_SIZES="10000 100000" for a quick run).
scale: build
	scripts/with_pg.sh bench/scale.sh $(BUILD)

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
