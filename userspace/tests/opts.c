// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cli.h"
#include "kernel.h"
#include "opts.h"

static char err[256];

static void test_key_find(void **state)
{
	(void)state;
	assert_non_null(key_find("--block-len"));
	assert_string_equal(key_find("block_len")->name, "block_len");
	assert_null(key_find("--nosuch"));
}

static void test_validate(void **state)
{
	const struct key_spec *r = key_find("reclaim"), *n = key_find("readers");

	(void)state;
	assert_int_equal(key_validate(r, "call-srcu", err, sizeof(err)), 0);
	assert_int_equal(key_validate(r, "call", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "allowed: sync-expedited|"));
	assert_int_equal(key_validate(n, "64", err, sizeof(err)), 0);
	assert_int_equal(key_validate(n, "65", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0..64"));
	assert_int_equal(key_validate(n, "-1", err, sizeof(err)), -1);
	assert_int_equal(key_validate(n, "1e3", err, sizeof(err)), -1);
	assert_int_equal(key_validate(n, "", err, sizeof(err)), -1);
	assert_int_equal(key_validate(key_find("seed"), "0x10", err, sizeof(err)), 0);
	assert_int_equal(key_validate(key_find("seed"), "18446744073709551616", err, sizeof(err)), -1);
}

static void test_kv_set(void **state)
{
	struct kv_set s = { 0 };
	char buf[256];

	(void)state;
	assert_int_equal(kv_set_put(&s, "readers", "4", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "block-len", "8", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "readers", "3", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "bogus", "3", err, sizeof(err)), -1);
	assert_string_equal(err, "unknown option --bogus");
	assert_int_equal(s.n, 2);
	assert_int_equal(kv_set_format(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "defaults readers=3 block_len=8");
	assert_int_equal(kv_set_format(&s, buf, 10), -1);
}

static void test_list(void **state)
{
	char items[8][64];

	(void)state;
	assert_int_equal(list_parse(key_find("pattern"), "exit,cached", items, 8, err, sizeof(err)), 2);
	assert_string_equal(items[1], "cached");
	assert_int_equal(list_parse(key_find("pattern"), "exit,nope", items, 8, err, sizeof(err)), -1);
	assert_int_equal(list_parse(key_find("pattern"), ",", items, 8, err, sizeof(err)), -1);
}

static int parse(const char *cmd, const char *a1, const char *a2, struct cli *c)
{
	char *argv[] = { "iobus-stress", (char *)cmd, (char *)a1, (char *)a2, NULL };

	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	return cli_parse(c, a2 ? 4 : a1 ? 3 : 2, argv, err, sizeof(err));
}

static void test_cli(void **state)
{
	struct cli c;

	(void)state;
	assert_int_equal(parse("run", "--duration", "2.5", &c), 0);
	assert_int_equal(c.duration_ms, 2500);
	assert_int_equal(parse("run", "--duration", "0", &c), EX_USAGE);
	assert_int_equal(parse("run", "--duration", "x", &c), EX_USAGE);
	assert_int_equal(parse("run", "--duration", NULL, &c), EX_USAGE);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(parse("run", "--reclaim", "poll", &c), 0);
	assert_string_equal(kv_set_get(&c.kv, "reclaim"), "poll");
	assert_int_equal(parse("run", "--reclaim", "poll,sync", &c), EX_USAGE);
	assert_int_equal(parse("matrix", "--reclaim", "poll,sync", &c), 0);
	assert_int_equal(c.n_reclaim, 2);
	assert_int_equal(parse("boot", "--early", "3", &c), 0);
	assert_string_equal(kv_set_get(&c.kv, "early_devices"), "3");
	assert_int_equal(parse("run", "--frob", "1", &c), EX_USAGE);
	assert_int_equal(parse("run", "stray", NULL, &c), EX_USAGE);
	assert_int_equal(parse("boot", "--repeat", "0", &c), EX_USAGE);
	assert_int_equal(parse("run", "--tap", NULL, &c), 0);
	assert_true(c.tap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_find),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_kv_set),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
