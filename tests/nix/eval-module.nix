# SPDX-License-Identifier: GPL-2.0-only
# nix/module.nix evaluated with nixpkgs' lib (lib.evalModules) in the cases
# tests/nix/nix_test.sh asserts on. Prints JSON (nix-instantiate --eval --strict --json).
{ libPath, package, policy, otherPolicy }:
let
  lib = import libPath;
  pkgs = { ipe-tools = package; };
  eval = cfg: lib.evalModules {
    modules = [ ./nixos-options.nix ../../nix/module.nix cfg ];
    specialArgs = { inherit pkgs; };
  };
  failed = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  # The error of a configuration that does not evaluate, or "evaluates".
  refuses = cfg:
    let
      c = (eval cfg).config;
      r = builtins.tryEval (builtins.deepSeq [ c.systemd.services c.services.logrotate c.environment.etc c.assertions ] c.boot.kernelParams);
    in if r.success then "evaluates" else "refused";
  summary = c: {
    lsm = c.security.lsm;
    kernelParams = c.boot.kernelParams;
    etc = lib.mapAttrs (_: e: "${e.mode} ${e.source}") c.environment.etc;
    packages = map (p: "${p}") c.systemd.packages;
    services = lib.mapAttrs (_: s: { inherit (s) wantedBy environment; triggers = map toString s.restartTriggers; }) c.systemd.services;
    logrotate = c.services.logrotate.settings;
    failedAssertions = failed c;
  };
in
{
  full = summary (eval {
    security.ipe = { enable = true; policies.spectrum = policy; };
    services.ipe-auditd = { enable = true; inherit policy; extraFlags = [ "--stats-interval" "60" ]; };
  }).config;
  enforce = summary (eval {
    security.ipe = { enable = true; mode = "enforce"; loader = "systemd"; policies.spectrum = policy; };
    services.ipe-auditd = {
      enable = true; policy = otherPolicy; backend = "lsm"; format = "text"; output = "/srv/ipe.log";
      logRotation = { frequency = "weekly"; keep = 3; };
    };
  }).config;
  disabled = summary (eval { }).config;
  noRotation = summary (eval {
    services.ipe-auditd = { enable = true; inherit policy; logRotation.enable = false; };
  }).config;
  # Option types: each of these must not evaluate.
  badBackend = refuses { services.ipe-auditd = { enable = true; inherit policy; backend = "kprobe"; }; };
  badMode = refuses { security.ipe = { enable = true; mode = "permissive"; }; };
  relativeOutput = refuses { services.ipe-auditd = { enable = true; inherit policy; output = "events.json"; }; };
  zeroKeep = refuses { services.ipe-auditd = { enable = true; inherit policy; logRotation.keep = 0; }; };
  policyNotPath = refuses { security.ipe = { enable = true; policies.x = 42; }; };
  goodTypes = refuses { services.ipe-auditd = { enable = true; inherit policy; backend = "tracepoint"; }; };
  # Assertions: the configuration evaluates but the module says what is wrong.
  lsmOrder = failed (eval {
    security.ipe.enable = true;
    security.lsm = lib.mkForce [ "landlock" "bpf" "ipe" ];
  }).config;
  badName = failed (eval { security.ipe = { enable = true; policies."a b" = policy; }; }).config;
  spaceFlag = failed (eval { services.ipe-auditd = { enable = true; inherit policy; extraFlags = [ "--stats-interval 60" ]; }; }).config;
}
