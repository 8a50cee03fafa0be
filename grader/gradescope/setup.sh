#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: the packages the kit
# needs (make deps, from the distribution's archive), then the grader, built in advance so that
# each submission's run only compiles the student's files.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends make ca-certificates >/dev/null
cd /autograder/source/kit
make deps
meson setup build
meson compile -C build grader
