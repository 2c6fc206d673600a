#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The auditor under faults, on the host's real kernel and BPF (tracepoint
# backend): an exec storm that overflows a small ring buffer while the
# auditor is stopped (the execs go on, the loss is counted and reported, gate
# refuses), the output's file system full (events
# counted as lost, the log keeps whole lines only, no crash), a restart onto
# the same log, SIGKILL mid-storm (whole lines only), the policy file taken
# away, made a FIFO or a directory under it (old policy kept, said so, the
# daemon still answers), the log created 0640
# or stricter under any umask, another user's log refused, and the log
# holding records only when started with stdout and stderr closed. Needs root.
source "$(dirname "$0")/../integration/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root (BPF)"; exit 77; }
[ -r /sys/kernel/btf/vmlinux ] || { echo "needs kernel BTF"; exit 77; }
A=ipe-auditd
cd "$T" || exit 2
mkdir mnt small
if ! mount -t tmpfs -o mode=0755 ipe-auditd-fault mnt; then echo "cannot mount tmpfs"; exit 77; fi
trap 'umount -l "$T/mnt" "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
cp /bin/true mnt/tru
printf 'policy_name=candidate policy_version=0.0.1\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action=DENY\n' >deny.pol

# start OUT ARGS...: the auditor in the background, once attached (--ready-fd).
start() {
	local out=$1
	shift
	rm -f ready && mkfifo ready
	$A run --backend tracepoint --policy deny.pol --output "$out" --ready-fd 3 "$@" 3>ready 2>"$T/aud.err" &
	AUD=$!
	timeout 20 head -n 1 ready >/dev/null || { echo "the auditor did not become ready"; cat "$T/aud.err"; return 1; }
}
stop() {
	kill -TERM "$AUD"
	wait "$AUD"
}
storm() { for _ in $(seq "$1"); do mnt/tru; done; }
# valid_lines LOG: every line is one whole JSON object.
valid_lines() {
	python3 - "$1" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n"), data[-200:]
for line in data.split(b"\n")[:-1]:
    assert isinstance(json.loads(line), dict), line[:200]
PY
}

# --- a ring buffer too small for the storm: the loss is counted, the totals add up, gate refuses.
# One page of ring, and the auditor stopped (SIGSTOP) while the storm runs, so that
# nothing is read until the ring is full whatever the machine's speed.
start ring.jsonl --ring-size 4096 --no-dedup --stats-interval 0 || exit 1
kill -STOP "$AUD"
storm 300
kill -CONT "$AUD"
stop
rc=$?
lost=$(python3 -c 'import json, sys
print([e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "stats"][-1]["lost"])' ring.jsonl)
if [ "$rc" != 0 ]; then
	fail ring_overflow_exit_0 "exit $rc: $(cat aud.err)"
else
	pass ring_overflow_exit_0
	[ "$lost" -gt 0 ] && pass ring_overflow_lost || fail ring_overflow_lost "300 execs into a stopped reader's one-page ring, nothing lost"
	if python3 - ring.jsonl <<'PY'; then pass ring_overflow_counted; else fail ring_overflow_counted "$(tail -n 1 ring.jsonl | head -c 1500)"; fi
import json, sys
st = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "stats"][-1]
assert st["final"] and st["lost"] > 0, st
assert st["seen"] == st["allowed"] + st["denied"] + st["lost"], st
events = sum(1 for e in map(json.loads, open(sys.argv[1])) if e["type"] == "event")
assert events == st["denied"], (events, st["denied"])
PY
	rc=0
	$A gate ring.jsonl >gate.out 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q "^[^:]*: $lost event(s) lost" gate.out && pass ring_overflow_gate_refuses ||
		fail ring_overflow_gate_refuses "exit $rc: $(cat gate.out)"
fi

# --- the log's file system fills up: a warning naming the log, the loss counted, whole lines only
mount -t tmpfs -o size=64k,mode=0755 ipe-auditd-small small || { echo "cannot mount tmpfs"; exit 77; }
start small/full.jsonl --no-dedup --stats-interval 1 || exit 1
storm 1500
sleep 1.5
cp small/full.jsonl full.before
# room again: the next stats record has the totals
mount -o remount,size=64m "$T/small"
sleep 2.5
stop
rc=$?
if [ "$rc" = 0 ]; then
	pass disk_full_no_crash
else
	fail disk_full_no_crash "exit $rc: $(cat aud.err)"
fi
grep -q "warning: small/full.jsonl: No space left on device: events are counted as lost" aud.err &&
	pass disk_full_said || fail disk_full_said "$(cat aud.err)"
valid_lines full.before && valid_lines small/full.jsonl && pass disk_full_whole_lines ||
	fail disk_full_whole_lines "$(tail -c 300 full.before)"
if python3 - small/full.jsonl <<'PY'; then pass disk_full_loss_counted; else fail disk_full_loss_counted "$(tail -c 1500 small/full.jsonl)"; fi
import json, sys
st = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "stats"]
assert st and st[-1]["lost"] > 0 and st[-1]["final"], st[-1:]
PY

# --- a restart onto the same log: appended, two start records, whole lines; report reads it
start ring.jsonl --stats-interval 0 || exit 1
mnt/tru
stop
rc=$?
starts=$(grep -c '"type":"start"' ring.jsonl)
[ "$rc" = 0 ] && [ "$starts" = 2 ] && valid_lines ring.jsonl && pass restart_appends ||
	fail restart_appends "exit $rc, $starts start records"
rc=0
$A report ring.jsonl >report.out 2>&1 || rc=$?
[ "$rc" = 0 ] && grep -q "$T/mnt/tru" report.out && pass restart_report_reads_both ||
	fail restart_report_reads_both "exit $rc: $(head -c 600 report.out)"

# --- SIGKILL in the middle of a storm: the log holds whole records only
start killed.jsonl --no-dedup --stats-interval 0 || exit 1
storm 3000 &
storm_pid=$!
sleep 1
kill -KILL "$AUD"
wait "$AUD" 2>/dev/null
wait "$storm_pid"
n=$(grep -c '"type":"event"' killed.jsonl)
[ "$n" -gt 0 ] && valid_lines killed.jsonl && pass sigkill_whole_lines ||
	fail sigkill_whole_lines "$n events: $(tail -c 300 killed.jsonl)"

# --- the policy file taken away, made a FIFO, then a directory under the running auditor: each
# SIGHUP is refused at once with the file named, the old policy stays in use, and the
# auditor still answers SIGTERM (a FIFO must not block its reload until somebody writes to it)
cp deny.pol moving.pol
start moving.jsonl --policy moving.pol --no-dedup --stats-interval 0 || exit 1
reloads() { grep -c '"type":"reload"' moving.jsonl; }
n=0
for make_it in "rm moving.pol" "mkfifo moving.pol" "rm moving.pol && mkdir moving.pol"; do
	eval "$make_it"
	kill -HUP "$AUD"
	n=$((n + 1))
	for _ in $(seq 50); do [ "$(reloads)" = "$n" ] && break; sleep 0.1; done
done
mnt/tru
sleep 0.5
timeout 10 kill -TERM "$AUD"
if timeout 10 tail --pid="$AUD" -f /dev/null; then
	wait "$AUD"
	rc=$?
else
	rc=timeout
	kill -KILL "$AUD"
fi
[ "$rc" = 0 ] && pass policy_moved_still_answers || fail policy_moved_still_answers "exit $rc: $(cat aud.err)"
grep -c "reload refused, the previous policy stays in use: moving.pol: " aud.err | grep -qx 3 &&
	grep -q "moving.pol: not a regular file" aud.err && pass policy_moved_refusals_said ||
	fail policy_moved_refusals_said "$(cat aud.err)"
if python3 - moving.jsonl "$T/mnt/tru" <<'PY'; then pass policy_moved_old_kept; else fail policy_moved_old_kept "$(head -c 2000 moving.jsonl)"; fi
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["type"] for e in lines]
assert kinds.count("reload") == 3, kinds
# every reload refused, and the exec after them still judged by the first policy: denied
assert all(not e["ok"] and e["error"] for e in lines if e["type"] == "reload"), lines
last_reload = max(i for i, k in enumerate(kinds) if k == "reload")
assert any(e["type"] == "event" and e.get("path") == sys.argv[2] for e in lines[last_reload:]), kinds
PY
rm -rf moving.pol

# --- started with standard output and error closed: its warnings do not land in its log (the
# log took descriptor 2, and a refused reload wrote a line of text into it)
cp deny.pol closed.pol
$A run --backend tracepoint --policy closed.pol --output closed.jsonl --stats-interval 0 >&- 2>&- &
AUD=$!
for _ in $(seq 100); do grep -q '"type":"start"' closed.jsonl 2>/dev/null && break; sleep 0.1; done
echo junk >closed.pol
kill -HUP "$AUD"
for _ in $(seq 50); do grep -q '"type":"reload"' closed.jsonl && break; sleep 0.1; done
stop
rc=$?
[ "$rc" = 0 ] && grep -q '"type":"reload"' closed.jsonl && valid_lines closed.jsonl &&
	pass closed_stdio_log_records_only || fail closed_stdio_log_records_only "exit $rc: $(grep -v '^{' closed.jsonl | head -c 500)"

# --- the log is created 0640 or stricter, whatever the umask
(umask 000 && start mode.jsonl --stats-interval 0 && stop) || fail log_mode "the auditor did not run"
mode=$(stat -c %a mode.jsonl)
[ $((8#$mode & 8#037)) = 0 ] && pass "log_mode_$mode" || fail log_mode "created $mode under umask 000"
# an existing log open to others is narrowed to 0640 of its mode, said once, and appended to
echo '{"type":"earlier"}' >wide.jsonl
chmod 0666 wide.jsonl
start wide.jsonl --stats-interval 0 && stop
mode=$(stat -c %a wide.jsonl)
[ "$mode" = 640 ] && [ "$(grep -c 'wide.jsonl: was mode 0666, open to others: now 0640' "$T/aud.err")" = 1 ] &&
	[ "$(head -n 1 wide.jsonl)" = '{"type":"earlier"}' ] && valid_lines wide.jsonl &&
	pass log_mode_existing_narrowed || fail log_mode_existing_narrowed "mode $mode: $(cat "$T/aud.err")"
# a log another user owns is refused: its owner reads it whatever the mode, and could edit what gate judges
echo '{"type":"earlier"}' >theirs.jsonl
chown 65534 theirs.jsonl && chmod 0600 theirs.jsonl
$A run --backend tracepoint --policy deny.pol --output theirs.jsonl --duration 1 2>theirs.err
rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <theirs.err)" = 1 ] && grep -q 'theirs.jsonl: owned by another user (uid 65534)' theirs.err &&
	[ "$(cat theirs.jsonl)" = '{"type":"earlier"}' ] && [ "$(stat -c %a theirs.jsonl)" = 600 ] &&
	pass log_foreign_owner_refused || fail log_foreign_owner_refused "exit $rc: $(cat theirs.err)"
finish
