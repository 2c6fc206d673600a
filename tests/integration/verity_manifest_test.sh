#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Manifests, seeds, root-hash files and partial images.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/verity/lib.sh"
need_veritysetup verity_manifest || { finish; exit; }

random_file "$T/data" $((300 * 4096))

# --seed: the same seed gives the same bytes, another seed other bytes.
r1=$(ipe-policygen format --seed build-42 "$T/data" "$T/s1")
r2=$(ipe-policygen format --seed build-42 "$T/data" "$T/s2")
r3=$(ipe-policygen format --seed build-43 "$T/data" "$T/s3")
if [ -n "$r1" ] && [ "$r1" = "$r2" ] && cmp -s "$T/s1" "$T/s2"; then pass seed_reproducible; else fail seed_reproducible; fi
if [ "$r1" != "$r3" ] && ! cmp -s "$T/s1" "$T/s3"; then pass seed_differs; else fail seed_differs; fi

# The documented derivation, recomputed with openssl.
salt=$(printf %s 'ipe-tools verity salt v1' | openssl dgst -sha256 -hmac build-42 | sed 's/.*= //')
mac=$(printf %s 'ipe-tools verity uuid v1' | openssl dgst -sha256 -hmac build-42 | sed 's/.*= //')
v=$(printf '%x' $(((0x${mac:12:2} & 0x0f) | 0x40)))
w=$(printf '%x' $(((0x${mac:16:2} & 0x3f) | 0x80)))
uuid="${mac:0:8}-${mac:8:4}-${v}${mac:14:2}-${w}${mac:18:2}-${mac:20:12}"
theirs=$(veritysetup format --salt "$salt" --uuid "$uuid" "$T/data" "$T/s_vs" | vs_root)
if [ "$theirs" = "$r1" ] && cmp -s "$T/s1" "$T/s_vs"; then
	pass seed_derivation_documented
else
	fail seed_derivation_documented "salt $salt uuid $uuid: $theirs vs $r1"
fi

# Without --salt/--seed: random, like veritysetup.
a=$(ipe-policygen format "$T/data" "$T/rnd1" 2>/dev/null)
b=$(ipe-policygen format "$T/data" "$T/rnd2" 2>/dev/null)
[ -n "$a" ] && [ "$a" != "$b" ] && pass random_by_default || fail random_by_default

# --root-hash-file: bare lowercase hex, no newline.
root=$(ipe-policygen format --seed m --root-hash-file "$T/rh" --manifest "$T/m.json" "$T/data" "$T/hash")
if [ "$(cat "$T/rh")" = "$root" ] && [ "$(wc -c <"$T/rh")" = "${#root}" ] && [[ $root =~ ^[0-9a-f]{64}$ ]]; then
	pass root_hash_file_no_newline
else
	fail root_hash_file_no_newline "$(od -c "$T/rh" | head -3)"
fi

# The manifest parses, and says what veritysetup dump and the root hash say.
if python3 - "$T/m.json" "$root" "$T/data" "$T/hash" >"$T/py.log" 2>&1 <<'PY'
import json, subprocess, sys
path, root, data, hashf = sys.argv[1:]
m = json.load(open(path))
dump = {}
for line in subprocess.run(["veritysetup", "dump", hashf], capture_output=True, text=True, check=True).stdout.splitlines():
    if ":" in line:
        k, v = line.split(":", 1)
        dump[k.strip()] = v.strip()
assert m["root_hash"] == root, m["root_hash"]
assert m["hash_algorithm"] == dump["Hash algorithm"]
assert m["uuid"] == dump["UUID"] and m["salt"] == dump["Salt"]
assert m["data_blocks"] == int(dump["Data blocks"]) == 300
assert m["hash_blocks"] == int(dump["Hash blocks"])
assert m["data_block_size"] == int(dump["Data block size"])
assert m["hash_block_size"] == int(dump["Hash block size"])
assert m["hash_size"] == int(dump["Hash device size"].split()[0])
assert m["data_size"] == 300 * 4096 and m["dm_table_sectors"] == 300 * 8
t = m["dm_table"].split()
assert t == ["1", data, hashf, "4096", "4096", "300", "1", "sha256", root, m["salt"]], t
c = m["kernel_cmdline"]
assert c["roothash"] == "roothash=" + root
assert c["systemd.verity_root_data"] == "systemd.verity_root_data=" + data
assert c["systemd.verity_root_hash"] == "systemd.verity_root_hash=" + hashf
assert c["systemd.verity_root_options"] is None
def u(h): return "-".join([h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]])
assert m["partuuids"] == {"root": u(root[:32]), "verity": u(root[32:])}
assert m["signatures"] == [] and m["superblock"] is True and m["manifest_version"] == 1
keys = ["manifest_version", "data_path", "hash_path", "hash_algorithm", "format", "data_block_size",
        "hash_block_size", "data_blocks", "hash_offset", "hash_start", "hash_blocks", "superblock",
        "salt", "uuid", "root_hash", "data_size", "hash_size", "dm_table", "dm_table_sectors",
        "kernel_cmdline", "partuuids", "veritysetup", "signatures"]
assert list(m) == keys, list(m)
PY
then pass manifest_consistent_with_veritysetup; else fail manifest_consistent_with_veritysetup "$(tail -3 "$T/py.log")"; fi

# The "veritysetup" command line reproduces the hash file.
cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["veritysetup"])' "$T/m.json")
mv "$T/hash" "$T/hash.ours"
if eval "$cmd" >/dev/null && cmp -s "$T/hash" "$T/hash.ours"; then
	pass manifest_veritysetup_command
else
	fail manifest_veritysetup_command "$cmd"
fi
mv "$T/hash.ours" "$T/hash"

# `manifest` on the existing pair reproduces format's manifest, byte for byte.
ipe-policygen manifest "$T/data" "$T/hash" -o "$T/m2.json"
cmp -s "$T/m.json" "$T/m2.json" && pass manifest_verb_reproduces_format || fail manifest_verb_reproduces_format "$(diff "$T/m.json" "$T/m2.json" | head -5)"
check_exit manifest_verify_intact 0 ipe-policygen manifest --verify "$T/data" "$T/hash" -o "$T/m3.json"
cp "$T/data" "$T/dc"
printf 'Z' | dd of="$T/dc" bs=1 seek=5000 conv=notrunc status=none
check_exit manifest_verify_corrupt 1 ipe-policygen manifest --verify "$T/dc" "$T/hash" -o "$T/m4.json"
[ ! -e "$T/m4.json" ] && pass manifest_no_output_on_failure || fail manifest_no_output_on_failure
check_exit manifest_not_verity 1 ipe-policygen manifest "$T/data" "$T/data" -o "$T/m5.json"
# DATA is described too (DM table, command lines): a missing or short one is not a manifest.
check_exit manifest_missing_data 2 ipe-policygen manifest "$T/no-such-data" "$T/hash" -o "$T/m6.json"
head -c 8192 "$T/data" >"$T/short"
check_exit manifest_short_data 1 ipe-policygen manifest "$T/short" "$T/hash" -o "$T/m6.json"
[ ! -e "$T/m6.json" ] && pass manifest_bad_data_no_output || fail manifest_bad_data_no_output
# A FIFO (or a directory, a character device) as DATA or HASH fails at once, naming it,
# under every verb that reads an existing tree: HASH was opened blocking, waiting for a writer.
mkfifo "$T/fifo"
RH=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["root_hash"])' "$T/m2.json")
# not_a_file NAME BAD ARGS...: ipe-policygen ARGS exits 2 at once with one line naming BAD.
not_a_file() {
	local name=$1 bad=$2 rc
	shift 2
	timeout 10 ipe-policygen "$@" >/dev/null 2>"$T/err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] &&
		grep -qF "$bad: not a regular file or block device" "$T/err"; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(cat "$T/err")"
	fi
}
not_a_file manifest_hash_fifo "$T/fifo" manifest "$T/data" "$T/fifo"
not_a_file manifest_data_fifo "$T/fifo" manifest "$T/fifo" "$T/hash"
not_a_file verify_hash_fifo "$T/fifo" verify "$T/data" "$T/fifo" "$RH"
not_a_file verify_no_superblock_hash_fifo "$T/fifo" verify --no-superblock --data-blocks 1 --salt - "$T/data" "$T/fifo" "$RH"
not_a_file dump_fifo "$T/fifo" dump "$T/fifo"
not_a_file dump_char_device /dev/zero dump /dev/zero
not_a_file dump_directory "$T" dump "$T"
ipe-policygen manifest --compact --data-device /dev/vda2 --hash-device /dev/vda3 "$T/data" "$T/hash" -o "$T/mc.json"
if [ "$(wc -l <"$T/mc.json")" = 1 ] && grep -q '"dm_table":"1 /dev/vda2 /dev/vda3 4096' "$T/mc.json" &&
	grep -q 'systemd.verity_root_data=/dev/vda2' "$T/mc.json"; then
	pass manifest_compact_devices
else
	fail manifest_compact_devices "$(cat "$T/mc.json")"
fi

# Without a superblock the options carry every parameter.
ipe-policygen format --no-superblock --hash-offset 8192 --salt ab --manifest "$T/ns.json" "$T/data" "$T/ns" >/dev/null
if python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert m["uuid"] is None and m["superblock"] is False and m["hash_start"] == 2
assert m["kernel_cmdline"]["systemd.verity_root_options"] == "systemd.verity_root_options=superblock=false,format=1,hash=sha256,data-block-size=4096,hash-block-size=4096,data-blocks=300,hash-offset=8192,salt=ab"
' "$T/ns.json"; then pass manifest_no_superblock_options; else fail manifest_no_superblock_options; fi

# Partial last block: refused unless asked, and then not covered (as veritysetup).
head -c $((3 * 4096 + 100)) "$T/data" >"$T/partial"
check_exit partial_refused 2 ipe-policygen format --salt - "$T/partial" "$T/p_hash"
[ ! -e "$T/p_hash" ] && pass partial_no_output || fail partial_no_output
ours=$(ipe-policygen format --allow-partial --salt - --uuid "$UUID" "$T/partial" "$T/p_hash" 2>/dev/null)
theirs=$(veritysetup format --salt - --uuid "$UUID" "$T/partial" "$T/p_vs" | vs_root)
[ -n "$ours" ] && [ "$ours" = "$theirs" ] && cmp -s "$T/p_hash" "$T/p_vs" && pass partial_allowed || fail partial_allowed

# Progress: drawn on a terminal for images over 256 MiB, never otherwise.
truncate -s 300M "$T/big"
ipe-policygen format --no-verify --seed p "$T/big" "$T/big_hash" >/dev/null 2>"$T/big_err"
[ ! -s "$T/big_err" ] && pass progress_quiet_without_terminal || fail progress_quiet_without_terminal "$(cat "$T/big_err")"
if command -v script >/dev/null; then
	script -qec "ipe-policygen format --no-verify --seed p '$T/big' '$T/big_hash2'" /dev/null >"$T/tty_out" 2>&1
	if grep -q 'hashing \[#*' "$T/tty_out" && grep -q '100%' "$T/tty_out" && cmp -s "$T/big_hash" "$T/big_hash2"; then
		pass progress_on_terminal
	else
		fail progress_on_terminal "$(tr '\r' '\n' <"$T/tty_out" | tail -3)"
	fi
else
	skip progress_on_terminal "script(1) not installed"
fi
rm -f "$T/big" "$T/big_hash" "$T/big_hash2"

# Usage errors exit 2 and write nothing.
check_exit format_bad_hash 2 ipe-policygen format --hash md5 "$T/data" "$T/x"
check_exit format_bad_block_size 2 ipe-policygen format --data-block-size 1000 "$T/data" "$T/x"
check_exit format_bad_salt 2 ipe-policygen format --salt xyz "$T/data" "$T/x"
check_exit format_salt_too_long 2 ipe-policygen format --salt "${SALT_LONG}00" "$T/data" "$T/x"
check_exit format_bad_uuid 2 ipe-policygen format --uuid nope "$T/data" "$T/x"
check_exit format_missing_data 2 ipe-policygen format "$T/nonexistent" "$T/x"
check_exit format_bad_offset 2 ipe-policygen format --no-superblock --hash-offset 512 "$T/data" "$T/x"
mkdir "$T/dir"
check_exit format_output_is_directory 2 ipe-policygen format --seed s "$T/data" "$T/dir"
[ -z "$(find "$T/dir" "$T" -mindepth 1 -maxdepth 1 -name '.*')" ] && pass format_no_temp_files_left || fail format_no_temp_files_left
[ ! -e "$T/x" ] && pass format_errors_write_nothing || fail format_errors_write_nothing

finish
