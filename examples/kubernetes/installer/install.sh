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
#   HANDLERS the runtime handlers to write a wrapper and settings for,
#            space-separated NAME[:OPTION[:OPTION]] (default: landlock);
#            OPTION is default=PROFILE (every container's first layer) or
#            require (refuse a container without a policy).  "landlock" is
#            bin/oci-landlock-runtime-wrapper with etc/config.json; any other
#            NAME is bin/oci-landlock-runtime-wrapper-NAME with etc/NAME.json
#   CUSTOM_PROFILES  a directory of NAME.json admin profiles to install
#            too (the DaemonSet mounts a ConfigMap there); `idle` installs
#            them again when they change
#   SYNC     seconds between two looks at CUSTOM_PROFILES in `idle` (60)
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
HANDLERS=${HANDLERS:-landlock}
CUSTOM_PROFILES=${CUSTOM_PROFILES:-}
SYNC=${SYNC:-60}
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
[ -z "$CUSTOM_PROFILES" ] || check_path CUSTOM_PROFILES "$CUSTOM_PROFILES"

# The manifest's entries, one "KIND PATH" a line; nothing when absent.
recorded() {
	if [ -f "$DESTDIR$MANIFEST" ]; then cat "$DESTDIR$MANIFEST"; fi
}

# Is PATH recorded with KIND in the manifest?
is_recorded() {
	recorded | grep -qxF "$1 $2"
}

# The wrapper and the settings of handler $1.
wrapper_of() {
	if [ "$1" = landlock ]; then echo "$PREFIX/bin/oci-landlock-runtime-wrapper"; else
		echo "$PREFIX/bin/oci-landlock-runtime-wrapper-$1"; fi
}
settings_of() {
	if [ "$1" = landlock ]; then echo "$PREFIX/etc/config.json"; else
		echo "$PREFIX/etc/$1.json"; fi
}

# The files install writes: "SOURCE PATH MODE", SOURCE '-' when generated.
planned() {
	echo "$SRC/bin/oci-landlock-runtime $PREFIX/bin/oci-landlock-runtime 0755"
	echo "$SRC/bin/oci-landlock $PREFIX/bin/oci-landlock 0755"
	echo "$SRC/libexec/oci-landlock-exec $PREFIX/libexec/oci-landlock-exec 0755"
	for h in $HANDLERS; do
		echo "- $(wrapper_of "${h%%:*}") 0755"
		echo "- $(settings_of "${h%%:*}") 0644"
	done
	for p in "$SRC"/profiles/*.json; do
		if [ -e "$p" ]; then echo "$p $PREFIX/etc/profiles/${p##*/} 0644"; fi
	done
	for p in $custom; do echo "$p $PREFIX/etc/profiles/${p##*/} 0644"; done
}

# The handler (NAME:OPTIONS) whose settings file is $1.
handler_of() {
	for h in $HANDLERS; do
		if [ "$(settings_of "${h%%:*}")" = "$1" ] || [ "$(wrapper_of "${h%%:*}")" = "$1" ]; then
			echo "$h"
			return
		fi
	done
}

# Each handler: a DNS label, and options this script knows.
check_handlers() {
	for h in $HANDLERS; do
		name=${h%%:*}
		case $name in
		"" | -* | *- | *[!a-z0-9-]*)
			die "handler '$name': a handler is a DNS label (a-z, 0-9, '-')" ;;
		config)
			# etc/config.json is the landlock handler's.
			die "handler 'config': the name is taken by the settings of 'landlock'" ;;
		esac
		opts=${h#"$name"}
		for o in $(echo "$opts" | tr ':' ' '); do
			case $o in
			require) ;;
			default=*)
				p=${o#default=}
				if [ ! -f "$SRC/profiles/$p.json" ] &&
					{ [ -z "$CUSTOM_PROFILES" ] || [ ! -f "$CUSTOM_PROFILES/$p.json" ]; }; then
					die "handler '$name': no profile '$p' to make its default"
				fi ;;
			*) die "handler '$name': unknown option '$o'" \
				"the options are default=PROFILE and require" ;;
			esac
		done
	done
}

generate() {
	h=$(handler_of "$1")
	name=${h%%:*}
	case $1 in
	*/bin/*)
		cat <<WRAPPER
#!/bin/sh
# Written by $PROGRAM: the binary of the runtime handler "$name".
# containerd and CRI-O pass the runtime no environment of ours, so this
# names the handler's settings and runs the shim with the engine's arguments.
OCI_LANDLOCK_CONFIG=$(settings_of "$name")
export OCI_LANDLOCK_CONFIG
exec $PREFIX/bin/oci-landlock-runtime "\$@"
WRAPPER
		;;
	*/etc/*.json)
		printf '{\n  "launcher": "%s",\n  "profiles": "%s"' \
			"$PREFIX/libexec/oci-landlock-exec" "$PREFIX/etc/profiles"
		if [ -n "$RUNTIME" ]; then printf ',\n  "runtime": "%s"' "$RUNTIME"; fi
		for o in $(echo "${h#"$name"}" | tr ':' ' '); do
			case $o in
			require) printf ',\n  "require": true' ;;
			default=*) printf ',\n  "default": "%s"' "${o#default=}" ;;
			esac
		done
		printf '\n}\n'
		;;
	esac
}

# Write PATH (a host path) from SOURCE, or generated, with MODE, atomically;
# a file already as it should be is left alone.
put() {
	tmp=$DESTDIR$2.new
	rm -f "$tmp"
	if [ "$1" = - ]; then generate "$2" >"$tmp"; else cp "$1" "$tmp"; fi
	chmod "$3" "$tmp"
	if [ -f "$DESTDIR$2" ] && [ ! -L "$DESTDIR$2" ] && cmp -s "$tmp" "$DESTDIR$2" &&
		[ "$(stat -c %a "$DESTDIR$2")" = "${3#0}" ]; then
		rm -f "$tmp"
	else
		mv -f "$tmp" "$DESTDIR$2"
	fi
	tmp=
}

# The manifest: directories $1, files $2 (one a line, each once), itself.
write_manifest() {
	tmp=$DESTDIR$MANIFEST.new
	{
		for d in $1; do echo "d $d"; done
		echo "$2" | grep -v "^$MANIFEST\$" | awk 'NF && !seen[$0]++ { print "f " $0 }'
		echo "f $MANIFEST"
	} >"$tmp"
	chmod 0644 "$tmp"
	mv -f "$tmp" "$DESTDIR$MANIFEST"
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
	# The ConfigMap's profiles, looked at once: what is checked is what is
	# installed, whatever the kubelet swaps in meanwhile.
	custom=
	if [ -n "$CUSTOM_PROFILES" ]; then
		for p in "$CUSTOM_PROFILES"/*.json; do
			if [ -f "$p" ]; then custom="$custom $p"; fi
		done
	fi
	for p in "$SRC"/profiles/* $custom; do
		[ -e "$p" ] || continue
		name=${p##*/}
		base=${name%.json}
		case $base in
		"$name" | "" | .* | *[!A-Za-z0-9._-]*)
			die "'$p' is no profile" \
				"profiles are NAME.json, NAME of letters, digits, '.', '_' and '-', not starting with '.'" ;;
		esac
		if [ "${p%/*}" = "$CUSTOM_PROFILES" ] && [ -e "$SRC/profiles/$name" ]; then
			die "custom profile '$base' has the name of a curated one" \
				"name it otherwise: the curated profiles are the project's"
		fi
	done
	check_handlers
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

	# The manifest names what this install may leave behind before it writes
	# any of it, what an earlier one left too until that is removed: a
	# killed install never leaves a file uninstall does not know.
	old=$(recorded | sed -n 's/^f //p')
	write_manifest "$dirs" "$(echo "$files" | while read -r source path mode; do echo "$path"; done)
$old"
	while read -r source path mode; do
		put "$source" "$path" "$mode"
	done <<FILES
$files
FILES
	# Files of an earlier install that this one no longer has.
	for path in $old; do
		if [ "$path" != "$MANIFEST" ] &&
			! echo "$files" | awk -v p="$path" '$2 == p { found = 1 } END { exit !found }'; then
			rm -f "$DESTDIR$path"
		fi
	done
	write_manifest "$dirs" "$(echo "$files" | while read -r source path mode; do echo "$path"; done)"
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

# The custom profiles as they are now: what `idle` compares.
custom_state() {
	if [ -n "$CUSTOM_PROFILES" ]; then
		cat "$CUSTOM_PROFILES"/*.json 2>/dev/null | cksum
		ls "$CUSTOM_PROFILES"
	fi
}

do_idle() {
	trap 'exit 0' TERM INT HUP
	# What changed since the init container installed is installed now:
	# the state first, then the install, so that nothing falls between.
	last=$(custom_state)
	if [ "${ACTION:-install}" = install ] && [ -n "$CUSTOM_PROFILES" ]; then do_install; fi
	while :; do
		sleep "$([ -n "$CUSTOM_PROFILES" ] && echo "$SYNC" || echo 3600)" &
		wait $! || :
		# A changed ConfigMap: its profiles again, the rest left as it is.
		if [ "${ACTION:-install}" = install ] && [ -n "$CUSTOM_PROFILES" ] &&
			[ "$(custom_state)" != "$last" ]; then
			do_install && last=$(custom_state)
		fi
	done
}

case $action in
install) do_install ;;
uninstall) do_uninstall ;;
status) do_status ;;
idle) do_idle ;;
*) die "unknown action '$action'" "the actions are install, uninstall, status and idle" ;;
esac
