# SPDX-License-Identifier: Apache-2.0
"""A minimal TAP producer for the integration tests.

Each test is a function registered with @test; an exception fails it and
its traceback goes to the TAP diagnostics; raising Skip("reason") skips it.
meson reads the output with protocol: 'tap'.  OL_TEST_FILTER=substring runs
only the matching tests.  With OL_NO_SKIP=1 (CI) a skip is a failure: on
the CI machine every case can run, and a skipped test proves nothing.  The
one exception is NewerKernel: a case that needs a Landlock ABI newer than
CI's machines have (launch.need_abi) skips there too, and is named on a
line "# needs a newer kernel: NAME: REASON" that tools/test lists.
"""
import os
import sys
import traceback

_tests = []


class Skip(Exception):
    pass


class NewerKernel(Skip):
    pass


def test(fn):
    _tests.append(fn)
    return fn


def run():
    only = os.environ.get("OL_TEST_FILTER", "")
    failed = 0
    n = 0
    for fn in _tests:
        if only and only not in fn.__name__:
            continue
        n += 1
        name = fn.__name__.removeprefix("test_")
        try:
            fn()
            print(f"ok {n} - {name}", flush=True)
        except NewerKernel as why:
            print(f"ok {n} - {name} # SKIP {why}", flush=True)
            print(f"# needs a newer kernel: {name}: {why}", flush=True)
        except Skip as why:
            if os.environ.get("OL_NO_SKIP") == "1":
                failed += 1
                print(f"not ok {n} - {name}", flush=True)
                print(f"# skipped, but OL_NO_SKIP=1: {why}", flush=True)
            else:
                print(f"ok {n} - {name} # SKIP {why}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported
            failed += 1
            print(f"not ok {n} - {name}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)
    print(f"1..{n}", flush=True)
    sys.exit(1 if failed else 0)
