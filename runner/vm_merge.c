// SPDX-License-Identifier: MIT
/*
 * igt_vm_results merge: one matrix from kernels run anywhere. Each RUN is
 * a results folder of vm/igt-vm-matrix (one sub-folder per kernel) or a
 * kernel's folder itself; a CI job per kernel hands its folder over as an
 * artifact. The kernels are gathered under --out (copied when they are
 * elsewhere), ordered as the kernel set lists them, and given to the
 * matrix as one run would give them, so that a run split over N machines
 * prints the same matrix, and checks it against the same expectations,
 * as the run on one machine. vm/igt-vm-matrix ends with this command too.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_util.h"

extern char **environ;

struct kdir {
	char *label;		/* the folder's name: the kernel set's label */
	char *src;		/* where it was found */
	int order;		/* position in the kernel set, or INT_MAX */
};

static bool has_results(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int add_kdir(struct kdir **k, size_t *n, const char *dir)
{
	char *copy = xstrdup(dir), *label;
	size_t len = strlen(copy);

	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	label = basename(copy);
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*k)[i].label, label)) {
			fprintf(stderr, "igt_vm_results merge: kernel %s is "
				"in both %s and %s: merge one of them\n",
				label, (*k)[i].src, copy);
			free(copy);
			return -1;
		}
	}
	*k = xrealloc(*k, (*n + 1) * sizeof(**k));
	(*k)[*n].label = xstrdup(label);
	(*k)[*n].src = xstrdup(copy);
	(*k)[*n].order = INT_MAX;
	(*n)++;
	free(copy);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* RUN itself, or each of its sub-folders that holds a results.json */
static int collect(const char *run, struct kdir **k, size_t *n)
{
	struct dirent *de;
	char **names = NULL;
	size_t nn = 0;
	int found = 0, ret = 0;
	DIR *d;

	if (has_results(run))
		return add_kdir(k, n, run);
	d = opendir(run);
	if (!d) {
		fprintf(stderr, "igt_vm_results merge: %s: %s\n", run,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (nn + 1) * sizeof(*names));
		names[nn++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nn > 1)
		qsort(names, nn, sizeof(*names), name_cmp);
	for (size_t i = 0; i < nn; i++) {
		char *sub;

		if (asprintf(&sub, "%s/%s", run, names[i]) < 0)
			die("out of memory");
		if (!ret && has_results(sub)) {
			found++;
			if (add_kdir(k, n, sub))
				ret = -1;
		}
		free(sub);
		free(names[i]);
	}
	free(names);
	if (!ret && !found) {
		fprintf(stderr, "igt_vm_results merge: %s holds no kernel's "
			"results (no results.json in it or its folders)\n",
			run);
		ret = -1;
	}
	return ret;
}

/* the kernel set's labels, in its order (vm/kernels.conf) */
static int read_order(const char *config, struct kdir *k, size_t n)
{
	char *text = read_file(config, NULL), *line, *next;
	int pos = 0;

	if (!text) {
		fprintf(stderr, "igt_vm_results merge: %s: %s\n", config,
			strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char label[128];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[strspn(line, " \t")] == '#' ||
		    sscanf(line, "%127s", label) != 1)
			continue;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(k[i].label, label))
				k[i].order = pos;
		pos++;
	}
	free(text);
	return 0;
}

static int kdir_cmp(const void *a, const void *b)
{
	const struct kdir *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strverscmp(x->label, y->label);
}

static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* cp -a SRC DST: the kernel's whole folder, boots and logs included */
static int copy_tree(const char *src, const char *dst)
{
	char *argv[] = { "cp", "-a", "--", (char *)src, (char *)dst, NULL };
	int status;
	pid_t pid;

	if (posix_spawnp(&pid, "cp", NULL, NULL, argv, environ))
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static void merge_usage(FILE *f)
{
	fputs("usage: igt_vm_results merge --out DIR [--config FILE] "
	      "[--html FILE] [--expect FILE]\n"
	      "                            [--verbose] RUN...\n"
	      "  RUN: a results folder of vm/igt-vm-matrix (a folder per "
	      "kernel) or a\n"
	      "       kernel's folder (its results.json); one kernel may "
	      "come from one RUN only\n"
	      "  --out: where the kernels' folders are gathered (copied "
	      "unless already there)\n"
	      "  --config: the kernel set, whose order the columns follow "
	      "(default: version order)\n"
	      "  --html, --expect, --verbose: as for igt_vm_results matrix; "
	      "the matrix goes to stdout\n", f);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "html", required_argument, NULL, 'H' },
		{ "expect", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *out = NULL, *config = NULL;
	char **margv;
	int margc = 0, c, ret = 0, nruns, first_kernel;
	struct kdir *k = NULL;
	size_t n = 0;

	/* matrix gets the options it knows, then the kernels */
	margv = xmalloc((2 * argc + 2) * sizeof(*margv));
	margv[margc++] = "matrix";
	optind = 1;
	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'H':
			margv[margc++] = "--html";
			margv[margc++] = optarg;
			break;
		case 'e':
			margv[margc++] = "--expect";
			margv[margc++] = optarg;
			break;
		case 'v':
			margv[margc++] = "--verbose";
			break;
		case 'h':
			merge_usage(stdout);
			free(margv);
			return 0;
		default:
			merge_usage(stderr);
			free(margv);
			return 2;
		}
	}
	nruns = argc - optind;
	if (!out || nruns < 1) {
		merge_usage(stderr);
		free(margv);
		return 2;
	}
	for (int i = optind; i < argc && !ret; i++)
		if (collect(argv[i], &k, &n))
			ret = 2;
	if (!ret && config && read_order(config, k, n))
		ret = 2;
	if (!ret && mkdir_p(out)) {
		fprintf(stderr, "igt_vm_results merge: %s: %s\n", out,
			strerror(errno));
		ret = 2;
	}
	if (!ret && n > 1)
		qsort(k, n, sizeof(*k), kdir_cmp);

	margv = xrealloc(margv, (margc + n + 1) * sizeof(*margv));
	first_kernel = margc;
	for (size_t i = 0; i < n && !ret; i++) {
		char *dst, *src_parent = xstrdup(k[i].src);

		if (asprintf(&dst, "%s/%s", out, k[i].label) < 0)
			die("out of memory");
		if (!same_dir(dirname(src_parent), out)) {
			struct stat st;

			/* never over another kernel's results */
			if (!stat(dst, &st)) {
				fprintf(stderr, "igt_vm_results merge: %s "
					"exists: not copying %s over it\n",
					dst, k[i].src);
				ret = 2;
			} else if (copy_tree(k[i].src, dst)) {
				fprintf(stderr, "igt_vm_results merge: cannot "
					"copy %s to %s\n", k[i].src, dst);
				ret = 2;
			}
		}
		free(src_parent);
		margv[margc++] = dst;
	}
	margv[margc] = NULL;
	if (!ret) {
		fflush(stdout);
		ret = cmd_matrix(margc, margv);
	}
	/* the kernels' paths are ours; the options point into argv */
	for (int i = first_kernel; i < margc; i++)
		free(margv[i]);
	for (size_t i = 0; i < n; i++) {
		free(k[i].label);
		free(k[i].src);
	}
	free(k);
	free(margv);
	return ret;
}
