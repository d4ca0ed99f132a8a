// SPDX-License-Identifier: MIT
/*
 * Huge-entry evidence: fault counts, kprobe hits, and the rule that turns
 * them into a verdict.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "igt_huge.h"
#include "igt_vma.h"

#define PAGE_4K 4096ul

/* --- the rule --- */

enum count_says { COUNT_NOTHING, COUNT_ONE_ENTRY, COUNT_MANY_ENTRIES };

static enum count_says count_says(const struct igt_huge_faults *f,
				  char *why, size_t len)
{
	if (!f->valid) {
		snprintf(why, len, "faults not counted");
		return COUNT_NOTHING;
	}
	if (f->first < 1) {
		snprintf(why, len,
			 "the first read took no fault: the range was mapped before it");
		return COUNT_NOTHING;
	}
	if (f->rest_pages < 1) {
		snprintf(why, len, "no other page was read");
		return COUNT_NOTHING;
	}
	if (f->rest == 0) {
		snprintf(why, len,
			 "%ld fault(s) for the first read, 0 over the other %ld pages",
			 f->first, f->rest_pages);
		return COUNT_ONE_ENTRY;
	}
	if (f->rest >= f->rest_pages)
		snprintf(why, len,
			 "%ld fault(s) for the first read, %ld over the other %ld pages (one per page)",
			 f->first, f->rest, f->rest_pages);
	else
		snprintf(why, len,
			 "%ld fault(s) for the first read, %ld over the other %ld pages (about %ld pages per fault)",
			 f->first, f->rest, f->rest_pages,
			 (f->rest_pages + f->rest / 2) / f->rest);
	return COUNT_MANY_ENTRIES;
}

static void insert_says(const struct igt_huge_evidence *ev, char *buf,
			size_t len)
{
	const struct igt_huge_hits *h = &ev->hits;

	if (ev->smaps_valid && ev->smaps_pmd_kb >= (long)(IGT_HUGE_PMD_SIZE >> 10)) {
		snprintf(buf, len,
			 "smaps shows %ld kB more PMD-mapped (a page-backed PMD, no VM_PFNMAP)",
			 ev->smaps_pmd_kb);
		return;
	}
	if (!ev->traced) {
		snprintf(buf, len, "no kprobes on the insert functions%s",
			 ev->smaps_valid ? ", smaps shows no PMD-mapped page" :
			 "");
		return;
	}
	if (h->setpmd_ok && !h->pmd_nopage && !h->pud_nopage) {
		snprintf(buf, len,
			 "do_set_pmd mapped a page-cache THP %d time(s) (no PFN insert)",
			 h->setpmd_ok);
		return;
	}
	if (h->pmd_nopage || h->pud_nopage) {
		snprintf(buf, len,
			 "vmf_insert_pfn_pmd returned VM_FAULT_NOPAGE %d time(s), vmf_insert_pfn_pud %d%s%s%s",
			 h->pmd_nopage, h->pud_nopage,
			 h->caller[0] ? " (called from " : "", h->caller,
			 h->caller[0] ? ")" : "");
		return;
	}
	if (h->pmd_calls || h->pud_calls || h->pmd_other || h->pud_other) {
		snprintf(buf, len,
			 "vmf_insert_pfn_pmd/_pud called %d time(s), none returned VM_FAULT_NOPAGE (last 0x%lx%s)",
			 h->pmd_calls + h->pud_calls, h->other_ret,
			 h->other_ret == IGT_VM_FAULT_FALLBACK ?
			 ": VM_FAULT_FALLBACK" : "");
		return;
	}
	snprintf(buf, len, "no vmf_insert_pfn_pmd/_pud call");
}

enum igt_huge_verdict igt_huge_decide(const struct igt_huge_evidence *ev,
				      char *why, size_t why_len)
{
	bool inserted = (ev->traced &&
			 (ev->hits.pmd_nopage || ev->hits.pud_nopage ||
			  ev->hits.setpmd_ok)) ||
			(ev->smaps_valid &&
			 ev->smaps_pmd_kb >= (long)(IGT_HUGE_PMD_SIZE >> 10));
	/* could anything have seen an insert? */
	bool seeing = ev->traced || ev->smaps_valid;
	char counts[160], inserts[160];
	enum igt_huge_verdict v;
	const char *what;

	switch (count_says(&ev->faults, counts, sizeof(counts))) {
	case COUNT_ONE_ENTRY:
		if (inserted || !seeing) {
			v = IGT_HUGE_YES;
			what = "one entry maps the 2 MiB";
		} else {
			v = IGT_HUGE_UNKNOWN;
			what = "one entry by the fault count, but no huge insert succeeded";
		}
		break;
	case COUNT_MANY_ENTRIES:
		if (inserted) {
			v = IGT_HUGE_UNKNOWN;
			what = "a huge insert succeeded, yet the other pages faulted: the entry did not stay";
		} else {
			v = IGT_HUGE_NO;
			what = "base-page entries";
		}
		break;
	default:
		v = IGT_HUGE_UNKNOWN;
		what = "the fault count cannot tell";
		break;
	}
	insert_says(ev, inserts, sizeof(inserts));
	snprintf(why, why_len, "%s: %s; %s", what, counts, inserts);
	return v;
}

const char *igt_huge_verdict_name(enum igt_huge_verdict v)
{
	switch (v) {
	case IGT_HUGE_YES:
		return "huge";
	case IGT_HUGE_NO:
		return "not huge";
	default:
		return "unknown";
	}
}

/* --- trace text --- */

/*
 * "  comm-PID   [CPU] flags  TIME: EVENT: (SYM+off/size) ..." with an
 * optional "(TGID)" before "[CPU]"; comm may hold '-' and spaces.
 */
static int line_pid(const char *line, const char *end)
{
	const char *p = line, *digits_end;
	long pid;

	/* the CPU bracket: the first '[' followed by digits */
	while (p < end) {
		p = memchr(p, '[', end - p);
		if (!p || p + 1 >= end)
			return -1;
		if (p[1] >= '0' && p[1] <= '9')
			break;
		p++;
	}
	if (!p || p >= end)
		return -1;
	p--;
	while (p > line && *p == ' ')
		p--;
	if (*p == ')') {	/* "(  TGID)" */
		while (p > line && *p != '(')
			p--;
		p--;
		while (p > line && *p == ' ')
			p--;
	}
	digits_end = p + 1;
	while (p > line && *p >= '0' && *p <= '9')
		p--;
	if (*p != '-' || p + 1 == digits_end)
		return -1;
	pid = strtol(p + 1, NULL, 10);
	return (int)pid;
}

static const char *find_in(const char *line, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (const char *p = line; p + n <= end; p++)
		if (!memcmp(p, s, n))
			return p;
	return NULL;
}

static unsigned long ret_of(const char *line, const char *end)
{
	const char *p = find_in(line, end, " ret=");

	return p ? strtoul(p + 5, NULL, 0) : 0;
}

static void caller_of(const char *ev, const char *end, char *buf, size_t len)
{
	const char *p = find_in(ev, end, "(");
	size_t n = 0;

	if (!p)
		return;
	p++;
	while (p + n < end && p[n] != '+' && p[n] != ' ' && p[n] != ')')
		n++;
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

void igt_huge_parse_trace(const char *text, int pid,
			  struct igt_huge_hits *hits)
{
	const char *line = text;

	memset(hits, 0, sizeof(*hits));
	while (line && *line) {
		const char *end = strchr(line, '\n'), *ev;
		unsigned long ret;

		if (!end)
			end = line + strlen(line);
		if (*line == '#')
			goto next;
		if (!find_in(line, end, ": ("))
			goto next;
		if (line_pid(line, end) != pid) {
			hits->foreign++;
			goto next;
		}
		if ((ev = find_in(line, end, " pmd_ret: "))) {
			ret = ret_of(line, end);
			if (ret == IGT_VM_FAULT_NOPAGE) {
				hits->pmd_nopage++;
				if (!hits->caller[0])
					caller_of(ev, end, hits->caller,
						  sizeof(hits->caller));
			} else {
				hits->pmd_other++;
				hits->other_ret = ret;
			}
		} else if ((ev = find_in(line, end, " pud_ret: "))) {
			ret = ret_of(line, end);
			if (ret == IGT_VM_FAULT_NOPAGE) {
				hits->pud_nopage++;
				if (!hits->caller[0])
					caller_of(ev, end, hits->caller,
						  sizeof(hits->caller));
			} else {
				hits->pud_other++;
				hits->other_ret = ret;
			}
		} else if (find_in(line, end, " setpmd_ret: ")) {
			if (ret_of(line, end) == 0)
				hits->setpmd_ok++;
		} else if (find_in(line, end, " setpmd: ")) {
			hits->setpmd_calls++;
		} else if (find_in(line, end, " pmd: ")) {
			hits->pmd_calls++;
		} else if (find_in(line, end, " pud: ")) {
			hits->pud_calls++;
		} else if (find_in(line, end, " gup_fast: ")) {
			hits->gup_fast++;
		} else if (find_in(line, end, " gup_slow: ")) {
			hits->gup_slow++;
		}
next:
		line = *end ? end + 1 : NULL;
	}
}

/* --- the kprobes --- */

/*
 * Functions the kernel renamed: the newest name first, with the release
 * that brought it. A kprobe on a name the kernel lacks costs a walk of
 * every symbol, vmlinux's and each module's (kallsyms_lookup_name() is
 * linear before 6.2), several times over: an older kernel tries its own
 * name first. Both names are always tried, for backports.
 */
struct renamed_syms {
	int major, minor;
	const char *syms[3];
};

/*
 * The _prot variants, with inline wrappers of the plain names: from 5.8,
 * still in 6.2 (Debian's 6.1 probes them), gone by 6.5.
 */
static const struct renamed_syms pmd_syms = {
	6, 3, { "vmf_insert_pfn_pmd", "vmf_insert_pfn_pmd_prot", NULL },
};
static const struct renamed_syms pud_syms = {
	6, 3, { "vmf_insert_pfn_pud", "vmf_insert_pfn_pud_prot", NULL },
};
/* the GUP-fast entry: 6.9+, then 5.x-6.8 */
static const struct renamed_syms fast_syms = {
	6, 9, { "gup_fast_fallback", "internal_get_user_pages_fast", NULL },
};
static const char *const slow_syms[] = { "__get_user_pages", NULL };
/* maps a page-cache THP with a PMD (static before 5.16: may be inlined) */
static const char *const setpmd_syms[] = { "do_set_pmd", NULL };

static bool release_older_than(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

static int add_renamed(struct igt_kprobe_set *ks, const char *name, bool ret,
		       const struct renamed_syms *r)
{
	const char *order[3] = { r->syms[0], r->syms[1], NULL };

	if (release_older_than(r->major, r->minor)) {
		order[0] = r->syms[1];
		order[1] = r->syms[0];
	}
	return igt_kprobe_add(ks, name, ret, order);
}

int igt_huge_trace_open(struct igt_huge_trace *t)
{
	int r;

	memset(t, 0, sizeof(*t));
	r = igt_kprobe_open(&t->ks, "huge", t->why, sizeof(t->why));
	if (r)
		return r;
	if (add_renamed(&t->ks, "pmd", false, &pmd_syms) < 0 ||
	    add_renamed(&t->ks, "pmd_ret", true, &pmd_syms) < 0) {
		snprintf(t->why, sizeof(t->why),
			 "no kprobe on vmf_insert_pfn_pmd(_prot): not in this kernel");
		igt_kprobe_close(&t->ks);
		return -ENOENT;
	}
	/* PUD inserts need CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD */
	if (add_renamed(&t->ks, "pud", false, &pud_syms) >= 0)
		add_renamed(&t->ks, "pud_ret", true, &pud_syms);
	t->setpmd = igt_kprobe_add(&t->ks, "setpmd", false, setpmd_syms) >= 0 &&
		    igt_kprobe_add(&t->ks, "setpmd_ret", true, setpmd_syms) >= 0;
	t->live = true;
	t->gup = add_renamed(&t->ks, "gup_fast", false, &fast_syms) >= 0 &&
		 igt_kprobe_add(&t->ks, "gup_slow", false, slow_syms) >= 0;
	snprintf(t->why, sizeof(t->why), "kprobes on %s%s%s%s%s%s%s%s",
		 igt_kprobe_symbol(&t->ks, "pmd"),
		 igt_kprobe_symbol(&t->ks, "pud") ? ", " : "",
		 igt_kprobe_symbol(&t->ks, "pud") ?
		 igt_kprobe_symbol(&t->ks, "pud") : "",
		 t->setpmd ? ", do_set_pmd" : " (do_set_pmd not probed)",
		 t->gup ? ", " : " (no GUP fast/slow kprobes)",
		 t->gup ? igt_kprobe_symbol(&t->ks, "gup_fast") : "",
		 t->gup ? " (GUP-fast), " : "",
		 t->gup ? igt_kprobe_symbol(&t->ks, "gup_slow") : "");
	return 0;
}

void igt_huge_trace_begin(struct igt_huge_trace *t)
{
	if (t && t->live)
		igt_kprobe_clear(&t->ks);
}

static char trace_text[256 << 10];

void igt_huge_trace_end(struct igt_huge_trace *t, struct igt_huge_hits *h)
{
	memset(h, 0, sizeof(*h));
	trace_text[0] = '\0';
	if (!t || !t->live)
		return;
	if (igt_kprobe_read(&t->ks, trace_text, sizeof(trace_text)) < 0)
		return;
	igt_huge_parse_trace(trace_text, (int)getpid(), h);
}

const char *igt_huge_trace_text(void)
{
	return trace_text;
}

void igt_huge_trace_close(struct igt_huge_trace *t)
{
	igt_kprobe_close(&t->ks);
	t->live = t->gup = t->setpmd = false;
}

/* --- fault counts --- */

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return -1;
	return ru.ru_minflt;
}

/*
 * Not instrumented: ASan would check (and so fault in) the shadow of
 * every page read, and those faults would be counted as the mapping's.
 */
__attribute__((no_sanitize_address))
void igt_huge_count_faults(const void *addr, size_t len,
			   struct igt_huge_faults *f)
{
	const volatile uint8_t *p = addr;
	long a, b, c;

	memset(f, 0, sizeof(*f));
	a = minflt();
	(void)p[0];
	b = minflt();
	for (size_t off = PAGE_4K; off < len; off += PAGE_4K)
		(void)p[off];
	c = minflt();
	if (a < 0 || b < 0 || c < 0)
		return;
	f->valid = true;
	f->first = b - a;
	f->rest = c - b;
	f->rest_pages = (long)(len / PAGE_4K) - 1;
}

/* smaps' page-backed PMD counters of the VMA, or -1 where it cannot see */
static long smaps_pmd_kb(const void *addr)
{
	struct igt_vma_info vma;

	if (igt_vma_lookup(addr, &vma) || igt_vma_has(&vma, IGT_VMA_PF) ||
	    igt_vma_has(&vma, IGT_VMA_IO))
		return -1;
	return (long)(vma.anon_huge_kb + vma.shmem_pmd_kb + vma.file_pmd_kb);
}

enum igt_huge_verdict igt_huge_examine(struct igt_huge_trace *t,
				       const void *addr,
				       struct igt_huge_evidence *ev,
				       char *why, size_t why_len)
{
	long before, after;

	memset(ev, 0, sizeof(*ev));
	ev->traced = t && t->live;
	ev->setpmd_traced = ev->traced && t->setpmd;
	before = smaps_pmd_kb(addr);
	igt_huge_trace_begin(t);
	igt_huge_count_faults(addr, IGT_HUGE_PMD_SIZE, &ev->faults);
	igt_huge_trace_end(t, &ev->hits);
	after = smaps_pmd_kb(addr);
	ev->smaps_valid = before >= 0 && after >= 0;
	ev->smaps_pmd_kb = ev->smaps_valid ? after - before : 0;
	return igt_huge_decide(ev, why, why_len);
}

void igt_huge_evidence_str(const struct igt_huge_evidence *ev, char *buf,
			   size_t len)
{
	const struct igt_huge_faults *f = &ev->faults;
	const struct igt_huge_hits *h = &ev->hits;
	char setpmd[64] = "do_set_pmd not probed";
	int n;

	if (f->valid)
		n = snprintf(buf, len, "faults: first read %ld, other %ld pages %ld",
			     f->first, f->rest_pages, f->rest);
	else
		n = snprintf(buf, len, "faults: not counted");
	if (n < 0 || (size_t)n >= len)
		return;
	if (ev->setpmd_traced)
		snprintf(setpmd, sizeof(setpmd), "do_set_pmd %d call(s), %d mapped",
			 h->setpmd_calls, h->setpmd_ok);
	if (ev->smaps_valid) {
		n += snprintf(buf + n, len - n, "; smaps PMD-mapped +%ld kB",
			      ev->smaps_pmd_kb);
		if ((size_t)n >= len)
			return;
	}
	if (!ev->traced)
		snprintf(buf + n, len - n, "; kprobes: none");
	else
		snprintf(buf + n, len - n,
			 "; kprobes: vmf_insert_pfn_pmd %d call(s), %d NOPAGE, %d other; _pud %d call(s), %d NOPAGE, %d other; %s%s%s",
			 h->pmd_calls, h->pmd_nopage, h->pmd_other,
			 h->pud_calls, h->pud_nopage, h->pud_other,
			 setpmd, h->caller[0] ? "; caller " : "", h->caller);
}
