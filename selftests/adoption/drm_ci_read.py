#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Read igt_vm_results export's drm-ci files back, as drm-ci reads them.

usage: drm_ci_read.py XFAILS_DIR EXPECTATIONS KERNELDIR...

drm-ci (drivers/gpu/drm/ci) reads DRIVER-HW-fails.txt as "test,Status"
lines, -flakes.txt as test names, -skips.txt as regexes, testlist.txt as
"test" or "test@subtest" lines; '#' lines and blank lines are comments.
"""
import fnmatch
import json
import os
import re
import sys

STATUS = {"fail": "Fail", "dmesg-fail": "Fail", "crash": "Crash",
          "incomplete": "Crash", "abort": "Crash", "timeout": "Timeout"}
failed = 0


def check(ok, what):
    global failed
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed += 1


def lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f
                if l.strip() and not l.startswith("#")]


def kernel_matches(prefix, name):
    # a version prefix of the name's first version number, as the matrix
    m = re.search(r"(?<![0-9.])[0-9]", name)
    if prefix == name:
        return True
    if not m:
        return False
    rest = name[m.start():]
    return rest.startswith(prefix) and not rest[len(prefix):][:1].isdigit()


def expectations(path):
    out = []
    with open(path) as f:
        for l in f:
            if not l.strip() or l.lstrip().startswith("#"):
                continue
            k, d, p, v = l.split()[:4]
            out.append((k, d, p, v))
    return out


def cell_matches(exp_path, sub):
    # a subtest is PATH-CHECK (or PATH alone): the expectation's path is
    # the subtest's name up to a '-'
    return any(sub == p or sub.startswith(p + "-")
               for p in [sub[:i] for i in range(len(sub) + 1)]
               if fnmatch.fnmatch(p, exp_path))


xdir, expect_file = sys.argv[1], sys.argv[2]
exps = expectations(expect_file)
names = set(os.listdir(xdir))
testlist = set(lines(os.path.join(xdir, "testlist.txt")))
total_fails = 0
for kdir in sys.argv[3:]:
    with open(os.path.join(kdir, "results.json")) as f:
        run = json.load(f)
    kname = run["name"]
    label = kname.split()[0]
    want = {}       # driver -> {test: status}
    containers = set()
    for t, r in run["tests"].items():
        parts = t.split("@")[1:]
        if len(parts) == 2:
            containers.add("@".join(parts))
        if len(parts) != 3:
            continue
        driver = re.sub(r"-(card|renderd)[0-9]+$", "", parts[2])
        want.setdefault(driver, {})
        st = STATUS.get(r["result"])
        if not st:
            continue
        e = [x for x in exps if kernel_matches(x[0], kname) and
             fnmatch.fnmatch(driver, x[1]) and cell_matches(x[2], parts[1])]
        if e and e[0][3] == "fail":
            want[driver]["@".join(parts)] = st
            if st == "Fail":
                want[driver]["@".join(parts[:2])] = "Fail"
    check(containers <= testlist,
          "%s: every subtest in testlist.txt (%d)" % (label, len(containers)))
    for driver, tests in sorted(want.items()):
        base = "%s-%s-" % (driver, label)
        for kind in ("fails", "flakes", "skips"):
            check(base + kind + ".txt" in names, "%s%s.txt written" % (base, kind))
        got = {}
        ok = True
        for l in lines(os.path.join(xdir, base + "fails.txt")):
            m = re.fullmatch(r"([a-z0-9_]+(@[A-Za-z0-9_-]+){0,2}),"
                             r"(Fail|Crash|Timeout)", l)
            ok = ok and m is not None
            if m:
                got[m.group(1)] = m.group(3)
        check(ok, "%sfails.txt: every line is test,Status" % base)
        check(got == tests, "%sfails.txt lists exactly the %d expected "
              "failures of the run" % (base, len(tests)))
        total_fails += len(got)
        for kind in ("flakes", "skips"):
            left = lines(os.path.join(xdir, base + kind + ".txt"))
            for l in left:
                re.compile(l)   # drm-ci compiles skips as regexes
            check(not left, "%s%s.txt: nothing (no any/crash/timeout "
                  "expectation)" % (base, kind))
check(total_fails > 0, "%d failures exported in all" % total_fails)
sys.exit(1 if failed else 0)
