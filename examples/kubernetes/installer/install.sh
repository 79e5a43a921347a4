#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs oci-landlock onto a node, or removes it again: what the
# DaemonSet's containers run (daemonset.yaml), and usable by hand.
#
#   install.sh [install|uninstall|status|idle]     (default: $ACTION, else install)
#
#   install    copy the programs and profiles, write the settings and the
#              runtime wrapper, record what was created
#   uninstall  remove exactly what install recorded: its files, then the
#              directories it created if they are empty
#   status     exit 0 when installed and complete (with ACTION=uninstall:
#              when nothing of it is left); the DaemonSet's readiness probe
#   idle       wait for SIGTERM (the DaemonSet's main container)
#
# Environment:
#   PREFIX   host path to install under (default /opt/oci-landlock)
#   DESTDIR  where PREFIX is reached from here: files go to $DESTDIR$PREFIX,
#            while the settings and the wrapper name host paths (default:
#            empty; the DaemonSet mounts the host's PREFIX at /host$PREFIX)
#   RUNTIME  host path of the real runtime, for the settings (default:
#            none; the shim then runs runc, else crun, from PATH)
#   SRC      directory with bin/, libexec/ and profiles/ (default: the
#            directory of this script)
#
# Every file is written under a temporary name and renamed into place, so a
# shim that is running, or a launcher bind-mounted into running containers,
# keeps its old copy.  $PREFIX/installed-files records what was created
# ("d PATH" and "f PATH", host paths); install never overwrites a file it
# did not create, and refuses before writing anything.
set -eu

PROGRAM=oci-landlock-install
PREFIX=${PREFIX:-/opt/oci-landlock}
DESTDIR=${DESTDIR:-}
RUNTIME=${RUNTIME:-}
SRC=${SRC:-$(dirname "$0")}
action=${1:-${ACTION:-install}}
MANIFEST=$PREFIX/installed-files
tmp=
trap 'if [ -n "$tmp" ]; then rm -f "$tmp"; fi' EXIT

die() {
	echo "$PROGRAM: $1" >&2
	if [ $# -gt 1 ]; then echo "Hint: $2" >&2; fi
	exit 1
}

# Paths go into JSON, a shell script and the manifest unquoted: allow only
# characters that need no quoting anywhere.
check_path() {
	case $2 in
	/*) ;;
	*) die "$1 '$2' is not an absolute path" ;;
	esac
	case $2 in
	*[!A-Za-z0-9._/+-]* | */ | *//* | */./* | */../* | */. | */..)
		die "$1 '$2': only letters, digits and . _ / + - are allowed, with no empty, . or .. component and no trailing /" ;;
	esac
}

check_path PREFIX "$PREFIX"
[ "$PREFIX" != / ] || die "PREFIX '/' is not a directory of its own"
[ -z "$DESTDIR" ] || check_path DESTDIR "$DESTDIR"
[ -z "$RUNTIME" ] || check_path RUNTIME "$RUNTIME"

# The manifest's entries, one "KIND PATH" a line; nothing when absent.
recorded() {
	if [ -f "$DESTDIR$MANIFEST" ]; then cat "$DESTDIR$MANIFEST"; fi
}

# Is PATH recorded with KIND in the manifest?
is_recorded() {
	recorded | grep -qxF "$1 $2"
}

# The files install writes: "SOURCE PATH MODE", SOURCE '-' when generated.
planned() {
	echo "$SRC/bin/oci-landlock-runtime $PREFIX/bin/oci-landlock-runtime 0755"
	echo "- $PREFIX/bin/oci-landlock-runtime-wrapper 0755"
	echo "$SRC/bin/oci-landlock $PREFIX/bin/oci-landlock 0755"
	echo "$SRC/libexec/oci-landlock-exec $PREFIX/libexec/oci-landlock-exec 0755"
	echo "- $PREFIX/etc/config.json 0644"
	for p in "$SRC"/profiles/*.json; do
		if [ -e "$p" ]; then echo "$p $PREFIX/etc/profiles/${p##*/} 0644"; fi
	done
}

generate() {
	case $1 in
	*/bin/oci-landlock-runtime-wrapper)
		cat <<WRAPPER
#!/bin/sh
# Written by $PROGRAM: the runtime handler's binary.
# containerd and CRI-O pass the runtime no environment of ours, so this
# names the settings and runs the shim with the engine's arguments.
OCI_LANDLOCK_CONFIG=$PREFIX/etc/config.json
export OCI_LANDLOCK_CONFIG
exec $PREFIX/bin/oci-landlock-runtime "\$@"
WRAPPER
		;;
	*/etc/config.json)
		printf '{\n  "launcher": "%s",\n  "profiles": "%s"' \
			"$PREFIX/libexec/oci-landlock-exec" "$PREFIX/etc/profiles"
		if [ -n "$RUNTIME" ]; then printf ',\n  "runtime": "%s"' "$RUNTIME"; fi
		printf '\n}\n'
		;;
	esac
}

# Write PATH (a host path) from SOURCE, or generated, with MODE, atomically.
put() {
	tmp=$DESTDIR$2.new
	rm -f "$tmp"
	if [ "$1" = - ]; then generate "$2" >"$tmp"; else cp "$1" "$tmp"; fi
	chmod "$3" "$tmp"
	mv -f "$tmp" "$DESTDIR$2"
	tmp=
}

do_install() {
	if [ -n "$DESTDIR" ] && [ ! -d "$DESTDIR" ]; then
		die "DESTDIR '$DESTDIR' is not a directory"
	fi
	for f in bin/oci-landlock-runtime bin/oci-landlock libexec/oci-landlock-exec; do
		if [ ! -f "$SRC/$f" ] || [ ! -x "$SRC/$f" ]; then
			die "no executable '$SRC/$f'" \
				"SRC names the directory that holds bin/, libexec/ and profiles/"
		fi
	done
	for p in "$SRC"/profiles/*; do
		[ -e "$p" ] || continue
		name=${p##*/}
		base=${name%.json}
		case $base in
		"$name" | "" | .* | *[!A-Za-z0-9._-]*)
			die "'$p' is no profile" \
				"profiles are NAME.json, NAME of letters, digits, '.', '_' and '-', not starting with '.'" ;;
		esac
	done
	files=$(planned)

	# Refuse before writing anything.
	while read -r source path mode; do
		if [ -e "$DESTDIR$path" ] || [ -L "$DESTDIR$path" ]; then
			if [ -L "$DESTDIR$path" ] || [ ! -f "$DESTDIR$path" ] ||
				! is_recorded f "$path"; then
				die "'$path' exists and was not installed by $PROGRAM" \
					"move it away, or remove what put it there"
			fi
		fi
	done <<FILES
$files
FILES
	if [ -e "$DESTDIR$MANIFEST" ] && ! is_recorded f "$MANIFEST"; then
		die "'$MANIFEST' is not a manifest of $PROGRAM" "move it away"
	fi

	# Directories: those recorded before (if still there), then those
	# created now, parents first.
	dirs=
	for d in $(recorded | sed -n 's/^d //p'); do
		if [ -d "$DESTDIR$d" ]; then dirs="$dirs $d"; fi
	done
	missing=
	d=$PREFIX
	while [ -n "$d" ] && [ ! -d "$DESTDIR$d" ]; do
		missing="$d $missing"
		d=${d%/*}
	done
	for d in $missing "$PREFIX/bin" "$PREFIX/libexec" "$PREFIX/etc" "$PREFIX/etc/profiles"; do
		if [ ! -d "$DESTDIR$d" ]; then
			mkdir -m 0755 "$DESTDIR$d"
			dirs="$dirs $d"
		fi
	done

	while read -r source path mode; do
		put "$source" "$path" "$mode"
	done <<FILES
$files
FILES
	# Files of an earlier install that this one no longer has.
	for path in $(recorded | sed -n 's/^f //p'); do
		if [ "$path" != "$MANIFEST" ] && ! echo "$files" | grep -q " $path "; then
			rm -f "$DESTDIR$path"
		fi
	done

	tmp=$DESTDIR$MANIFEST.new
	{
		for d in $dirs; do echo "d $d"; done
		echo "$files" | while read -r source path mode; do echo "f $path"; done
		echo "f $MANIFEST"
	} >"$tmp"
	chmod 0644 "$tmp"
	mv -f "$tmp" "$DESTDIR$MANIFEST"
	tmp=
	echo "$PROGRAM: installed in $PREFIX (runtime: ${RUNTIME:-crun or runc from PATH})"
}

# An entry of the manifest that install could have written: files under
# PREFIX, directories that are PREFIX, under it or above it.
check_entry() {
	check_path "'$MANIFEST' entry" "$2"
	case $1:$2 in
	f:"$PREFIX"/*) return 0 ;;
	d:"$PREFIX" | d:"$PREFIX"/*) return 0 ;;
	d:*) case $PREFIX in "$2"/*) return 0 ;; esac ;;
	esac
	die "'$MANIFEST' names '$1 $2', which $PROGRAM never installs" \
		"the manifest was edited: remove the files by hand"
}

do_uninstall() {
	if [ ! -f "$DESTDIR$MANIFEST" ]; then
		echo "$PROGRAM: nothing installed in $PREFIX"
		return 0
	fi
	entries=$(recorded)
	while read -r kind path; do
		check_entry "$kind" "$path"
	done <<ENTRIES
$entries
ENTRIES
	for path in $(echo "$entries" | sed -n 's/^f //p'); do rm -f "$DESTDIR$path"; done
	# Deepest first: the reverse of the order they were created in.
	for path in $(echo "$entries" | sed -n 's/^d //p' | sed -n '1!G; h; $p'); do
		rmdir "$DESTDIR$path" 2>/dev/null || echo "$PROGRAM: kept '$path': not empty"
	done
	echo "$PROGRAM: removed from $PREFIX"
}

do_status() {
	if [ "${ACTION:-install}" = uninstall ]; then
		if [ -e "$DESTDIR$MANIFEST" ]; then die "still installed in $PREFIX"; fi
		echo "$PROGRAM: not installed in $PREFIX"
		return 0
	fi
	[ -f "$DESTDIR$MANIFEST" ] || die "not installed in $PREFIX"
	for path in $(recorded | sed -n 's/^f //p'); do
		[ -f "$DESTDIR$path" ] || die "'$path' is missing" "run the installer again"
	done
	echo "$PROGRAM: installed in $PREFIX"
}

do_idle() {
	trap 'exit 0' TERM INT HUP
	while :; do
		sleep 3600 &
		wait $! || :
	done
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
status) do_status ;;
idle) do_idle ;;
*) die "unknown action '$action'" "the actions are install, uninstall, status and idle" ;;
esac
