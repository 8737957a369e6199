# SPDX-License-Identifier: GPL-2.0
# cache.sh: sourced by the setup scripts.  Where every download and build
# lives (outside the repo, keyed by exact versions), a lock so concurrent
# callers cannot delete each other's output, and a timeout for host steps.
IBS_CACHE=${IBS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iobus-stress}
mkdir -p "$IBS_CACHE/locks"

# ibs_lock NAME: take an exclusive lock (waits up to an hour); ibs_unlock.
ibs_lock() {
	exec {IBS_LOCK_FD}>"$IBS_CACHE/locks/$1.lock"
	flock -w 3600 "$IBS_LOCK_FD" || { echo "cache: lock $1 timed out" >&2; exit 1; }
}
ibs_unlock() {
	[ -n "${IBS_LOCK_FD:-}" ] && exec {IBS_LOCK_FD}>&-
	IBS_LOCK_FD=
}

# ibs_timeout SECONDS CMD...: run CMD, killed after SECONDS.
ibs_timeout() {
	local s=$1
	shift
	timeout --kill-after=30 "$s" "$@"
}

# ibs_karch ARCH: how a kernel of ARCH (x86, arm64) is built on this
# x86-64 host: sets the array IBS_KMAKE (make's ARCH=/CROSS_COMPILE=
# arguments; empty for x86), IBS_KTARGET (the image target), IBS_KIMAGE
# (the image's path in the build directory) and IBS_KCC (the compiler).
ibs_karch() {
	case $1 in
	x86) IBS_KMAKE=() IBS_KTARGET=bzImage IBS_KIMAGE=arch/x86/boot/bzImage IBS_KCC=gcc ;;
	arm64) IBS_KMAKE=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) IBS_KTARGET=Image
	       IBS_KIMAGE=arch/arm64/boot/Image IBS_KCC=aarch64-linux-gnu-gcc ;;
	*) echo "cache: architecture '$1': x86 or arm64" >&2; return 2 ;;
	esac
}

# ibs_apt DIR [ARCH] <SOURCES: a private apt state in DIR (its own sources
# list, from stdin, and its own lists and package cache; the host's
# /etc/apt and dpkg database are never read or written), for ARCH's
# packages (default: the host's).  Sets the array IBS_APT_OPTS, for
# apt-get and apt-cache.
ibs_apt() {
	local dir=$1 arch=${2:-}
	mkdir -p "$dir"/{lists/partial,archives/partial}
	cat >"$dir/sources.list"
	IBS_APT_OPTS=(-o Dir::Etc::SourceList="$dir/sources.list"
		      -o Dir::Etc::SourceParts=/dev/null
		      -o Dir::State::Lists="$dir/lists"
		      -o Dir::State::status=/dev/null
		      -o Dir::Cache="$dir"
		      -o Dir::Cache::archives="$dir/archives"
		      -o Debug::NoLocking=1
		      -o APT::Sandbox::User=root)
	[ -z "$arch" ] ||
		IBS_APT_OPTS+=(-o APT::Architecture="$arch" -o APT::Architectures::="$arch")
}

# ibs_apt_update DIR: apt-get update of ibs_apt's state in DIR when its
# lists are older than a day (log in DIR/update.log); 1 when that failed.
ibs_apt_update() {
	local stamp=$1/lists/.updated
	[ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ] && return 0
	echo "cache: apt-get update (private state in $1)" >&2
	ibs_timeout 300 apt-get -q --error-on=any "${IBS_APT_OPTS[@]}" update >"$1/update.log" 2>&1 || return 1
	touch "$stamp"
}
