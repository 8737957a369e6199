/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a result came from: tool version, kernel, HZ, clocksource, KVM
 * backend, CPU, whether the machine is itself a guest, date and command
 * line.  Every result file carries it as its "provenance" object, and
 * `compare` shows it and warns (or refuses) when two sides differ.
 */
#ifndef IOBUS_PROVENANCE_H
#define IOBUS_PROVENANCE_H

#include <stdio.h>

#include <jansson.h>

struct provenance {
	char version[64];	/* "0.3.0" or "0.3.0 (git 1234abc)" */
	char kernel[65];	/* uname -r */
	char machine[65];	/* uname -m */
	unsigned int hz;	/* 0: unknown */
	char hz_source[256];	/* "/proc/config.gz", "measured: ...", ... */
	char clocksource[64];	/* "" when unreadable */
	char kvm_backend[32];	/* kvm_intel, kvm_amd, kvm_pvm, kvm_arm, none */
	int kvm_nested;		/* the backend runs inside a VM (0/1) */
	char cpu_model[128];
	int cpus;		/* online */
	int virtualized;	/* CPUID's hypervisor bit (x86) / DMI, 0/1 */
	char date[32];		/* UTC, ISO 8601 */
	char command[512];	/* argv joined by spaces (truncated with ...) */
};

/*
 * Fill @p for this process: @argc/@argv is the command line.  Never
 * fails: what cannot be read stays empty or 0.  @measure_hz: when no
 * kernel config is readable, count jiffies in /proc/timer_list over
 * 0.3-2 s (needs root; costs that time).
 */
void provenance_collect(struct provenance *p, int argc, char **argv,
			int measure_hz);
/* The process-wide record main() collects; NULL before that (or after setting NULL). */
const struct provenance *provenance_self(void);
void provenance_set_self(const struct provenance *p);

/* HZ from a kernel config's text ("CONFIG_HZ=250"); 0 when absent. */
unsigned int provenance_hz_from_config(const char *text);
/* The usual HZ value nearest to a measured rate (100, 250, 300, 1000). */
unsigned int provenance_round_hz(double rate);
/* "kvm_amd" etc. for this host; "none" without /dev/kvm's modules. */
void provenance_kvm_backend(char *buf, size_t len);

/* The "provenance" object (output.h's writer), or NULL when out of memory. */
json_t *provenance_json(const struct provenance *p);
/* One human line: "kernel K, HZ 250 (src), clocksource C, KVM B, ..." */
void provenance_line(const struct provenance *p, char *buf, size_t len);

/* The build's version string (userspace/Makefile sets IBS_VERSION). */
const char *ibs_version(void);

#endif
