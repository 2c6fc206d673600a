# SPDX-License-Identifier: GPL-2.0-only
# What nix/lib.nix takes from nixpkgs, for building its derivations with a
# local Nix store and no nixpkgs: runCommand as a plain derivation run by the
# host's /bin/sh (the tests disable the sandbox), and the ipe-tools that
# `make install` put under PREFIX, copied into the store.
{ prefix }:
{
  runCommand = name: env: script:
    derivation ({
      inherit name;
      system = builtins.currentSystem;
      builder = "/bin/sh";
      args = [ "-ec" script ];
      PATH = "/usr/bin:/bin";
    } // builtins.removeAttrs env [ "passthru" ]) // (env.passthru or { });

  ipe-tools = builtins.path { path = /. + prefix; name = "ipe-tools"; };
}
