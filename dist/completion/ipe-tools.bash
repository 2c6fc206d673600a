# SPDX-License-Identifier: GPL-2.0-only
# bash completion for ipe-policygen, ipe-keys and ipe-auditd. The verbs and
# options come from the program's own --help, so they are those of the
# installed version.
_ipe_tools() {
	local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]} verb='' i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in -*) ;; *) verb=${COMP_WORDS[i]}; break ;; esac
	done
	if [ -z "$verb" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$prog" --help 2>/dev/null |
			sed -n "s/^  ${prog##*/} \([a-z-]*\).*/\1/p") --help --version" -- "$cur")
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$prog" "$verb" --help 2>/dev/null |
			grep -oE '(^|[ [(])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' [(' | sort -u)" -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}
complete -o filenames -F _ipe_tools ipe-policygen ipe-keys ipe-auditd
