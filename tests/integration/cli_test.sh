#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-policygen's command line: verb dispatch, exit codes and every verb's --help.
source "$(dirname "$0")/lib.sh"

P=ipe-policygen
cd "$T" || exit 1

check_exit no_verb_exits_2 2 $P
check_exit version_exits_0 0 $P --version
check_exit help_exits_0 0 $P --help

# Unknown verbs and abbreviations: exit 2, one line on stderr, nothing on stdout.
for verb in frobnicate chec sign-root; do
	$P "$verb" >out 2>err
	rc=$?
	if [ "$rc" = 2 ] && [ ! -s out ] && [ "$(wc -l <err)" = 1 ]; then
		pass "unknown_verb_$verb"
	else
		fail "unknown_verb_$verb" "exit $rc, stdout: $(cat out), stderr: $(cat err)"
	fi
done

# VERB --help: usage and help on stdout, exit 0, whatever else is on the line.
for verb in check format verify dump manifest sign-roothash generate sign; do
	$P "$verb" --help >out 2>err
	rc=$?
	if [ "$rc" = 0 ] && head -n 1 out | grep -q "^Usage: $P $verb " && [ "$(wc -l <out)" -gt 3 ] &&
		[ ! -s err ]; then
		pass "help_$verb"
	else
		fail "help_$verb" "exit $rc, stdout: $(cat out), stderr: $(cat err)"
	fi
	check_exit "help_$verb"_after_args 0 $P "$verb" --bogus x --help
done

# Every option a verb's help lists is one the verb accepts (no stale help text).
for verb in check format verify dump manifest sign-roothash generate sign; do
	bad='' n=0
	for opt in $($P "$verb" --help | grep -oE '^  (-o, )?--[a-z-]+' | grep -oE -- '--[a-z-]+$'); do
		$P "$verb" "$opt" >out 2>err </dev/null
		grep -q "unrecognized option" err && bad+=" $opt"
		n=$((n + 1))
	done
	[ -z "$bad" ] && [ "$n" -gt 0 ] && pass "help_options_exist_$verb" || fail "help_options_exist_$verb" "unknown:$bad"
done

# format, verify, dump and manifest share one parser for the verity options: one message each.
usage_line() { { "$@" >/dev/null; } 2>&1; echo "exit $?"; }
for args in "--data-block-size 1000" "--hash-block-size 256" "--hash md4x" "--salt zz" \
	"--hash-offset 100" "--data-blocks 0" "--format 2" "--threads 0"; do
	opt=${args%% *} val=${args#* }
	read -ra argv <<<"$args"
	msg_f=$(usage_line $P format "${argv[@]}" data hash)
	msg_v=$(usage_line $P verify "${argv[@]}" data hash 00)
	if [[ $msg_f == "$P: usage: $opt: '$val' is"*$'\n'"exit 2" ]] && [ "$msg_v" = "$msg_f" ]; then
		pass "verity_option_message_$opt"
	else
		fail "verity_option_message_$opt" "format: $msg_f; verify: $msg_v"
	fi
done
for verb in dump manifest; do
	out=$(usage_line $P $verb --hash-offset 100 hash hash)
	want="$P: usage: --hash-offset: '100' is not a multiple of 512 bytes"$'\n'"exit 2"
	[ "$out" = "$want" ] && pass "hash_offset_message_$verb" || fail "hash_offset_message_$verb" "$out"
done

# After "--", --help is an operand, not a request for help.
check_exit help_after_dashdash_is_operand 2 $P check -- --help
# -h is not an abbreviation of --help.
check_exit short_h_is_usage_error 2 $P check -h

# IPE_TOOLS_LOG_LEVEL: debug adds "debug:" lines on stderr, error hides warnings,
# anything else is named in a warning and ignored.
head -c 8192 /dev/zero >"$T/log.img"
for tool in ipe-policygen ipe-keys; do
	err=$(IPE_TOOLS_LOG_LEVEL=bogus $tool --help 2>&1 >/dev/null)
	[ "$err" = "$tool: warning: IPE_TOOLS_LOG_LEVEL=bogus: not error, warning, info or debug; ignored" ] &&
		pass "log_level_bad_value_$tool" || fail "log_level_bad_value_$tool" "$err"
done
err=$(IPE_TOOLS_LOG_LEVEL=debug ipe-policygen format --salt - "$T/log.img" "$T/log.hash" 2>&1 >/dev/null)
grep -q '^ipe-policygen: debug: hashed 2 blocks' <<<"$err" && pass log_level_debug || fail log_level_debug "$err"
err=$(IPE_TOOLS_LOG_LEVEL=error ipe-policygen format --salt - "$T/log.img" "$T/log.hash" 2>&1 >/dev/null)
[ -z "$err" ] && pass log_level_error_hides_warnings || fail log_level_error_hides_warnings "$err"

# A wrong number of operands: the dispatcher's one message, exit 2, for every verb of both tools.
operands_case() { # TOOL VERB WANT ARGS...: WANT is what the message says the verb needs
	local tool=$1 verb=$2 want=$3 got out rc
	shift 3
	got=$#
	out=$("$tool" "$verb" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 2 ] && [[ $out == "$tool: usage: $verb $want, got $got: $tool $verb "* ]] &&
		[ "$(wc -l <<<"$out")" = 1 ]; then
		pass "operands_${tool}_$verb"
	else
		fail "operands_${tool}_$verb" "exit $rc: $out"
	fi
}
operands_case $P format "needs exactly 2 operands" a
operands_case $P verify "needs 2 to 3 operands" a b c d
operands_case $P dump "needs exactly 1 operand" a b
operands_case $P manifest "needs exactly 2 operands" a b c
operands_case $P sign-roothash "needs 0 to 1 operands" a b
operands_case $P generate "takes no operands" a
operands_case $P check "needs at least 1 operand"
operands_case $P sign "needs exactly 1 operand"
operands_case ipe-keys generate "takes no operands" a
operands_case ipe-keys uefi-db "needs exactly 1 operand"
operands_case ipe-keys enroll-uefi "needs exactly 1 operand" a b
operands_case ipe-keys enroll "needs exactly 1 operand"
operands_case ipe-keys list "takes no operands" a
operands_case ipe-keys verify "needs exactly 1 operand" a b
# The usage lists the verbs in pipeline order.
[ "$($P --help | awk '/^  ipe-policygen /{printf "%s ", $2}')" = "format verify dump manifest sign-roothash generate check sign " ] &&
	pass verbs_in_pipeline_order || fail verbs_in_pipeline_order "$($P --help)"

finish
