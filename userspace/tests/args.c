// SPDX-License-Identifier: GPL-2.0
/* The command line: getopt_long, flags per command, the dispatcher's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "exit_codes.h"

static char err[512];
#define RUN_FLAGS (F_DURATION | F_MODULE | F_JSON | F_CSV | F_SVG | F_TAP | F_KEYS)

/* Parse "iobus-stress CMD ARGS..." with @flags. */
static int parse(struct cli *c, unsigned int flags, const char *cmd, ...)
{
	char *argv[16] = { "iobus-stress", (char *)cmd };
	int argc = 2;
	va_list ap;

	va_start(ap, cmd);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	cli_free(c);
	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	return cli_parse(c, flags, argc, argv, err, sizeof(err));
}

static void test_getopt(void **state)
{
	struct cli c = { 0 };

	(void)state;
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--readers=3", NULL), 0);
	assert_string_equal(kv_set_get(&c.kv, "readers"), "3");
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--block-len", "8", "--probe_us", "5", NULL), 0);
	assert_string_equal(kv_set_get(&c.kv, "block_len"), "8");
	assert_string_equal(kv_set_get(&c.kv, "probe_us"), "5");
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--probe-mode", "back-to-back", NULL), 0);
	assert_string_equal(kv_set_get(&c.kv, "probe_mode"), "back-to-back");
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--probe_mode", "sideways", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--readers", "010", NULL), 0);
	assert_string_equal(kv_set_get(&c.kv, "readers"), "010");	/* ten */
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--readers", "0x1", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--duration", "2.5", NULL), 0);
	assert_int_equal(c.duration_ms, 2500);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--duration", "0.0004", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--duration", NULL), EX_USAGE);
	assert_non_null(strstr(err, "--duration needs a value"));
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--frob", "1", NULL), EX_USAGE);
	assert_non_null(strstr(err, "unknown option '--frob'"));
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "stray", NULL), EX_USAGE);
	/* -- ends the options: what follows is an argument */
	assert_int_equal(parse(&c, RUN_FLAGS | F_ARG, "help", "--", "--tap", NULL), 0);
	assert_string_equal(c.arg, "--tap");
	assert_false(c.tap);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--", "--tap", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--tap", NULL), 0);
	assert_true(c.tap);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--reclaim", "poll,sync", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS | F_LISTS, "matrix", "--reclaim", "poll,sync", NULL), 0);
	assert_int_equal(c.n_reclaim, 2);
	assert_string_equal(c.reclaim[1], "sync");
	cli_free(&c);
}

static void test_refusals(void **state)
{
	struct cli c = { 0 };

	(void)state;
	/* a flag that does not apply to the command */
	assert_int_equal(parse(&c, 0, "stop", "--json", "x", NULL), EX_USAGE);
	assert_string_equal(err, "--json does not apply to 'stop'");
	/* -h applies to every command (it had printed a stale flag's name) */
	assert_int_equal(parse(&c, 0, "stop", "-h", NULL), 0);
	assert_true(c.help);
	/* a flag where a file name belongs: refused, not created */
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--json", "--help", NULL), EX_USAGE);
	assert_string_equal(err, "--json needs a file name or -, not '--help'");
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--svg", "--tap", NULL), EX_USAGE);
	assert_string_equal(err, "--svg needs a file name or -, not '--tap'");
	assert_int_equal(parse(&c, F_JSON | F_CSV, "stats", "--readers", "2", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--repeat", "2", NULL), EX_USAGE);
	/* two outputs on stdout */
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--json", "-", "--tap", NULL), EX_USAGE);
	assert_non_null(strstr(err, "only one output can go to stdout"));
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--json", "-", "--csv", "-", NULL), EX_USAGE);
	assert_int_equal(parse(&c, RUN_FLAGS, "run", "--json", "-", "--csv", "x", NULL), 0);
	cli_free(&c);
}

/* cli_main in a child: its exit code, stdout and stderr. */
static int main_in_child(char **argv, char *out, size_t outlen)
{
	char path[] = "/tmp/iobus-args-XXXXXX";
	int fd = mkstemp(path), status, argc = 0;
	ssize_t n;
	pid_t pid;

	assert_true(fd >= 0);
	while (argv[argc])
		argc++;
	pid = fork();
	if (!pid) {
		dup2(fd, 1);
		dup2(fd, 2);
		_exit(cli_main(argc, argv));
	}
	waitpid(pid, &status, 0);
	n = pread(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_dispatcher(void **state)
{
	char out[8192];
	char *help_bogus[] = { "iobus-stress", "help", "bogus", NULL };
	char *help_run[] = { "iobus-stress", "help", "run", NULL };
	char *help[] = { "iobus-stress", "--help", NULL };
	char *bogus[] = { "iobus-stress", "frob", NULL };
	char *none[] = { "iobus-stress", NULL };
	char *stop[] = { "iobus-stress", "stop", NULL };
	char *stats[] = { "iobus-stress", "stats", "--json", "/nonexistent/x", NULL };

	(void)state;
	assert_int_equal(main_in_child(help_bogus, out, sizeof(out)), EX_USAGE);
	assert_non_null(strstr(out, "unknown command 'bogus'"));
	assert_int_equal(main_in_child(help_run, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "usage: iobus-stress run"));
	assert_int_equal(main_in_child(help, out, sizeof(out)), 0);
	/* keys spelled as the flags are */
	assert_non_null(strstr(out, "  --block-len "));
	assert_non_null(strstr(out, "  --early-devices "));
	assert_null(strstr(out, "--block_len"));
	assert_int_equal(main_in_child(bogus, out, sizeof(out)), EX_USAGE);
	assert_int_equal(main_in_child(none, out, sizeof(out)), EX_USAGE);
	assert_non_null(strstr(out, "no command given"));
	/* stop and stats never load the module: a missing one is an error */
	setenv("IOBUS_STRESS_DEBUGFS", "/nonexistent/iobus", 1);
	assert_int_equal(main_in_child(stop, out, sizeof(out)), EX_NOMODULE);
	assert_non_null(strstr(out, "iobus-stress: /nonexistent/iobus"));
	/* an output that cannot be opened fails before anything else */
	assert_int_equal(main_in_child(stats, out, sizeof(out)), EX_IO);
	assert_non_null(strstr(out, "cannot open JSON output /nonexistent/x"));
	unsetenv("IOBUS_STRESS_DEBUGFS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getopt),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_dispatcher),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
