#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Static checks of the project's own code, one tool per call:
#   lint.sh clang-format|cppcheck|clang-tidy|pyflakes3|layout SOURCE_DIR BUILD_DIR
# Exit 77 (meson's "skipped") when the tool is not installed.
set -eu
tool=$1 src=$2 build=$3
cd "$src"
# The libraries never print and never exit (docs/error-handling.md); the
# programs are exec/ (the launcher), cli/ and shim/.
libraries="common oci sandbox policy host"
programs="exec cli shim"
files=$(find $libraries $programs bench tests/unit tests/probe tests/fuzz -name '*.[ch]' | sort)
if [ "$tool" = layout ]; then
	# One name, one file: a file is named without its folder in messages.
	same=$(echo "$files" | sed 's|.*/||' | sort | uniq -d)
	if [ -n "$same" ]; then
		echo "two source files share the name: $same"
		exit 1
	fi
	# Calls: _exit() (a forked child's end) and snprintf() pass.
	if grep -nE '(^|[^_[:alnum:]])(printf|fprintf|vfprintf|puts|fputs|putchar|perror|exit|abort|fwrite|fflush)[[:space:]]*\(' \
		$(find $libraries -name '*.[ch]' | sort); then
		echo "the library code above prints or exits: return an error instead"
		exit 1
	fi
	exit 0
fi
if ! command -v "$tool" >/dev/null 2>&1; then
	echo "$tool is not installed"
	[ "${OL_NO_SKIP:-0}" = 1 ] && exit 1
	exit 77
fi
case $tool in
clang-format)
	exec clang-format --dry-run --Werror $files ;;
cppcheck)
	exec cppcheck --quiet --enable=warning,portability,performance,style \
		--std=c11 --inline-suppr --error-exitcode=1 -D_GNU_SOURCE -I . \
		$libraries $programs bench tests/probe tests/fuzz ;;
clang-tidy)
	# The unit tests are left out: cmocka's macros trip several checks.
	exec clang-tidy -p "$build" --quiet $(echo "$files" | grep '\.c$' | grep -v '^tests/unit/') ;;
pyflakes3)
	exec pyflakes3 $(find tests tools bench -name '*.py' | sort) ;;
esac
echo "unknown tool $tool" >&2
exit 2
