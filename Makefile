# parlab: a thin wrapper over meson. `make help` lists the targets.
#
#   make grade [TREE=solutions] [EX=1.1]   grade a tree (default: your exercises/)
#   make check EX=1.1                      build one exercise and run its public tests
#   make watch EX=1.1                      the same on every save of its student file (q quits)
#   make hint EX=1.1                       the exercise's next hint, gentle first
#   make progress                          every exercise's state, and the next one to do
#   make test                              the project's own tests (what CI runs)
#   make bench [STABILITY=5]               timings: calibration, solutions vs baselines, verdicts repeated
#   make scale EX=4.2 [TREE=solutions]     speedup against workers: a table and build/scale/scale-4.2.svg
#   make trace EX=1.1 [TREE=solutions]     one run watched: what each thread did, in build/trace/trace-1.1.svg
#
# Every target that needs packages depends on `deps`, which installs what is missing
# (apt-get, through sudo when not root) and does nothing when all is there.

BUILD   ?= build
TREE    ?= exercises
EX      ?=
STABILITY ?= 5
GRADER  := $(BUILD)/grader/grader
SOURCES := $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

# DESIGN.md's list, one Debian package per library or tool.
PACKAGES := meson ninja-build pkg-config g++ libgtest-dev libcurl4-openssl-dev libboost-dev \
            libboost-filesystem-dev libssl-dev libopenmpi-dev openmpi-bin libxml2-dev \
            libcli11-dev nlohmann-json3-dev libfmt-dev gdb

.PHONY: help deps build test grade check watch hint progress bench scale trace format lint clean

help:
	@grep '^#   make' Makefile | sed 's/^#   //'

deps:
	@command -v dpkg-query >/dev/null || { \
	  echo "make deps: not a Debian/Ubuntu system; install these (or your system's equivalents):"; \
	  echo "  $(PACKAGES)"; exit 1; }
	@missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	[ -z "$$missing" ] && exit 0; \
	missing=$$(echo $$missing); \
	if [ "$$(id -u)" = 0 ]; then sudo=; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=sudo; \
	else echo "make deps: missing packages and no way to install them (not root, no sudo)."; \
	     echo "Install them by hand:  sudo apt-get install -y $$missing"; exit 1; fi; \
	echo "make deps: installing $$missing"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || { \
	  echo "make deps: apt-get failed. Install by hand:  sudo apt-get install -y $$missing"; exit 1; }

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

test: build
	meson test -C $(BUILD) --no-rebuild --print-errorlogs

grade: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) run $(EX) --tree $(TREE)

check: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make check EX=1.1"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) check $(EX)

watch: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make watch EX=1.1"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) watch $(EX)

hint: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make hint EX=1.1"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	@$(GRADER) hint $(EX)

progress: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader >/dev/null
	@$(GRADER) progress

bench: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader bench_fixture >/dev/null
	$(GRADER) bench --json $(BUILD)/bench.json --stability $(STABILITY) $(EX)

scale: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make scale EX=4.2 [TREE=solutions]"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) scale $(EX) --tree $(TREE)

trace: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make trace EX=1.1 [TREE=solutions]"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) trace $(EX) --tree $(TREE)

format:
	@command -v clang-format >/dev/null || { echo "make format: needs clang-format (apt-get install clang-format)"; exit 1; }
	clang-format -i $(SOURCES)

# Lints what build/ compiles, with its exact flags (compile_commands.json): the kit and the
# starters. Solutions compile in their own tree's build; lint them there with -p. The fixture
# server is left out: clang 14 cannot parse Asio's C++20 coroutines against libstdc++ 12.
lint: build
	@command -v clang-tidy >/dev/null || { echo "make lint: needs clang-tidy (apt-get install clang-tidy)"; exit 1; }
	@files=$$(sed -n 's|.*"file": "\.\./\(.*\.cpp\)".*|\1|p' $(BUILD)/compile_commands.json | sort -u | grep -v fixture_server.cpp); \
	clang-tidy -p $(BUILD) --quiet $$files

clean:
	rm -rf $(BUILD)
