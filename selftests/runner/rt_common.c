// SPDX-License-Identifier: MIT
/* Small helpers for the runner selftests (no QEMU needed). */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_common.h"
#include "vm_record.h"

int rt_failures;
static char tmpdir[PATH_MAX];

const char *rt_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("TMPDIR");

		snprintf(tmpdir, sizeof(tmpdir), "%s/igt-runner-test.XXXXXX",
			 base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(99);
		}
	}
	return tmpdir;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

void rt_cleanup(void)
{
	const char *keep = getenv("KEEP");

	if (!tmpdir[0])
		return;
	if (keep && *keep == '1') {
		fprintf(stderr, "kept %s\n", tmpdir);
		return;
	}
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *rt_path(const char *name)
{
	char *p;

	/* never freed: a test makes a few dozen */
	if (asprintf(&p, "%s/%s", rt_tmpdir(), name) < 0)
		exit(99);
	return p;
}

void rt_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(99);
	}
}

void rt_writes(const char *path, const char *s)
{
	rt_write(path, s, strlen(s));
}

char *rt_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			char *nbuf;

			cap = (n + 65536 + 1) * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nbuf;
		}
		r = fread(buf + n, 1, 65536, f);
		n += r;
	} while (r);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int rt_run(char *const argv[], char **out, char **err)
{
	static int seq;
	char opath[PATH_MAX], epath[PATH_MAX], name[64];
	int status;
	pid_t pid;

	snprintf(name, sizeof(name), "run%d.out", seq);
	snprintf(opath, sizeof(opath), "%s", rt_path(name));
	snprintf(name, sizeof(name), "run%d.err", seq++);
	snprintf(epath, sizeof(epath), "%s", rt_path(name));

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out)
		*out = rt_read(opath, NULL);
	if (err)
		*err = rt_read(epath, NULL);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

FILE *rt_stream(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(99);
	}
	return f;
}

void rt_emit(FILE *f, json_object *rec)
{
	size_t len;
	char *line = vm_record_line(rec, &len);

	fwrite(line, 1, len, f);
	free(line);
}

static json_object *rec(const char *type)
{
	return vm_record_new(type);
}

void rt_boot(FILE *f, double time)
{
	json_object *r = rec("boot");

	json_object_object_add(r, "uname", json_object_new_string(
		"Linux guest 6.1.0-28-amd64 #1 SMP Debian x86_64"));
	json_object_object_add(r, "release",
			       json_object_new_string("6.1.0-28-amd64"));
	json_object_object_add(r, "cmdline",
			       json_object_new_string("console=ttyS0"));
	json_object_object_add(r, "time", json_object_new_double(time));
	rt_emit(f, r);
}

void rt_list(FILE *f, const char *bin, const char *const *subs, int exit)
{
	json_object *r = rec("list"), *a = json_object_new_array();

	json_object_object_add(r, "test", json_object_new_string(bin));
	for (; subs && *subs; subs++)
		json_object_array_add(a, json_object_new_string(*subs));
	json_object_object_add(r, "subtests", a);
	json_object_object_add(r, "exit", json_object_new_int(exit));
	rt_emit(f, r);
}

void rt_start(FILE *f, const char *bin, const char *sub)
{
	json_object *r = rec("start");

	json_object_object_add(r, "test", json_object_new_string(bin));
	json_object_object_add(r, "subtest", json_object_new_string(sub));
	json_object_object_add(r, "time", json_object_new_double(1000.0));
	rt_emit(f, r);
}

void rt_result(FILE *f, const char *bin, const char *sub, int exit, int sig,
	       bool timeout, const char *out, const char *err,
	       const char *dmesg)
{
	json_object *r = rec("result");

	json_object_object_add(r, "test", json_object_new_string(bin));
	json_object_object_add(r, "subtest", json_object_new_string(sub));
	json_object_object_add(r, "exit", json_object_new_int(exit));
	json_object_object_add(r, "signal", json_object_new_int(sig));
	json_object_object_add(r, "timeout", json_object_new_boolean(timeout));
	json_object_object_add(r, "time", json_object_new_double(0.5));
	json_object_object_add(r, "out", json_object_new_string(out));
	json_object_object_add(r, "err", json_object_new_string(err));
	json_object_object_add(r, "dmesg", json_object_new_string(dmesg));
	json_object_object_add(r, "truncated", json_object_new_boolean(0));
	rt_emit(f, r);
}

void rt_done(FILE *f)
{
	json_object *r = rec("done");

	json_object_object_add(r, "time", json_object_new_double(2000.0));
	rt_emit(f, r);
}

json_object *rt_results(const char *dir)
{
	char path[PATH_MAX];
	json_object *o;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	o = json_object_from_file(path);
	CHECK(o != NULL, "%s does not parse: %s", path,
	      json_util_get_last_err());
	return o;
}

json_object *rt_test(json_object *results, const char *name)
{
	json_object *tests = json_object_object_get(results, "tests");

	return json_object_object_get(tests, name);
}

const char *rt_field(json_object *results, const char *name,
		     const char *field)
{
	json_object *t = rt_test(results, name);
	json_object *v = json_object_object_get(t, field);

	return v ? json_object_get_string(v) : NULL;
}

const char *rt_result_of(json_object *results, const char *name)
{
	const char *r = rt_field(results, name, "result");

	return r ? r : "(absent)";
}

static const char *const counters[] = {
	"crash", "pass", "dmesg-fail", "dmesg-warn", "skip", "incomplete",
	"abort", "timeout", "notrun", "fail", "warn", NULL,
};

void rt_check_totals(json_object *results)
{
	json_object *tests = json_object_object_get(results, "tests");
	json_object *totals = json_object_object_get(results, "totals");
	json_object *all = json_object_object_get(totals, "");
	json_object *root = json_object_object_get(totals, "root");
	int ntests = 0, sum = 0, count[16] = { };

	CHECK(json_object_is_type(tests, json_type_object), "tests");
	CHECK(all && root, "totals \"\" and root");
	if (!tests || !all || !root)
		return;
	CHECK(json_object_get_int(json_object_object_get(results,
							 "results_version"))
	      == 10, "results_version");
	CHECK(!strcmp(json_object_get_string(json_object_object_get(results,
		"__type__")), "TestrunResult"), "__type__");

	json_object_object_foreach(tests, name, t) {
		const char *r = json_object_get_string(
			json_object_object_get(t, "result"));
		char bin[256];
		json_object *tb;

		ntests++;
		CHECK(!strncmp(name, "igt@", 4), "key %s", name);
		snprintf(bin, sizeof(bin), "%s", name);
		if (strchr(bin + 4, '@'))
			*strchr(bin + 4, '@') = '\0';
		tb = json_object_object_get(totals, bin);
		CHECK(tb != NULL, "totals for %s", bin);
		CHECK(json_object_object_get(t, "out") &&
		      json_object_object_get(t, "err") &&
		      json_object_object_get(t, "dmesg") &&
		      json_object_object_get(t, "time"), "fields of %s", name);
		CHECK(r && json_object_object_get(all, r), "result %s of %s",
		      r ? r : "(null)", name);
		for (int i = 0; r && counters[i]; i++)
			if (!strcmp(r, counters[i]))
				count[i]++;
	}
	for (int i = 0; counters[i]; i++) {
		json_object *a = json_object_object_get(all, counters[i]);
		json_object *b = json_object_object_get(root, counters[i]);
		int per_bin = 0;

		CHECK(a && b, "counter %s", counters[i]);
		if (!a || !b)
			continue;
		CHECK(json_object_get_int(a) == json_object_get_int(b),
		      "root %s", counters[i]);
		CHECK(json_object_get_int(a) == count[i], "%s: %d counted, "
		      "%d in tests", counters[i], json_object_get_int(a),
		      count[i]);
		sum += json_object_get_int(a);
		json_object_object_foreach(totals, key, val) {
			if (!strncmp(key, "igt@", 4))
				per_bin += json_object_get_int(
					json_object_object_get(val,
							       counters[i]));
		}
		CHECK(per_bin == json_object_get_int(a),
		      "per-binary %s: %d vs %d", counters[i], per_bin,
		      json_object_get_int(a));
	}
	CHECK(sum == ntests, "totals sum %d, %d tests", sum, ntests);
}
