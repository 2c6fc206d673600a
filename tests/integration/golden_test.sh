#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The outputs users build on stay byte-identical from release to release:
# format (stdout, hash file, manifest, root-hash file), manifest, sign-roothash,
# generate, sign, dump and check --json, for fixed inputs, compared with the
# files in tests/data/golden/ (recorded from the release before, with
# `tests/integration/golden_test.sh --record`).
#
# The inputs are fixed: data made by a pattern, --seed for the salt and UUID,
# and a test-only RSA key (tests/data/golden/signer.key, never used for
# anything else); RSA PKCS#1 v1.5 signatures without signed attributes are
# deterministic, so the signatures are fixed too.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GOLDEN=$TOP/tests/data/golden
record=false
[ "${1:-}" = --record ] && record=true
cd "$T" || exit 2

cp "$GOLDEN/signer.key" "$GOLDEN/signer.crt" . && chmod 600 signer.key || exit 2
mkdir out
pg() { ipe-policygen "$@"; }

# run NAME CMD...: CMD's stdout into out/NAME.out, its stderr and status into out/NAME.err.
run() {
	local name=$1 rc
	shift
	"$@" >"out/$name.out" 2>"out/$name.stderr"
	rc=$?
	{ echo "exit $rc"; sed "s|$T|T|g" "out/$name.stderr"; } >"out/$name.err"
	rm -f "out/$name.stderr"
}
# keep NAME FILE: FILE (made by a command) is a golden output too.
keep() { cp "$2" "out/$1"; }

# Two images: one of 1 MiB + 3 blocks, one of 300 blocks of 512 bytes.
yes 'ipe-tools golden image, line after line' | head -c $((1048576 + 3 * 4096)) >a.img
yes 'a second image' | head -c $((300 * 512)) >b.img

run format_a pg format --seed golden-a --manifest a.json --root-hash-file a.roothash a.img a.hash
keep format_a.hash a.hash
keep format_a.json a.json
keep format_a.roothash a.roothash
run format_b pg format --seed golden-b --hash sha512 --data-block-size 512 --hash-block-size 1024 \
	--compact --manifest b.json b.img b.hash
keep format_b.hash b.hash
keep format_b.json b.json
run format_c pg format --salt - --no-superblock --hash-offset 4096 --format 0 --manifest c.json \
	a.img c.hash
keep format_c.hash c.hash
keep format_c.json c.json

run manifest_a pg manifest a.img a.hash
run manifest_a_compact pg manifest --compact --data-device /dev/vda2 --hash-device /dev/vda3 a.img a.hash
run dump_a pg dump a.hash
run dump_a_json pg dump --json a.hash
run dump_b_json pg dump --json b.hash

RH_A=$(cat a.roothash)
run sign_roothash_der pg sign-roothash --key signer.key --cert signer.crt "$RH_A"
run sign_roothash_base64 pg sign-roothash --key signer.key --cert signer.crt --format base64 \
	--root-hash-file a.roothash
run sign_roothash_veritysig pg sign-roothash --key signer.key --cert signer.crt --format verity-sig \
	--nocerts "$RH_A"
cp a.json am.json
run sign_roothash_manifest pg sign-roothash --key signer.key --cert signer.crt --manifest am.json \
	-o am.p7s
keep sign_roothash_manifest.p7s am.p7s
keep sign_roothash_manifest.json am.json

run generate_image pg generate --name spectrum --version 1.0.0 --image a.img:a.hash
run generate_many pg generate --name spectrum --version 1.2.3 --manifest b.json --image a.img:a.hash \
	--roothash "sha256:$RH_A" --deny-roothash "sha256:$(printf revoked | sha256sum | cut -c1-64)" --op EXECUTE --op KMODULE \
	--signed --boot-verified -o many.pol
keep generate_many.pol many.pol
run generate_boot pg generate --name early --version 0.0.1 --boot-verified
run generate_from pg generate --version-from many.pol --image a.img:a.hash

run sign_policy pg sign --key signer.key --cert signer.crt -o many.p7b many.pol
keep sign_policy.p7b many.p7b
run sign_policy_nocerts pg sign --key signer.key --cert signer.crt --nocerts -o - many.pol

run check_json_many pg check --json many.pol many.p7b
(cd "$TOP/tests/data/policies" && ipe-policygen check --json corpus/*.pol msipe/*.pol) \
	>out/check_json_corpus.out 2>/dev/null
echo "exit $?" >out/check_json_corpus.err
(cd "$TOP/tests/data/policies" && ipe-policygen check corpus/*.pol msipe/*.pol) \
	>out/check_text_corpus.out 2>/dev/null

if $record; then
	find "$GOLDEN" -maxdepth 1 -type f ! -name 'signer.*' -delete
	cp out/* "$GOLDEN/"
	echo "recorded $(find out -type f | wc -l) golden outputs in $GOLDEN"
	exit 0
fi

for f in out/*; do
	name=${f#out/}
	if [ ! -f "$GOLDEN/$name" ]; then
		fail "$name" "no golden file tests/data/golden/$name"
	elif cmp -s "$f" "$GOLDEN/$name"; then
		pass "$name"
	else
		fail "$name" "differs from tests/data/golden/$name: $(diff <(od -c "$GOLDEN/$name") <(od -c "$f") | head -4 | tr '\n' ' ')"
	fi
done
for g in "$GOLDEN"/*; do
	name=${g##*/}
	case $name in signer.*) continue ;; esac
	[ -f "out/$name" ] || fail "$name" "tests/data/golden/$name was not produced"
done
finish
