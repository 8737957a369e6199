// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config_keys.h"
#include "debugfs.h"
#include "exit_codes.h"
#include "provenance.h"

#define DEBUGFS "/sys/kernel/debug"

const char *dbg_dir(void)
{
	const char *d = getenv("IOBUS_STRESS_DEBUGFS");

	return d && *d ? d : DEBUGFS "/iobus_stress";
}

long dbg_read(const char *file, char **out)
{
	char path[PATH_MAX], *buf = NULL, *grown;
	size_t got = 0, cap = 0;
	ssize_t n;
	int fd, err;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", dbg_dir(), file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (got + 1 >= cap) {
			cap = cap ? 2 * cap : 16384;
			grown = realloc(buf, cap);
			if (!grown) {
				err = -ENOMEM;
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto fail;
		}
		if (!n)
			break;
		got += n;
	}
	buf[got] = '\0';
	close(fd);
	*out = buf;
	return got;
fail:
	free(buf);
	close(fd);
	return err;
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
		if (errno == ENOSYS || access("/proc/modules", F_OK))
			snprintf(err, errlen,
				 "loading %s failed: %s: this kernel has no module support (CONFIG_MODULES is off; no /proc/modules)",
				 path, strerror(errno));
		else
			snprintf(err, errlen,
				 "loading %s failed: %s (is it built for this kernel? make module KDIR=/lib/modules/$(uname -r)/build)",
				 path, strerror(errno));
		close(fd);
		return EX_LOADFAIL;
	}
	close(fd);
	return EX_OK;
}

int kernel_ready(const char *module_path, const char *argv0, int load,
		 char *err, size_t errlen)
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
	if (!load) {
		snprintf(err, errlen,
			 "module iobus_stress is not loaded (%s is missing)",
			 dbg_dir());
		return EX_NOMODULE;
	}
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

int module_keys_check(char *err, size_t errlen)
{
	char *text, diff[400];
	long n = dbg_read("keys", &text);
	int r;

	if (n == -ENOENT) {
		fprintf(stderr, "iobus-stress: note: the loaded module has no %s/keys (older than this driver): its keys are not compared, and it refuses a config it does not take (exit 8)\n",
			dbg_dir());
		return EX_OK;
	}
	if (n < 0) {
		snprintf(err, errlen, "cannot read %s/keys: %s", dbg_dir(),
			 strerror((int)-n));
		return EX_IO;
	}
	r = keys_compare(text, diff, sizeof(diff));
	free(text);
	if (!r)
		return EX_OK;
	snprintf(err, errlen, "the loaded module is not this driver's (%s): %s%s; rmmod iobus_stress and load the iobus_stress.ko built with it",
		 ibs_version(), r < 0 ? "its keys file: " : "its keys differ: ",
		 diff);
	return EX_REJECTED;
}

int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void kmsg_reason(int fd, char *buf, size_t len)
{
	char rec[2048], *msg, *nl;
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;		/* EAGAIN: nothing newer */
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(msg, "iobus_stress: ", 14))
			snprintf(buf, len, "%s", msg);
	}
	close(fd);
}
