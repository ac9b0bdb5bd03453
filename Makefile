# Ashlink: `make run` serves on 127.0.0.1:8080, `make test` runs every test.
# Both install what they need from Debian first (as root, only what is missing).

SWIFT        ?= swift
PYTHON       ?= /usr/bin/python3
DEBIAN_PACKAGES = libsodium-dev libsqlite3-dev libseccomp-dev python3 python3-pytest curl util-linux
RELEASE_BIN  = .build/release/ashlink
DEBUG_BIN    = .build/debug/ashlink

.PHONY: run test deps build build-debug unit-tests e2e-tests clean

# As root (a fresh box), the server binds, then drops to `nobody`; it refuses to serve as root.
RUN_AS = $(if $(filter 0,$(shell id -u)),--user nobody,)

run: deps build
	$(RELEASE_BIN) serve $(RUN_AS)

test: deps build-debug unit-tests e2e-tests

deps:
	@./scripts/install-debian-packages $(DEBIAN_PACKAGES)

build:
	$(SWIFT) build -c release --product ashlink

build-debug:
	$(SWIFT) build --build-tests

unit-tests: build-debug
	$(SWIFT) test --skip-build

e2e-tests: build-debug
	ASHLINK_BINARY=$(abspath $(DEBUG_BIN)) $(PYTHON) -m pytest -q Tests/EndToEnd

clean:
	rm -rf .build
