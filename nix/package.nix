# SPDX-License-Identifier: GPL-2.0-only
# ipe-tools for nixpkgs (callPackage style), built as nixpkgs builds bpftune
# (pkgs/by-name/bp/bpftune/package.nix): clang and bpftool as native inputs for
# the auditor's BPF objects, and the cc-wrapper hardening flags that break
# `clang -target bpf` turned off. The build uses the vmlinux.h in the source
# tree, since /sys/kernel/btf does not exist in the build sandbox.
{ lib
, stdenv
, pkg-config
, cryptsetup
, openssl
, json-c
, keyutils
, libbpf
, elfutils
, zlib
, bpftools
, llvmPackages
, python3
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "ipe-tools";
  version = "0.1.0";

  # The tree without VCS files, build outputs (build*/ at the top) and nix/,
  # so editing these expressions does not rebuild the package.
  src = lib.cleanSourceWith {
    src = lib.cleanSource ./..;
    filter = path: type:
      dirOf path != toString ./.. || !(baseNameOf path == "nix" || lib.hasPrefix "build" (baseNameOf path));
  };

  nativeBuildInputs = [ pkg-config llvmPackages.clang bpftools ];
  buildInputs = [ cryptsetup openssl json-c keyutils libbpf elfutils zlib ];

  # The wrapper adds -fzero-call-used-regs and -fstack-protector to every
  # clang call, -target bpf included, where they fail or warn.
  hardeningDisable = [ "zerocallusedregs" "stackprotector" ];

  makeFlags = [
    "O=build"
    "prefix=${placeholder "out"}"
    "sysconfdir=/etc"
    "localstatedir=/var"
  ];

  enableParallelBuilding = true;

  # The tests that need neither root nor the IPE kernel VM: the unit tests,
  # with veritysetup and openssl as oracles. `make check` runs the rest.
  doCheck = true;
  nativeCheckInputs = [ cryptsetup openssl python3 ];
  checkPhase = ''
    runHook preCheck
    make O=build tests
    O=build tests/run.sh unit/
    runHook postCheck
  '';

  meta = {
    description = "Tools to adopt Linux's IPE LSM: dm-verity hashing, signed IPE policies, keys, and an eBPF auditor";
    longDescription = ''
      ipe-policygen hashes dm-verity images (byte-compatible with veritysetup format,
      reproducible from a seed), signs root hashes, generates IPE policies, checks them
      exactly as the kernel would and signs them. ipe-keys makes signing keys and makes
      kernels trust them. ipe-auditd loads policies at boot and, on dev machines in audit
      mode, records what a policy would deny before it is enforced.
    '';
    license = lib.licenses.gpl2Only;
    platforms = lib.platforms.linux;
    mainProgram = "ipe-policygen";
    maintainers = [ ];
  };
})
