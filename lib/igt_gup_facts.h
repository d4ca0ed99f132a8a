/* SPDX-License-Identifier: MIT */
/*
 * The facts line: what one subtest (or dynamic subtest) checked and found,
 * as data, on one line of its output:
 *
 *	igt-gup-facts: {"test":"gem_mmap_gup","kind":"path","path":"dumb",
 *	 "check":"futex","device":"card0","driver":"virtio_gpu",...}
 *
 * igt_runner keeps it verbatim in the entry's "out"; the host tools
 * (runner/) read a cell's coordinates and evidence from it, never from
 * the subtest's name or its prose. A subtest prints its subject when it
 * starts (igt_gup_facts_subject()); the mapping checker's conclude step
 * prints the whole line again with the verdict and the evidence. A later
 * line of an entry replaces the keys of an earlier one.
 *
 * The one writer is igt_gup_facts_format() (lib/igt_gup_check.c); this
 * header is the format, for the writer and the readers alike.
 */
#ifndef IGT_GUP_FACTS_H
#define IGT_GUP_FACTS_H

#include <stddef.h>

/* The line prefix, at the start of a line of the test's output. */
#define IGT_GUP_FACTS_TAG "igt-gup-facts: "

/* The keys of the JSON object that follows the tag. */
#define IGT_GUP_FACT_TEST	"test"		/* the binary */
#define IGT_GUP_FACT_KIND	"kind"		/* IGT_GUP_KIND_* */
#define IGT_GUP_FACT_PATH	"path"		/* mmap path or TTM placement */
#define IGT_GUP_FACT_CHECK	"check"		/* probe or check name */
#define IGT_GUP_FACT_DEVICE	"device"	/* "card0" */
#define IGT_GUP_FACT_DRIVER	"driver"	/* DRM driver: "virtio_gpu" */
#define IGT_GUP_FACT_MODULE	"module"	/* kernel module: "bochs" */
#define IGT_GUP_FACT_VERDICT	"verdict"	/* igt_gup_verdict_name() */
#define IGT_GUP_FACT_RULE	"rule"		/* why the checker decided */
#define IGT_GUP_FACT_HUGE	"huge"		/* huge-entry evidence */
#define IGT_GUP_FACT_MAPPINGS	"mappings"	/* array of objects: */
#define IGT_GUP_FACT_MAP_KIB	"kib"
#define IGT_GUP_FACT_MAP_VMFLAGS "vmflags"
#define IGT_GUP_FACT_MAP_PFNMAP	"pfnmap"	/* bool */
#define IGT_GUP_FACT_PROBES	"probes"	/* array of objects: */
#define IGT_GUP_FACT_P_PROBE	"probe"
#define IGT_GUP_FACT_P_MAPPING	"mapping"	/* index in mappings */
#define IGT_GUP_FACT_P_OFFSET	"offset"	/* bytes into the mapping */
#define IGT_GUP_FACT_P_OUTCOME	"outcome"	/* PINNED, REFUSED, ... */
#define IGT_GUP_FACT_NOT_RUN	"NOT RUN"	/* reason: its calibration */
#define IGT_GUP_FACT_P_ERRNO	"errno"		/* name, "" for none */
#define IGT_GUP_FACT_P_BYTES	"bytes"		/* -1 where none apply */
#define IGT_GUP_FACT_P_REASON	"reason"
#define IGT_GUP_FACT_PROBES_LEFT_OUT "probes_left_out" /* did not fit */

/* What a subtest is about: the row of the report. */
#define IGT_GUP_KIND_PATH	"path"		/* gem_mmap_gup's mmap paths */
#define IGT_GUP_KIND_PLACEMENT	"placement"	/* drm_ttm_pfnmap's */
#define IGT_GUP_KIND_PROBE	"probe"		/* probe-calibration */

/* The check of a huge mapping: the host shows it as a row PATH-huge. */
#define IGT_GUP_CHECK_HUGE	"huge"

struct igt_gup_check;

struct igt_gup_subject {
	const char *kind;	/* IGT_GUP_KIND_* */
	const char *path;	/* path, placement, or subtest */
	const char *check;	/* probe or check; for KIND_PROBE the probe */
	const char *device;	/* NULL: no device (before one is chosen) */
	const char *driver;
	const char *module;
};

/*
 * Writes the facts line (tag, JSON, no newline) into buf: the subject,
 * and with @c the checker's verdict, rule and evidence, and @huge where
 * huge entries were looked for. Cut at @len without breaking the JSON's
 * shape: outcomes that do not fit are left out and counted. Returns buf.
 */
char *igt_gup_facts_format(char *buf, size_t len, const char *test,
			   const struct igt_gup_subject *s,
			   const struct igt_gup_check *c, const char *huge);

/* lib/igt_gup_check_igt.c: the running subtest's subject, printed once
 * and remembered for igt_gup_check_conclude()'s facts line. */
void igt_gup_facts_subject(const struct igt_gup_subject *s);
/* huge-entry evidence of the running subtest, for its facts line */
void igt_gup_facts_huge(const char *evidence);

#endif /* IGT_GUP_FACTS_H */
