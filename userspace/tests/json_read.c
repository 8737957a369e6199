// SPDX-License-Identifier: GPL-2.0
/* The JSON reader: what it accepts, and one clear error for what it must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_codes.h"
#include "json_read.h"

static char err[256];

static struct json *ok(const char *s)
{
	struct json *j = NULL;

	err[0] = '\0';
	if (json_parse(s, strlen(s), &j, err, sizeof(err)))
		fail_msg("'%s' refused: %s", s, err);
	return j;
}

/* @s must be refused with an error containing @want. */
static void bad_len(const char *s, size_t len, const char *want)
{
	struct json *j = (struct json *)1;

	err[0] = '\0';
	if (!json_parse(s, len, &j, err, sizeof(err)))
		fail_msg("'%s' accepted (wanted: %s)", s, want);
	assert_null(j);
	if (!strstr(err, want))
		fail_msg("'%s': error '%s' does not say '%s'", s, err, want);
}

static void bad(const char *s, const char *want)
{
	bad_len(s, strlen(s), want);
}

static void test_values(void **state)
{
	struct json *j = ok(" {\"a\": [1, -0, 2.5e3, true, false, null, \"x\"],\n"
			    "  \"b\": {\"c\": {}}, \"d\": [], \"e\": 18446744073709549568} ");
	const struct json *a = json_get(j, "a");

	(void)state;
	assert_int_equal(j->type, JV_OBJECT);
	assert_int_equal(j->n, 4);
	assert_int_equal(a->type, JV_ARRAY);
	assert_int_equal(a->n, 7);
	assert_true(a->item[0].number == 1);
	assert_true(a->item[1].number == 0);
	assert_true(a->item[2].number == 2500);
	assert_int_equal(a->item[3].type, JV_BOOL);
	assert_int_equal(a->item[3].boolean, 1);
	assert_int_equal(a->item[4].boolean, 0);
	assert_int_equal(a->item[5].type, JV_NULL);
	assert_string_equal(a->item[6].string, "x");
	assert_int_equal(json_get(json_get(j, "b"), "c")->type, JV_OBJECT);
	assert_int_equal(json_get(j, "d")->n, 0);
	assert_true(json_get(j, "e")->number == 18446744073709549568.0);	/* 2^64 - 2048 */
	assert_null(json_get(j, "zz"));
	assert_null(json_get(a, "a"));		/* not an object */
	json_free(j);
}

static void test_strings(void **state)
{
	struct json *j = ok("[\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20ac\", \"\\ud83d\\ude00\", \"caf\xc3\xa9\"]");

	(void)state;
	assert_string_equal(j->item[0].string, "q\"b\\s/\b\f\n\r\t");
	assert_string_equal(j->item[1].string, "\xc3\xa9\xe2\x82\xac");
	assert_string_equal(j->item[2].string, "\xf0\x9f\x98\x80");
	assert_string_equal(j->item[3].string, "caf\xc3\xa9");
	json_free(j);
}

/* Jansson's errors, "LINE:COL: what near 'token'", for each refusal. */
static void test_malformed(void **state)
{
	(void)state;
	bad("", "1:0: unexpected token near end of file");
	bad("  \n ", "near end of file");
	bad("{\"a\": [1, 2", "']' expected near end of file");
	bad("{\"a\": [1, 2", "1:11:");
	bad("{\"a\"", "':' expected");
	bad("{\"a\":", "unexpected token near end of file");
	bad("\"abc", "premature end of input");
	bad("[1,]", "unexpected token near ']'");
	bad("{\"a\": 1,}", "string or '}' expected near '}'");
	bad("{1: 2}", "string or '}' expected near '1'");
	bad("{\"a\" 1}", "':' expected near '1'");
	bad("[1 2]", "']' expected near '2'");
	bad("{\"a\": 1 \"b\": 2}", "'}' expected near '\"b\"'");
	bad("[1] [2]", "end of file expected near '['");
	bad("truex", "invalid token near 'truex'");
	bad("nul", "invalid token near 'nul'");
	bad("NaN", "invalid token near 'NaN'");
	bad("Infinity", "invalid token");
	bad("'a'", "invalid token near '''");
	bad("[1] // c", "end of file expected near '/'");
	bad("{\"a\": 1, \"a\": 2}", "duplicate object key near '\"a\"'");
	bad("\"a\tb\"", "control character 0x9");
	bad("\"a\nb\"", "unexpected newline");
	bad("\"\\x\"", "invalid escape");
	bad("\"\\u12g4\"", "invalid escape");
	bad("\"\\ud800\"", "invalid Unicode '\\uD800'");
	bad("\"\\ud800\\u0041\"", "invalid Unicode '\\uD800\\u0041'");
	bad("\"\\udc00\"", "invalid Unicode '\\uDC00'");
	bad("\"\\u0000\"", "\\u0000 is not allowed");
	bad_len("[1,\0 2]", 7, "1:4: found a NUL byte");
	bad_len("[1,\n 2,\0]", 9, "2:4: found a NUL byte");
	bad("{\n  \"a\": x\n}", "2:8: invalid token near 'x'");
}

static void test_wrong_numbers(void **state)
{
	char big[500];
	struct json *j;

	(void)state;
	bad("007", "invalid token near '0'");
	bad("-", "invalid token near '-'");
	bad("-a", "invalid token near '-'");
	bad("+1", "invalid token near '+'");
	bad(".5", "invalid token near '.'");
	bad("1.", "invalid token near '1.'");
	bad("1.e3", "invalid token near '1.'");
	bad("1e", "invalid token near '1e'");
	bad("1e+", "invalid token near '1e+'");
	bad("0x10", "end of file expected near 'x'");
	/* huge: overflow, 2^64 and beyond (as a double), where in the file */
	bad("1e999", "real number overflow");
	bad("-1e999", "real number overflow");
	bad("[1, {\"a\": 18446744073709551617000}]",
	    "$[1].a: number 1.8446744073709552e+22 out of range (|x| >= 2^64)");
	memset(big, '9', 400);
	big[400] = '\0';
	bad(big, "real number overflow");
	json_free(ok("1e-300"));
	/* an underflow is Jansson's strtod(): it reads as 0 */
	j = ok("1e-400");
	assert_true(j->number == 0);
	json_free(j);
	/*
	 * Exactly 2^64, in any spelling, is over a u64; so are the integers
	 * below it that round to it as a double.
	 */
	bad("18446744073709551616", "$: number 1.8446744073709552e+19 out of range");
	bad("18446744073709551615", "out of range");
	bad("-18446744073709551616", "out of range");
	bad("1.8446744073709551616e19", "out of range");
	bad("18446744073709551616.0", "out of range");
	json_free(ok("-18446744073709549568"));
}

static void test_depth(void **state)
{
	char s[2 * JSON_MAX_DEPTH + 3];
	int i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		s[i] = '[';
		s[JSON_MAX_DEPTH + i] = ']';
	}
	s[2 * JSON_MAX_DEPTH] = '\0';
	json_free(ok(s));			/* 32 levels: fine */
	memmove(s + 1, s, 2 * JSON_MAX_DEPTH + 1);
	s[0] = '[';
	memmove(s + 2 * JSON_MAX_DEPTH + 1, "]", 2);
	bad(s, "nesting deeper than 32");	/* 33 */
	bad("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	    "near end of file");	/* truncated and deep: a syntax error */
	bad("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}",
	    "$.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a: nesting deeper than 32");
}

static void test_load(void **state)
{
	char path[] = "/tmp/iobus-json-XXXXXX";
	struct json *j = NULL;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"tool\": \"iobus-stress\", \"runs\": [\n", f);
	fclose(f);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_BADJSON);
	assert_null(j);
	assert_non_null(strstr(err, "near end of file"));
	f = fopen(path, "w");
	fputs("{\"tool\": \"iobus-stress\"}\n", f);
	fclose(f);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_OK);
	assert_string_equal(json_get(j, "tool")->string, "iobus-stress");
	json_free(j);
	unlink(path);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_IO);
	assert_non_null(strstr(err, "cannot open: No such file"));
	assert_int_equal(json_load("/", &j, err, sizeof(err)), EX_IO);
	assert_non_null(strstr(err, "cannot read"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_wrong_numbers),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
