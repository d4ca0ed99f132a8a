// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: round trip of arbitrary test output through the
 * results.json writer. The input is a test's stdout and stderr, sent as
 * the guest runner sends them (json-c, new_string_len: any byte, NUL
 * included); results.json must parse strictly (valid UTF-8) and give the
 * text back, each invalid UTF-8 byte and each NUL replaced by U+FFFD
 * (docs/vm-harness-contract.md). The expected text is computed here by an
 * independent decoder (Unicode 15, table 3-7), not by the code under test.
 * Inputs with IGT's subtest markers are sliced by design: for those only
 * validity is checked.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "vm_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the well-formed sequence at s (table 3-7), 0 if ill-formed. */
static size_t well_formed(const uint8_t *s, size_t left)
{
	static const struct {
		uint8_t lo[4], hi[4];
		size_t n;
	} t[] = {
		{ { 0x01 }, { 0x7f }, 1 },
		{ { 0xc2, 0x80 }, { 0xdf, 0xbf }, 2 },
		{ { 0xe0, 0xa0, 0x80 }, { 0xe0, 0xbf, 0xbf }, 3 },
		{ { 0xe1, 0x80, 0x80 }, { 0xec, 0xbf, 0xbf }, 3 },
		{ { 0xed, 0x80, 0x80 }, { 0xed, 0x9f, 0xbf }, 3 },
		{ { 0xee, 0x80, 0x80 }, { 0xef, 0xbf, 0xbf }, 3 },
		{ { 0xf0, 0x90, 0x80, 0x80 }, { 0xf0, 0xbf, 0xbf, 0xbf }, 4 },
		{ { 0xf1, 0x80, 0x80, 0x80 }, { 0xf3, 0xbf, 0xbf, 0xbf }, 4 },
		{ { 0xf4, 0x80, 0x80, 0x80 }, { 0xf4, 0x8f, 0xbf, 0xbf }, 4 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t k;

		if (t[i].n > left)
			continue;
		for (k = 0; k < t[i].n; k++)
			if (s[k] < t[i].lo[k] || s[k] > t[i].hi[k])
				break;
		if (k == t[i].n)
			return k;
	}
	return 0;
}

static char *expected(const uint8_t *s, size_t len)
{
	char *out = malloc(len * 3 + 1), *o = out;

	for (size_t i = 0; i < len; ) {
		size_t n = well_formed(s + i, len - i);

		if (n) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}

static bool has_markers(const uint8_t *s, size_t len)
{
	return memmem(s, len, "Starting ", 9) || memmem(s, len, "ubtest ", 7);
}

static void emit(FILE *f, json_object *rec)
{
	size_t len;
	char *line = vm_record_line(rec, &len);

	fwrite(line, 1, len, f);
	free(line);
}

static json_object *rec(const char *type)
{
	json_object *r = vm_record_new(type);

	json_object_object_add(r, "test", json_object_new_string("t"));
	json_object_object_add(r, "subtest", json_object_new_string("s"));
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *r, *arr, *res, *tests, *t, *v;
	size_t split = size ? data[0] : 0;
	const uint8_t *out, *err;
	size_t olen, elen;
	char *want;
	FILE *f;

	if (size > 1 << 20)
		return 0;
	/* the first byte splits the rest into stdout and stderr */
	if (size)
		data++, size--;
	if (split > size)
		split = size;
	out = data;
	olen = split;
	err = data + split;
	elen = size - split;

	f = fopen(fuzz_path("s0"), "w");
	if (!f)
		abort();
	r = json_object_new_object();
	json_object_object_add(r, "type", json_object_new_string("list"));
	json_object_object_add(r, "test", json_object_new_string("t"));
	arr = json_object_new_array();
	json_object_array_add(arr, json_object_new_string("s"));
	json_object_object_add(r, "subtests", arr);
	json_object_object_add(r, "exit", json_object_new_int(0));
	emit(f, r);
	emit(f, rec("start"));
	r = rec("result");
	json_object_object_add(r, "exit", json_object_new_int(0));
	json_object_object_add(r, "out",
			       json_object_new_string_len((const char *)out,
							  olen));
	json_object_object_add(r, "err",
			       json_object_new_string_len((const char *)err,
							  elen));
	json_object_object_add(r, "dmesg", json_object_new_string(""));
	emit(f, r);
	fclose(f);

	res = fuzz_build(1, 0);
	if (!has_markers(data, size)) {
		if (!json_object_object_get_ex(res, "tests", &tests) ||
		    !json_object_object_get_ex(tests, "igt@t@s", &t))
			abort();
		want = expected(out, olen);
		if (!json_object_object_get_ex(t, "out", &v) ||
		    strcmp(json_object_get_string(v), want)) {
			fprintf(stderr, "fuzz: out does not come back\n");
			abort();
		}
		free(want);
		want = expected(err, elen);
		if (!json_object_object_get_ex(t, "err", &v) ||
		    strcmp(json_object_get_string(v), want)) {
			fprintf(stderr, "fuzz: err does not come back\n");
			abort();
		}
		free(want);
	}
	json_object_put(res);
	return 0;
}
