#!/usr/bin/env python3
"""Test: every command the docs show works (documented commands that rot are bugs).

Reads every fenced ```sh block, and every inline `make ...` or `build/grader/grader ...` span, of
README.md, grader/README.md, lectures/*.md and exercises/*/*/README.md, and checks each distinct
command the cheapest way that still proves it:

  run      cheap commands run for real: make check/hint/progress/help, grader list/hint/progress,
           bench binaries and lecture snippets at their documented sizes, mpirun on one machine
  dry      costly ones (make grade, make test, make bench, grader run ...) are resolved without
           running: `make -n` finds the target, `grader SUB --help` the subcommand, `ninja -n`
           the target, `meson test --list` the test or suite; every exercise id and path named exists
  skip     a command that needs what a test cannot have (other machines in a hostfile, a
           made-up path such as /path/to/submission) is listed as skipped, with the reason

A command no rule covers fails the test: teach this file about it.
Usage: doc_commands.py KIT BUILD
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT, BUILD = Path(sys.argv[1]), Path(sys.argv[2])
GRADER = BUILD / "grader" / "grader"
STATE = Path(tempfile.mkdtemp(prefix="parlab-doc-commands-"))  # progress and hints, not the learner's
ENV = dict(os.environ, PARLAB_STATE_DIR=str(STATE))
MADE_UP = ("/path/to/", "/home/me/", "--hostfile")
REAL_MAKE = {"help", "progress", "check", "hint", "deps"}
REAL_GRADER = {"list", "progress", "hint"}
failures, counts = [], {"run": 0, "dry": 0, "skip": 0}


def docs():
    yield KIT / "README.md"
    yield KIT / "grader" / "README.md"
    yield from sorted((KIT / "lectures").glob("*.md"))
    yield from sorted((KIT / "exercises").glob("*/*/README.md"))


def commands(path):
    """(line number, command) for each command of a ```sh block and each inline make/grader span."""
    lines = path.read_text().splitlines()
    in_sh, variables, pending = False, {}, ""
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            in_sh, variables = line.strip() == "```sh", {}
            continue
        if in_sh:
            line = pending + line
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            text = re.sub(r"\s+#.*$", "", line).strip()
            if not text or text.startswith("#"):
                continue
            assignment = re.fullmatch(r"([A-Z]+)=(\S+)", text)
            if assignment:  # P=build/...: a name for the lines below it
                variables[assignment[1]] = assignment[2]
                continue
            for name, value in variables.items():
                text = text.replace("$" + name, value)
            for part in text.split("&&"):
                yield number, part.strip()
        else:
            for span in re.findall(r"`((?:make|build/grader/grader) [^`]*)`", line):
                # `EX=<id>`, `EX=ID`, `EX=N.K`, `EX=…` are patterns, not commands
                if not re.search(r"EX=(?!\d)|<|\.\.\.|…", span):
                    yield number, span


def run(argv, timeout=600, cwd=None):
    try:
        done = subprocess.run(argv, cwd=cwd or KIT, env=ENV, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout} s"


def exercise_ids():
    code, out = run([str(GRADER), "list"])
    return {line.split()[0] for line in out.splitlines() if line.strip()} if code == 0 else set()


IDS = exercise_ids()


def check_ids(words):
    for word in words:
        if word.startswith("EX="):
            for ex in word[3:].split():
                if ex not in IDS:
                    return f"no exercise {ex}"
    return None


def in_build(word):
    """build/... in the docs means the kit's build dir. A ThreadSanitizer twin (build/tsan, or a
    folder a documented `meson setup` makes) has the same targets, so they are looked up there."""
    if not word.startswith("build"):
        return BUILD
    parts = Path(word).parts[1:]
    if parts[:1] == ("tsan",):
        parts = parts[1:]
    return BUILD.joinpath(*parts)


def judge(command):
    """Returns (how, problem): how is run, dry or skip; problem is None when the command is sound."""
    if any(p in command for p in MADE_UP):
        return "skip", None
    words = shlex.split(command)
    first = words[0]
    if first == "make":
        target = words[1] if len(words) > 1 and "=" not in words[1] else ""
        if problem := check_ids(words):
            return "dry", problem
        for word in words:
            if word.startswith("TREE=") and not (KIT / word[5:]).exists():
                return "dry", f"no tree {word[5:]}"
        # One check runs for real (EX=1.1, the learner's first); the others differ only in the id.
        real = target in REAL_MAKE and (target != "check" or "EX=1.1" in words) and (
            target != "hint" or any(w.startswith("EX=") for w in words))
        argv = ["make", "-C", str(KIT), f"BUILD={BUILD}"] + ([] if real else ["-n"]) + words[1:]
        code, out = run(argv)
        return ("run" if real else "dry"), (None if code == 0 else f"exit {code}: {out[-800:]}")
    if first == "build/grader/grader":
        sub = words[1] if len(words) > 1 else ""
        ids_named = [w for w in words[2:] if re.fullmatch(r"\d+\.\d+", w)]
        if any(i not in IDS for i in ids_named):
            return "dry", f"no exercise among {ids_named}"
        real = sub in REAL_GRADER
        code, out = run([str(GRADER)] + words[1:] if real else [str(GRADER), sub, "--help"])
        return ("run" if real else "dry"), (None if code == 0 else f"exit {code}: {out[-800:]}")
    if first.startswith("build/"):
        binary = in_build(first)
        if not os.access(binary, os.X_OK):
            return "dry", f"{binary} is not a built program"
        if first.startswith("build/tsan/"):  # the twin's test binary: built by the ninja line before it
            return "dry", None
        code, out = run([str(binary)] + words[1:], timeout=300)
        return "run", (None if code == 0 else f"exit {code}: {out[-800:]}")
    if first == "mpirun":
        program = next((w for w in words[1:] if w.startswith("build/")), None)
        if program is None or not os.access(in_build(program), os.X_OK):
            return "dry", f"no built program in: {command}"
        rest = [str(in_build(w)) if w.startswith("build/") else w for w in words[1:]]
        code, out = run(["mpirun", "--allow-run-as-root", "--oversubscribe"] + rest, timeout=300)
        return "run", (None if code == 0 else f"exit {code}: {out[-800:]}")
    if first == "ninja":
        directory, targets = words[words.index("-C") + 1], [w for w in words[1:] if not w.startswith("-")][1:]
        code, out = run(["ninja", "-C", str(in_build(directory)), "-n"] + targets)
        return "dry", (None if code == 0 else f"exit {code}: {out[-800:]}")
    if first == "meson" and len(words) > 1 and words[1] == "test":
        directory = words[words.index("-C") + 1]
        code, listed = run(["meson", "test", "-C", str(in_build(directory)), "--list"], cwd=BUILD)
        if code != 0:
            return "dry", listed[-800:]
        suites = [words[i + 1] for i, w in enumerate(words) if w == "--suite"]
        names = [w for w in words[2:] if not w.startswith("-") and w != directory and w not in suites]
        for suite in suites:
            if run(["meson", "test", "-C", str(in_build(directory)), "--list", "--suite", suite])[0] != 0:
                return "dry", f"no suite {suite}"
        for name in names:
            if name not in listed:
                return "dry", f"no test named {name}"
        return "dry", None
    if first == "meson" and len(words) > 1 and words[1] == "setup":
        options = [w[2:].split("=")[0] for w in words if w.startswith("-D")]
        known = (KIT / "meson_options.txt").read_text()
        for option in options:
            if "_" not in option and f"'{option}'" not in known:  # b_sanitize and the like are meson's
                return "dry", f"no meson option {option}"
        return "dry", None
    return "dry", f"no rule for this command: teach {Path(__file__).name}"


def main():
    seen = {}
    for doc in docs():
        for number, command in commands(doc):
            seen.setdefault(command, f"{doc.relative_to(KIT)}:{number}")
    for command, where in seen.items():
        started = time.monotonic()
        how, problem = judge(command)
        counts[how] += 1
        print(f"{how:4} {time.monotonic() - started:5.1f} s  {where:60}  {command}", flush=True)
        if problem:
            failures.append(f"{where}: `{command}`: {problem}")
    print(f"\n{len(seen)} distinct commands: {counts['run']} run, {counts['dry']} resolved without running, "
          f"{counts['skip']} skipped (other machines or a made-up path)")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
