// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's JSON reader: Jansson (libjansson, strict RFC 8259: no
 * comments, trailing commas, NaN, leading zeros, invalid escapes or lone
 * surrogates; duplicate keys refused) parses, and the result is copied into
 * the small tree compare.c walks, refusing on the way what this reader
 * cannot hold exactly enough: numbers of 2^64 and over, nesting deeper than
 * JSON_MAX_DEPTH.  Jansson's errors name LINE:COL; the copy's name the
 * value's place ("$.runs[3].stats.exits").
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "json_read.h"

static void clear(struct json *j)
{
	size_t i;

	if (j->type == JV_ARRAY || j->type == JV_OBJECT) {
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

struct copy {
	char path[256];		/* "$.runs[3].stats" of the value copied */
	char *err;
	size_t errlen;
};

/* Copy Jansson's @v into @out (zeroed); 0, or -1 with c->err set. */
static int copy_value(struct copy *c, const json_t *v, struct json *out,
		      int depth)
{
	size_t i, n, plen = strlen(c->path);
	const char *key;
	json_t *item;
	double x;

	switch (json_typeof(v)) {
	case JSON_NULL:
		out->type = JV_NULL;
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		out->type = JV_BOOL;
		out->boolean = json_is_true(v);
		return 0;
	case JSON_INTEGER:	/* not with JSON_DECODE_INT_AS_REAL */
	case JSON_REAL:
		x = json_number_value(v);
		if (!isfinite(x) || fabs(x) >= JSON_MAX_ABS) {
			snprintf(c->err, c->errlen, "%s: number %.17g out of range (|x| >= 2^64)",
				 c->path, x);
			return -1;
		}
		out->type = JV_NUMBER;
		out->number = x;
		return 0;
	case JSON_STRING:
		out->type = JV_STRING;
		out->string = strdup(json_string_value(v));
		goto alloc_check;
	case JSON_ARRAY:
	case JSON_OBJECT:
		break;
	}
	if (depth >= JSON_MAX_DEPTH) {
		snprintf(c->err, c->errlen, "%s: nesting deeper than %d",
			 c->path, JSON_MAX_DEPTH);
		return -1;
	}
	out->type = json_is_array(v) ? JV_ARRAY : JV_OBJECT;
	n = json_is_array(v) ? json_array_size(v) : json_object_size(v);
	out->item = calloc(n ? n : 1, sizeof(*out->item));
	if (out->type == JV_OBJECT)
		out->key = calloc(n ? n : 1, sizeof(*out->key));
	if (!out->item || (out->type == JV_OBJECT && !out->key))
		goto oom;
	if (out->type == JV_ARRAY) {
		json_array_foreach(v, i, item) {
			snprintf(c->path + plen, sizeof(c->path) - plen, "[%zu]", i);
			out->n++;
			if (copy_value(c, item, &out->item[i], depth + 1))
				return -1;
		}
	} else {
		i = 0;
		json_object_foreach((json_t *)v, key, item) {
			snprintf(c->path + plen, sizeof(c->path) - plen, ".%s", key);
			out->key[i] = strdup(key);
			out->n++;
			if (!out->key[i])
				goto oom;
			if (copy_value(c, item, &out->item[i], depth + 1))
				return -1;
			i++;
		}
	}
	c->path[plen] = '\0';
	return 0;
alloc_check:
	if (out->string)
		return 0;
oom:
	snprintf(c->err, c->errlen, "out of memory");
	return -1;
}

int json_parse(const char *text, size_t len, struct json **out, char *err,
	       size_t errlen)
{
	struct copy c = { "$", err, errlen };
	const char *nul = memchr(text, '\0', len);
	const char *p, *line;
	json_error_t e;
	json_t *v;
	int ln;

	*out = NULL;
	if (nul) {		/* Jansson would say "invalid token" */
		for (p = line = text, ln = 1; p < nul; p++)
			if (*p == '\n') {
				ln++;
				line = p + 1;
			}
		snprintf(err, errlen, "%d:%d: found a NUL byte", ln,
			 (int)(nul - line) + 1);
		return -1;
	}
	/*
	 * Any value at the top, duplicate keys refused, every number a
	 * double (the values are u64 counters and ns: Jansson's own integers
	 * stop at 2^63).  The 2^64 bound is then checked on the double, so
	 * the 1024 integers below 2^64 that round to it are refused too.
	 */
	v = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES |
		       JSON_DECODE_INT_AS_REAL, &e);
	if (!v) {
		snprintf(err, errlen, "%d:%d: %s", e.line, e.column, e.text);
		return -1;
	}
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		snprintf(err, errlen, "out of memory");
	} else if (copy_value(&c, v, *out, 0)) {
		json_free(*out);
		*out = NULL;
	}
	json_decref(v);
	return *out ? 0 : -1;
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

	if (!obj || obj->type != JV_OBJECT)
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

	return t <= JV_OBJECT ? names[t] : "?";
}
