# SPDX-License-Identifier: GPL-2.0-only
# Functions an image build calls (callPackage style):
#
#   ipeLib = pkgs.callPackage ./lib.nix { };   # or the flake's lib.${system}
#
# Each build step is its own derivation output, so what depends on a step
# pulls in only that output: a kernel command line or a UKI that embeds the
# root hash depends on the 64-byte `roothash` output, not on the image or its
# hash tree.
#
# Private keys: `signingKey` is a string naming a file outside the Nix store
# (say "/run/keys/ipe-signing.key"), made visible to builds with Nix's
# `extra-sandbox-paths`. A Nix path (./signing.key) would copy the key into
# the world-readable store, so it is refused at evaluation time.
{ lib, runCommand, ipe-tools }:
let
  inherit (lib) escapeShellArg optional optionalString concatMapStringsSep;

  policygen = "${ipe-tools}/bin/ipe-policygen";

  checkKey = what: key:
    if key == null then null
    else if !builtins.isString key then
      throw "${what}: signingKey must be a string naming a file outside the Nix store, not a Nix path (which would copy the private key into the world-readable store)"
    else if lib.hasPrefix builtins.storeDir key then
      throw "${what}: signingKey ${key} is in the Nix store, which is world-readable; keep private keys outside it"
    else if !lib.hasPrefix "/" key then
      throw "${what}: signingKey ${key} must be an absolute path"
    else key;

  checkCert = what: key: cert:
    if key != null && cert == null then throw "${what}: signingKey needs signingCert (the certificate the kernel trusts)"
    else cert;

  # "8-4-4-4-12" from 32 hex digits.
  uuidOf = s:
    "${builtins.substring 0 8 s}-${builtins.substring 8 4 s}-${builtins.substring 12 4 s}-"
    + "${builtins.substring 16 4 s}-${builtins.substring 20 12 s}";
in
rec {
  /* Spectrum's partition UUIDs from a SHA-256 root hash (64 hex digits): the
     root partition's PARTUUID is the first 32 digits, the verity partition's
     the last 32 (Spectrum's scripts/format-uuid.sh, host/initramfs/etc/getuuids).
     Returns { root = "xxxxxxxx-…"; verity = "…"; }. */
  spectrumPartUuids = rootHash:
    let h = lib.toLower rootHash;
    in
    if builtins.stringLength h != 64 || builtins.match "[0-9a-f]*" h == null then
      throw "spectrumPartUuids: '${rootHash}' is not a SHA-256 root hash (64 hex digits)"
    else {
      root = uuidOf (builtins.substring 0 32 h);
      verity = uuidOf (builtins.substring 32 32 h);
    };

  /* The dm-verity hash tree of `image`, reproducible from `seed` (salt and
     UUID derive from it, ipe-policygen-format(1)), byte-compatible with
     `veritysetup format`. Outputs:
       out        the hash tree (superblock first), for the verity partition
       roothash   the root hash, lowercase hex, no newline
       manifest   the JSON manifest (parameters, root hash, signature if any)
       signature  (with signingKey) detached PKCS#7 over the root hash, for
                  `veritysetup open --root-hash-signature` */
  mkVerityImage =
    { image
    , seed
    , name ? "verity"
    , hash ? "sha256"
    , dataBlockSize ? 4096
    , hashBlockSize ? 4096
    , signingKey ? null
    , signingCert ? null
    }:
    let
      key = checkKey "mkVerityImage" signingKey;
      cert = checkCert "mkVerityImage" key signingCert;
    in
    runCommand name
      {
        outputs = [ "out" "roothash" "manifest" ] ++ optional (key != null) "signature";
        passthru = { inherit image seed; };
      }
      (''
        ${policygen} format --seed ${escapeShellArg seed} --hash ${escapeShellArg hash} \
          --data-block-size ${toString dataBlockSize} --hash-block-size ${toString hashBlockSize} \
          --manifest "$manifest" --root-hash-file root-hash ${image} "$out" >/dev/null
        tr -d '\n' <root-hash >"$roothash"
      '' + optionalString (key != null) ''
        ${policygen} sign-roothash --key ${escapeShellArg key} --cert ${cert} \
          --manifest "$manifest" -o "$signature"
      '');

  /* An IPE policy allowing `images` (mkVerityImage results, or "ALG:HEX"
     root hashes) for `ops` (default EXECUTE), with the initramfs too when
     `bootVerified`, and any volume with a kernel-verified root-hash signature
     when `signedImages`. Checked with the kernel's rules (ipe-policygen check)
     at build time. Outputs:
       out     the policy text
       signed  (with signingKey) the attached PKCS#7 to install as
               /etc/ipe/NAME.p7b (security.ipe.policies) or write to
               new_policy */
  mkIpePolicy =
    { name
    , version
    , images ? [ ]
    , ops ? [ "EXECUTE" ]
    , bootVerified ? false
    , signedImages ? false
    , signingKey ? null
    , signingCert ? null
    }:
    let
      key = checkKey "mkIpePolicy" signingKey;
      cert = checkCert "mkIpePolicy" key signingCert;
      imageArg = img:
        if builtins.isString img then "--roothash ${escapeShellArg img}"
        else "--manifest ${img.manifest}";
    in
    runCommand "ipe-policy-${name}-${version}"
      {
        outputs = [ "out" ] ++ optional (key != null) "signed";
        passthru = { policyName = name; inherit version; };
      }
      (''
        ${policygen} generate --name ${escapeShellArg name} --version ${escapeShellArg version} \
          ${concatMapStringsSep " " (op: "--op ${escapeShellArg op}") ops} \
          ${optionalString bootVerified "--boot-verified"} ${optionalString signedImages "--signed"} \
          ${concatMapStringsSep " " imageArg images} -o "$out"
        ${policygen} check "$out"
      '' + optionalString (key != null) ''
        ${policygen} sign --key ${escapeShellArg key} --cert ${cert} -o "$signed" "$out"
      '');
}
