#!/usr/bin/env python3
"""Run the interface_gen host tests.

Usage: run_tests.py [--results FILE.json] [-v] [FILTER]

Prints one line per test ("PASS name" / "FAIL name"), then "N passed, M failed".
With --results, also writes
  {"suite": "host.interface_gen", "passed": N, "failed": M,
   "tests": [{"name": ..., "ok": bool}, ...]}
Exit status 0 iff every test passed.  FILTER keeps tests whose name contains it.
"""

import argparse
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class Recorder(unittest.TestResult):
    """Collects a pass/fail verdict and the failure text per test."""

    def __init__(self):
        super().__init__()
        self.verdicts = {}
        self.details = {}

    def _name(self, test):
        return test.id().replace("__main__.", "")

    def _mark(self, test, ok, err=None):
        name = self._name(test)
        self.verdicts[name] = self.verdicts.get(name, True) and ok
        if err is not None:
            self.details.setdefault(name, []).append(self._exc_info_to_string(err, test))

    def addSuccess(self, test):
        self._mark(test, True)

    def addFailure(self, test, err):
        self._mark(test, False, err)

    def addError(self, test, err):
        # Errors of a whole module or class (import failures) have no test id of
        # their own; they are reported under that id.
        self._mark(test, False, err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._mark(test, False, err)

    def addSkip(self, test, reason):
        self._mark(test, True)

    def addExpectedFailure(self, test, err):
        self._mark(test, True)

    def addUnexpectedSuccess(self, test):
        self._mark(test, False)


def iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_tests(item)
        else:
            yield item


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", help="write a JSON summary here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print failure details")
    ap.add_argument("filter", nargs="?", default="", help="substring of test names to run")
    args = ap.parse_args()

    start = time.time()
    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    selected = unittest.TestSuite(t for t in iter_tests(suite) if args.filter in t.id())
    result = Recorder()
    selected.run(result)

    passed = failed = 0
    tests = []
    for name in sorted(result.verdicts):
        ok = result.verdicts[name]
        print("%s %s" % ("PASS" if ok else "FAIL", name))
        if not ok and (args.verbose or len(result.details.get(name, [])) < 3):
            for text in result.details.get(name, []):
                for line in text.rstrip().splitlines()[-6:]:
                    print("    " + line)
        tests.append({"name": name, "ok": ok})
        if ok:
            passed += 1
        else:
            failed += 1
    if args.verbose:
        print("(%.1f s)" % (time.time() - start))
    print("%d passed, %d failed" % (passed, failed))

    if args.results:
        with open(args.results, "w") as f:
            json.dump({"suite": "host.interface_gen", "passed": passed, "failed": failed,
                       "tests": tests}, f, indent=2)
            f.write("\n")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
