// SPDX-License-Identifier: MIT
/*
 * igt_vm_results matrix over two crafted results directories: the
 * Markdown and HTML output, and --expect with a file that holds and with
 * one whose verdict was flipped (must exit 1 and name the cell).
 * usage: test_vm_matrix IGT_VM_RESULTS PYTHON REPORT_CHECK
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "igt_gup_facts.h"
#include "rt_common.h"

static const char *tool, *python, *checker;

/*
 * The facts line a test writes (lib/igt_gup_facts.h) ahead of @out: the
 * matrix takes the cell's coordinates from it, never from the name. A
 * @driver of NULL: the subtest's own subject, before any device.
 */
static const char *fx(const char *test, const char *kind, const char *path,
		      const char *check, const char *driver, const char *extra,
		      const char *out)
{
	static char buf[8][2048];
	static int n;
	char *b = buf[n++ % 8];
	int len;

	len = snprintf(b, sizeof(buf[0]), IGT_GUP_FACTS_TAG
		       "{\"test\":\"%s\",\"kind\":\"%s\",\"path\":\"%s\","
		       "\"check\":\"%s\"", test, kind, path, check);
	if (driver)
		len += snprintf(b + len, sizeof(buf[0]) - len,
				",\"device\":\"card0\",\"driver\":\"%s\"",
				driver);
	snprintf(b + len, sizeof(buf[0]) - len, "%s}\n%s", extra ? extra : "",
		 out);
	return b;
}

#define GEM(path, check, driver, out) \
	fx("gem_mmap_gup", "path", path, check, driver, NULL, out)

static void add(json_object *tests, const char *name, const char *result,
		const char *out)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "out", json_object_new_string(out));
	json_object_object_add(t, "err", json_object_new_string(""));
	json_object_object_add(t, "dmesg", json_object_new_string(""));
	json_object_object_add(t, "result", json_object_new_string(result));
	json_object_object_add(tests, name, t);
}

/* a result whose dmesg had records at warning level */
static void add_warned(json_object *tests, const char *name,
		       const char *result, const char *out,
		       const char *warnings)
{
	json_object *t;

	add(tests, name, result, out);
	t = json_object_object_get(tests, name);
	json_object_object_add(t, "dmesg-warnings",
			       json_object_new_string(warnings));
}

static bool crash_after_dynamic;

static void write_results(const char *dir, const char *kernel, bool fixed)
{
	json_object *root = json_object_new_object();
	json_object *tests = json_object_new_object();
	char path[PATH_MAX];

	mkdir(dir, 0755);
	json_object_object_add(root, "__type__",
			       json_object_new_string("TestrunResult"));
	json_object_object_add(root, "results_version", json_object_new_int(10));
	json_object_object_add(root, "name", json_object_new_string(kernel));

	/* the aggregate of the dynamic subtests: not a cell of its own */
	add(tests, "igt@gem_mmap_gup@dumb-futex", "fail",
	    GEM("dumb", "futex", NULL, ""));
	add(tests, "igt@gem_mmap_gup@dumb-futex@virtio_gpu-card0",
	    fixed ? "pass" : "fail",
	    fx("gem_mmap_gup", "path", "dumb", "futex", "virtio_gpu",
	       ",\"verdict\":\"fail\",\"mappings\":[{\"kib\":4,"
	       "\"vmflags\":\"rd wr sh mr mw me ms mm\",\"pfnmap\":false}],"
	       "\"probes\":[{\"probe\":\"futex\",\"mapping\":0,"
	       "\"offset\":0,\"outcome\":\"PINNED\",\"errno\":\"\","
	       "\"bytes\":-1}]",
	       "Starting dynamic subtest: virtio_gpu-card0\n"
	       "dumb at 0x7f0000 (+4 KiB): VmFlags: xx yy\n"));
	add_warned(tests, "igt@gem_mmap_gup@dumb-vmsplice@virtio_gpu-card0",
		   fixed ? "pass" : "dmesg-fail",
		   GEM("dumb", "vmsplice", "virtio_gpu", ""),
		   "<4> [10.0] WARNING: CPU: 0 PID: 90 at mm/gup.c:252");
	add(tests, "igt@gem_mmap_gup@dumb-vma-flags@virtio_gpu-card0", "pass",
	    GEM("dumb", "vma-flags", "virtio_gpu", ""));
	add(tests, "igt@gem_mmap_gup@dumb-futex@vgem-card1", "pass",
	    GEM("dumb", "futex", "vgem", ""));
	add(tests, "igt@gem_mmap_gup@odirect-read-io-uring@vgem-renderd128",
	    fixed ? "skip" : "timeout",
	    GEM("odirect-read", "io-uring", "vgem", ""));
	add(tests, "igt@gem_mmap_gup@prime-madv-populate-read@vgem-card1",
	    "skip", GEM("prime", "madv-populate-read", "vgem", ""));
	/* a subtest without facts: a row "-" of its own name */
	add(tests, "igt@gem_mmap_gup@basic-no-facts", "pass", "");
	/* the aggregate of its probes: not a cell */
	add(tests, "igt@gem_mmap_gup@probe-calibration", "pass", "");
	/* a probe's calibration: the probe is the row */
	add(tests, "igt@gem_mmap_gup@probe-calibration@futex", "pass",
	    fx("gem_mmap_gup", "probe", "probe-calibration", "futex", NULL,
	       NULL, ""));
	/* VmFlags alone: flags-only, above the pass of map-private */
	add(tests, "igt@gem_mmap_gup@dumb-vma-flags@qxl-card2", "skip",
	    fx("gem_mmap_gup", "path", "dumb", "vma-flags", "qxl",
	       ",\"verdict\":\"flags-only\"", ""));
	add(tests, "igt@gem_mmap_gup@dumb-map-private@qxl-card2", "pass",
	    GEM("dumb", "map-private", "qxl", ""));
	/* a skip whose prose mentions flags-only stays a skip */
	add(tests, "igt@gem_mmap_gup@prime-vma-flags@qxl-card2", "skip",
	    GEM("prime", "vma-flags", "qxl",
		"igt-gup-verdict: flags-only (said in prose)\n"));
	/* the other test: a table of its own in the report */
	add(tests, "igt@drm_ttm_pfnmap@vram-move@qxl-card2", "pass",
	    fx("drm_ttm_pfnmap", "placement", "vram", "move", "qxl", NULL,
	       ""));
	/* a kernel warning counts against a pass */
	add_warned(tests, "igt@gem_mmap_gup@dumb-vmsplice@bochs-drm-card3",
		   "dmesg-warn", GEM("dumb", "vmsplice", "bochs-drm", ""),
		   "<1> [11.0] BUG: Bad page state in process igt");
	/* KERN_WARNING noise, no bug report: a pass, with the note */
	add_warned(tests, "igt@gem_mmap_gup@dumb-vmsplice@cirrus-card4",
		   "dmesg-warn", GEM("dumb", "vmsplice", "cirrus", ""),
		   "<4> [12.0] clocksource: Long readout interval");
	add(tests, "igt@gem_mmap_gup@dumb-futex@bochs-drm-card3", "pass",
	    GEM("dumb", "futex", "bochs-drm", ""));
	/* the canary: caught on one kernel, skipped (blind) on the other */
	add(tests, "igt@gem_mmap_gup@canary-page-vmsplice@canary",
	    fixed ? "skip" : "fail",
	    GEM("canary-page", "vmsplice", "canary", ""));
	if (crash_after_dynamic) {
		/* the process died after its only device passed */
		add(tests, "igt@gem_mmap_gup@qxl-vram-futex", "crash",
		    GEM("qxl-vram", "futex", NULL,
			GEM("qxl-vram", "futex", "qxl", "")));
		add(tests, "igt@gem_mmap_gup@qxl-vram-futex@qxl-card2", "pass",
		    GEM("qxl-vram", "futex", "qxl", ""));
	}
	json_object_object_add(root, "tests", tests);

	snprintf(path, sizeof(path), "%s/results.json", dir);
	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY)) {
		perror(path);
		exit(99);
	}
	json_object_put(root);
}

static bool verbose;

static int matrix(const char *expect, char **out, char **err)
{
	char *argv[] = { (char *)tool, "matrix", "--html",
			 rt_path("matrix.html"), "--expect", (char *)expect,
			 rt_path("k61"), rt_path("k612"), NULL, NULL };

	if (!expect) {
		argv[4] = argv[6];
		argv[5] = argv[7];
		argv[6] = NULL;
	} else if (verbose) {
		argv[8] = "--verbose";
	}
	return rt_run(argv, out, err);
}

/* selftests/runner/report_check.py parses the report and its pages. */
static void report_check(const char *opt)
{
	char *argv[] = { (char *)python, (char *)checker,
			 rt_path("matrix.html"), (char *)opt, NULL };
	char *out, *err;
	int ret;

	ret = rt_run(argv, &out, &err);
	CHECK(ret == 0, "report_check %s: exit %d: %s%s", opt ? opt : "",
	      ret, out ? out : "", err ? err : "");
	free(out);
	free(err);
}

static const char *const good =
	"# KERNEL DRIVER PATH VERDICT COMMIT REASON\n"
	"6.1  virtio_gpu dumb dmesg-fail 8b93d1d7dbd5 shmem helper inserts pages\n"
	"6    qxl dumb flags-only - nothing but VmFlags\n"
	"6    qxl prime skip - no dma-buf mmap\n"
	"6    bochs-drm dumb dmesg-warn - a warning\n"
	"6    cirrus dumb pass - clocksource noise is no bug\n"
	"6.12 virtio_gpu dumb pass 8b93d1d7dbd5 VM_PFNMAP since 5.15\n"
	"6    vgem dumb pass - vgem\n"
	"6.1  vgem odirect-read any - flaky under TCG\n"
	"6.12 vgem odirect-read skip - no io_uring\n"
	"6    vgem prime skip - no udmabuf\n"
	"6.1  canary canary-page fail a145dd411eb2 normal PTEs\n"
	"5.10 * * any - not run here\n";

int main(int argc, char **argv)
{
	char *out, *err, *html, *bad;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: %s IGT_VM_RESULTS PYTHON REPORT_CHECK\n",
			argv[0]);
		return 99;
	}
	python = argv[2];
	checker = realpath(argv[3], NULL);
	/* meson passes paths relative to the build directory */
	tool = realpath(argv[1], NULL);
	if (!tool) {
		perror(argv[1]);
		return 99;
	}
	write_results(rt_path("k61"), "6.1.0-28-amd64", false);
	write_results(rt_path("k612"), "6.12.9-amd64", true);

	/* plain Markdown */
	ret = matrix(NULL, &out, &err);
	CHECK(ret == 0, "matrix exit %d: %s", ret, err);
	CHECK(out && strstr(out, "| driver | path | 6.1.0-28-amd64 | "
			    "6.12.9-amd64 |"), "header: %s", out);
	CHECK(out && strstr(out, "| virtio_gpu | dumb | **dmesg-fail "
			    "(vmsplice) VmFlags: rd wr sh mr mw me ms mm "
			    "dmesg-warn: vmsplice** | pass |"),
	      "dmesg-fail cell: %s", out);
	CHECK(out && strstr(out, "| qxl | dumb | flags-only (vma-flags) | "
			    "flags-only (vma-flags) |"), "flags-only cell: %s",
	      out);
	CHECK(out && strstr(out, "| cirrus | dumb | pass dmesg-warn: vmsplice | "
			    "pass dmesg-warn: vmsplice |"), "noise cell: %s", out);
	CHECK(out && strstr(out, "| qxl | prime | skip | skip |"),
	      "marker only on its own line: %s", out);
	CHECK(out && strstr(out, "| bochs-drm | dumb | dmesg-warn (vmsplice) "
			    "dmesg-warn: vmsplice |"), "dmesg-warn cell: %s",
	      out);
	CHECK(out && strstr(out, "| vgem | odirect-read | timeout (io-uring) "
			    "| skip |"), "timeout cell: %s", out);
	CHECK(out && strstr(out, "| - | basic-no-facts | pass | pass |"),
	      "non-dynamic subtest: %s", out);
	CHECK(out && strstr(out, "| futex | probe-calibration | pass | pass |"),
	      "a probe's calibration: %s", out);
	CHECK(out && strstr(out, "| qxl | vram | pass | pass |"),
	      "drm_ttm_pfnmap's placement: %s", out);
	CHECK(out && !strstr(out, "dumb-futex"), "no aggregate row: %s", out);
	free(out);
	free(err);
	html = rt_read(rt_path("matrix.html"), NULL);
	CHECK(html && strstr(html, "<h2>gem_mmap_gup: GEM mmap paths</h2>") &&
	      strstr(html, "<h2>drm_ttm_pfnmap: TTM placements</h2>") &&
	      strstr(html, "<th>probe</th><th>subtest</th>") &&
	      strstr(html, "<td class=\"fail\">") &&
	      strstr(html, "<td class=\"pass\">") && !strstr(html, "<script"),
	      "html");
	free(html);
	report_check(NULL);

	/* expectations that hold (6.1 must not match 6.12) */
	rt_writes(rt_path("good.expect"), good);
	ret = matrix(rt_path("good.expect"), &out, &err);
	CHECK(ret == 0, "good expectations exit %d: %s", ret, err);
	CHECK(err && !strstr(err, "MISMATCH"), "no mismatch: %s", err);
	CHECK(err && !strstr(err, "unexpected-new"), "new cells quiet: %s",
	      err);
	CHECK(err && strstr(err, "cells: 24, matched: 17, unexpected: 0, "
			    "new: 7, expected but missing: 0 (--verbose lists the new cells)"),
	      "summary line: %s", err);
	free(out);
	free(err);
	/* the report: each cell says whether it was expected, and why */
	report_check("--expected");

	/* --verbose lists the cells without an expectation */
	verbose = true;
	ret = matrix(rt_path("good.expect"), &out, &err);
	verbose = false;
	CHECK(ret == 0, "verbose exit %d: %s", ret, err);
	CHECK(err && strstr(err, "unexpected-new 6.1.0-28-amd64 futex "
			    "probe-calibration: pass"), "unexpected-new listed: %s", err);
	free(out);
	free(err);

	/* one flipped verdict */
	bad = strdup(good);
	/* overwrites "pass" in place: no terminator wanted */
	memcpy(strstr(bad, "6.12 virtio_gpu dumb pass") + 21, "fail", 4); // NOLINT(bugprone-not-null-terminated-result)
	rt_writes(rt_path("bad.expect"), bad);
	free(bad);
	ret = matrix(rt_path("bad.expect"), &out, &err);
	CHECK(ret == 1, "flipped expectation exit %d", ret);
	CHECK(err && strstr(err, "MISMATCH 6.12.9-amd64 virtio_gpu dumb: "
			    "expected fail (commit 8b93d1d7dbd5: VM_PFNMAP "
			    "since 5.15), got pass"), "mismatch named: %s", err);
	free(out);
	free(err);

	/* a warning where a pass was expected */
	rt_writes(rt_path("warn.expect"),
		  "6.12 bochs-drm dumb pass - no warning expected\n");
	ret = matrix(rt_path("warn.expect"), &out, &err);
	CHECK(ret == 1, "dmesg-warn against pass exit %d", ret);
	CHECK(err && strstr(err, "MISMATCH 6.12.9-amd64 bochs-drm dumb: "
			    "expected pass (commit -: no warning expected), "
			    "got dmesg-warn"), "dmesg-warn named: %s", err);
	free(out);
	free(err);

	/* an expected cell that is not there */
	rt_writes(rt_path("missing.expect"),
		  "6.12 qxl qxl-surface pass abc123 qxl is not in this run\n");
	ret = matrix(rt_path("missing.expect"), &out, &err);
	CHECK(ret == 1, "missing cell exit %d", ret);
	CHECK(err && strstr(err, "MISMATCH 6.12.9-amd64 qxl qxl-surface: expected "
			    "pass (commit abc123: qxl is not in this run), got "
			    "missing"), "missing named: %s", err);
	free(out);
	free(err);
	html = rt_read(rt_path("matrix.html"), NULL);
	CHECK(html && strstr(html, "Expected but missing (1)") &&
	      strstr(html, "6.12.9-amd64 qxl qxl-surface: expected pass "
			   "(commit abc123: qxl is not in this run)"),
	      "missing in the report");
	free(html);

	/* a control that must fail, skipped or missing: blind, and failed */
	rt_writes(rt_path("blind.expect"),
		  "6.12 canary canary-page fail a145dd411eb2 normal PTEs\n"
		  "6.12 canary canary-huge-pmd fail ae3c99e650da no pmd_special\n");
	ret = matrix(rt_path("blind.expect"), &out, &err);
	CHECK(ret == 1, "blind canary exit %d", ret);
	CHECK(err && strstr(err, "MISMATCH 6.12.9-amd64 canary canary-page: "
			    "expected fail (commit a145dd411eb2: normal PTEs), "
			    "got skip; the suite has gone blind"),
	      "skipped canary named: %s", err);
	CHECK(err && strstr(err, "MISMATCH 6.12.9-amd64 canary canary-huge-pmd: "
			    "expected fail (commit ae3c99e650da: no "
			    "pmd_special), got missing; the suite has gone blind"),
	      "missing canary named: %s", err);
	free(out);
	free(err);

	/* a crash around dynamic subtests: shown, and nobody expected it */
	crash_after_dynamic = true;
	write_results(rt_path("k61"), "6.1.0-28-amd64", false);
	ret = matrix(rt_path("good.expect"), &out, &err);
	CHECK(ret == 1, "unexpected crash exit %d", ret);
	CHECK(out && strstr(out, "| - | qxl-vram | crash (futex) |"),
	      "crash row: %s", out);
	CHECK(err && strstr(err, "MISMATCH 6.1.0-28-amd64 - qxl-vram: no "
			    "expectation, got crash"), "crash named: %s", err);
	free(out);
	free(err);

	rt_cleanup();
	if (rt_failures)
		fprintf(stderr, "%d check(s) failed\n", rt_failures);
	return rt_failures ? 1 : 0;
}
