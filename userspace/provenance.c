// SPDX-License-Identifier: GPL-2.0
/* Where a result came from (provenance.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "output.h"
#include "provenance.h"

#ifndef IBS_VERSION
#define IBS_VERSION "0.3.0"
#endif

const char *ibs_version(void)
{
	return IBS_VERSION;
}

static struct provenance self;
static int self_set;

const struct provenance *provenance_self(void)
{
	return self_set ? &self : NULL;
}

void provenance_set_self(const struct provenance *p)
{
	if (p)
		self = *p;
	self_set = p != NULL;
}

/* The first line of @path without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

unsigned int provenance_hz_from_config(const char *text)
{
	const char *p = text;
	unsigned long v;
	char *end;

	while ((p = strstr(p, "CONFIG_HZ=")) != NULL) {
		/* at the start of a line: not CONFIG_HZ_250= or FOO_CONFIG_HZ= */
		if (p == text || p[-1] == '\n') {
			v = strtoul(p + 10, &end, 10);
			if (end != p + 10 && (*end == '\n' || !*end) && v > 0 &&
			    v <= 100000)
				return (unsigned int)v;
		}
		p += 10;
	}
	return 0;
}

unsigned int provenance_round_hz(double rate)
{
	static const unsigned int hz[] = { 100, 250, 300, 1000 };
	unsigned int best = 0;
	double d, bestd = 0;
	size_t i;

	if (!(rate > 0))
		return 0;
	for (i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		d = fabs(log(rate / hz[i]));
		if (!best || d < bestd) {
			best = hz[i];
			bestd = d;
		}
	}
	/* more than 20% from every usual value: not a HZ we can name */
	return bestd < log(1.2) ? best : 0;
}

/* A gzip'ed or plain file (at most 4 MiB) as a NUL-terminated string. */
static char *read_maybe_gz(const char *path)
{
	gzFile g = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf, *grown;
	int r;

	if (!g)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		r = gzread(g, buf + n, (unsigned int)(cap - n - 1));
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n + 1 == cap) {
			if (cap >= (4u << 20))
				break;
			grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	gzclose(g);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* The jiffies counter from /proc/timer_list; 0 when unreadable. */
static unsigned long long read_jiffies(void)
{
	FILE *f = fopen("/proc/timer_list", "r");
	char line[256];
	unsigned long long j = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "jiffies: %llu", &j) == 1)
			break;
	fclose(f);
	return j;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void find_hz(struct provenance *p, int measure)
{
	char path[160], *text;
	unsigned long long j0, j1;
	double t0, t1, r0, r1, dt, wait;
	struct timespec d;

	snprintf(path, sizeof(path), "/boot/config-%s", p->kernel);
	const char *src[] = { "/proc/config.gz", path };

	for (size_t i = 0; i < 2; i++) {
		text = read_maybe_gz(src[i]);
		if (!text)
			continue;
		p->hz = provenance_hz_from_config(text);
		free(text);
		if (p->hz) {
			snprintf(p->hz_source, sizeof(p->hz_source), "%s", src[i]);
			return;
		}
	}
	if (!measure)
		goto unknown;
	/*
	 * No config: count jiffies over CLOCK_MONOTONIC.  Reading
	 * /proc/timer_list takes a while (every timer of every CPU: 10-40 ms
	 * under QEMU TCG on a busy host), so each read is bracketed by two
	 * clock readings and its midpoint taken, and the interval is at least
	 * 300 ms and 40 first reads long (at most 2 s): the rate is then
	 * within +-8% (half a read's time each side, one jiffy of counting;
	 * 3.3% + 2.5% at HZ=100 with 20 ms reads), where 250 and 300, the
	 * nearest pair, are 18% apart.  A less certain rate is refused.
	 */
	t0 = mono_s();
	j0 = read_jiffies();
	r0 = mono_s();
	wait = 40 * (r0 - t0);
	wait = wait < 0.3 ? 0.3 : wait > 2 ? 2 : wait;
	d.tv_sec = (time_t)wait;
	d.tv_nsec = (long)((wait - (double)d.tv_sec) * 1e9);
	nanosleep(&d, NULL);
	t1 = mono_s();
	j1 = read_jiffies();
	r1 = mono_s();
	dt = (t1 + r1) / 2 - (t0 + r0) / 2;
	if (j0 && j1 > j0 && dt > 0 &&
	    ((r0 - t0) + (r1 - t1)) / 2 / dt + 1.0 / (double)(j1 - j0) < 0.08) {
		p->hz = provenance_round_hz((double)(j1 - j0) / dt);
		snprintf(p->hz_source, sizeof(p->hz_source),
			 "measured: %llu jiffies in %.0f ms (/proc/timer_list)",
			 j1 - j0, dt * 1e3);
		if (p->hz)
			return;
	}
unknown:
	snprintf(p->hz_source, sizeof(p->hz_source),
		 "unknown: no /proc/config.gz, no %s%s", path,
		 measure ? ", no steady jiffies count in /proc/timer_list" : "");
}

/* Has /proc/cpuinfo's "flags" line the word @flag?  (x86 only.) */
static int cpu_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	int found = 0;

	if (!f)
		return 0;
	while (!found && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "flags", 5))
			continue;
		for (tok = strtok_r(strchr(line, ':') ?: line, " \t\n:", &save);
		     tok; tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, flag))
				found = 1;
		break;		/* the first CPU's flags */
	}
	free(line);
	fclose(f);
	return found;
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], *v;

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* x86 "model name", arm64 "CPU part" / "CPU implementer" */
		if (strncmp(line, "model name", 10) && strncmp(line, "Model", 5))
			continue;
		v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		snprintf(buf, len, "%s", v);
		break;
	}
	fclose(f);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

void provenance_kvm_backend(char *buf, size_t len)
{
	if (!exists("/dev/kvm")) {
		snprintf(buf, len, "none");
		return;
	}
	/* A vendor module counts only where the CPU has its extension. */
	if (exists("/sys/module/kvm_intel") && cpu_flag("vmx"))
		snprintf(buf, len, "kvm_intel");
	else if (exists("/sys/module/kvm_amd") && cpu_flag("svm"))
		snprintf(buf, len, "kvm_amd");
	else if (exists("/sys/module/kvm_pvm"))
		snprintf(buf, len, "kvm_pvm");
#if defined(__aarch64__)
	else
		snprintf(buf, len, "kvm_arm");
#else
	else
		snprintf(buf, len, "unknown");
#endif
}

static int virtualized(void)
{
	char v[128];

#if defined(__x86_64__) || defined(__i386__)
	if (cpu_flag("hypervisor"))
		return 1;
#endif
	if (exists("/sys/hypervisor/type"))
		return 1;
	read_line("/sys/class/dmi/id/sys_vendor", v, sizeof(v));
	return strstr(v, "QEMU") || strstr(v, "KVM") || strstr(v, "VMware") ||
	       strstr(v, "Xen") || strstr(v, "innotek") ||
	       strstr(v, "Microsoft") || strstr(v, "Amazon EC2") ||
	       strstr(v, "Google");
}

void provenance_collect(struct provenance *p, int argc, char **argv,
			int measure_hz)
{
	struct utsname u;
	struct tm tm;
	time_t now = time(NULL);
	size_t n = 0, l;
	long cpus;
	int i;

	memset(p, 0, sizeof(*p));
	snprintf(p->version, sizeof(p->version), "%s", ibs_version());
	if (!uname(&u)) {
		snprintf(p->kernel, sizeof(p->kernel), "%s", u.release);
		snprintf(p->machine, sizeof(p->machine), "%s", u.machine);
	}
	find_hz(p, measure_hz);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  p->clocksource, sizeof(p->clocksource));
	provenance_kvm_backend(p->kvm_backend, sizeof(p->kvm_backend));
	p->virtualized = virtualized();
	p->kvm_nested = strcmp(p->kvm_backend, "none") && p->virtualized;
	cpu_model(p->cpu_model, sizeof(p->cpu_model));
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	p->cpus = cpus > 0 ? (int)cpus : 0;
	if (gmtime_r(&now, &tm))
		strftime(p->date, sizeof(p->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; i < argc; i++) {
		l = strlen(argv[i]);
		if (n + l + 2 >= sizeof(p->command) - 4) {
			snprintf(p->command + n, sizeof(p->command) - n, "...");
			break;
		}
		if (i)
			p->command[n++] = ' ';
		memcpy(p->command + n, argv[i], l);
		n += l;
		p->command[n] = '\0';
	}
}

json_t *provenance_json(const struct provenance *p)
{
	json_t *o = json_object();

	if (!o || jw_set(o, "version", jw_str(p->version)) ||
	    jw_set(o, "kernel", jw_str(p->kernel)) ||
	    jw_set(o, "machine", jw_str(p->machine)) ||
	    jw_set(o, "hz", jw_u64(p->hz)) ||
	    jw_set(o, "hz_source", jw_str(p->hz_source)) ||
	    jw_set(o, "clocksource", jw_str(p->clocksource)) ||
	    jw_set(o, "kvm_backend", jw_str(p->kvm_backend)) ||
	    jw_set(o, "kvm_nested", json_boolean(p->kvm_nested)) ||
	    jw_set(o, "cpu_model", jw_str(p->cpu_model)) ||
	    jw_set(o, "cpus", json_integer(p->cpus)) ||
	    jw_set(o, "virtualized", json_boolean(p->virtualized)) ||
	    jw_set(o, "date", jw_str(p->date)) ||
	    jw_set(o, "command", jw_str(p->command))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void provenance_line(const struct provenance *p, char *buf, size_t len)
{
	char hz[16];

	if (p->hz)
		snprintf(hz, sizeof(hz), "%u", p->hz);
	else
		snprintf(hz, sizeof(hz), "?");
	snprintf(buf, len,
		 "kernel %s, HZ %s, clocksource %s, KVM %s%s, %d x %s%s, iobus-stress %s, %s",
		 p->kernel, hz, *p->clocksource ? p->clocksource : "?",
		 p->kvm_backend, p->kvm_nested ? " (nested)" : "", p->cpus,
		 p->cpu_model, p->virtualized ? " (virtualized)" : "",
		 p->version, p->date);
}
