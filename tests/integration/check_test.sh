#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-policygen check: exit codes, output formats, stdin, signed policies,
# hostile input and large input.
source "$(dirname "$0")/lib.sh"

P=ipe-policygen
D=$TOP/tests/data/policies
cd "$T" || exit 1

printf 'policy_name=good policy_version=1.0.0\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action=DENY\nop=EXECUTE dmverity_signature=TRUE action=ALLOW\n' >good.pol
printf 'policy_name=bad policy_version=1.0.0\nDEFAULT action=ALLOW\nop=KERNEL_MODULE action=DENY\n' >bad.pol
printf 'policy_name=warn policy_version=1.0.0\nDEFAULT action=DENY\nop=EXECUTE action=ALLOW\n' >warn.pol

# --- exit codes and text format ---
$P check good.pol >out 2>err
check_exit valid_exits_0 0 $P check good.pol
if [ ! -s out ] && [ ! -s err ]; then pass valid_is_silent; else fail valid_is_silent "$(cat out err)"; fi

$P check bad.pol >out 2>err
rc=$?
[ "$rc" = 1 ] && pass invalid_exits_1 || fail invalid_exits_1 "exit $rc"
if [ "$(cat out)" = "bad.pol:3: error: unknown operation 'op=KERNEL_MODULE' (EXECUTE, FIRMWARE, KMODULE, KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY, X509_CERT) (EBADMSG)" ] &&
	[ ! -s err ]; then
	pass error_line_format
else
	fail error_line_format "stdout: $(cat out) stderr: $(cat err)"
fi

$P check warn.pol >out 2>err
rc=$?
if [ "$rc" = 0 ] && grep -qx "warn.pol:3: warning: 'op=EXECUTE action=ALLOW' without properties allows every execution, anonymous executable memory included" out; then
	pass warning_line_format
else
	fail warning_line_format "exit $rc: $(cat out)"
fi

# every diagnostic line has the documented shape
$P check "$D"/corpus/*.pol >out 2>err
rc=$?
bad_lines=$(grep -cvE '^[^:]+(:[0-9]+)?: (error: .* \(E[A-Z]+\)|warning: .*|note: .*)$' out)
if [ "$rc" = 1 ] && [ "$bad_lines" = 0 ] && [ ! -s err ]; then
	pass corpus_lines_machine_readable
else
	fail corpus_lines_machine_readable "exit $rc, $bad_lines odd lines: $(grep -vE '^[^:]+(:[0-9]+)?: (error|warning|note): ' out | head -3)"
fi

check_exit mixed_files_exit_1 1 $P check good.pol bad.pol
check_exit no_file_is_usage_error 2 $P check
check_exit unknown_option_is_usage_error 2 $P check --frobnicate good.pol
check_exit help_exits_0 0 $P check --help

# --- stdin ---
if $P check - <good.pol >out && [ ! -s out ]; then pass stdin_valid; else fail stdin_valid "$(cat out)"; fi
$P check - <bad.pol >out
rc=$?
if [ "$rc" = 1 ] && grep -q '^<stdin>:3: error: ' out; then pass stdin_invalid; else fail stdin_invalid "exit $rc: $(cat out)"; fi

# --- unreadable files ---
$P check /nonexistent/x.pol >out 2>err
rc=$?
if [ "$rc" = 2 ] && [ "$(cat err)" = "/nonexistent/x.pol: error: cannot read: No such file or directory" ] && [ ! -s out ]; then
	pass missing_file_exits_2
else
	fail missing_file_exits_2 "exit $rc: $(cat err)"
fi
mkdir adir
$P check adir good.pol >out 2>err
rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q '^adir: error: cannot read: ' err; then
	pass directory_exits_2
else
	fail directory_exits_2 "exit $rc: $(cat err)"
fi
check_exit io_error_beats_invalid 2 $P check bad.pol /nonexistent/x.pol

# --- JSON ---
# shellcheck disable=SC2094 # good.pol is read twice (by name and as stdin), never written
$P check --json good.pol bad.pol warn.pol - <good.pol >out.json
rc=$?
if [ "$rc" = 1 ] && python3 - out.json <<'EOF'; then pass json_valid; else fail json_valid "exit $rc: $(head -c 600 out.json)"; fi
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) == 4, objs
g, b, w, s = objs
for o in objs:
    assert set(o) >= {"file", "valid", "kernel_errno", "name", "version", "diagnostics"}, o
assert g == {**g, "file": "good.pol", "valid": True, "kernel_errno": None, "name": "good", "version": "1.0.0", "diagnostics": []}
assert b["valid"] is False and b["kernel_errno"] == "EBADMSG", b
d = b["diagnostics"][0]
assert d["line"] == 3 and d["severity"] == "error" and d["errno"] == "EBADMSG" and "KERNEL_MODULE" in d["message"], d
assert w["valid"] is True and w["diagnostics"][0]["severity"] == "warning", w
assert s["file"] == "<stdin>" and s["valid"] is True, s
EOF

# weird bytes in names and messages still give valid JSON (and valid UTF-8)
printf 'policy_name=x\xff\xfe"\\\x01 policy_version=1.0.0\nDEFAULT action=ALLOW\nop=EXECUTE dmverity_roothash=sha256:\xc3\x28zz action=ALLOW\n' >weird.pol
$P check --json weird.pol >out.json
rc=$?
if [ "$rc" = 1 ] && python3 -c '
import json, sys
o = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert o["kernel_errno"] == "EINVAL" and bytes(o["name"]) == b"x\xff\xfe\"\\\x01", o
' out.json; then
	pass json_weird_bytes
else
	fail json_weird_bytes "exit $rc: $(cat out.json)"
fi

# the CLI agrees with the corpus expectations
$P check --json "$D"/corpus/*.pol >corpus.json
if python3 - corpus.json "$D/corpus/expected.tsv" <<'EOF'; then pass json_corpus_errnos; else fail json_corpus_errnos "see log"; fi
import json, os, sys
got = {os.path.basename(o["file"]): o["kernel_errno"] or "0" for o in map(json.loads, open(sys.argv[1]))}
want = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[2]))
assert len(want) >= 40 and got == want, {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
EOF

# --- hostile input ---
python3 -c 'import sys; sys.stdout.buffer.write("policy_name=w policy_version=0.0.0\nDEFAULT action=ALLOW\n".encode("utf-16"))' >utf16.pol
$P check utf16.pol >out
rc=$?
if [ "$rc" = 1 ] && grep -q '^utf16.pol:1: error: .*(EBADMSG)$' out && grep -q 'UTF-16' out; then
	pass utf16_refused
else
	fail utf16_refused "exit $rc: $(cat out)"
fi
python3 -c '
import random, sys
r = random.Random(7)
sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(1 << 16)))' >garbage.bin
$P check garbage.bin >out 2>err
rc=$?
if [ "$rc" = 1 ] && ! grep -q '[^[:print:]]' out && [ ! -s err ]; then
	pass binary_garbage_refused
else
	fail binary_garbage_refused "exit $rc"
fi
: >empty.pol
$P check empty.pol >out
rc=$?
if [ "$rc" = 1 ] && grep -qx 'empty.pol: error: empty policy (EBADMSG)' out; then pass empty_refused; else fail empty_refused "exit $rc: $(cat out)"; fi

# --- signed policies ---
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj /CN=check-test -days 1 2>/dev/null
	openssl smime -sign -in good.pol -signer c.pem -inkey k.pem -noattr -nodetach -binary -outform der -out good.p7b
	openssl smime -sign -in bad.pol -signer c.pem -inkey k.pem -noattr -nodetach -binary -outform der -out bad.p7b
	openssl smime -sign -in good.pol -signer c.pem -inkey k.pem -noattr -binary -outform der -out detached.p7s
	$P check --json good.p7b >out.json
	rc=$?
	if [ "$rc" = 0 ] && python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["signed"] and o["valid"] and o["name"] == "good"' out.json; then
		pass signed_policy_checked
	else
		fail signed_policy_checked "exit $rc: $(cat out.json)"
	fi
	$P check bad.p7b >out
	rc=$?
	if [ "$rc" = 1 ] && grep -q '^bad.p7b:3: error: unknown operation' out; then pass signed_bad_policy; else fail signed_bad_policy "exit $rc: $(cat out)"; fi
	$P check detached.p7s >out
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'detached signature.*-nodetach.*(EKEYREJECTED)' out; then pass detached_signature_refused; else fail detached_signature_refused "exit $rc: $(cat out)"; fi
	head -c 200 good.p7b >trunc.p7b
	check_exit truncated_p7b_refused 1 $P check trunc.p7b
else
	skip signed_policy_checked "no openssl"
fi

# --- large input, time-bounded ---
python3 -c '
import sys
sys.stdout.write("policy_name=wide policy_version=1.0.0\nDEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" + "ab" * 5000000 + " " + "dmverity_signature=TRUE " * 100000 + "action=ALLOW\n")' >wide.pol
start=$(date +%s%N)
timeout 30 $P check wide.pol >out
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "10 MB line: ${ms} ms"
# Above the kernel's 4 MiB copy limit: refused (ENOMEM), and every line still checked.
if [ "$rc" = 1 ] && grep -q 'this one is 5000000 bytes' out && grep -q 'more diagnostics not shown' out &&
	grep -q '^wide.pol: error: 12400108 bytes: the kernel copies a policy with kmalloc(), which fails above 4194303 bytes with 4 KiB pages (ENOMEM)$' out &&
	[ "$ms" -lt 10000 ]; then
	pass ten_mb_line
else
	fail ten_mb_line "exit $rc in ${ms} ms: $(head -c 300 out)"
fi

python3 -c '
import sys
w = sys.stdout.write
w("policy_name=million policy_version=1.0.0\nDEFAULT action=DENY\n")
for i in range(1000000):
    w("op=EXECUTE dmverity_roothash=sha256:%064x action=ALLOW\n" % i)
w("op=EXECUTE dmverity_roothash=sha256:%064x action=DENY\n" % 5)' >million.pol
start=$(date +%s%N)
timeout 60 $P check million.pol >out
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
echo "1000000 rules: ${ms} ms"
if [ "$rc" = 1 ] && grep -q '^million.pol:1000003: warning: never matches: the rule on line 8 has the same properties' out &&
	grep -q '^million.pol: error: .* bytes: the kernel copies a policy .*(ENOMEM)$' out &&
	[ "$ms" -lt 30000 ]; then
	pass million_rules
else
	fail million_rules "exit $rc in ${ms} ms: $(head -c 300 out)"
fi
# The exact limit: memdup_user_nul() allocates len + 1 bytes, at most 4 MiB.
edge() {
	python3 -c '
import sys
head = "policy_name=edge policy_version=1.0.0\nDEFAULT action=ALLOW\n#"
sys.stdout.write(head + "x" * (int(sys.argv[1]) - len(head) - 1) + "\n")' "$1" >edge.pol
}
edge 4194303
check_exit copy_limit_fits 0 $P check edge.pol
edge 4194304
check_exit copy_limit_exceeded 1 $P check edge.pol
$P check --json edge.pol | grep -q '"kernel_errno":"ENOMEM"' && pass copy_limit_json_enomem || fail copy_limit_json_enomem
ipe-keys generate --out-dir "$T/k" >/dev/null
check_exit copy_limit_not_signed 1 $P sign --key "$T/k/signing.key" --cert "$T/k/signing.crt" -o edge.p7b edge.pol
[ ! -e edge.p7b ] && pass copy_limit_no_p7b || fail copy_limit_no_p7b
rm -f edge.pol
rm -f million.pol wide.pol

finish
