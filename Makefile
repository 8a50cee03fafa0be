# parlab: a thin wrapper over meson. `make help` lists the targets.
#
#   make grade [TREE=solutions] [EX=1.1]   grade a tree (default: your exercises/)
#     [GRADE_FLAGS="--junit F --gradescope F --json F"]   also write those reports
#   make check EX=1.1                      build one exercise and run its public tests
#   make watch EX=1.1                      the same on every save of its student file (q quits)
#   make hint EX=1.1                       the exercise's next hint, gentle first
#   make progress                          every exercise's state, and the next one to do
#   make submit                            pack your student files to hand in: build/submission.tar.gz
#   make test                              the project's own tests (what CI runs)
#   make bench [STABILITY=5]               timings: calibration, solutions vs baselines, verdicts repeated
#   make scale EX=4.2 [TREE=solutions]     speedup against workers: a table and build/scale/scale-4.2.svg
#   make trace EX=1.1 [TREE=solutions]     one run watched: what each thread did, in build/trace/trace-1.1.svg
#   make fuzz [FUZZ_SECONDS=600]           each parser's libFuzzer target for that long (clang, build-fuzz/)
#   make release [OUT=../parlab-student]   instructors: the student kit, a git repository without answers
#   make batch DIR=subs [JOBS=2] [EX=1.1]  instructors: grade every submission in DIR: build/batch/subs/gradebook.csv
#   make gradescope                        instructors: the autograder zip, build/gradescope/parlab-gradescope.zip
#
# Every target that needs packages depends on `deps`, which installs what is missing
# (apt-get, through sudo when not root) and does nothing when all is there.

BUILD   ?= build
TREE    ?= exercises
EX      ?=
GRADE_FLAGS ?=
STABILITY ?= 5
OUT     ?= ../parlab-student
JOBS    ?= 1
DIR     ?=
FUZZ_BUILD   ?= build-fuzz
FUZZ_CXX     ?= clang++-14
FUZZ_SECONDS ?= 600
FUZZ_FLAGS   ?=
FUZZ_TARGETS := manifest gtest_report gtest_list bench_line fixture_stats
GRADER  := $(BUILD)/grader/grader

# Meson compiles through ccache on its own once it is installed. The grader builds the same
# given code in several staged build dirs (a batch's graders side by side, the tests' own slots),
# and a fresh clone of the kit builds what this one built: with paths made relative to the kit
# and the working dir left out of the hash, those compile once and share the object. The cache
# lives in the build dir, so `make clean` takes it too; a clone started from here (the release
# test's) inherits CCACHE_DIR and uses the same one.
export CCACHE_DIR ?= $(abspath $(BUILD))/ccache
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
SOURCES := $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

# DESIGN.md's list, one Debian package per library or tool.
PACKAGES := meson ninja-build pkg-config g++ libgtest-dev libcurl4-openssl-dev libboost-dev \
            libboost-filesystem-dev libssl-dev libopenmpi-dev openmpi-bin libxml2-dev \
            libcli11-dev nlohmann-json3-dev libfmt-dev gdb python3-junitparser ccache

.PHONY: help deps build test grade check watch hint progress bench scale trace fuzz submit release batch gradescope format lint clean

help:
	@grep '^#   ' Makefile | sed 's/^#   //'

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
	$(GRADER) run $(EX) --tree $(TREE) $(GRADE_FLAGS)

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

submit: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) submit --tree $(TREE)

release: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) release $(OUT)

batch: deps $(BUILD)/build.ninja
	@[ -n "$(DIR)" ] || { echo "usage: make batch DIR=folder-of-submissions [JOBS=2] [EX=1.1]"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) batch $(DIR) $(EX) --jobs $(JOBS)

# The zip holds setup.sh and run_autograder at its top, and the kit (with its hidden tests) in kit/.
gradescope: deps $(BUILD)/build.ninja
	@meson compile -C $(BUILD) grader >/dev/null
	rm -rf $(BUILD)/gradescope
	$(GRADER) release --autograder $(BUILD)/gradescope/stage/kit
	cp grader/gradescope/setup.sh grader/gradescope/run_autograder $(BUILD)/gradescope/stage/
	cd $(BUILD)/gradescope/stage && python3 -m zipfile -c ../parlab-gradescope.zip setup.sh run_autograder kit
	@echo "upload $(BUILD)/gradescope/parlab-gradescope.zip as the autograder; read grader/gradescope/README.md first"

scale: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make scale EX=4.2 [TREE=solutions]"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) scale $(EX) --tree $(TREE)

trace: deps $(BUILD)/build.ninja
	@[ -n "$(EX)" ] || { echo "usage: make trace EX=1.1 [TREE=solutions]"; exit 2; }
	@meson compile -C $(BUILD) grader >/dev/null
	$(GRADER) trace $(EX) --tree $(TREE)

# The fuzzers are a build of their own (clang, libFuzzer; grader/fuzz/README.md): each runs for
# FUZZ_SECONDS on its seeds, its past findings and the corpus it grew before (build-fuzz/corpus/),
# one after another. A crash or broken property is saved under build-fuzz/findings/<target>/ and
# makes the target fail, after every fuzzer has had its turn.
$(FUZZ_BUILD)/build.ninja: | deps
	@command -v $(FUZZ_CXX) >/dev/null || { \
	  echo "make fuzz: needs $(FUZZ_CXX) and libFuzzer (sudo apt-get install -y clang-14 libclang-rt-14-dev)"; exit 1; }
	CXX=$(FUZZ_CXX) meson setup $(FUZZ_BUILD) -Dfuzz=true

fuzz: deps $(FUZZ_BUILD)/build.ninja
	@meson compile -C $(FUZZ_BUILD) >/dev/null
	@found=0; \
	for t in $(FUZZ_TARGETS); do \
	  corpus=$(FUZZ_BUILD)/corpus/$$t findings=$(FUZZ_BUILD)/findings/$$t log=$(FUZZ_BUILD)/logs/$$t.log; \
	  mkdir -p $$corpus $$findings $(FUZZ_BUILD)/logs; \
	  inputs="grader/fuzz/seeds/$$t"; [ -d grader/fuzz/regressions/$$t ] && inputs="$$inputs grader/fuzz/regressions/$$t"; \
	  start=$$(date +%s); \
	  $(FUZZ_BUILD)/grader/fuzz/fuzz_$$t $$corpus $$inputs -dict=grader/fuzz/dicts/$$t.dict \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 -artifact_prefix=$$findings/ \
	    $(FUZZ_FLAGS) >$$log 2>&1; \
	  status=$$?; seconds=$$(( $$(date +%s) - start )); \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1); \
	  [ -n "$$runs" ] || runs=$$(sed -n 's/^#\([0-9]*\).*/\1/p' $$log | tail -n 1); \
	  crash=$$(sed -n 's/.*Test unit written to \(.*\)$$/\1/p' $$log | tail -n 1); \
	  printf '%-14s %10s runs in %4s s (%s/s)' $$t "$${runs:-0}" $$seconds $$(( $${runs:-0} / ($$seconds > 0 ? $$seconds : 1) )); \
	  if [ $$status -eq 0 ]; then echo "  ok"; else \
	    found=1; echo "  FINDING (exit $$status): $${crash:-no input saved; see $$log}"; \
	    grep -a -v '^#' $$log | grep -m 3 -E 'property broken|ERROR: |runtime error' | sed 's/^/    /'; \
	  fi; \
	done; \
	[ $$found -eq 0 ] || { echo "make fuzz: a finding; fix the parser, then add the input under grader/fuzz/regressions/ (grader/fuzz/README.md)"; exit 1; }

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
