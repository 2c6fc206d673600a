#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# nix/: every .nix file parses (nix-instantiate --parse); the NixOS module
# evaluates with nixpkgs' lib (vendored in tests/vendor/nixpkgs-lib) through
# lib.evalModules, with its option types exercised and the units, kernel
# parameters and policy paths it generates asserted; lib.nix's functions are
# evaluated and their derivations built in a private local Nix store with the
# installed ipe-tools, and their outputs judged by veritysetup, openssl and
# ipe-policygen check; package.nix and flake.nix are evaluated for what they
# ask of nixpkgs. Not done here (no nixpkgs): building package.nix and running
# the flake's NixOS test.
. "$(dirname "$0")/../integration/lib.sh"

command -v nix-instantiate >/dev/null || { skip nix "nix-instantiate is not installed (package nix-bin)"; exit 0; }
libpath=$TOP/tests/vendor/nixpkgs-lib/lib
# A private store, state and configuration: nothing outside $T is touched.
mkdir -p "$T/nix/conf"
printf 'sandbox = false\nbuild-users-group =\nsubstituters =\n' >"$T/nix/conf/nix.conf"
export NIX_STORE_DIR=$T/nix/store NIX_STATE_DIR=$T/nix/state NIX_LOG_DIR=$T/nix/log NIX_CONF_DIR=$T/nix/conf
export NIX_REMOTE=

# ---- parse ----
for f in "$TOP"/nix/*.nix "$TOP"/tests/nix/*.nix; do
	if nix-instantiate --parse "$f" >/dev/null 2>"$T/parse.err"; then
		pass "parse-${f#"$TOP"/}"
	else
		fail "parse-${f#"$TOP"/}" "$(grep -v '^warning:' "$T/parse.err" | head -n 1)"
	fi
done

# The installed tree the derivations use, and test inputs.
make -C "$TOP" --no-print-directory O="$O" install DESTDIR="$T/inst" prefix=/usr sysconfdir=/etc >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail nix-install "make install failed"; finish; exit; }
prefix=$T/inst/usr
printf 'policy_name=spectrum policy_version=1.0.0\nDEFAULT action=ALLOW\n' >"$T/spectrum.p7b"
printf 'policy_name=other policy_version=2.0.0\nDEFAULT action=ALLOW\n' >"$T/other.p7b"
head -c $((1024 * 1024)) /dev/urandom >"$T/rootfs.img"
"$O/ipe-keys" generate --out-dir "$T/keys" --cn "ipe-tools nix test" >"$T/keys.log" 2>&1 || fail nix-keys "ipe-keys generate failed"

# ---- module ----
if nix-instantiate --eval --strict --json "$TOP/tests/nix/eval-module.nix" \
	--arg libPath "$libpath" --arg package "builtins.path { path = $prefix; name = \"ipe-tools\"; }" \
	--arg policy "$T/spectrum.p7b" --arg otherPolicy "$T/other.p7b" >"$T/module.json" 2>"$T/module.err"; then
	pass module-evaluates
else
	cat "$T/module.err"
	fail module-evaluates "$(grep -v '^warning:' "$T/module.err" | tail -n 1)"
	finish
	exit
fi
python3 - "$T/module.json" >"$T/module.results" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
def check(name, got, want):
    print(("PASS %s" % name) if got == want else "FAIL %s: got %r, expected %r" % (name, got, want))
store = re.compile(r"/\S*/[0-9a-z]{32}-")
def unstore(s): return store.sub("STORE/", s)

f = m["full"]
check("module-lsm-ipe-before-bpf", f["lsm"], ["ipe", "landlock", "yama", "bpf"])
check("module-kernel-params-audit", sorted(f["kernelParams"]), ["ipe.enforce=0", "lsm=ipe,landlock,yama,bpf"])
check("module-policy-path", {k: unstore(v) for k, v in f["etc"].items()}, {"ipe/spectrum.p7b": "0444 STORE/spectrum.p7b"})
check("module-package-units", [unstore(p) for p in f["packages"]], ["STORE/ipe-tools", "STORE/ipe-tools"])
check("module-loader-wanted", f["services"]["ipe-load-policies"]["wantedBy"], ["sysinit.target"])
check("module-loader-restarts-on-policy", [unstore(t) for t in f["services"]["ipe-load-policies"]["triggers"]], ["STORE/spectrum.p7b"])
a = f["services"]["ipe-auditd"]
check("module-auditd-wanted", a["wantedBy"], ["multi-user.target"])
check("module-auditd-env", {k: unstore(v) for k, v in a["environment"].items()}, {
    "IPE_AUDITD_POLICY": "STORE/spectrum.p7b",
    "IPE_AUDITD_OUTPUT": "/var/log/ipe-auditd/events.json",
    "IPE_AUDITD_FLAGS": "--backend auto --format json --stats-interval 60"})
check("module-logrotate", f["logrotate"], {"ipe-auditd": {"files": "/var/log/ipe-auditd/events.json",
    "frequency": "daily", "rotate": 14, "compress": True, "missingok": True, "notifempty": True, "copytruncate": True}})
check("module-no-failed-assertions", f["failedAssertions"], [])

e = m["enforce"]
check("module-enforce-param", "ipe.enforce=1" in e["kernelParams"], True)
check("module-systemd-loader-no-unit", "ipe-load-policies" in e["services"], False)
check("module-enforce-env", {k: unstore(v) for k, v in e["services"]["ipe-auditd"]["environment"].items()}, {
    "IPE_AUDITD_POLICY": "STORE/other.p7b", "IPE_AUDITD_OUTPUT": "/srv/ipe.log",
    "IPE_AUDITD_FLAGS": "--backend lsm --format text"})
check("module-rotation-settings", (e["logrotate"]["ipe-auditd"]["frequency"], e["logrotate"]["ipe-auditd"]["rotate"],
    e["logrotate"]["ipe-auditd"]["files"]), ("weekly", 3, "/srv/ipe.log"))

d = m["disabled"]
check("module-disabled-nothing", (d["lsm"], d["etc"], d["packages"], d["services"], d["logrotate"]),
    (["landlock", "yama", "bpf"], {}, [], {}, {}))
check("module-rotation-off", m["noRotation"]["logrotate"], {})
for k in ("badBackend", "badMode", "relativeOutput", "zeroKeep", "policyNotPath"):
    check("module-type-refuses-" + k, m[k], "refused")
check("module-type-accepts-tracepoint", m["goodTypes"], "evaluates")
check("module-assert-lsm-order", [x.startswith('security.ipe: "ipe" must come before "bpf"') for x in m["lsmOrder"]], [True])
check("module-assert-policy-name", [x.startswith('security.ipe.policies."a b": not an IPE policy name') for x in m["badName"]], [True])
check("module-assert-flag-space", len(m["spaceFlag"]), 1)
PY
cat "$T/module.results"
n_failed=$((n_failed + $(grep -c '^FAIL' "$T/module.results")))

# ---- package.nix (evaluated: what it asks of stdenv, and its source) ----
if nix-instantiate --read-write-mode --eval --strict --json "$TOP/tests/nix/eval-package.nix" --arg libPath "$libpath" >"$T/package.json" 2>"$T/package.err"; then
	pass package-evaluates
	python3 - "$T/package.json" "$TOP" >"$T/package.results" <<'PY'
import json, os, sys
p = json.load(open(sys.argv[1]))
def check(name, ok, detail=""):
    print(("PASS %s" % name) if ok else "FAIL %s: %s" % (name, detail))
check("package-hardening-for-bpf", p["hardeningDisable"] == ["zerocallusedregs", "stackprotector"], p["hardeningDisable"])
check("package-bpf-tools", {"clang", "bpftools", "pkg-config"} <= set(p["nativeBuildInputs"]), p["nativeBuildInputs"])
check("package-libraries", set(p["buildInputs"]) >= {"cryptsetup", "openssl", "json-c", "keyutils", "libbpf"}, p["buildInputs"])
check("package-prefix", "prefix=OUT" in p["makeFlags"] and "sysconfdir=/etc" in p["makeFlags"], p["makeFlags"])
check("package-meta", set(p["meta"]) >= {"description", "longDescription", "license", "platforms", "mainProgram", "maintainers"}, p["meta"])
check("package-license", p["license"] == "GPL-2.0-only", p["license"])
check("package-check", p["doCheck"] is True, p["doCheck"])
top = set(os.listdir(sys.argv[2])) - {".git", "build", "nix"}
top = {t for t in top if not t.startswith("build")}
src = set(p["srcTop"])
check("package-source-complete", top <= src, sorted(top - src))
check("package-source-clean", "nix" not in src and "build" not in src, sorted(src))
PY
	cat "$T/package.results"
	n_failed=$((n_failed + $(grep -c '^FAIL' "$T/package.results")))
else
	cat "$T/package.err"
	fail package-evaluates "$(grep -v '^warning:' "$T/package.err" | tail -n 1)"
fi

# ---- flake.nix (its outputs function, evaluated) ----
if nix-instantiate --eval --strict --json "$TOP/tests/nix/eval-flake.nix" --arg libPath "$libpath" >"$T/flake.json" 2>"$T/flake.err"; then
	want='{"checks":["nixos","package"],"input":"github:NixOS/nixpkgs/nixos-unstable","lib":["mkIpePolicy","mkVerityImage","spectrumPartUuids"],"moduleImports":["'$TOP'/nix/module.nix"],"nixosTest":"ipe-auditd","outputs":["checks","lib","nixosModules","overlays","packages"],"overlay":"ipe-tools","packages":{"aarch64-linux":{"default":"ipe-tools","ipe-tools":"ipe-tools"},"x86_64-linux":{"default":"ipe-tools","ipe-tools":"ipe-tools"}}}'
	if [ "$(cat "$T/flake.json")" = "$want" ]; then
		pass flake-outputs
	else
		fail flake-outputs "got $(cat "$T/flake.json")"
	fi
else
	fail flake-outputs "$(grep -v '^warning:' "$T/flake.err" | tail -n 1)"
fi

# ---- lib.nix ----
libargs=(--arg libPath "$libpath" --argstr prefix "$prefix" --argstr image "$T/rootfs.img"
	--argstr key "$T/keys/signing.key" --argstr cert "$T/keys/signing.crt")
if nix-instantiate --eval --strict --json "$TOP/tests/nix/eval-lib.nix" -A uuids "${libargs[@]}" >"$T/uuids.json" 2>"$T/lib.err"; then
	check_exit lib-spectrum-partuuids 0 grep -qx '{"root":"01234567-89ab-cdef-0123-456789abcdef","verity":"00112233-4455-6677-8899-aabbccddeeff"}' "$T/uuids.json"
else
	fail lib-spectrum-partuuids "$(grep -v '^warning:' "$T/lib.err" | tail -n 1)"
fi
ev() { nix-instantiate --eval --strict --json "$TOP/tests/nix/eval-lib.nix" -A "$1" "${libargs[@]}" 2>>"$T/lib.err"; }
check_exit lib-partuuids-refuses-short-hash 0 test "$(ev badHash)" = false
check_exit lib-refuses-keys-in-store 0 test "$(ev refusals)" = \
	'{"keyAsNixPath":false,"keyInStore":false,"keyWithoutCert":false,"relativeKey":false}'
check_exit lib-separate-outputs 0 test "$(ev outputs)" = \
	'{"policy":["out"],"policySigned":["out","signed"],"rootfs":["out","roothash","manifest"],"signed":["out","roothash","manifest","signature"]}'

build() { # build ATTR: prints the output paths, one a line
	nix-build --no-out-link "$TOP/tests/nix/eval-lib.nix" -A "$1" "${libargs[@]}" 2>>"$T/build.log"
}
if build rootfs >/dev/null && build again >/dev/null && build otherSeed >/dev/null && build signed >/dev/null &&
	build policy >/dev/null && build policySigned >/dev/null; then
	pass lib-derivations-build
else
	tail -n 20 "$T/build.log"
	fail lib-derivations-build "nix-build failed (see the log)"
	finish
	exit
fi
ev paths >"$T/paths.json"
outp() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$T/paths.json" "$1" "$2"; }
tree=$(outp rootfs out) rh_out=$(outp rootfs roothash) manifest=$(outp rootfs manifest)
rh=$(cat "$rh_out")
if [[ $rh =~ ^[0-9a-f]{64}$ ]]; then pass lib-roothash-output "$rh"; else fail lib-roothash-output "'$rh'"; fi
check_exit lib-veritysetup-verifies 0 veritysetup verify "$T/rootfs.img" "$tree" "$rh"
want=$("$O/ipe-policygen" format --seed spectrum-1.0 "$T/rootfs.img" "$T/direct.verity" 2>/dev/null)
check_exit lib-same-as-ipe-policygen 0 test "$rh" = "$want"
check_exit lib-tree-bytes-same 0 cmp "$tree" "$T/direct.verity"
check_exit lib-reproducible 0 test "$(cat "$(outp again roothash)")" = "$rh"
check_exit lib-seed-matters 1 test "$(cat "$(outp otherSeed roothash)")" = "$rh"
check_exit lib-manifest-root-hash 0 grep -q "\"root_hash\": *\"$rh\"" "$manifest"
# What a UKI's command line needs is the root-hash output alone.
check_exit lib-roothash-closure-alone 0 test "$(nix-store -q --requisites "$rh_out")" = "$rh_out"
sig=$(outp signed signature)
printf '%s' "$rh" >"$T/rh.txt"
check_exit lib-signature-openssl 0 openssl smime -verify -binary -inform der -in "$sig" -content "$T/rh.txt" \
	-certfile "$T/keys/signing.crt" -nointern -noverify -out /dev/null
check_exit lib-signature-ipe-keys 0 "$O/ipe-keys" verify "$sig" --cert "$T/keys/signing.crt" --data "$T/rh.txt"
pol=$(outp policy out)
check_exit lib-policy-checks 0 "$O/ipe-policygen" check "$pol"
check_exit lib-policy-names-image 0 grep -q "op=EXECUTE dmverity_roothash=sha256:$rh action=ALLOW" "$pol"
check_exit lib-policy-names-hash 0 grep -q "dmverity_roothash=sha256:0\{63\}1 action=ALLOW" "$pol"
check_exit lib-policy-boot-verified 0 grep -q "boot_verified=TRUE" "$pol"
spol=$(outp policySigned out) p7b=$(outp policySigned signed)
check_exit lib-policy-ops 0 grep -q "op=KMODULE dmverity_roothash=sha256:$rh action=ALLOW" "$spol"
check_exit lib-signed-policy-verifies 0 "$O/ipe-keys" verify "$p7b" --cert "$T/keys/signing.crt"
check_exit lib-signed-policy-content 0 cmp <(openssl smime -verify -binary -inform der -in "$p7b" -noverify -out /dev/stdout 2>/dev/null) "$spol"
finish
