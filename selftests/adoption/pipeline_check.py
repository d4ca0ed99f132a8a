#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What a YAML linter cannot check in .gitlab-ci.yml (run from the root).

usage: pipeline_check.py .gitlab-ci.yml
"""
import os
import re
import sys

import yaml

failed = 0


def check(ok, what):
    global failed
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failed += 1


with open(sys.argv[1]) as f:
    ci = yaml.safe_load(f)
KEYWORDS = {"default", "stages", "variables", "workflow", "include"}
jobs = {k: v for k, v in ci.items() if k not in KEYWORDS and
        not k.startswith(".")}
stages = ci.get("stages", [])

for name, job in jobs.items():
    check(job.get("stage") in stages, "%s: stage %s is declared" %
          (name, job.get("stage")))
    for need in job.get("needs", []):
        need = need["job"] if isinstance(need, dict) else need
        check(need in jobs, "%s: needs %s, a job" % (name, need))
        if need in jobs:
            check(stages.index(jobs[need]["stage"]) <
                  stages.index(job["stage"]),
                  "%s: %s runs in an earlier stage" % (name, need))
    script = " ".join(job.get("script", []))
    # commands are executable; their file arguments exist
    for cmd in job.get("script", []):
        for i, path in enumerate(re.findall(r"(?:^|\s)((?:tools|vm)/[\w./-]+)",
                                            cmd)):
            ok = os.access(path, os.X_OK if i == 0 and
                           cmd.startswith(path) else os.R_OK)
            check(ok, "%s: %s is in the tree" % (name, path))

# the per-kernel jobs are the kernel set, in its order
labels = []
with open("vm/kernels.conf") as f:
    for line in f:
        if line.strip() and not line.lstrip().startswith("#"):
            labels.append(line.split()[0])
vm = jobs.get("vm", {})
matrix = vm.get("parallel", {}).get("matrix", [{}])
kernels = [k for m in matrix for k in m.get("KERNEL", [])]
check(kernels == labels, "vm: parallel matrix KERNEL %s = vm/kernels.conf %s"
      % (kernels, labels))
check("--kernels \"$KERNEL\"" in " ".join(vm.get("script", [])),
      "vm: each job runs its $KERNEL")

# the JUnit report is the file igt_vm_results build writes
with open("runner/vm_write_junit.c") as f:
    written = re.findall(r'"%s/([\w.]+\.xml)"', f.read())
report = vm.get("artifacts", {}).get("reports", {}).get("junit", "")
check(written and report == "results/$KERNEL/" + written[0],
      "vm: JUnit report %s is what igt_vm_results build writes (%s)"
      % (report, written))
check("results/$KERNEL/" in vm.get("artifacts", {}).get("paths", []),
      "vm: a job hands over its kernel's folder only")

# one job merges every kernel with the main job's command and checks it
merge = [n for n, j in jobs.items() if "igt_vm_results merge" in
         " ".join(j.get("script", []))]
check(len(merge) == 1, "one merging job: %s" % merge)
if merge:
    job = jobs[merge[0]]
    script = " ".join(job["script"])
    needs = [n["job"] if isinstance(n, dict) else n for n in job["needs"]]
    check("vm" in needs, "%s: needs every kernel's job" % merge[0])
    check("--expect vm/expectations.txt" in script,
          "%s: checks the expectations" % merge[0])
    check("--config vm/kernels.conf" in script,
          "%s: columns in the kernel set's order" % merge[0])
    with open("vm/igt-vm-matrix") as f:
        check("merge --out" in f.read(),
              "vm/igt-vm-matrix ends with the same merge")
sys.exit(1 if failed else 0)
