# SPDX-License-Identifier: Apache-2.0
# bash completion for oci-landlock and oci-landlock-exec.
#
# Self-contained: it needs only bash's own compgen, not the helpers of the
# bash-completion package.  The words offered are those the programs
# accept (cli/cli.c, policy/vocabulary.c); tests/docs/test_completion.py
# checks them against the code.

# COMPREPLY from compgen, one entry per line: names with spaces stay whole
# and nothing is globbed.
_oci_landlock_reply()
{
	mapfile -t COMPREPLY < <(compgen "$@")
}

# Files (-f) or directories (-d) for the current word.
_oci_landlock_paths()
{
	local word=$2 plain= i
	# readline hands the word over as typed: undo the quoting a user
	# started ('my dir, "my dir, my\ dir).
	case $word in
	\'* | \"*)
		plain=${word:1}
		;;
	*)
		for ((i = 0; i < ${#word}; i++)); do
			[ "${word:i:1}" = '\' ] && i=$((i + 1))
			plain+=${word:i:1}
		done
		;;
	esac
	# Quote the names and mark directories, as readline does for file
	# names; outside a completion (the tests) there is nothing to set.
	compopt -o filenames 2>/dev/null
	_oci_landlock_reply "$1" -- "$plain"
}

# The annotation keys (policy/vocabulary.c), for check -a.
_oci_landlock_keys='oci.landlock.profile oci.landlock.policy oci.landlock.policy-file
oci.landlock.fs.ro oci.landlock.fs.rx oci.landlock.fs.rw oci.landlock.fs.rwx
oci.landlock.fs.unix oci.landlock.net.bind oci.landlock.net.connect
oci.landlock.net.udp.bind oci.landlock.net.udp.connect oci.landlock.scope
oci.landlock.quiet.fs oci.landlock.quiet.net oci.landlock.quiet.scope oci.landlock.mode
oci.landlock.log oci.landlock.net.socket oci.landlock.confirm oci.landlock.learn'

# Whether check's words before the current one hold its FILE or BUNDLE.
_oci_landlock_check_operand()
{
	local i
	for ((i = 2; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--mode | --id | --policy-file)
			i=$((i + 1))
			;;
		-a | --annotation)
			# KEY=VALUE, which readline splits into KEY, '=', VALUE.
			i=$((i + 1))
			[ "${COMP_WORDS[i + 1]}" = = ] && i=$((i + 2))
			;;
		-*) ;;
		*)
			return 0
			;;
		esac
	done
	return 1
}

_oci_landlock()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ]; then
		_oci_landlock_reply -W 'hook inject check convert abi denials learn doctor --version
			--help' -- "$cur"
		return
	fi
	case ${COMP_WORDS[1]} in
	hook)
		[ "$COMP_CWORD" -eq 2 ] &&
			_oci_landlock_reply -W 'precreate createRuntime prestart' -- "$cur"
		;;
	inject)
		[ "$COMP_CWORD" -eq 2 ] && _oci_landlock_paths -d "$cur"
		;;
	convert)
		# convert [--compact] FILE: one FILE
		local i
		for ((i = 2; i < COMP_CWORD; i++)); do
			[ "${COMP_WORDS[i]:0:1}" = - ] || return
		done
		if [ "${cur:0:1}" = - ]; then
			_oci_landlock_reply -W '--compact' -- "$cur"
		else
			_oci_landlock_paths -f "$cur"
		fi
		;;
	denials)
		# denials [--since TIME] [--all] [--log FILE] [CONTAINER...], in any order
		if [ "$prev" = --log ]; then
			_oci_landlock_paths -f "$cur"
		elif [ "$prev" != --since ] && [ "${cur:0:1}" = - ]; then
			_oci_landlock_reply -W '--since --all --log' -- "$cur"
		fi
		;;
	learn)
		# learn [--depth N] [--abi N] [--merge] [--system-writes] [--format F] [-o FILE]
		#       RECORDING...
		if [ "$prev" = --depth ]; then
			:
		elif [ "$prev" = --abi ]; then
			# 1 to OL_ABI_MAX (sandbox/rights.h).
			_oci_landlock_reply -W '1 2 3 4 5 6 7 8 9 10' -- "$cur"
		elif [ "$prev" = --format ]; then
			_oci_landlock_reply -W 'policy podman kubernetes' -- "$cur"
		elif [ "${cur:0:1}" = - ]; then
			_oci_landlock_reply -W '--depth --abi --merge --system-writes --format -o' -- "$cur"
		else
			_oci_landlock_paths -f "$cur"
		fi
		;;
	doctor)
		# doctor [--settings FILE]... [--prefix DIR] [--hooks-dir DIR]...
		#        [--containers-conf FILE]...
		case $prev in
		--settings | --containers-conf) _oci_landlock_paths -f "$cur" ;;
		--prefix | --hooks-dir) _oci_landlock_paths -d "$cur" ;;
		*) _oci_landlock_reply -W '--settings --prefix --hooks-dir --containers-conf' \
			-- "$cur" ;;
		esac
		;;
	check)
		# check [--mode MODE | --id ID] [-a KEY=VALUE]... [--policy-file FILE]
		#       [--json] [FILE|BUNDLE]
		case $prev in
		--mode)
			_oci_landlock_reply -W 'strict best-effort' -- "$cur"
			;;
		--id | =)
			# A container's id; an annotation's value (readline splits at '=').
			;;
		-a | --annotation)
			compopt -o nospace 2>/dev/null
			_oci_landlock_reply -S = -W "$_oci_landlock_keys" -- "$cur"
			;;
		--policy-file)
			_oci_landlock_paths -f "$cur"
			;;
		*)
			if [ "${cur:0:1}" = - ]; then
				_oci_landlock_reply -W '--mode --id -a --annotation --policy-file --json' \
					-- "$cur"
			elif ! _oci_landlock_check_operand; then
				_oci_landlock_paths -f "$cur"
			fi
			;;
		esac
		;;
	esac
}

_oci_landlock_exec()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i
	COMPREPLY=()

	# After "--": the command, then its arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [ "${COMP_WORDS[i]}" = -- ]; then
			if [ "$i" -eq $((COMP_CWORD - 1)) ]; then
				_oci_landlock_reply -c -- "$cur"
			else
				_oci_landlock_paths -f "$cur"
			fi
			return
		fi
	done
	# readline splits "--mode=str" into "--mode" "=" "str".
	if [ "$cur" = = ]; then
		cur=
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	case $prev in
	--mode)
		_oci_landlock_reply -W 'strict best-effort' -- "$cur"
		;;
	--log)
		_oci_landlock_reply -W 'new-exec-on same-exec-off subdomains-off off' -- "$cur"
		;;
	--confirm)
		_oci_landlock_reply -W 'on off' -- "$cur"
		;;
	--scope | --quiet-scope)
		_oci_landlock_reply -W 'abstract_unix_socket signal all' -- "$cur"
		;;
	--net-socket)
		_oci_landlock_reply -W 'unix tcp mptcp udp icmp raw netlink packet vsock none' \
			-- "$cur"
		;;
	--policy-file | --learn)
		_oci_landlock_paths -f "$cur"
		;;
	# A path list is split at ':' as well.
	--fs-ro | --fs-rx | --fs-rw | --fs-rwx | --fs-unix | --quiet-fs | :)
		_oci_landlock_paths -d "$cur"
		;;
	--policy | --net-bind | --net-connect | --net-udp-bind | --net-udp-connect | --quiet-net | --layer | --host-layer | --error | --warning)
		# Free text: nothing to offer.
		;;
	*)
		_oci_landlock_reply -W '--policy --policy-file --fs-ro --fs-rx --fs-rw --fs-rwx
			--fs-unix --net-bind --net-connect --net-udp-bind --net-udp-connect --scope --quiet-fs --quiet-net --quiet-scope --net-socket --layer --host-layer --mode --log
			--confirm --error --warning --learn --learn-exec --help --version --' -- "$cur"
		;;
	esac
}

complete -F _oci_landlock oci-landlock
complete -F _oci_landlock_exec oci-landlock-exec
