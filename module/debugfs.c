// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs interface, /sys/kernel/debug/iobus_stress/:
 *   config   read: every key=value; write: key=value tokens, all validated
 *            before any is applied (-EINVAL and a pr_warn naming the bad
 *            one; -EBUSY while a run is in progress)
 *   control  write: start | stop | reset
 *            read: "<idle|running|stopping|done> <elapsed_ms>"
 *   stats    "key: value" lines (docs/interface.md lists them)
 *   compat   the SRCU APIs found at build time (compat.h)
 *   hist/<metric>  "lower_ns upper_ns count" per non-empty bucket
 */
#define pr_fmt(fmt) "iobus_stress: " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "iobus_stress.h"

#define IBS_WRITE_MAX	1024

static struct dentry *ibs_dir;

/*
 * Copy a user write into a NUL-terminated kernel buffer.  A NUL byte
 * inside the write is refused: parsing would stop there and silently drop
 * the rest.
 */
static char *ibs_copy_write(const char __user *ubuf, size_t count,
			    const char *file)
{
	char *buf;

	if (count >= IBS_WRITE_MAX) {
		pr_warn("%s: write of %zu bytes is too long (max %d)\n",
			file, count, IBS_WRITE_MAX - 1);
		return ERR_PTR(-EINVAL);
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	if (strlen(buf) != count) {
		pr_warn("%s: write contains a NUL byte at offset %zu\n",
			file, strlen(buf));
		kfree(buf);
		return ERR_PTR(-EINVAL);
	}
	return buf;
}

static int ibs_config_show_file(struct seq_file *m, void *v)
{
	mutex_lock(&ibs_lock);
	ibs_config_show(m, &ibs_cfg, "=");
	mutex_unlock(&ibs_lock);
	return 0;
}

static int ibs_config_open(struct inode *inode, struct file *file)
{
	return single_open(file, ibs_config_show_file, NULL);
}

static ssize_t ibs_config_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *buf = ibs_copy_write(ubuf, count, "config");
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&ibs_lock);
	if (ibs_run.state == IBS_RUNNING || ibs_run.state == IBS_STOPPING) {
		pr_warn("config: a run is in progress; stop it first\n");
		ret = -EBUSY;
	} else {
		ret = ibs_config_parse(&ibs_cfg, buf);
	}
	mutex_unlock(&ibs_lock);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations ibs_config_fops = {
	.owner = THIS_MODULE,
	.open = ibs_config_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ibs_config_write,
};

static int ibs_control_show(struct seq_file *m, void *v)
{
	mutex_lock(&ibs_lock);
	seq_printf(m, "%s %llu\n", ibs_state_name(READ_ONCE(ibs_run.state)),
		   div_u64(ibs_elapsed_ns(), NSEC_PER_MSEC));
	mutex_unlock(&ibs_lock);
	return 0;
}

static int ibs_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, ibs_control_show, NULL);
}

static ssize_t ibs_control_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char *buf = ibs_copy_write(ubuf, count, "control");
	char *cmd;
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	cmd = strim(buf);
	if (!strcmp(cmd, "start")) {
		ret = ibs_start();
	} else if (!strcmp(cmd, "stop")) {
		ret = ibs_stop(true);
	} else if (!strcmp(cmd, "reset")) {
		ret = ibs_reset();
	} else {
		pr_warn("control: unknown command '%s' (start|stop|reset)\n",
			cmd);
		ret = -EINVAL;
	}
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations ibs_control_fops = {
	.owner = THIS_MODULE,
	.open = ibs_control_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ibs_control_write,
};

static int ibs_stats_file_show(struct seq_file *m, void *v)
{
	mutex_lock(&ibs_lock);
	ibs_stats_show(m);
	mutex_unlock(&ibs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ibs_stats_file);

/* The SRCU APIs Kbuild found (compat.h), for the driver's matrix. */
static int ibs_compat_file_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", IBS_COMPAT_STR);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ibs_compat_file);

/* Every config key: name, type, allowed values, default, unit, help. */
static int ibs_keys_file_show(struct seq_file *m, void *v)
{
	ibs_config_keys_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ibs_keys_file);

static int ibs_hist_file_show(struct seq_file *m, void *v)
{
	/* ibs_lock: a start or reset may clear the histogram meanwhile. */
	mutex_lock(&ibs_lock);
	ibs_hist_show(m, m->private);
	mutex_unlock(&ibs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ibs_hist_file);

/*
 * Without debugfs (not built, not mounted at boot, lockdown) the module
 * still loads: module parameters and autostart work, and the debugfs calls
 * below accept the error pointer and do nothing.
 */
void ibs_debugfs_init(void)
{
	struct dentry *hist;
	int i;

	ibs_dir = debugfs_create_dir(IBS_NAME, NULL);
	if (IS_ERR(ibs_dir))
		pr_warn("debugfs unavailable (%pe): only module parameters work\n",
			ibs_dir);
	debugfs_create_file("config", 0600, ibs_dir, NULL, &ibs_config_fops);
	debugfs_create_file("control", 0600, ibs_dir, NULL, &ibs_control_fops);
	debugfs_create_file("stats", 0400, ibs_dir, NULL, &ibs_stats_file_fops);
	debugfs_create_file("compat", 0400, ibs_dir, NULL, &ibs_compat_file_fops);
	debugfs_create_file("keys", 0400, ibs_dir, NULL, &ibs_keys_file_fops);
	hist = debugfs_create_dir("hist", ibs_dir);
	for (i = 0; i < IBS_M_NR; i++)
		debugfs_create_file(ibs_metric_names[i], 0400, hist,
				    &ibs_run.hist[i], &ibs_hist_file_fops);
}

void ibs_debugfs_exit(void)
{
	debugfs_remove_recursive(ibs_dir);
	ibs_dir = NULL;
}
