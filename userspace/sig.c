// SPDX-License-Identifier: GPL-2.0
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <string.h>

#include "sig.h"

static volatile sig_atomic_t received;

static void on_signal(int sig)
{
	received = sig;
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
