#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Gathers the installer image's build context from a meson build:
#
#   examples/kubernetes/installer/context.sh BUILD_DIR OUT_DIR
#   podman build -f examples/kubernetes/installer/Containerfile -t IMAGE OUT_DIR
#
# OUT_DIR (created, must not exist) gets a static busybox and oci-landlock/:
# install.sh, bin/, libexec/ and profiles/, the programs and the curated
# admin profiles taken from `meson install --destdir`.  The image runs on
# any node only if the programs are static: configure the build with
# -Dstatic_host=true.
# OL_ALLOW_DYNAMIC=1 accepts dynamic ones, which then need libyajl2,
# libseccomp2 and a compatible glibc on every node.  BUSYBOX names the
# static busybox to use (default /bin/busybox, Debian's busybox-static).
set -eu

die() {
	echo "context.sh: $1" >&2
	if [ $# -gt 1 ]; then echo "Hint: $2" >&2; fi
	exit 1
}

[ $# -eq 2 ] || die "usage: context.sh BUILD_DIR OUT_DIR"
build=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}
[ ! -e "$out" ] || die "'$out' exists" "name a directory that does not exist yet"
command -v file >/dev/null || die "'file' is not installed" "install the package file"
file -L "$busybox" | grep -q 'statically linked' ||
	die "'$busybox' is not a static busybox" "install busybox-static, or set BUSYBOX"

done=0
trap 'if [ "$done" != 1 ]; then rm -rf "$out"; fi' EXIT
mkdir -p "$out/oci-landlock/bin" "$out/oci-landlock/libexec" "$out/oci-landlock/profiles"
stage=$out/meson-install
if ! log=$(meson install -C "$build" --quiet --destdir "$(cd "$out" && pwd)/meson-install" 2>&1); then
	echo "$log" >&2
	die "'meson install' failed"
fi

# The one installed file whose path ends in /SUFFIX.
installed() {
	found=$(find "$stage" -type f -path "*/$1")
	[ -n "$found" ] || die "'meson install' installed no '.../$1'"
	[ "$(echo "$found" | wc -l)" -eq 1 ] || die "'meson install' installed '.../$1' twice"
	echo "$found"
}

for f in bin/oci-landlock-runtime bin/oci-landlock libexec/oci-landlock-exec; do
	case $f in
	libexec/*) src=$(installed "oci-landlock/${f#*/}") ;;
	*) src=$(installed "$f") ;;
	esac
	if ! file -L "$src" | grep -q 'statically linked' && [ "${OL_ALLOW_DYNAMIC:-0}" != 1 ]; then
		die "'${src#"$stage"}' is dynamically linked: the installer would copy it onto nodes that may lack its libraries" \
			"configure the build with -Dstatic_host=true (or set OL_ALLOW_DYNAMIC=1 if every node has libyajl2 and libseccomp2)"
	fi
	cp "$src" "$out/oci-landlock/$f"
done
profiles=$(find "$stage" -type d -path '*/oci-landlock/profiles')
if [ -z "$profiles" ] || [ "$(echo "$profiles" | wc -l)" -ne 1 ]; then
	die "'meson install' installed no single profile directory"
fi
for p in "$profiles"/*.json; do
	if [ -e "$p" ]; then cp "$p" "$out/oci-landlock/profiles/"; fi
done
rm -rf "$stage"
cp "$here/install.sh" "$out/oci-landlock/install.sh"
cp "$busybox" "$out/busybox"
chmod 0755 "$out/busybox" "$out/oci-landlock/install.sh"
done=1
echo "context.sh: build context in $out"
