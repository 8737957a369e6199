// SPDX-License-Identifier: GPL-2.0
/*
 * kprof TARGET SECONDS [TOP]: a minimal sampling profiler for a guest
 * without perf(1).  Samples the kernel instruction pointer of TARGET
 * (cN: CPU N; pN: the task with pid N, e.g. a kthread) every 100 us of its
 * cpu-clock (perf_event_open(), PERF_COUNT_SW_CPU_CLOCK), for SECONDS,
 * and prints the TOP (30) functions by samples, resolved with
 * /proc/kallsyms (module functions included).  Used by `make bench` to
 * profile the reader's hot path (scripts/checks/guest/bench.sh,
 * BENCH_PROFILE=1).  Static: gcc -static -O2 -o kprof kprof.c.
 */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct sym { uint64_t addr; char name[272]; uint64_t hits; };

static struct sym *syms;
static size_t nsyms;

static int cmp_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_hits(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->hits < y->hits ? 1 : x->hits > y->hits ? -1 : 0;
}

static void load_kallsyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], type, name[128], mod[128];
	unsigned long long a;
	size_t cap = 0;

	if (!f) {
		perror("kprof: /proc/kallsyms");
		exit(9);
	}
	while (fgets(line, sizeof(line), f)) {
		mod[0] = 0;
		if (sscanf(line, "%llx %c %127s %127s", &a, &type, name, mod) < 3)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (nsyms == cap) {
			cap = cap ? 2 * cap : 65536;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				exit(9);
		}
		syms[nsyms].addr = a;
		syms[nsyms].hits = 0;
		snprintf(syms[nsyms].name, sizeof(syms[nsyms].name), "%s%s%s", name,
			 mod[0] ? " " : "", mod);
		nsyms++;
	}
	fclose(f);
	qsort(syms, nsyms, sizeof(*syms), cmp_addr);
}

static struct sym *lookup(uint64_t ip)
{
	size_t lo = 0, hi = nsyms;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= ip)
			lo = mid;
		else
			hi = mid;
	}
	return nsyms && syms[lo].addr <= ip ? &syms[lo] : NULL;
}

int main(int argc, char **argv)
{
	struct perf_event_attr pa = { 0 };
	struct perf_event_mmap_page *mp;
	size_t pages = 64, psz = sysconf(_SC_PAGESIZE), i;
	uint64_t total = 0, unknown = 0, lost = 0, tail = 0;
	int cpu = -1, pid = -1, secs, top, fd;
	time_t end;
	char *data;

	if (argc < 3) {
		fprintf(stderr, "usage: kprof cCPU|pPID SECONDS [TOP]\n");
		return 2;
	}
	if (argv[1][0] == 'c') {
		cpu = atoi(argv[1] + 1);
	} else if (argv[1][0] == 'p') {
		pid = atoi(argv[1] + 1);
	} else {
		fprintf(stderr, "kprof: target %s: cN or pN\n", argv[1]);
		return 2;
	}
	secs = atoi(argv[2]);
	top = argc > 3 ? atoi(argv[3]) : 30;
	load_kallsyms();
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.config = PERF_COUNT_SW_CPU_CLOCK;
	pa.sample_period = 100000;	/* ns */
	pa.sample_type = PERF_SAMPLE_IP;
	pa.exclude_user = 1;
	pa.wakeup_events = 1;
	fd = syscall(SYS_perf_event_open, &pa, pid, cpu, -1, 0);
	if (fd < 0) {
		perror("kprof: perf_event_open");
		return 9;
	}
	mp = mmap(NULL, (pages + 1) * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mp == MAP_FAILED) {
		perror("kprof: mmap");
		return 9;
	}
	data = (char *)mp + psz;
	end = time(NULL) + secs;
	while (time(NULL) < end) {
		uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);

		while (tail < head) {
			struct perf_event_header *h =
				(void *)(data + (tail % (pages * psz)));
			char buf[64];

			/* A record may wrap: copy it out first. */
			for (i = 0; i < h->size && i < sizeof(buf); i++)
				buf[i] = data[(tail + i) % (pages * psz)];
			h = (void *)buf;
			if (h->type == PERF_RECORD_SAMPLE) {
				uint64_t ip;
				struct sym *s;

				memcpy(&ip, buf + sizeof(*h), sizeof(ip));
				s = lookup(ip);
				total++;
				if (s)
					s->hits++;
				else
					unknown++;
			} else if (h->type == PERF_RECORD_LOST) {
				uint64_t n;

				memcpy(&n, buf + sizeof(*h) + 8, sizeof(n));
				lost += n;
			}
			tail += h->size;
		}
		__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
		usleep(20000);
	}
	qsort(syms, nsyms, sizeof(*syms), cmp_hits);
	printf("kprof: %s, %d s, %llu samples, %llu unresolved, %llu lost\n", argv[1], secs,
	       (unsigned long long)total, (unsigned long long)unknown,
	       (unsigned long long)lost);
	for (i = 0; i < nsyms && (int)i < top && syms[i].hits; i++)
		printf("kprof: %5.1f%% %6llu %s\n", 100.0 * syms[i].hits / (total ? total : 1),
		       (unsigned long long)syms[i].hits, syms[i].name);
	return 0;
}
