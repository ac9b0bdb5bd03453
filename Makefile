# Ashlink: `make run` serves on 127.0.0.1:8080 (journalists' inbox API on 127.0.0.1:8081, with a
# development key under ./var/dev-inbox), `make test` runs every test.
# Both install what they need from Debian first (as root, only what is missing).

SWIFT        ?= swift
PYTHON       ?= /usr/bin/python3
DEBIAN_PACKAGES = libsodium-dev libsqlite3-dev libseccomp-dev libstdc++-12-dev binutils \
                  python3 python3-pytest python3-cryptography curl util-linux \
                  tor dpkg-dev lintian systemd man-db wrk debootstrap systemd-container age zlib1g-dev
BENCH_PACKAGES  = wrk redis-server gnuplot-nox python3-venv linux-perf
# The end-to-end suite's headless browser, for the pages with JavaScript off (docs/decisions/0016),
# and w3m, the text browser every page must read correctly in (docs/decisions/0019).
BROWSER_TEST_PACKAGES = chromium chromium-driver python3-selenium w3m
RELEASE_BIN  = .build-release/ashlink
DEBUG_BIN    = .build/debug/ashlink
# The Python test harness shared by the suites (pytest.ini puts it on pytest's path).
HARNESS      = $(abspath Tests/Support)

# As root (a fresh box), the server binds, then drops to `nobody`; it refuses to serve as root.
RUN_AS = $(if $(filter 0,$(shell id -u)),--user nobody,)

.PHONY: run test deps release deb build-debug unit-tests e2e-tests package-tests container-tests bench-smoke bench fuzz-build fuzz-smoke fuzz soak clean

# A development inbox (identity, access token, configuration) is made once under ./var and named
# loudly at every start; never in the packaged configuration.
DEV_INBOX = ./var/dev-inbox

run: deps release
	@./scripts/dev-inbox $(RELEASE_BIN) $(DEV_INBOX)
	$(RELEASE_BIN) serve --config $(DEV_INBOX)/ashlink.conf $(RUN_AS)

test: deps build-debug unit-tests e2e-tests package-tests container-tests bench-smoke fuzz-smoke

deps:
	@./scripts/install-debian-packages $(DEBIAN_PACKAGES)

# The shipped binary: release, Swift runtime and C libraries linked statically, stripped.
release: deps
	packaging/build-release $(RELEASE_BIN)

deb: release
	packaging/build-deb --binary $(RELEASE_BIN)

build-debug:
	$(SWIFT) build --build-tests

unit-tests: build-debug
	$(SWIFT) test --skip-build

e2e-tests: build-debug
	@./scripts/install-debian-packages $(BROWSER_TEST_PACKAGES)
	ASHLINK_BINARY=$(abspath $(DEBUG_BIN)) $(PYTHON) -m pytest -q Tests/EndToEnd

package-tests: deb
	$(PYTHON) -m pytest -q Tests/Packaging

# The .deb in a debootstrapped Debian 12 under systemd-nspawn (the rootfs is cached in
# .build-container/; the first run makes it, ~2 minutes).
container-tests: deb
	$(PYTHON) -m pytest -q Tests/Container

# Seconds, no baseline: keeps the benchmark harness from rotting.
bench-smoke: build-debug
	ASHLINK_BINARY=$(abspath $(DEBUG_BIN)) $(PYTHON) -m pytest -q Tests/Bench

# Ashlink against Snappass on this machine, ~15 minutes, then the tip attachments (memory, throughput)
# and the requests and bytes per flow (also through a private Tor network); writes docs/benchmarks.md and its plot.
bench: deps release
	@./scripts/install-debian-packages $(BENCH_PACKAGES)
	PYTHONPATH=$(HARNESS) $(PYTHON) bench/ashbench.py --binary $(abspath $(RELEASE_BIN))
	PYTHONPATH=$(HARNESS) $(PYTHON) bench/tipbench.py --binary $(abspath $(RELEASE_BIN))
	PYTHONPATH=$(HARNESS) $(PYTHON) bench/pageflows.py --binary $(abspath $(RELEASE_BIN)) --tor

fuzz-build: deps
	Tests/Fuzz/build

# A short run of every fuzz target on the committed corpus (part of `make test`).
fuzz-smoke: fuzz-build
	Tests/Fuzz/run 10

# The long run: grows the committed corpus; record the figures in docs/reliability.md.
FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	Tests/Fuzz/run $(FUZZ_SECONDS) --grow

SOAK_SECONDS ?= 600
soak: deps build-debug
	PYTHONPATH=$(HARNESS) ASHLINK_BINARY=$(abspath $(DEBUG_BIN)) $(PYTHON) Tests/Soak/soak.py --seconds $(SOAK_SECONDS)

clean:
	rm -rf .build .build-release .build-fuzz .build-container dist
