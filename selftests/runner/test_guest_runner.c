// SPDX-License-Identifier: MIT
/*
 * igt_guest_runner on the host, against fake_igt under several names: the
 * stream goes to a regular file, /dev/kmsg and /proc/sysrq-trigger are
 * replaced by files. Then a second boot with --resume and --inject, and
 * igt_vm_results build over both streams.
 * usage: test_guest_runner IGT_GUEST_RUNNER FAKE_IGT IGT_VM_RESULTS
 */

#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_common.h"

#define MAX_RECORDS 64

struct stream {
	json_object *rec[MAX_RECORDS];
	int n;
	int other;
};

static void load_stream(const char *path, struct stream *s)
{
	char *text = rt_read(path, NULL), *line, *save = NULL;

	memset(s, 0, sizeof(*s));
	CHECK(text != NULL, "no stream %s", path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_object *o;

		if (strncmp(line, "IGTVM1 ", 7)) {
			s->other++;
			continue;
		}
		o = json_tokener_parse(line + 7);
		CHECK(o != NULL, "record does not parse: %.100s", line);
		if (o && s->n < MAX_RECORDS)
			s->rec[s->n++] = o;
	}
	free(text);
}

static const char *type(json_object *r)
{
	return json_object_get_string(json_object_object_get(r, "type"));
}

static json_object *find(struct stream *s, const char *t, const char *bin,
			 const char *sub)
{
	for (int i = 0; i < s->n; i++) {
		json_object *r = s->rec[i];
		const char *b = json_object_get_string(
			json_object_object_get(r, "test"));
		const char *u = json_object_get_string(
			json_object_object_get(r, "subtest"));

		if (strcmp(type(r), t))
			continue;
		if (bin && (!b || strcmp(b, bin)))
			continue;
		if (sub && (!u || strcmp(u, sub)))
			continue;
		return r;
	}
	return NULL;
}

static int geti(json_object *r, const char *key)
{
	return json_object_get_int(json_object_object_get(r, key));
}

static const char *gets(json_object *r, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(r, key));

	return s ? s : "";
}

static void setup(const char *fake)
{
	static const char *const names[] = {
		"fake_simple", "fake_subtests", "fake_nolist", NULL };
	char path[PATH_MAX];

	if (mkdir(rt_path("tests"), 0755)) {
		perror("mkdir");
		exit(99);
	}
	/* fake_igt picks its behaviour from argv[0] */
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", rt_path("tests"),
			 names[i]);
		if (symlink(fake, path)) {
			perror("symlink");
			exit(99);
		}
	}
	rt_writes(rt_path("tests/test-list.txt"),
		  "TESTLIST\nfake_simple fake_subtests fake_missing\n"
		  "fake_nolist\nEND TESTLIST\n");
	rt_writes(rt_path("kmsg"), "");
	rt_writes(rt_path("sysrq"), "");
	rt_writes(rt_path("execs"), "");
	setenv("FAKE_KMSG", rt_path("kmsg"), 1);
	setenv("FAKE_EXEC_LOG", rt_path("execs"), 1);
	/* the same runs, the fake speaking the handshake (meson: -sync) */
	if (getenv("RT_HANDSHAKE")) {
		rt_writes(rt_path("sync"), "");
		setenv("FAKE_SYNC", rt_path("sync"), 1);
	}
}

static void check_first_boot(struct stream *s)
{
	json_object *r;
	const char *t;

	CHECK(s->n > 0 && !strcmp(type(s->rec[0]), "boot"), "boot first");
	CHECK(s->n > 0 && !strcmp(type(s->rec[s->n - 1]), "done"),
	      "done last");
	CHECK(s->other == 0, "%d stray lines", s->other);

	r = find(s, "list", "fake_simple", NULL);
	CHECK(r && geti(r, "exit") == 79, "simple listing");
	r = find(s, "list", "fake_subtests", NULL);
	CHECK(r && json_object_array_length(json_object_object_get(r,
		"subtests")) == 8, "subtest listing");
	r = find(s, "list", "fake_missing", NULL);
	CHECK(r && geti(r, "exit") == 127, "missing listing");

	r = find(s, "result", "fake_simple", "-");
	CHECK(r && geti(r, "exit") == 0 && strstr(gets(r, "out"), "SUCCESS"),
	      "simple runs whole");

	r = find(s, "result", "fake_subtests", "pass");
	CHECK(r && geti(r, "exit") == 0 && geti(r, "signal") == 0 &&
	      !json_object_get_boolean(json_object_object_get(r, "timeout")),
	      "pass");
	t = r ? gets(r, "dmesg") : "";
	/* only what the test logged, not the runner's own progress lines */
	CHECK(strstr(t, "starting subtest pass") &&
	      !strstr(t, "igt_guest_runner"), "pass dmesg: %s", t);
	t = r ? gets(r, "err") : "";
	CHECK(strstr(t, "Starting subtest: pass"),
	      "IGT_SENTINEL_ON_STDERR set: %s", t);

	/* the header goes to the first subtest of the process */
	t = r ? gets(r, "out") : "";
	CHECK(!strncmp(t, "IGT-Version", 11), "pass out: %s", t);

	/* ended by its own marker, the process ran on: no exit status */
	r = find(s, "result", "fake_subtests", "fail");
	CHECK(r && !json_object_object_get(r, "exit") &&
	      strstr(gets(r, "err"), "failed.") &&
	      !strncmp(gets(r, "out"), "Starting subtest: fail\n", 23) &&
	      !strncmp(gets(r, "err"), "Starting subtest: fail\n", 23),
	      "fail: %s", r ? gets(r, "out") : "");
	t = r ? gets(r, "dmesg") : "";
	CHECK(strstr(t, "starting subtest fail") &&
	      !strstr(t, "starting subtest pass") &&
	      !strstr(t, "starting subtest dyn"), "fail's own dmesg: %s", t);

	r = find(s, "result", "fake_subtests", "hang");
	CHECK(r && json_object_get_boolean(json_object_object_get(r,
		"timeout")) && geti(r, "signal") == 9, "hang: SIGKILL after "
	      "an ignored SIGQUIT");
	CHECK(r && json_object_get_double(json_object_object_get(r, "time"))
	      >= 2.0, "hang ran for the timeout");

	r = find(s, "result", "fake_subtests", "segv");
	CHECK(r && geti(r, "signal") == 11 && geti(r, "exit") == -11 &&
	      !json_object_get_boolean(json_object_object_get(r, "timeout")),
	      "segv");

	r = find(s, "result", "fake_subtests", "kmsgwarn");
	CHECK(r && strstr(gets(r, "dmesg"), "WARNING: CPU") &&
	      !strstr(gets(r, "dmesg"), "starting subtest segv"), "kmsgwarn");

	r = find(s, "result", "fake_subtests", "flood");
	t = r ? gets(r, "out") : "";
	CHECK(r && json_object_get_boolean(json_object_object_get(r,
		"truncated")), "flood truncated");
	CHECK(strlen(t) <= 256 * 1024, "flood capped: %zu", strlen(t));
	CHECK(!strncmp(t, "Starting subtest: flood", 23) &&
	      strstr(t, "bytes not captured") &&
	      strstr(t, "Subtest flood: SUCCESS (0.001s)\n"),
	      "flood keeps both ends");

	r = find(s, "result", "fake_subtests", "binary");
	CHECK(r && strstr(gets(r, "out"), "ctl \x01\x02\x1b[1m tab\t quote\" "
			  "slash/ bad \xff\xfe utf8 \xc3\xa9\n"),
	      "raw bytes round-trip");

	r = find(s, "result", "fake_missing", "-");
	CHECK(r && geti(r, "exit") == 127 &&
	      strstr(gets(r, "err"), "cannot execute"), "missing binary");
	r = find(s, "result", "fake_nolist", "-");
	CHECK(r && geti(r, "signal") == 11, "listing killed by a signal");

	/* every start is followed by its result */
	for (int i = 0; i < s->n; i++) {
		if (strcmp(type(s->rec[i]), "start"))
			continue;
		CHECK(i + 1 < s->n && !strcmp(type(s->rec[i + 1]), "result") &&
		      !strcmp(gets(s->rec[i], "subtest"),
			      gets(s->rec[i + 1], "subtest")),
		      "start %s without its result", gets(s->rec[i], "subtest"));
	}
}

int main(int argc, char **argv)
{
	const char *runner, *fake, *results;
	struct stream s1, s2, s3;
	char *err, *text;
	json_object *res;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: %s RUNNER FAKE_IGT RESULTS\n", argv[0]);
		return 99;
	}
	/* meson passes paths relative to the build directory */
	runner = realpath(argv[1], NULL);
	fake = realpath(argv[2], NULL);
	results = realpath(argv[3], NULL);
	if (!runner || !fake || !results) {
		perror("realpath");
		return 99;
	}
	setup(fake);

	{
		char *a[] = { (char *)runner, "--stream", rt_path("stream1"),
			      "--tests", rt_path("tests"), "--timeout", "2",
			      "--kmsg", rt_path("kmsg"), "--sysrq-trigger",
			      rt_path("sysrq"), NULL };

		ret = rt_run(a, NULL, &err);
		CHECK(ret == 0, "runner exit %d: %s", ret, err);
		free(err);
	}
	load_stream(rt_path("stream1"), &s1);
	check_first_boot(&s1);
	text = rt_read(rt_path("kmsg"), NULL);
	CHECK(text && strstr(text, "igt_guest_runner: start fake_subtests "
			     "hang [") && strstr(text, "igt_guest_runner: done"),
	      "progress lines in kmsg");
	free(text);

	/*
	 * One process for all subtests; after the hang (killed) and the
	 * segv (died), the binary starts again at the next subtest.
	 */
	text = rt_read(rt_path("execs"), NULL);
	CHECK(text && !strcmp(text, "pass,fail,dyn,hang,segv,kmsgwarn,flood,"
			      "binary\nsegv,kmsgwarn,flood,binary\n"
			      "kmsgwarn,flood,binary\n"),
	      "processes of fake_subtests: %s", text);
	free(text);
	rt_writes(rt_path("execs"), "");

	/*
	 * With the handshake, the process that ran to its end (kmsgwarn,
	 * flood, binary) had each of its results acked; the others were
	 * killed or died before they could say so.
	 */
	if (getenv("RT_HANDSHAKE")) {
		text = rt_read(rt_path("sync"), NULL);
		CHECK(text && !strcmp(text, "acks 3\n"), "handshakes: %s",
		      text);
		free(text);
	}

	/* the timeout asked the kernel for the blocked tasks */
	text = rt_read(rt_path("sysrq"), NULL);
	CHECK(text && !strcmp(text, "w\n"), "sysrq after a timeout: %s", text);
	free(text);
	rt_writes(rt_path("sysrq"), "");

	/*
	 * boot 2: resume past the first jobs; the kernel crashes in the
	 * middle of the binary's run: kmsgwarn has run in the same process,
	 * flood is next.
	 */
	rt_writes(rt_path("resume"), "fake_simple -\nfake_subtests pass\n"
		  "fake_subtests fail\nfake_subtests dyn\nfake_subtests hang\n");
	rt_writes(rt_path("inject"), "fake_subtests flood\n");
	{
		char *a[] = { (char *)runner, "--stream", rt_path("stream2"),
			      "--tests", rt_path("tests"), "--timeout", "2",
			      "--kmsg", rt_path("kmsg"), "--sysrq-trigger",
			      rt_path("sysrq"), "--resume", rt_path("resume"),
			      "--inject", rt_path("inject"), NULL };

		ret = rt_run(a, NULL, &err);
		/* the fake trigger returns: the runner stops as a crash would */
		CHECK(ret == 3, "injecting runner exit %d: %s", ret, err);
		free(err);
	}
	load_stream(rt_path("stream2"), &s2);
	CHECK(!find(&s2, "start", "fake_subtests", "hang") &&
	      !find(&s2, "start", "fake_simple", NULL), "resumed jobs skipped");
	CHECK(find(&s2, "result", "fake_subtests", "segv"), "segv rerun");
	CHECK(find(&s2, "result", "fake_subtests", "kmsgwarn"),
	      "the subtest before the crash has its result");
	CHECK(s2.n > 0 && !strcmp(type(s2.rec[s2.n - 1]), "start") &&
	      !strcmp(gets(s2.rec[s2.n - 1], "subtest"), "flood"),
	      "the start record is out before the crash");
	text = rt_read(rt_path("execs"), NULL);
	CHECK(text && !strcmp(text, "segv,kmsgwarn,flood,binary\n"
			      "kmsgwarn,flood,binary\n"),
	      "the crash came with the binary running: %s", text);
	free(text);
	text = rt_read(rt_path("sysrq"), NULL);
	CHECK(text && !strcmp(text, "c\n"), "sysrq trigger: %s", text);
	free(text);

	/* boot 3: every job started in boots 1 and 2 is resumed past */
	rt_writes(rt_path("resume"), "fake_simple -\nfake_subtests pass\n"
		  "fake_subtests fail\nfake_subtests dyn\nfake_subtests hang\n"
		  "fake_subtests segv\nfake_subtests kmsgwarn\n"
		  "fake_subtests flood\nfake_missing -\nfake_nolist -\n");
	{
		char *a[] = { (char *)runner, "--stream", rt_path("stream3"),
			      "--tests", rt_path("tests"), "--timeout", "2",
			      "--kmsg", rt_path("kmsg"), "--sysrq-trigger",
			      rt_path("sysrq"), "--resume", rt_path("resume"),
			      NULL };

		ret = rt_run(a, NULL, &err);
		CHECK(ret == 0, "boot 3 runner exit %d: %s", ret, err);
		free(err);
	}
	load_stream(rt_path("stream3"), &s3);
	CHECK(find(&s3, "result", "fake_subtests", "binary") &&
	      !find(&s3, "start", "fake_subtests", "flood"),
	      "boot 3 runs only what never started");

	rt_writes(rt_path("console2"),
		  "[   9.0] igt_guest_runner: start fake_subtests flood "
		  "[8/11]\n[   9.1] sysrq: Trigger a crash\n"
		  "[   9.2] Kernel panic - not syncing: sysrq triggered crash\n");
	{
		char *a[] = { (char *)results, "build", "--name", "host",
			      "--out", rt_path("out"), "--console",
			      rt_path("kmsg"), "--console", rt_path("console2"),
			      "--console", rt_path("kmsg"),
			      rt_path("stream1"), rt_path("stream2"),
			      rt_path("stream3"), NULL };

		ret = rt_run(a, NULL, &err);
		CHECK(ret == 0, "build exit %d: %s", ret, err);
		free(err);
	}
	res = rt_results(rt_path("out"));
	if (res) {
		static const struct {
			const char *name, *result;
		} want[] = {
			{ "igt@fake_simple", "pass" },
			{ "igt@fake_subtests@pass", "pass" },
			{ "igt@fake_subtests@fail", "fail" },
			{ "igt@fake_subtests@dyn", "dmesg-fail" },
			{ "igt@fake_subtests@dyn@virtio_gpu-card0", "pass" },
			{ "igt@fake_subtests@dyn@vgem-card1", "dmesg-fail" },
			{ "igt@fake_subtests@hang", "timeout" },
			{ "igt@fake_subtests@segv", "crash" },
			{ "igt@fake_subtests@kmsgwarn", "dmesg-warn" },
			{ "igt@fake_subtests@flood", "crash" },
			{ "igt@fake_subtests@binary", "pass" },
			{ "igt@fake_missing", "fail" },
			{ "igt@fake_nolist", "crash" },
		};

		rt_check_totals(res);
		/* one header per process, every entry names its version */
		CHECK(!strcmp(rt_field(res, "igt@fake_subtests@fail",
					  "igt-version"),
			      "IGT-Version: 2.0-fake (x86_64) (Linux: 6.1.0 "
			      "x86_64)"), "igt-version of a later subtest");
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			CHECK(!strcmp(rt_result_of(res, want[i].name),
				      want[i].result), "%s: %s, want %s",
			      want[i].name, rt_result_of(res, want[i].name),
			      want[i].result);
		json_object_put(res);
	}

	for (int i = 0; i < s1.n; i++)
		json_object_put(s1.rec[i]);
	for (int i = 0; i < s2.n; i++)
		json_object_put(s2.rec[i]);
	for (int i = 0; i < s3.n; i++)
		json_object_put(s3.rec[i]);
	rt_cleanup();
	if (rt_failures)
		fprintf(stderr, "%d check(s) failed\n", rt_failures);
	free((char *)runner);
	free((char *)fake);
	free((char *)results);
	return rt_failures ? 1 : 0;
}
