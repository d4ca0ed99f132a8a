// SPDX-License-Identifier: MIT
/* Helpers shared by the igt_vm_results subcommands. */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm_util.h"

const char *const result_names[NUM_RESULTS] = {
	"crash", "pass", "dmesg-fail", "dmesg-warn", "skip", "incomplete",
	"abort", "timeout", "notrun", "fail", "warn",
};

int result_index(const char *result)
{
	for (int i = 0; i < NUM_RESULTS; i++)
		if (!strcmp(result_names[i], result))
			return i;
	return -1;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("igt_vm_results: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->alloc) {
		sb->alloc = (sb->len + n + 1) * 2;
		sb->s = xrealloc(sb->s, sb->alloc);
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	sb_add(sb, s, n);
	free(s);
}

char *sb_steal(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");

	memset(sb, 0, sizeof(*sb));
	return s;
}

void sb_free(struct strbuf *sb)
{
	free(sb->s);
	memset(sb, 0, sizeof(*sb));
}

char *read_file(const char *path, size_t *len)
{
	struct strbuf sb = { };
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			sb_free(&sb);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		sb_add(&sb, buf, n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	return sb_steal(&sb);
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) && errno != EEXIST) {
				ret = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	size_t n;
	unsigned int cp;

	/*
	 * NUL is valid UTF-8 but every caller hands the text on as a C
	 * string (json_object_new_string): a NUL would silently cut the
	 * rest of a test's output from results.json.
	 */
	if (!s[0])
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

char *utf8_sanitize(const char *s, size_t len, size_t *outlen)
{
	struct strbuf sb = { };
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	sb_add(&sb, "", 0);
	while (i < len) {
		size_t n = utf8_seq(u + i, len - i);

		if (n) {
			i += n;
			run += n;
			continue;
		}
		sb_add(&sb, s + i - run, run);
		sb_adds(&sb, "\xef\xbf\xbd");
		run = 0;
		i++;
	}
	sb_add(&sb, s + i - run, run);
	if (outlen)
		*outlen = sb.len;
	return sb_steal(&sb);
}

static void scan_line(char *line, size_t len,
		      void (*cb)(json_object *rec, void *data), void *data,
		      struct stream_stats *st)
{
	const size_t plen = strlen(RECORD_PREFIX);
	char *p = line, *end = line + len;
	bool found = false;

	while ((p = memmem(p, end - p, RECORD_PREFIX, plen))) {
		struct json_tokener *tok = json_tokener_new();
		char *js = p + plen;
		json_object *obj;

		obj = json_tokener_parse_ex(tok, js, end - js);
		if (obj && json_object_is_type(obj, json_type_object) &&
		    json_object_is_type(json_object_object_get(obj, "type"),
					json_type_string)) {
			found = true;
			st->records++;
			cb(obj, data);
			p = js + json_tokener_get_parse_end(tok);
		} else {
			/* cut by a crash, or noise inside: try the next one */
			st->bad++;
			p = js;
		}
		json_object_put(obj);
		json_tokener_free(tok);
	}
	if (!found)
		st->ignored++;
}

int stream_read(const char *path,
		void (*cb)(json_object *rec, void *data), void *data,
		struct stream_stats *st)
{
	size_t len;
	char *buf = read_file(path, &len), *p, *end;

	if (!buf)
		return -errno;
	end = buf + len;
	for (p = buf; p < end; ) {
		char *nl = memchr(p, '\n', end - p);
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		st->lines++;
		/* a tty in cooked mode would have added \r */
		while (l && p[l - 1] == '\r')
			l--;
		if (l)
			scan_line(p, l, cb, data, st);
		else
			st->ignored++;
		p += (nl ? (size_t)(nl - p) + 1 : l);
		if (!nl)
			break;
	}
	free(buf);
	return 0;
}

const char *jstr(json_object *o, const char *key, const char *def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return def;
	return json_object_get_string(v);
}

size_t jstrlen(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return 0;
	return json_object_get_string_len(v);
}

int jint(json_object *o, const char *key, int def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return def;
	return json_object_get_int(v);
}

double jdouble(json_object *o, const char *key, double def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return def;
	return json_object_get_double(v);
}

bool jbool(json_object *o, const char *key, bool def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return def;
	return json_object_get_boolean(v);
}

/* XML (and HTML) text: markup characters escaped, other control
 * characters as \xNN (XML 1.0 has none). */
void xml_escape(struct strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		case '\'':
			sb_adds(sb, "&apos;");
			break;
		default:
			/* XML 1.0 has no other control characters at all */
			if (*p < 0x20 && *p != '\t' && *p != '\n' &&
			    *p != '\r')
				sb_addf(sb, "\\x%02x", *p);
			else
				sb_add(sb, (const char *)p, 1);
		}
	}
}

json_object *results_load(const char *dir)
{
	json_object *root;
	char *path;

	if (asprintf(&path, "%s/results.json", dir) < 0)
		die("out of memory");
	root = json_object_from_file(path);
	if (!root)
		fprintf(stderr, "igt_vm_results: %s: %s\n", path,
			json_util_get_last_err());
	free(path);
	return root;
}

bool results_has_children(json_object *tests, const char *key)
{
	size_t len = strlen(key);

	json_object_object_foreach(tests, other, unused) {
		(void)unused;
		if (!strncmp(other, key, len) && other[len] == '@')
			return true;
	}
	return false;
}

int write_string(const char *path, const char *s)
{
	FILE *f = fopen(path, "we");
	bool bad;

	if (!f)
		return -errno;
	bad = fputs(s, f) < 0;
	if (fclose(f) || bad)
		return errno ? -errno : -EIO;
	return 0;
}
