// SPDX-License-Identifier: GPL-2.0
/*
 * A small, strict JSON reader (RFC 8259) for the driver's result files.
 * Recursive descent into a tree; the first error stops it and names its
 * line and column.  Nothing is guessed: what the grammar does not allow,
 * or what this reader cannot hold exactly enough (numbers beyond 2^64,
 * nesting beyond JSON_MAX_DEPTH), is an error.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "json_read.h"

struct parser {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	size_t i, line = 1, col = 1;
	char msg[200];
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	for (i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%zu:%zu: %s", line, col, msg);
	return -1;
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\n\r", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

/* What is at the current position, for an error message. */
static const char *what_here(const struct parser *p, char *buf, size_t len)
{
	int c = peek(p);

	if (c < 0)
		return "the end of the input";
	if (c == 0)
		return "a NUL byte";
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, len, "byte 0x%02x", c);
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

static void clear(struct json *j)
{
	size_t i;

	if (j->type == JSON_ARRAY || j->type == JSON_OBJECT) {
		for (i = 0; i < j->n; i++) {
			clear(&j->item[i]);
			if (j->key)
				free(j->key[i]);
		}
	}
	free(j->item);
	free(j->key);
	free(j->string);
	memset(j, 0, sizeof(*j));
}

void json_free(struct json *j)
{
	if (!j)
		return;
	clear(j);
	free(j);
}

struct buf {
	char *b;
	size_t n, cap;
};

static int buf_put(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		char *g = realloc(b->b, cap);

		if (!g)
			return -1;
		b->b = g;
		b->cap = cap;
	}
	b->b[b->n++] = c;
	b->b[b->n] = '\0';
	return 0;
}

static int hex4(struct parser *p, unsigned int *out)
{
	unsigned int v = 0;
	int i, c;

	for (i = 0; i < 4; i++) {
		c = peek(p);
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned int)(c - 'A' + 10);
		else
			return fail(p, "\\u needs 4 hex digits");
		p->pos++;
	}
	*out = v;
	return 0;
}

static int put_utf8(struct buf *b, unsigned int cp)
{
	if (cp < 0x80)
		return buf_put(b, (char)cp);
	if (cp < 0x800)
		return buf_put(b, (char)(0xc0 | cp >> 6)) ||
		       buf_put(b, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return buf_put(b, (char)(0xe0 | cp >> 12)) ||
		       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) ||
		       buf_put(b, (char)(0x80 | (cp & 0x3f)));
	return buf_put(b, (char)(0xf0 | cp >> 18)) ||
	       buf_put(b, (char)(0x80 | ((cp >> 12) & 0x3f))) ||
	       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) ||
	       buf_put(b, (char)(0x80 | (cp & 0x3f)));
}

/* The escape after a backslash (p->pos at the character after it). */
static int escape(struct parser *p, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned int cp, lo;
	int c = peek(p);
	const char *e = c > 0 ? strchr(from, c) : NULL;

	if (e) {
		p->pos++;
		return buf_put(b, to[e - from]) ? fail(p, "out of memory") : 0;
	}
	if (c != 'u')
		return fail(p, "invalid escape in a string");
	p->pos++;
	if (hex4(p, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, "a lone low surrogate \\u%04x", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (peek(p) != '\\' || p->pos + 1 >= p->len || p->s[p->pos + 1] != 'u')
			return fail(p, "a high surrogate \\u%04x without its low half", cp);
		p->pos += 2;
		if (hex4(p, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "a high surrogate \\u%04x without its low half", cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!cp)
		return fail(p, "\\u0000 in a string");
	return put_utf8(b, cp) ? fail(p, "out of memory") : 0;
}

static int parse_string(struct parser *p, char **out)
{
	struct buf b = { NULL, 0, 0 };
	int c;

	p->pos++;	/* the opening quote */
	if (buf_put(&b, 'x'))
		return fail(p, "out of memory");
	b.n = 0;
	b.b[0] = '\0';
	for (;;) {
		c = peek(p);
		if (c < 0) {
			free(b.b);
			return fail(p, "unterminated string");
		}
		if (c == '"')
			break;
		if (c < 0x20) {
			free(b.b);
			return fail(p, "control character 0x%02x in a string (must be escaped)", c);
		}
		p->pos++;
		if (c == '\\') {
			if (escape(p, &b)) {
				free(b.b);
				return -1;
			}
		} else if (buf_put(&b, (char)c)) {
			free(b.b);
			return fail(p, "out of memory");
		}
	}
	p->pos++;
	*out = b.b;
	return 0;
}

static int digits(struct parser *p)
{
	size_t start = p->pos;

	while (peek(p) >= '0' && peek(p) <= '9')
		p->pos++;
	return p->pos > start;
}

/*
 * |x| >= 2^64?  A double cannot tell 2^64 - 1 from 2^64, so an integer
 * literal is compared by its digits; other forms by value (2^64 itself
 * is refused, as 1.8446744073709551616e19 and the like are).
 */
static int over_u64(const char *lit, double v)
{
	const char *d = lit + (*lit == '-');
	size_t n = strspn(d, "0123456789");

	if (!d[n])
		return n > 20 || (n == 20 && strcmp(d, "18446744073709551615") > 0);
	return fabs(v) >= JSON_MAX_ABS;
}

static int parse_number(struct parser *p, double *out)
{
	size_t start = p->pos, n;
	char *copy, *end;
	double v;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (peek(p) >= '0' && peek(p) <= '9')
			return fail(p, "a number with a leading zero");
	} else if (!digits(p)) {
		return fail(p, "a '-' without digits");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!digits(p))
			return fail(p, "no digits after the decimal point");
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!digits(p))
			return fail(p, "no digits in the exponent");
	}
	n = p->pos - start;
	copy = malloc(n + 1);
	if (!copy)
		return fail(p, "out of memory");
	memcpy(copy, p->s + start, n);
	copy[n] = '\0';
	errno = 0;
	v = strtod(copy, &end);
	if (errno == ERANGE || *end || !isfinite(v) || fabs(v) > JSON_MAX_ABS ||
	    over_u64(copy, v)) {
		p->pos = start;
		fail(p, "number %.40s%s out of range (|x| up to 2^64 - 1, not below 1e-300)",
		     copy, n > 40 ? "..." : "");
		free(copy);
		return -1;
	}
	free(copy);
	*out = v;
	return 0;
}

static int parse_value(struct parser *p, struct json *v, int depth);

static int push(struct parser *p, struct json *parent, size_t *cap,
		const struct json *item, char *key)
{
	if (parent->n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		struct json *g = realloc(parent->item, c * sizeof(*g));

		if (!g)
			return fail(p, "out of memory");
		parent->item = g;
		if (parent->type == JSON_OBJECT) {
			char **k = realloc(parent->key, c * sizeof(*k));

			if (!k)
				return fail(p, "out of memory");
			parent->key = k;
		}
		*cap = c;
	}
	parent->item[parent->n] = *item;
	if (parent->type == JSON_OBJECT)
		parent->key[parent->n] = key;
	parent->n++;
	return 0;
}

static int parse_container(struct parser *p, struct json *v, int depth)
{
	int obj = peek(p) == '{';
	char close = obj ? '}' : ']', tmp[16];
	size_t cap = 0, i;
	struct json item;
	char *key = NULL;

	if (depth >= JSON_MAX_DEPTH)
		return fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (obj) {
			if (peek(p) != '"')
				return fail(p, "expected a key (a string), found %s",
					    what_here(p, tmp, sizeof(tmp)));
			if (parse_string(p, &key))
				return -1;
			for (i = 0; i < v->n; i++)
				if (!strcmp(v->key[i], key)) {
					fail(p, "duplicate key \"%.60s\"", key);
					free(key);
					return -1;
				}
			skip_ws(p);
			if (peek(p) != ':') {
				free(key);
				return fail(p, "expected ':' after a key, found %s",
					    what_here(p, tmp, sizeof(tmp)));
			}
			p->pos++;
			skip_ws(p);
		}
		memset(&item, 0, sizeof(item));
		if (parse_value(p, &item, depth + 1) ||
		    push(p, v, &cap, &item, key)) {
			clear(&item);
			free(key);
			return -1;
		}
		key = NULL;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == close) {
			p->pos++;
			return 0;
		}
		return fail(p, "expected ',' or '%c' in %s, found %s", close,
			    obj ? "an object" : "an array",
			    what_here(p, tmp, sizeof(tmp)));
	}
}

static int parse_value(struct parser *p, struct json *v, int depth)
{
	static const struct { const char *word; enum json_type t; int b; } lit[] = {
		{ "true", JSON_BOOL, 1 }, { "false", JSON_BOOL, 0 },
		{ "null", JSON_NULL, 0 },
	};
	char tmp[16];
	size_t i, n;
	int c;

	skip_ws(p);
	c = peek(p);
	if (c == '{' || c == '[')
		return parse_container(p, v, depth);
	if (c == '"') {
		v->type = JSON_STRING;
		return parse_string(p, &v->string);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		v->type = JSON_NUMBER;
		return parse_number(p, &v->number);
	}
	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		n = strlen(lit[i].word);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, lit[i].word, n)) {
			p->pos += n;
			v->type = lit[i].t;
			v->boolean = lit[i].b;
			return 0;
		}
	}
	return fail(p, "expected a value, found %s", what_here(p, tmp, sizeof(tmp)));
}

int json_parse(const char *text, size_t len, struct json **out, char *err,
	       size_t errlen)
{
	struct parser p = { text, len, 0, err, errlen, 0 };
	struct json *v = calloc(1, sizeof(*v));
	char tmp[16];

	*out = NULL;
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	skip_ws(&p);
	if (p.pos == len) {
		fail(&p, "no JSON value (empty input)");
	} else if (!parse_value(&p, v, 0)) {
		skip_ws(&p);
		if (p.pos < len)
			fail(&p, "%s after the JSON value",
			     what_here(&p, tmp, sizeof(tmp)));
	}
	if (p.failed) {
		json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

int json_load(const char *path, struct json **out, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *text = NULL, *g;
	size_t n = 0, cap = 0, got;
	int bad;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return EX_IO;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			if (cap > (size_t)JSON_MAX_BYTES + 1)
				cap = (size_t)JSON_MAX_BYTES + 1;
			g = realloc(text, cap);
			if (!g) {
				snprintf(err, errlen, "out of memory");
				free(text);
				if (f != stdin)
					fclose(f);
				return EX_IO;
			}
			text = g;
		}
		got = fread(text + n, 1, cap - n, f);
		n += got;
		if (n > JSON_MAX_BYTES || !got)
			break;
	}
	bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		free(text);
		return EX_IO;
	}
	if (n > JSON_MAX_BYTES) {
		snprintf(err, errlen, "larger than %u MiB: not a result file",
			 JSON_MAX_BYTES >> 20);
		free(text);
		return EX_BADJSON;
	}
	bad = json_parse(text, n, out, err, errlen);
	free(text);
	return bad ? EX_BADJSON : EX_OK;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->key[i], key))
			return &obj->item[i];
	return NULL;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = {
		"null", "a boolean", "a number", "a string", "an array",
		"an object",
	};

	return t <= JSON_OBJECT ? names[t] : "?";
}
