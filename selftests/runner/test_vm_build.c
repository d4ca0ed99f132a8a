// SPDX-License-Identifier: MIT
/*
 * igt_vm_results build and resume-list on crafted record streams: a
 * complete run, boots cut mid-record, garbage and console noise, a line of
 * several MB, lost jobs with and without a kernel panic on the console,
 * dynamic subtests, dmesg warnings, escaping.
 * usage: test_vm_build IGT_VM_RESULTS
 */

#include <stdlib.h>
#include <string.h>

#include "rt_common.h"

static const char *tool;

static int build(const char *name, char *const extra[], char **err)
{
	char *argv[32] = { (char *)tool, "build", "--name", (char *)name,
			   "--out", rt_path(name) };
	int n = 6;

	for (int i = 0; extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	return rt_run(argv, NULL, err);
}

/* stdout of one subtest as IGT prints it, markers on stderr too */
#define HDR "IGT-Version: 2.0-g1234 (x86_64) (Linux: 6.1.0 x86_64)\n" \
	    "Using IGT_SRANDOM=1 for randomisation\n"

static const char *const tricky =
	"path /dev/dri/card0 \"quoted\" back\\slash tab\t cr\r bell\x07 "
	"esc\x1b[1m unicode \xc3\xa9\n";

static void test_complete(void)
{
	const char *const subs[] = { "basic", "failing", "dyn", "warns",
				     "kwarn", "never", NULL };
	const char *const none[] = { NULL };
	char *args[] = { rt_path("complete.stream"), NULL };
	json_object *res, *t;
	char *err, *text;
	FILE *f = rt_stream(rt_path("complete.stream"));
	int ret;

	rt_boot(f, 1000.0);
	rt_list(f, "gem_demo", subs, 0);
	rt_list(f, "simple", none, 79);
	rt_list(f, "skipper", none, 79);

	rt_start(f, "gem_demo", "basic");
	rt_result(f, "gem_demo", "basic", 0, 0, false,
		  HDR "Starting subtest: basic\n"
		  "Subtest basic: SUCCESS (0.010s)\n",
		  "Starting subtest: basic\nSubtest basic: SUCCESS (0.010s)\n",
		  "6,10,12000050,-;[IGT] gem_demo: executing\n"
		  "6,11,12000100,-;[IGT] gem_demo: starting subtest basic\n"
		  "6,12,12000300,-;[IGT] gem_demo: exiting, ret=0\n");

	rt_start(f, "gem_demo", "failing");
	rt_result(f, "gem_demo", "failing", 98, 0, false,
		  HDR "Starting subtest: failing\n"
		  "dumb at 0x1000: VmFlags: rd wr sh mr mw me ms mm\n"
		  "Stack trace:\n  #0 foo.c:1 main()\n"
		  "Subtest failing: FAIL (0.020s)\n",
		  "Starting subtest: failing\n"
		  "(gem_demo:1) CRITICAL: Test assertion failure\n"
		  "Subtest failing failed.\n"
		  "Subtest failing: FAIL (0.020s)\n", "");

	rt_start(f, "gem_demo", "dyn");
	rt_result(f, "gem_demo", "dyn", 98, 0, false,
		  HDR "Starting subtest: dyn\n"
		  "Starting dynamic subtest: virtio_gpu-card0\n"
		  "virtio output\n"
		  "Dynamic subtest virtio_gpu-card0: SUCCESS (0.001s)\n"
		  "Starting dynamic subtest: vgem-card1\n"
		  "vgem output\n"
		  "Dynamic subtest vgem-card1: FAIL (0.002s)\n"
		  "Starting dynamic subtest: bochs-drm-renderD128\n"
		  "Subtest dyn: FAIL (0.004s)\n",
		  "Starting subtest: dyn\n"
		  "Starting dynamic subtest: virtio_gpu-card0\n"
		  "Dynamic subtest virtio_gpu-card0: SUCCESS (0.001s)\n"
		  "Starting dynamic subtest: vgem-card1\n"
		  "Dynamic subtest vgem-card1 failed.\n"
		  "Dynamic subtest vgem-card1: FAIL (0.002s)\n"
		  "Subtest dyn: FAIL (0.004s)\n",
		  "6,20,13000000,-;[IGT] gem_demo: starting subtest dyn\n"
		  "6,21,13000100,-;[IGT] gem_demo: starting dynamic subtest "
		  "virtio_gpu-card0\n"
		  "4,22,13000200,-;virtio_gpu: odd thing\n"
		  "6,23,13000300,-;[IGT] gem_demo: starting dynamic subtest "
		  "vgem-card1\n");

	/* a warning on stderr before the result marker: warn */
	rt_start(f, "gem_demo", "warns");
	rt_result(f, "gem_demo", "warns", 0, 0, false,
		  HDR "Starting subtest: warns\n"
		  "Subtest warns: SUCCESS (0.001s)\n",
		  "Starting subtest: warns\n"
		  "(gem_demo:1) WARNING: something\n"
		  "Subtest warns: SUCCESS (0.001s)\n", "");

	/* a kernel WARNING at KERN_INFO, and a level 3 continuation */
	rt_start(f, "gem_demo", "kwarn");
	rt_result(f, "gem_demo", "kwarn", 0, 0, false,
		  HDR "Starting subtest: kwarn\n"
		  "Subtest kwarn: SUCCESS (0.001s)\n"
		  "", "",
		  "6,30,14000000,-;[IGT] gem_demo: starting subtest kwarn\n"
		  "3,31,14000001,c;continued\n"
		  "6,32,14000002,-;WARNING: CPU: 0 PID: 1 at mm/gup.c:1\n");

	rt_start(f, "simple", "-");
	rt_result(f, "simple", "-", 0, 0, false, tricky, "bad \xff byte\n",
		  "");
	rt_start(f, "skipper", "-");
	rt_result(f, "skipper", "-", 77, 0, false, "", "", "");
	rt_done(f);
	fclose(f);

	ret = build("complete", args, &err);
	CHECK(ret == 0, "build exit %d: %s", ret, err);
	free(err);
	res = rt_results(rt_path("complete"));
	if (!res)
		return;
	rt_check_totals(res);

	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@basic"), "pass"), "%s",
	      rt_result_of(res, "igt@gem_demo@basic"));
	CHECK(!strcmp(rt_field(res, "igt@gem_demo@basic", "igt-version"),
		      "IGT-Version: 2.0-g1234 (x86_64) (Linux: 6.1.0 x86_64)"),
	      "igt-version");
	CHECK(strstr(rt_field(res, "igt@gem_demo@basic", "dmesg"),
		     "<6> [12.000100] [IGT] gem_demo: starting subtest basic\n"),
	      "dmesg format: %s", rt_field(res, "igt@gem_demo@basic", "dmesg"));
	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@failing"), "fail"),
	      "%s", rt_result_of(res, "igt@gem_demo@failing"));
	CHECK(strstr(rt_field(res, "igt@gem_demo@failing", "out"),
		     "Stack trace:"), "out keeps the trace");

	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@dyn"), "dmesg-fail"),
	      "%s", rt_result_of(res, "igt@gem_demo@dyn"));
	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@dyn@virtio_gpu-card0"),
		      "dmesg-warn"), "%s",
	      rt_result_of(res, "igt@gem_demo@dyn@virtio_gpu-card0"));
	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@dyn@vgem-card1"),
		      "fail"), "%s",
	      rt_result_of(res, "igt@gem_demo@dyn@vgem-card1"));
	/* names are lowercased, like igt_runner; no result: incomplete */
	CHECK(!strcmp(rt_result_of(res,
				   "igt@gem_demo@dyn@bochs-drm-renderd128"),
		      "incomplete"), "%s",
	      rt_result_of(res, "igt@gem_demo@dyn@bochs-drm-renderd128"));
	text = (char *)rt_field(res, "igt@gem_demo@dyn@vgem-card1", "out");
	CHECK(text && !strcmp(text, "Starting dynamic subtest: vgem-card1\n"
			      "vgem output\n"
			      "Dynamic subtest vgem-card1: FAIL (0.002s)\n"),
	      "dynamic out slice: %s", text);
	text = (char *)rt_field(res, "igt@gem_demo@dyn@vgem-card1", "err");
	CHECK(text && strstr(text, "vgem-card1 failed.") &&
	      !strstr(text, "virtio"), "dynamic err slice: %s", text);
	text = (char *)rt_field(res, "igt@gem_demo@dyn@virtio_gpu-card0",
				"dmesg-warnings");
	CHECK(text && strstr(text, "<4> [13.000200] virtio_gpu: odd thing"),
	      "dynamic dmesg slice: %s", text);

	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@warns"), "warn"), "%s",
	      rt_result_of(res, "igt@gem_demo@warns"));
	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@kwarn"), "dmesg-warn"),
	      "%s", rt_result_of(res, "igt@gem_demo@kwarn"));
	text = (char *)rt_field(res, "igt@gem_demo@kwarn", "dmesg-warnings");
	CHECK(text && strstr(text, "WARNING: CPU") && !strstr(text,
							      "continued"),
	      "warnings: %s", text);
	CHECK(!strcmp(rt_result_of(res, "igt@gem_demo@never"), "notrun"),
	      "%s", rt_result_of(res, "igt@gem_demo@never"));

	CHECK(!strcmp(rt_result_of(res, "igt@simple"), "pass"), "%s",
	      rt_result_of(res, "igt@simple"));
	CHECK(!strcmp(rt_result_of(res, "igt@skipper"), "skip"), "%s",
	      rt_result_of(res, "igt@skipper"));
	/* control characters, quotes and '/' round-trip */
	CHECK(!strcmp(rt_field(res, "igt@simple", "out"), tricky),
	      "round trip: %s", rt_field(res, "igt@simple", "out"));
	/* invalid UTF-8 becomes U+FFFD: the file stays valid UTF-8 JSON */
	CHECK(!strcmp(rt_field(res, "igt@simple", "err"),
		      "bad \xef\xbf\xbd byte\n"), "utf-8: %s",
	      rt_field(res, "igt@simple", "err"));

	t = json_object_object_get(res, "time_elapsed");
	CHECK(json_object_get_double(json_object_object_get(t, "start")) ==
	      1000.0, "time_elapsed start");
	CHECK(json_object_get_double(json_object_object_get(t, "end")) ==
	      2000.0, "time_elapsed end");
	CHECK(json_object_object_get(json_object_object_get(res, "runtimes"),
				     "igt@gem_demo"), "runtimes");
	json_object_put(res);

	/* json-c writes '/' as "\/", as IGT's results.json does */
	text = rt_read(rt_path("complete/results.json"), NULL);
	CHECK(text && strstr(text, "\\/dev\\/dri\\/card0") &&
	      strstr(text, "\\u0007") && strstr(text, "\"results_version\":10"),
	      "escaping in the file");
	free(text);

	text = rt_read(rt_path("complete/junit.xml"), NULL);
	CHECK(text && strstr(text, "<testsuite name=\"gem_demo\"") &&
	      strstr(text, "<failure message=\"fail\"") &&
	      strstr(text, "&quot;quoted&quot;") && !strchr(text, '\x07'),
	      "junit.xml");
	free(text);
	text = rt_read(rt_path("complete/summary.txt"), NULL);
	CHECK(text && strstr(text, "pass: 2\n") && strstr(text, "notrun: 1\n"),
	      "summary.txt: %s", text);
	free(text);
}

/*
 * Boot 1 dies in "panics" (console shows a panic), with a record cut in
 * the middle; boot 2 is resumed, hangs in "hangs" (no panic); boot 3
 * finishes. The streams carry garbage, console noise and a huge line.
 */
static void test_crashes(void)
{
	const char *const subs[] = { "first", "panics", "hangs", "last",
				     "big", NULL };
	char *args[] = { "--console", rt_path("c1.log"),
			 "--console", rt_path("c2.log"),
			 rt_path("s1"), rt_path("s2"), rt_path("s3"), NULL };
	char *huge, *err, *text, *list;
	size_t hlen = 5 << 20;
	json_object *res;
	FILE *f;
	int ret;

	f = rt_stream(rt_path("s1"));
	fputs("\x1b[0mSeaBIOS garbage \x01\x02\n\n", f);
	rt_boot(f, 100.0);
	rt_list(f, "gem_x", subs, 0);
	rt_start(f, "gem_x", "first");
	/* console noise before a record on the same line */
	fputs("[    3.141592] random: crng init done ", f);
	rt_result(f, "gem_x", "first", 0, 0, false,
		  "Starting subtest: first\nSubtest first: SUCCESS (0.1s)\n",
		  "", "");
	fputs("IGTVM1 {\"type\":\"start\",\"test\":\"gem_x\",\"subt", f);
	fputs("\nIGTVM1 not json at all\n", f);
	rt_start(f, "gem_x", "panics");
	/* the crash cut the result record */
	fputs("IGTVM1 {\"type\":\"result\",\"test\":\"gem_x\",\"subtest\":"
	      "\"panics\",\"exit\":0,\"out\":\"Starting subt", f);
	fclose(f);
	/* boot-guest's record: the watchdog ended the boot that hung */
	rt_writes(rt_path("boot.txt"), "accel=tcg\nreason=watchdog\n");
	rt_writes(rt_path("c1.log"),
		  "[    1.000000] Linux version 6.1.0\n"
		  "[    5.000000] igt_guest_runner: start gem_x first [1/4]\n"
		  "[    5.100000] igt_guest_runner: start gem_x panics [2/4]\n"
		  "[    5.200000] BUG: kernel NULL pointer dereference, "
		  "address: 0000000000000000\n"
		  "[    5.200001] Oops: 0000 [#1] PREEMPT SMP NOPTI\n"
		  "[    5.300000] Kernel panic - not syncing: Fatal exception\n");

	f = rt_stream(rt_path("s2"));
	rt_boot(f, 200.0);
	rt_list(f, "gem_x", subs, 0);
	/* a several-MB line of noise, then a record with a 3 MB out */
	huge = malloc(hlen + 1);
	memset(huge, 'x', hlen);
	huge[hlen] = '\0';
	for (size_t i = 0; i < hlen; i += 4096)
		memcpy(huge + i, "IGTVM1 {", 8);
	fputs(huge, f);
	fputc('\n', f);
	rt_start(f, "gem_x", "big");
	memset(huge, 'y', 3 << 20);
	strcpy(huge + (3 << 20), "\nSubtest big: SUCCESS (1.000s)\n");
	memcpy(huge, "Starting subtest: big\n", 22);
	rt_result(f, "gem_x", "big", 0, 0, false, huge, "", "");
	free(huge);
	rt_start(f, "gem_x", "hangs");
	fclose(f);
	rt_writes(rt_path("c2.log"),
		  "[    5.000000] igt_guest_runner: start gem_x hangs [3/4]\n"
		  "[   99.000000] rcu: INFO: rcu_sched self-detected stall\n");

	f = rt_stream(rt_path("s3"));
	rt_boot(f, 300.0);
	rt_start(f, "gem_x", "last");
	rt_result(f, "gem_x", "last", 0, 0, true,
		  "Starting subtest: last\n", "", "");
	rt_done(f);
	fclose(f);

	ret = build("crashes", args, &err);
	CHECK(ret == 0, "build exit %d: %s", ret, err);
	CHECK(err && strstr(err, "damaged"), "stats: %s", err);
	free(err);
	res = rt_results(rt_path("crashes"));
	if (!res)
		return;
	rt_check_totals(res);
	CHECK(!strcmp(rt_result_of(res, "igt@gem_x@first"), "pass"), "%s",
	      rt_result_of(res, "igt@gem_x@first"));
	CHECK(!strcmp(rt_result_of(res, "igt@gem_x@panics"), "crash"), "%s",
	      rt_result_of(res, "igt@gem_x@panics"));
	text = (char *)rt_field(res, "igt@gem_x@panics", "dmesg");
	CHECK(text && strstr(text, "Kernel panic - not syncing") &&
	      strstr(text, "start gem_x panics") &&
	      !strstr(text, "Linux version"), "crash excerpt: %s", text);
	text = (char *)rt_field(res, "igt@gem_x@panics", "out");
	CHECK(text && strstr(text, "kernel crashed"), "crash out: %s", text);
	CHECK(!strcmp(rt_result_of(res, "igt@gem_x@hangs"), "timeout"), "%s",
	      rt_result_of(res, "igt@gem_x@hangs"));
	text = (char *)rt_field(res, "igt@gem_x@hangs", "dmesg");
	CHECK(text && strstr(text, "rcu_sched"), "hang excerpt: %s", text);
	CHECK(!strcmp(rt_result_of(res, "igt@gem_x@big"), "pass"), "%s",
	      rt_result_of(res, "igt@gem_x@big"));
	text = (char *)rt_field(res, "igt@gem_x@big", "out");
	CHECK(text && strlen(text) > (3u << 20), "big out kept");
	/* the runner killed it: timeout, whatever the markers say */
	CHECK(!strcmp(rt_result_of(res, "igt@gem_x@last"), "timeout"), "%s",
	      rt_result_of(res, "igt@gem_x@last"));
	json_object_put(res);

	/* every started job, once, in order */
	{
		char *argv[] = { (char *)tool, "resume-list", rt_path("s1"),
				 rt_path("s2"), rt_path("missing"), NULL };

		rt_run(argv, &list, NULL);
		CHECK(list && !strcmp(list, "gem_x first\ngem_x panics\n"
				      "gem_x big\ngem_x hangs\n"),
		      "resume-list: %s", list);
		free(list);
	}
}

/* Exit codes and signals without markers, a job with no console given. */
static void test_exits(void)
{
	const char *const subs[] = { "sig", "skipped", "abort", "lost",
				     "unknown", NULL };
	char *args[] = { rt_path("e1"), NULL };
	json_object *res;
	char *err;
	FILE *f = rt_stream(rt_path("e1"));
	int ret;

	rt_boot(f, 1.0);
	rt_list(f, "t", subs, 0);
	rt_start(f, "t", "sig");
	rt_result(f, "t", "sig", -9, 9, false, "Starting subtest: sig\n", "",
		  "");
	rt_start(f, "t", "skipped");
	rt_result(f, "t", "skipped", 77, 0, false,
		  "Subtest skipped: SKIP (0.000s)\n", "", "");
	rt_start(f, "t", "abort");
	rt_result(f, "t", "abort", 112, 0, false,
		  "Starting subtest: abort\nSubtest abort: FAIL (0.000s)\n",
		  "", "");
	rt_start(f, "t", "unknown");
	rt_result(f, "t", "unknown", 0, 0, false,
		  "Starting subtest: unknown\nSubtest unknown: WEIRD\n", "", "");
	rt_start(f, "t", "lost");
	fclose(f);

	ret = build("exits", args, &err);
	CHECK(ret == 0, "build exit %d: %s", ret, err);
	free(err);
	res = rt_results(rt_path("exits"));
	if (!res)
		return;
	rt_check_totals(res);
	CHECK(!strcmp(rt_result_of(res, "igt@t@sig"), "crash"), "%s",
	      rt_result_of(res, "igt@t@sig"));
	CHECK(!strcmp(rt_result_of(res, "igt@t@skipped"), "skip"), "%s",
	      rt_result_of(res, "igt@t@skipped"));
	CHECK(!strcmp(rt_result_of(res, "igt@t@abort"), "abort"), "%s",
	      rt_result_of(res, "igt@t@abort"));
	CHECK(!strcmp(rt_result_of(res, "igt@t@unknown"), "incomplete"), "%s",
	      rt_result_of(res, "igt@t@unknown"));
	/* no console, no boot.txt: no evidence of a hang */
	CHECK(!strcmp(rt_result_of(res, "igt@t@lost"), "incomplete"), "%s",
	      rt_result_of(res, "igt@t@lost"));
	json_object_put(res);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s IGT_VM_RESULTS\n", argv[0]);
		return 99;
	}
	/* meson passes paths relative to the build directory */
	tool = realpath(argv[1], NULL);
	if (!tool) {
		perror(argv[1]);
		return 99;
	}
	test_complete();
	test_crashes();
	test_exits();
	rt_cleanup();
	if (rt_failures)
		fprintf(stderr, "%d check(s) failed\n", rt_failures);
	return rt_failures ? 1 : 0;
}
