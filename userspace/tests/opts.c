// SPDX-License-Identifier: GPL-2.0
/* The one option parser: each kind, bounds, the common refusals, `--`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "exit_codes.h"
#include "opts.h"

enum { M_A = 1, M_B = 2 };

static struct {
	int flag, help, count_set, calls;
	unsigned int count, ms;
	unsigned long long big;
	double ratio;
	const char *out, *path, *name, *last;
} v;

static char err[256];
static int next;

/* accepts "red" and "green"; "blue" has its own line; else the common one */
static int colour(void *ctx, const struct opt *o, const char *value,
		  char *e, size_t len)
{
	(void)o;
	v.calls++;
	v.last = value;
	if (ctx != &v)
		return -1;
	if (!strcmp(value, "blue")) {
		snprintf(e, len, "blue is not a colour here");
		return -1;
	}
	return strcmp(value, "red") && strcmp(value, "green");
}

static const struct opt tab[] = {
	{ .name = "flag", .kind = OPT_FLAG, .dst = &v.flag },
	{ .name = "count", .kind = OPT_UINT, .dst = &v.count, .min = 1, .max = 10,
	  .set = &v.count_set },
	{ .name = "big", .kind = OPT_U64, .dst = &v.big, .max = ~0ULL,
	  .what = "a decimal integer below 2^64" },
	{ .name = "time", .kind = OPT_SECONDS, .dst = &v.ms, .max = 60000 },
	{ .name = "ratio", .kind = OPT_DECIMAL, .dst = &v.ratio, .lo = 1, .hi = 5,
	  .flags = OPT_ABOVE, .what = "a decimal > 1, at most 5" },
	{ .name = "out", .kind = OPT_FILE, .dst = &v.out, .flags = OPT_STDOUT },
	{ .name = "path", .kind = OPT_FILE, .dst = &v.path, .mask = M_B },
	{ .name = "name", .kind = OPT_STRING, .dst = &v.name, .mask = M_A },
	{ .name = "colour", .kind = OPT_CALL, .call = colour,
	  .what = "red or green" },
	{ .name = "help", .kind = OPT_FLAG, .dst = &v.help, .short_name = 'h' },
};

static struct opts_how how = { .cmd = "try", .allow = M_A, .ctx = &v };

/* Parse "try ARGS..." */
static int parse(const char *a, ...)
{
	char *argv[16] = { "try" };
	int argc = 1;
	va_list ap;

	va_start(ap, a);
	for (argv[argc] = (char *)a; argv[argc]; argv[argc] = va_arg(ap, char *))
		argc++;
	va_end(ap);
	memset(&v, 0, sizeof(v));
	err[0] = '\0';
	next = -1;
	return opts_parse(tab, sizeof(tab) / sizeof(tab[0]), &how, argc, argv,
			  err, sizeof(err), &next);
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(parse("--flag", "--count", "7", "--big", "18446744073709551615",
			       "--time", "1.5", "--ratio", "2.5", "--out", "-",
			       "--name", "--x", "--colour", "red", "-h", NULL), 0);
	assert_true(v.flag);
	assert_int_equal(v.count, 7);
	assert_true(v.count_set);
	assert_true(v.big == ~0ULL);
	assert_int_equal(v.ms, 1500);
	assert_true(v.ratio == 2.5);
	assert_string_equal(v.out, "-");
	assert_string_equal(v.name, "--x");	/* a plain string takes anything */
	assert_int_equal(v.calls, 1);
	assert_string_equal(v.last, "red");
	assert_true(v.help);
	assert_int_equal(next, 17);
	/* nothing given: nothing set */
	assert_int_equal(parse(NULL), 0);
	assert_false(v.count_set);
	assert_int_equal(next, 1);
}

static void test_key_value(void **state)
{
	(void)state;
	assert_int_equal(parse("--count=3", "--out=o.json", "--colour=green", NULL), 0);
	assert_int_equal(v.count, 3);
	assert_string_equal(v.out, "o.json");
	assert_string_equal(v.last, "green");
	/* an empty value is a value, and a bad one */
	assert_int_equal(parse("--count=", NULL), EX_USAGE);
	assert_string_equal(err, "bad value '' for --count (decimal 1..10)");
	/* a flag takes no value */
	assert_int_equal(parse("--flag=1", NULL), EX_USAGE);
	assert_string_equal(err, "unknown option '--flag=1'");
}

static void test_bounds(void **state)
{
	(void)state;
	assert_int_equal(parse("--count", "10", NULL), 0);
	assert_int_equal(parse("--count", "1", NULL), 0);
	assert_int_equal(parse("--count", "11", NULL), EX_USAGE);
	assert_string_equal(err, "bad value '11' for --count (decimal 1..10)");
	assert_int_equal(parse("--count", "0", NULL), EX_USAGE);
	assert_false(v.count_set);
	assert_int_equal(parse("--count", "0x1", NULL), EX_USAGE);
	assert_int_equal(parse("--big", "18446744073709551616", NULL), EX_USAGE);
	assert_string_equal(err, "bad value '18446744073709551616' for --big (a decimal integer below 2^64)");
	assert_int_equal(parse("--time", "60", NULL), 0);
	assert_int_equal(v.ms, 60000);
	assert_int_equal(parse("--time", "60.001", NULL), EX_USAGE);
	assert_string_equal(err, "bad value '60.001' for --time (seconds, at least 0.001, at most 60)");
	assert_int_equal(parse("--time", "0.0004", NULL), EX_USAGE);
	assert_int_equal(parse("--ratio", "5", NULL), 0);
	assert_int_equal(parse("--ratio", "5.01", NULL), EX_USAGE);
	/* OPT_ABOVE: the low bound itself is refused */
	assert_int_equal(parse("--ratio", "1", NULL), EX_USAGE);
	assert_string_equal(err, "bad value '1' for --ratio (a decimal > 1, at most 5)");
	assert_int_equal(parse("--ratio", "1.001", NULL), 0);
	assert_int_equal(parse("--ratio", "2e0", NULL), EX_USAGE);
}

static void test_refusals(void **state)
{
	(void)state;
	/* a flag where a file name belongs is not a file name */
	assert_int_equal(parse("--out", "--help", NULL), EX_USAGE);
	assert_string_equal(err, "--out needs a file name or -, not '--help'");
	assert_null(v.out);
	assert_false(v.help);
	assert_int_equal(parse("--out=--flag", NULL), EX_USAGE);
	assert_string_equal(err, "--out needs a file name or -, not '--flag'");
	how.allow = M_B;
	assert_int_equal(parse("--path", "--x", NULL), EX_USAGE);
	assert_string_equal(err, "--path needs a file name, not '--x'");
	assert_int_equal(parse("--path", "-x", NULL), 0);
	assert_string_equal(v.path, "-x");
	/* the mask: --name is M_A's, --path M_B's */
	assert_int_equal(parse("--name", "n", NULL), EX_USAGE);
	assert_string_equal(err, "--name does not apply to 'try'");
	how.allow = M_A;
	assert_int_equal(parse("--path", "p", NULL), EX_USAGE);
	assert_string_equal(err, "--path does not apply to 'try'");
	assert_int_equal(parse("--name", "n", NULL), 0);
	/* unknown, missing value */
	assert_int_equal(parse("--frob", NULL), EX_USAGE);
	assert_string_equal(err, "unknown option '--frob'");
	assert_int_equal(parse("-x", NULL), EX_USAGE);
	assert_string_equal(err, "unknown option '-x'");
	assert_int_equal(parse("--count", NULL), EX_USAGE);
	assert_string_equal(err, "--count needs a value");
	assert_int_equal(parse("--flag", "--colour", NULL), EX_USAGE);
	assert_string_equal(err, "--colour needs a value");
	/* the first error ends the parse */
	assert_int_equal(parse("--count", "99", "--flag", NULL), EX_USAGE);
	assert_false(v.flag);
}

static void test_callback(void **state)
{
	(void)state;
	/* no line of its own: the common one with .what */
	assert_int_equal(parse("--colour", "mauve", NULL), EX_USAGE);
	assert_string_equal(err, "bad value 'mauve' for --colour (red or green)");
	/* its own line */
	assert_int_equal(parse("--colour", "blue", NULL), EX_USAGE);
	assert_string_equal(err, "blue is not a colour here");
	/* called once per occurrence, the last one kept by the callee */
	assert_int_equal(parse("--colour", "red", "--colour", "green", NULL), 0);
	assert_int_equal(v.calls, 2);
	assert_string_equal(v.last, "green");
}

static void test_positionals(void **state)
{
	(void)state;
	/* none allowed */
	how.max_args = 0;
	assert_int_equal(parse("stray", NULL), EX_USAGE);
	assert_string_equal(err, "unexpected argument 'stray'");
	/* `--` ends the options: what follows is an argument */
	how.max_args = 1;
	assert_int_equal(parse("--flag", "--", "--count", NULL), 0);
	assert_true(v.flag);
	assert_int_equal(v.count, 0);
	assert_int_equal(next, 3);
	assert_int_equal(parse("--", "--count", "2", NULL), EX_USAGE);
	assert_string_equal(err, "unexpected argument '2'");
	/* without permute the first positional ends the options */
	how.max_args = -1;
	assert_int_equal(parse("a", "--flag", NULL), 0);
	assert_false(v.flag);
	assert_int_equal(next, 1);
	/* with permute options come anywhere, positionals after them */
	how.permute = 1;
	assert_int_equal(parse("a", "--flag", "b", "--count", "2", NULL), 0);
	assert_true(v.flag);
	assert_int_equal(v.count, 2);
	assert_int_equal(next, 4);
	assert_int_equal(parse("a", "--", "--flag", NULL), 0);
	assert_false(v.flag);
	assert_int_equal(next, 2);
	how.permute = 0;
	how.max_args = 0;
}

static const struct opt stop_tab[] = {
	{ .name = "help", .kind = OPT_FLAG, .dst = &v.help, .short_name = 'h',
	  .flags = OPT_STOP },
	{ .name = "count", .kind = OPT_UINT, .dst = &v.count, .max = 10 },
};

static void test_stop(void **state)
{
	char *argv[] = { "try", "--help", "--bogus", "x", NULL };
	char *argv2[] = { "try", "--count", "99", "-h", NULL };

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(opts_parse(stop_tab, 2, &how, 4, argv, err, sizeof(err), &next), 0);
	assert_true(v.help);
	/* an error before it still counts */
	assert_int_equal(opts_parse(stop_tab, 2, &how, 4, argv2, err, sizeof(err), &next),
			 EX_USAGE);
	assert_string_equal(err, "bad value '99' for --count (decimal 0..10)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_callback),
		cmocka_unit_test(test_positionals),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
