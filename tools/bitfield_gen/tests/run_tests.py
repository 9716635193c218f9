#!/usr/bin/env python3
"""Run all bitfield_gen host tests.

    python3 tools/bitfield_gen/tests/run_tests.py [--results FILE.json] [-k SUBSTRING]

Prints `PASS name` / `FAIL name` per test (details of failures go to stderr),
then `N passed, M failed`.  Exits 0 iff every test passed.
Environment: CC (compiler, default cc), BF_UPDATE_GOLDEN=1 (rewrite golden
files), BF_SEED (seed of the round-trip test).
"""

import argparse
import glob
import importlib
import json
import os
import sys
import time
import unittest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TESTS_DIR)
sys.dont_write_bytecode = True     # keep the source tree clean


def test_name(test) -> str:
    if hasattr(test, 'bf_name'):
        return test.bf_name()
    return 'bitfield_gen.' + test.id()


class Result(unittest.TestResult):
    """Prints one line per test as soon as it finishes."""

    def __init__(self):
        super().__init__()
        self.records = []

    def _record(self, test, ok, detail=None):
        name = test_name(test) if isinstance(test, unittest.TestCase) else str(test)
        self.records.append({'name': name, 'ok': ok})
        print(f"{'PASS' if ok else 'FAIL'} {name}", flush=True)
        if detail:
            sys.stderr.write(f"---- {name}\n{detail}\n")
            sys.stderr.flush()

    def addSuccess(self, test):
        self._record(test, True)

    def addFailure(self, test, err):
        self._record(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self._record(test, False, self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self._record(test, False, f"skipped: {reason}")

    def addExpectedFailure(self, test, err):
        self._record(test, True)

    def addUnexpectedSuccess(self, test):
        self._record(test, False, "unexpected success")


def iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_tests(item)
        else:
            yield item


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--results', help="write a JSON summary to this file")
    ap.add_argument('-k', dest='filter', help="only run tests whose name contains this")
    args = ap.parse_args()

    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for path in sorted(glob.glob(os.path.join(TESTS_DIR, 'test_*.py'))):
        module = importlib.import_module(os.path.basename(path)[:-3])
        suite.addTests(loader.loadTestsFromModule(module))
    tests = [t for t in iter_tests(suite)
             if not args.filter or args.filter in test_name(t)]

    start = time.monotonic()
    result = Result()
    unittest.TestSuite(tests).run(result)
    passed = sum(r['ok'] for r in result.records)
    failed = len(result.records) - passed
    sys.stdout.flush()
    sys.stderr.write(f"bitfield_gen tests took {time.monotonic() - start:.1f}s\n")
    print(f"{passed} passed, {failed} failed")
    if args.results:
        with open(args.results, 'w') as fh:
            json.dump({'suite': 'host.bitfield_gen', 'passed': passed, 'failed': failed,
                       'tests': result.records}, fh, indent=2)
            fh.write('\n')
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
