// SPDX-License-Identifier: GPL-2.0
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"

static volatile sig_atomic_t received;

static void say(const char *msg)
{
	ssize_t n = write(STDERR_FILENO, msg, strlen(msg));

	(void)n;	/* nothing better to do in a signal handler */
}

static void on_signal(int sig)
{
	struct sigaction dfl;

	if (!received) {
		received = sig;
		say("\niobus-stress: stopping the run (signal again to abort at once)\n");
		return;
	}
	say("\niobus-stress: second signal: aborting without waiting for the module to stop\n");
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

int sig_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	received = 0;
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -1;
	return 0;
}

int sig_pending(void)
{
	return received;
}
