#!/usr/bin/env python3
"""Test: the grader's Gradescope and JUnit reports load in the tools that read them.

Runs sample_reports (a made-up run with every verdict and text to escape) into a temporary
folder, then checks results.json field by field against what Gradescope documents for
results.json, loads junit.xml with junitparser (the JUnit parser python3-junitparser packages),
and checks that both agree with the grader's own report.json, part by part.

usage: check_report_formats.py SAMPLE_REPORTS_BINARY
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)


def check_gradescope(results, report):
    check(isinstance(results.get("score"), (int, float)), "score is a number")
    check(isinstance(results.get("execution_time"), (int, float)), "execution_time is a number")
    check(isinstance(results.get("output"), str), "output is text")
    check(results.get("visibility") in VISIBILITIES, "visibility is one Gradescope knows")
    check(results.get("stdout_visibility") in VISIBILITIES, "stdout_visibility is one Gradescope knows")
    tests = results.get("tests")
    parts = report["exercises"][0]["parts"]
    check(isinstance(tests, list) and len(tests) == len(parts), "one test per part")
    for test in tests:
        for field, kind in (("name", str), ("number", str), ("output", str), ("status", str),
                            ("score", (int, float)), ("max_score", (int, float)), ("visibility", str)):
            check(isinstance(test.get(field), kind), f"{test.get('name')}: {field} is a {kind}")
        check(test["status"] in ("passed", "failed"), f"{test['name']}: status passed or failed")
        check(test["visibility"] in VISIBILITIES, f"{test['name']}: visibility")
        part = parts[test["name"].rsplit(": ", 1)[1]]
        check(test["score"] == part["score"] and test["max_score"] == part["max_score"], f"{test['name']}: points")
        check((test["status"] == "passed") == (part["verdict"] == "pass"), f"{test['name']}: status")
        hidden = test["name"].endswith(": hidden")
        check(test["visibility"] == ("after_published" if hidden else "visible"),
              f"{test['name']}: hidden tests wait for publication, the rest are visible")
    check(results["score"] == sum(t["score"] for t in tests) == report["score"], "the total")
    failed_tests = next(t for t in tests if t["name"].endswith(": tests"))
    check("<b>\"x\" & 'y'</b>" in failed_tests["output"], "the failure's text arrives as written")
    check("make hint EX=1.1" in failed_tests["output"], "a failed part points at its hint")


def check_junit(path, report):
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    check(len(suites) == 1 and suites[0].name == "1.1 download_sites", "one suite per exercise")
    parts = report["exercises"][0]["parts"]
    cases = {case.name: case for case in suites[0]}
    check(set(cases) == set(parts), "one case per part")
    expected = {"pass": None, "fail": Failure, "inconclusive": Failure, "error": Error, "skipped": Skipped}
    for name, part in parts.items():
        result = cases[name].result
        kind = expected[part["verdict"]]
        if kind is None:
            check(result == [], f"{name}: a pass has no result element")
        else:
            check(len(result) == 1 and isinstance(result[0], kind), f"{name}: {part['verdict']} as {kind.__name__}")
    check("<b>\"x\" & 'y'</b>" in cases["tests"].result[0].text, "the failure's text survives XML escaping")
    check(suites[0].tests == len(parts) and suites[0].failures == 3 and suites[0].errors == 1
          and suites[0].skipped == 1, "the suite's counts")


def main():
    with tempfile.TemporaryDirectory(prefix="parlab-report-formats-") as folder:
        out = Path(folder)
        subprocess.run([sys.argv[1], str(out)], check=True)
        report = json.loads((out / "report.json").read_text())
        check_gradescope(json.loads((out / "results.json").read_text()), report)
        check_junit(out / "junit.xml", report)
        summary = (out / "summary.md").read_text()
        check("## parlab: 4/8 points" in summary, "the summary's total")
        rows = [line for line in summary.splitlines() if line.startswith("| 1.1 download_sites |")]
        check(len(rows) == len(report["exercises"][0]["parts"]), "a row per part, none broken by the text")
        print("report formats: results.json and junit.xml load and agree with report.json")


if __name__ == "__main__":
    main()
