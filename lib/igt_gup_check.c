// SPDX-License-Identifier: MIT
/*
 * The mapping checker (rules in igt_gup_check.h): runs the calibrated
 * probes on pages of a mapping, records each outcome, watches the kernel
 * log, and decides from the records alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "igt_gup_check.h"
#include "igt_gup_facts.h"
#include "igt_vma.h"

#define PAGE_4K 4096ul

void igt_gup_appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

uint32_t igt_gup_check_fast_probes(void)
{
	uint32_t mask = 0;

	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
		if (igt_gup_probes[p].is_gup && igt_gup_probes[p].fast)
			mask |= IGT_GUP_CHECK_PROBE(p);
	return mask;
}

void igt_gup_check_init(struct igt_gup_check *c, enum igt_gup_owner owner)
{
	memset(c, 0, sizeof(*c));
	c->owner = owner;
	c->proof_probes = igt_gup_check_fast_probes();
	c->watch.fd = -1;
	c->verdict = IGT_GUP_VERDICT_INCONCLUSIVE;
}

void igt_gup_check_begin(struct igt_gup_check *c, enum igt_gup_owner owner)
{
	igt_gup_check_init(c, owner);
	c->kmsg_err = igt_kmsg_watch_begin(&c->watch);
	c->watch.bugs_only = true;
}

int igt_gup_check_note_vma(struct igt_gup_check *c, size_t len,
			   const char *vmflags)
{
	struct igt_gup_check_map *m;
	uint64_t flags = 0;

	if (c->num_maps == IGT_GUP_CHECK_MAX_MAPPINGS)
		return c->num_maps - 1;	/* the last one stands for the rest */
	m = &c->maps[c->num_maps];
	m->len = len;
	snprintf(m->vmflags, sizeof(m->vmflags), "%s", vmflags ? vmflags : "");
	igt_vma_parse_flags(m->vmflags, &flags);
	m->pfnmap = flags & IGT_VMA_PF;
	m->io = flags & IGT_VMA_IO;
	return c->num_maps++;
}

void igt_gup_check_record(struct igt_gup_check *c, int mapping,
			  size_t offset, enum igt_gup_probe_id probe,
			  enum igt_gup_cal_state cal,
			  const struct igt_gup_result *res)
{
	struct igt_gup_outcome *o;

	if (c->num_out == IGT_GUP_CHECK_MAX_OUTCOMES) {
		c->lost++;
		if (cal == IGT_GUP_CAL_OK && res &&
		    res->status == IGT_GUP_PINNED && igt_gup_probes[probe].is_gup)
			c->lost_pins++;
		return;
	}
	o = &c->out[c->num_out++];
	memset(o, 0, sizeof(*o));
	o->probe = probe;
	o->mapping = mapping;
	o->offset = offset;
	o->cal = cal;
	o->ran = cal == IGT_GUP_CAL_OK && res;
	if (res)
		o->res = *res;
	else
		o->res.bytes = -1;
}

int igt_gup_check_mapping(struct igt_gup_check *c,
			  const struct igt_gup_calibration *cal,
			  void *addr, size_t len, const size_t *offsets,
			  int num_offsets, uint32_t probes)
{
	struct igt_vma_info vma;

	if (len < PAGE_4K)
		return -EINVAL;
	if (igt_vma_lookup(addr, &vma))
		return -ENOENT;
	return igt_gup_check_mapping_vma(c, cal, addr, len, &vma, offsets,
					 num_offsets, probes);
}

int igt_gup_check_mapping_vma(struct igt_gup_check *c,
			      const struct igt_gup_calibration *cal,
			      void *addr, size_t len,
			      const struct igt_vma_info *vma,
			      const size_t *offsets, int num_offsets,
			      uint32_t probes)
{
	size_t dflt[3] = { 0, (len / 2) & ~(PAGE_4K - 1), len - PAGE_4K };
	int map, ran = 0;

	if (len < PAGE_4K)
		return -EINVAL;
	if ((uintptr_t)addr < vma->start || (uintptr_t)addr >= vma->end)
		return -ENOENT;
	if (!offsets) {
		offsets = dflt;
		num_offsets = 3;
	}
	for (int i = 0; i < num_offsets; i++)
		if (offsets[i] > len - PAGE_4K)
			return -EINVAL;
	map = igt_gup_check_note_vma(c, len, vma->vmflags);
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		const struct igt_gup_probe *probe = &igt_gup_probes[p];

		if (!(probes & IGT_GUP_CHECK_PROBE(p)))
			continue;
		if (!cal->calibrated[p]) {
			/* once per mapping: the reason is the calibration's */
			igt_gup_check_record(c, map, 0, p, cal->state[p], NULL);
			continue;
		}
		for (int i = 0; i < num_offsets; i++) {
			struct igt_gup_result res;

			/* the same page twice says nothing new */
			if (i && offsets[i] == offsets[i - 1])
				continue;
			igt_gup_run(probe, (char *)addr + offsets[i], PAGE_4K,
				    vma->flags & IGT_VMA_WR, &res);
			igt_gup_check_record(c, map, offsets[i], p,
					     IGT_GUP_CAL_OK, &res);
			ran++;
		}
	}
	return ran;
}

enum igt_gup_verdict igt_gup_check_end(struct igt_gup_check *c)
{
	if (!c->kmsg_err) {
		int r = igt_kmsg_watch_end(&c->watch, c->kmsg_report,
					   sizeof(c->kmsg_report));

		if (r < 0)
			c->kmsg_err = r;
		else
			c->kmsg_warnings = r;
	}
	return igt_gup_check_verdict(c);
}

const char *igt_gup_verdict_name(enum igt_gup_verdict v)
{
	switch (v) {
	case IGT_GUP_VERDICT_PASS:
		return "pass";
	case IGT_GUP_VERDICT_FAIL:
		return "fail";
	case IGT_GUP_VERDICT_FLAGS_ONLY:
		return "flags-only";
	case IGT_GUP_VERDICT_NOT_APPLICABLE:
		return "not-applicable";
	default:
		return "inconclusive";
	}
}

/*
 * A refusal that proves what the check asks: one by a probe of
 * proof_probes that would have seen a pin (never futex's EFAULT; for
 * MADV_POPULATE only EINVAL, the VMA-flag refusal).
 */
static bool is_proof(const struct igt_gup_check *c,
		     const struct igt_gup_outcome *o)
{
	const struct igt_gup_probe *probe = &igt_gup_probes[o->probe];

	if (!o->ran || o->res.status != IGT_GUP_REFUSED ||
	    !(c->proof_probes & IGT_GUP_CHECK_PROBE(o->probe)))
		return false;
	if (!probe->is_gup)
		return o->res.err == EINVAL;
	return !probe->blind_unmapped;
}

static void where(const struct igt_gup_check *c,
		  const struct igt_gup_outcome *o, char *buf, size_t len)
{
	const struct igt_gup_check_map *m = &c->maps[o->mapping];

	snprintf(buf, len, "+0x%zx of %zu KiB", o->offset, m->len >> 10);
}

/* Probe names in @mask, comma-separated, for the reasons. */
static void names(uint32_t mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
		if (mask & IGT_GUP_CHECK_PROBE(p))
			igt_gup_appendf(buf, len, "%s%s", buf[0] ? ", " : "",
				igt_gup_probes[p].name);
}

/* Why the probes that could prove a refusal did not. */
static void no_proof_why(const struct igt_gup_check *c, char *buf, size_t len)
{
	uint32_t said = 0;

	for (int i = 0; i < c->num_out; i++) {
		const struct igt_gup_outcome *o = &c->out[i];
		const struct igt_gup_probe *probe = &igt_gup_probes[o->probe];
		uint32_t bit = IGT_GUP_CHECK_PROBE(o->probe);

		if (said & bit)
			continue;
		if (!o->ran) {
			igt_gup_appendf(buf, len, "%s%s: %s", buf[0] ? "; " : "",
				probe->name, igt_gup_cal_state_name(o->cal));
			said |= bit;
		} else if (o->res.status == IGT_GUP_UNAVAILABLE) {
			igt_gup_appendf(buf, len, "%s%s: %s", buf[0] ? "; " : "",
				probe->name, o->res.reason);
			said |= bit;
		} else if (o->res.status == IGT_GUP_REFUSED &&
			   !is_proof(c, o)) {
			igt_gup_appendf(buf, len, "%s%s refused, but %s",
				buf[0] ? "; " : "", probe->name,
				probe->blind_unmapped ?
				"it cannot see a pin of a page without ->mapping" :
				!probe->is_gup ? "populating takes no reference" :
				"as slow GUP it reads the VMA flags");
			said |= bit;
		}
	}
	if (!said)
		igt_gup_appendf(buf, len, "no GUP probe ran");
}

enum igt_gup_verdict igt_gup_check_verdict(struct igt_gup_check *c)
{
	uint32_t proof = 0, pinners = 0;
	char list[256], reason[768] = "";
	bool all_pf = c->num_maps > 0;

	c->pinned = c->refused = c->refused_proof = 0;
	c->unavailable = c->informational = 0;
	c->why[0] = '\0';

	for (int m = 0; m < c->num_maps; m++)
		all_pf &= c->maps[m].pfnmap;

	for (int i = 0; i < c->num_out; i++) {
		const struct igt_gup_outcome *o = &c->out[i];
		const struct igt_gup_probe *probe = &igt_gup_probes[o->probe];
		char at[64];

		if (!o->ran) {
			c->unavailable++;
			continue;
		}
		if (!probe->is_gup) {
			/* MADV_POPULATE: takes no reference, shows the flags */
			c->informational++;
			if (is_proof(c, o)) {
				c->refused_proof++;
				proof |= IGT_GUP_CHECK_PROBE(o->probe);
			}
			continue;
		}
		switch (o->res.status) {
		case IGT_GUP_PINNED:
			if (c->owner == IGT_GUP_OWNER_CORE_MM) {
				c->informational++;
				break;
			}
			c->pinned++;
			where(c, o, at, sizeof(at));
			if (!(pinners & IGT_GUP_CHECK_PROBE(o->probe)))
				igt_gup_appendf(c->why, sizeof(c->why),
					"%s%s pinned driver memory at %s%s%s (VmFlags: %s)",
					c->why[0] ? "; " : "", probe->name, at,
					o->res.err ? ": " : "",
					o->res.err ? o->res.reason : "",
					c->maps[o->mapping].vmflags);
			pinners |= IGT_GUP_CHECK_PROBE(o->probe);
			break;
		case IGT_GUP_REFUSED:
			c->refused++;
			if (is_proof(c, o)) {
				c->refused_proof++;
				proof |= IGT_GUP_CHECK_PROBE(o->probe);
			}
			break;
		default:
			c->unavailable++;
			break;
		}
	}
	c->pinned += c->lost_pins;

	if (c->kmsg_warnings > 0 || c->pinned) {
		if (c->kmsg_warnings > 0)
			igt_gup_appendf(c->why, sizeof(c->why),
				"%sthe kernel logged %d warning(s): %s",
				c->why[0] ? "; " : "", c->kmsg_warnings,
				c->kmsg_report);
		if (c->lost_pins)
			igt_gup_appendf(c->why, sizeof(c->why),
				"%s%d more pin(s) not itemized",
				c->why[0] ? "; " : "", c->lost_pins);
		return c->verdict = IGT_GUP_VERDICT_FAIL;
	}
	if (c->owner == IGT_GUP_OWNER_CORE_MM) {
		snprintf(c->why, sizeof(c->why),
			 "core-mm pages by design: %d pin(s) informational",
			 c->informational);
		return c->verdict = IGT_GUP_VERDICT_NOT_APPLICABLE;
	}
	if (c->kmsg_err) {
		snprintf(c->why, sizeof(c->why),
			 "cannot read /dev/kmsg (%s): a kernel warning would go unseen",
			 strerror(-c->kmsg_err));
		return c->verdict = IGT_GUP_VERDICT_INCONCLUSIVE;
	}
	if (proof) {
		names(proof, list, sizeof(list));
		snprintf(c->why, sizeof(c->why),
			 "refused by %s (%d proving refusal(s), %d in all) on %d mapping(s), no pin",
			 list, c->refused_proof, c->refused, c->num_maps);
		return c->verdict = IGT_GUP_VERDICT_PASS;
	}
	no_proof_why(c, reason, sizeof(reason));
	if (!c->num_maps) {
		snprintf(c->why, sizeof(c->why), "no mapping was checked");
		return c->verdict = IGT_GUP_VERDICT_INCONCLUSIVE;
	}
	/* one probe's check cannot speak for the mapping */
	if (all_pf && c->proof_probes == igt_gup_check_fast_probes()) {
		snprintf(c->why, sizeof(c->why),
			 "VM_PFNMAP on every mapping, but no calibrated GUP-fast probe that sees every pin was refused (%s)",
			 reason);
		return c->verdict = IGT_GUP_VERDICT_FLAGS_ONLY;
	}
	if (all_pf)
		snprintf(c->why, sizeof(c->why),
			 "the probe was not refused (%s)", reason);
	else
		snprintf(c->why, sizeof(c->why),
			 "no VM_PFNMAP and no calibrated GUP-fast probe that sees every pin was refused (%s)",
			 reason);
	return c->verdict = IGT_GUP_VERDICT_INCONCLUSIVE;
}

void igt_gup_check_print(const struct igt_gup_check *c,
			 void (*print)(const char *line))
{
	char line[512], res[256], at[64];

	for (int m = 0; m < c->num_maps; m++) {
		snprintf(line, sizeof(line), "mapping %d: %zu KiB, VmFlags: %s",
			 m, c->maps[m].len >> 10, c->maps[m].vmflags);
		print(line);
	}
	for (int i = 0; i < c->num_out; i++) {
		const struct igt_gup_outcome *o = &c->out[i];
		const struct igt_gup_probe *probe = &igt_gup_probes[o->probe];

		if (!o->ran) {
			snprintf(line, sizeof(line), "  %-20s mapping %d: %s",
				 probe->name, o->mapping,
				 igt_gup_cal_state_name(o->cal));
		} else {
			igt_gup_result_str(probe, &o->res, res, sizeof(res));
			where(c, o, at, sizeof(at));
			snprintf(line, sizeof(line),
				 "  %-20s mapping %d %s (%s): %s", probe->name,
				 o->mapping, at,
				 !probe->is_gup ? "VMA-flag check" :
				 probe->fast ? "GUP-fast" : "slow GUP", res);
		}
		print(line);
	}
	if (c->lost) {
		snprintf(line, sizeof(line), "  ... %d more outcome(s) not recorded",
			 c->lost);
		print(line);
	}
}

/* --- the facts line (lib/igt_gup_facts.h) --- */

struct facts_buf {
	char *s;
	size_t len, used;
	bool full;
};

static void fb_add(struct facts_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fb_add(struct facts_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->len - b->used) {
		b->s[b->used] = '\0';	/* drop the piece that did not fit */
		b->full = true;
		return;
	}
	b->used += n;
}

/* A JSON string: quotes, backslash and control characters escaped. */
static void fb_str(struct facts_buf *b, const char *key, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	fb_add(b, "%s\"%s\":\"", b->s[b->used - 1] == '{' ? "" : ",", key);
	while (*p) {
		size_t n = 0;

		/* the run of characters that need no escape, in one piece */
		while (p[n] >= 0x20 && p[n] != '"' && p[n] != '\\')
			n++;
		if (n) {
			fb_add(b, "%.*s", (int)n, (const char *)p);
			p += n;
			continue;
		}
		if (*p == '"' || *p == '\\')
			fb_add(b, "\\%c", *p);
		else
			fb_add(b, "\\u%04x", *p);
		p++;
	}
	fb_add(b, "\"");
}

static void fb_num(struct facts_buf *b, const char *key, long long v)
{
	fb_add(b, "%s\"%s\":%lld", b->s[b->used - 1] == '{' ? "" : ",", key,
	       v);
}

char *igt_gup_facts_format(char *buf, size_t len, const char *test,
			   const struct igt_gup_subject *s,
			   const struct igt_gup_check *c, const char *huge)
{
	/* room kept for closing what is open and for the count of the rest */
	static const size_t reserve = 64;
	struct facts_buf b = { .s = buf, .len = len - reserve };
	int written = 0;

	if (len <= reserve + 512) {
		snprintf(buf, len, IGT_GUP_FACTS_TAG "{}");
		return buf;
	}
	fb_add(&b, IGT_GUP_FACTS_TAG "{");
	fb_str(&b, IGT_GUP_FACT_TEST, test ? test : "");
	fb_str(&b, IGT_GUP_FACT_KIND, s->kind ? s->kind : "");
	fb_str(&b, IGT_GUP_FACT_PATH, s->path ? s->path : "");
	fb_str(&b, IGT_GUP_FACT_CHECK, s->check ? s->check : "");
	if (s->device) {
		fb_str(&b, IGT_GUP_FACT_DEVICE, s->device);
		fb_str(&b, IGT_GUP_FACT_DRIVER, s->driver ? s->driver : "");
		fb_str(&b, IGT_GUP_FACT_MODULE, s->module ? s->module : "");
	}
	if (huge)
		fb_str(&b, IGT_GUP_FACT_HUGE, huge);
	if (!c)
		goto close;
	fb_str(&b, IGT_GUP_FACT_VERDICT, igt_gup_verdict_name(c->verdict));
	fb_str(&b, IGT_GUP_FACT_RULE, c->why);
	fb_add(&b, ",\"" IGT_GUP_FACT_MAPPINGS "\":[");
	for (int m = 0; m < c->num_maps && !b.full; m++) {
		size_t at = b.used;

		fb_add(&b, "%s{", m ? "," : "");
		fb_num(&b, IGT_GUP_FACT_MAP_KIB, c->maps[m].len >> 10);
		fb_str(&b, IGT_GUP_FACT_MAP_VMFLAGS, c->maps[m].vmflags);
		fb_add(&b, ",\"" IGT_GUP_FACT_MAP_PFNMAP "\":%s}",
		       c->maps[m].pfnmap ? "true" : "false");
		if (b.full)
			b.s[b.used = at] = '\0';
	}
	b.full = false;
	fb_add(&b, "],\"" IGT_GUP_FACT_PROBES "\":[");
	for (int i = 0; i < c->num_out; i++) {
		const struct igt_gup_outcome *o = &c->out[i];
		const struct igt_gup_probe *probe = &igt_gup_probes[o->probe];
		const char *err = o->res.err ? strerrorname_np(o->res.err) : "";
		size_t at = b.used;

		fb_add(&b, "%s{", written ? "," : "");
		fb_str(&b, IGT_GUP_FACT_P_PROBE, probe->name);
		fb_num(&b, IGT_GUP_FACT_P_MAPPING, o->mapping);
		fb_num(&b, IGT_GUP_FACT_P_OFFSET, (long long)o->offset);
		fb_str(&b, IGT_GUP_FACT_P_OUTCOME, o->ran ?
		       igt_gup_status_name(probe, o->res.status) :
		       IGT_GUP_FACT_NOT_RUN);
		fb_str(&b, IGT_GUP_FACT_P_ERRNO, o->ran && err ? err : "");
		fb_num(&b, IGT_GUP_FACT_P_BYTES, o->ran ? o->res.bytes : -1);
		if (!o->ran)
			fb_str(&b, IGT_GUP_FACT_P_REASON,
			       igt_gup_cal_state_name(o->cal));
		else if (o->res.status != IGT_GUP_PINNED)
			fb_str(&b, IGT_GUP_FACT_P_REASON, o->res.reason);
		fb_add(&b, "}");
		if (b.full) {
			b.s[b.used = at] = '\0';
			break;
		}
		written++;
	}
	b.len += reserve;
	b.full = false;
	fb_add(&b, "]");
	if (written < c->num_out || c->lost)
		fb_num(&b, IGT_GUP_FACT_PROBES_LEFT_OUT, c->num_out - written + c->lost);
close:
	b.len += b.len == len ? 0 : reserve;
	b.full = false;
	fb_add(&b, "}");
	return buf;
}
