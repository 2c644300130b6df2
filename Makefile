# ecgs — build, test and demo. Every target installs missing Debian packages first.
SWIFT ?= swift
OUT ?= out/demo

.PHONY: all bootstrap build debug test demo bench format lint clean

all: build

bootstrap:
	@bash scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release --product ecgs

debug: bootstrap
	$(SWIFT) build

# The kernel's protocol tests run Jupyter's own clients from a venv under .build-py (made when missing).
test: bootstrap
	@bash scripts/python-env >/dev/null
	$(SWIFT) test

demo: build
	@bash scripts/demo "$(OUT)"

bench: bootstrap
	$(SWIFT) build -c release --product ecgs-bench
	.build/release/ecgs-bench

# House style: swift-format with the repository's .swift-format (4 spaces, lines ≤ 140); a test checks it.
format:
	$(SWIFT) format -i -r Sources Tests benchmarks fuzz Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests benchmarks fuzz Package.swift

clean:
	rm -rf .build out
