# ecgs — build, test and demo. Every target installs missing Debian packages first.
SWIFT ?= swift
OUT ?= out/demo

.PHONY: all bootstrap build debug test demo bench clean

all: build

bootstrap:
	@bash scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release --product ecgs

debug: bootstrap
	$(SWIFT) build

test: bootstrap
	$(SWIFT) test

demo: build
	@bash scripts/demo "$(OUT)"

bench: bootstrap
	$(SWIFT) build -c release --product ecgs-bench
	.build/release/ecgs-bench

clean:
	rm -rf .build out
