// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"

#define DEBUGFS "/sys/kernel/debug"

const char *dbg_dir(void)
{
	const char *d = getenv("IOBUS_STRESS_DEBUGFS");

	return d && *d ? d : DEBUGFS "/iobus_stress";
}

long dbg_read(const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dbg_dir(), file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got + 1 < len) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		got += n;
	}
	buf[got] = '\0';
	close(fd);
	return got;
}

int dbg_write(const char *file, const char *text)
{
	char path[PATH_MAX];
	size_t len = strlen(text);
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dbg_dir(), file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

static int debugfs_mounted(void)
{
	char line[512];
	FILE *f = fopen("/proc/mounts", "re");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " " DEBUGFS " debugfs "))
			found = 1;
	fclose(f);
	return found;
}

/* The module next to the program, or in ../module (a build tree). */
static int find_module(const char *argv0, char *out, size_t len)
{
	static const char *const rel[] = {
		"iobus_stress.ko", "../module/iobus_stress.ko",
	};
	char self[PATH_MAX], dir[PATH_MAX];
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
	} else {
		snprintf(self, sizeof(self), "%s", argv0);
	}
	snprintf(dir, sizeof(dir), "%s", self);
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(out, len, "%s/%s", dirname(dir), rel[i]);
		if (!access(out, R_OK))
			return 0;
		snprintf(dir, sizeof(dir), "%s", self);
	}
	return -1;
}

static int load_module(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open module %s: %s", path,
			 strerror(errno));
		return EX_NOMODULE;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		snprintf(err, errlen,
			 "loading %s failed: %s (is it built for this kernel? make module KDIR=/lib/modules/$(uname -r)/build)",
			 path, strerror(errno));
		close(fd);
		return EX_NOMODULE;
	}
	close(fd);
	return EX_OK;
}

int kernel_ready(const char *module_path, const char *argv0, char *err,
		 size_t errlen)
{
	char path[PATH_MAX];
	struct stat st;
	int ret;

	if (getenv("IOBUS_STRESS_DEBUGFS")) {
		if (stat(dbg_dir(), &st)) {
			snprintf(err, errlen, "%s: %s", dbg_dir(),
				 strerror(errno));
			return EX_NOMODULE;
		}
		return EX_OK;
	}
	if (geteuid() != 0) {
		snprintf(err, errlen,
			 "must run as root (debugfs and module loading need it): sudo iobus-stress ...");
		return EX_NOROOT;
	}
	if (!debugfs_mounted()) {
		snprintf(err, errlen,
			 "debugfs is not mounted: mount -t debugfs none " DEBUGFS);
		return EX_NODEBUGFS;
	}
	if (!stat(dbg_dir(), &st))
		return EX_OK;
	if (module_path) {
		snprintf(path, sizeof(path), "%s", module_path);
	} else if (find_module(argv0, path, sizeof(path))) {
		snprintf(err, errlen,
			 "module iobus_stress is not loaded and iobus_stress.ko was not found next to the program: insmod it or pass --module PATH");
		return EX_NOMODULE;
	}
	ret = load_module(path, err, errlen);
	if (ret)
		return ret;
	if (stat(dbg_dir(), &st)) {
		snprintf(err, errlen, "module loaded but %s is missing",
			 dbg_dir());
		return EX_NOMODULE;
	}
	return EX_OK;
}

void kernel_reason(char *buf, size_t len)
{
	int size = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *log, *p, *last = NULL, *nl;
	int n;

	buf[0] = '\0';
	if (size <= 0)
		return;
	log = malloc(size + 1);
	if (!log)
		return;
	n = klogctl(3, log, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n > 0) {
		log[n] = '\0';
		for (p = strstr(log, "iobus_stress: "); p;
		     p = strstr(p + 1, "iobus_stress: "))
			last = p;
		if (last) {
			nl = strchr(last, '\n');
			if (nl)
				*nl = '\0';
			snprintf(buf, len, "%s", last);
		}
	}
	free(log);
}
