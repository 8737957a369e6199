# SPDX-License-Identifier: GPL-2.0
# Harness self-test: load a module that does WARN_ON(1).
insmod /warn_on.ko
rmmod warn_on
