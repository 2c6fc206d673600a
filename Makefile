# SPDX-License-Identifier: GPL-2.0-only
# ipe-tools top-level build. GNU make only.
#
#   make [O=DIR] [V=1]          build everything into DIR (default: build)
#   make check                  install test dependencies, lint, build, run every test
#   make demo                   the end-to-end demonstration (boots an IPE kernel)
#   make lint                   clang-tidy, cppcheck, clang-format --dry-run, shellcheck
#   make install [DESTDIR=] [prefix=] [sysconfdir=] [unitdir=] ...  (dist/build.mk)
#   make uninstall              the same variables: removes what install put there
#
# Each directory describes its own objects in a build.mk fragment; this file
# holds the rules they share. Program directories (policygen/, keys/, auditd/)
# may use lib/ and policy/, never each other (docs/ARCHITECTURE.md).

O ?= build
prefix ?= /usr/local
bindir ?= $(prefix)/bin
mandir ?= $(prefix)/share/man
PKG_CONFIG ?= pkg-config
CC ?= cc

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

pc = $(shell $(PKG_CONFIG) --$(1) $(2) 2>/dev/null)

CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wcast-qual \
	-Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla -Wwrite-strings \
	-Wimplicit-fallthrough -Werror=implicit-function-declaration
HARDENING := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection \
	-fPIE -fno-strict-aliasing
override CFLAGS += -std=gnu11 $(WARNINGS) $(HARDENING) -D_GNU_SOURCE -MMD -MP \
	-I. -I$(O) $(EXTRA_CFLAGS)
override LDFLAGS += -pie -Wl,-z,relro,-z,now -Wl,--as-needed

# Third-party libraries, found with pkg-config: MODULE:DEBIAN-PACKAGE. Without
# one, a build stops at once with a line naming both, not at a missing header.
# check, demo and bench install them first (tests/deps.sh), so are not stopped.
PKG_MODULES := libcrypto:libssl-dev libcryptsetup:libcryptsetup-dev json-c:libjson-c-dev \
	libkeyutils:libkeyutils-dev
ifeq ($(filter check demo bench clean lint,$(MAKECMDGOALS)),)
$(foreach m,$(PKG_MODULES),$(if $(shell $(PKG_CONFIG) --exists $(firstword $(subst :, ,$(m))) && echo y),,\
	$(error pkg-config module '$(firstword $(subst :, ,$(m)))' not found: install the Debian package \
	$(lastword $(subst :, ,$(m))) (tests/deps.sh installs every build and test dependency))))
endif
CRYPTO_LIBS := $(call pc,libs,libcrypto)
CRYPTSETUP_LIBS := $(call pc,libs,libcryptsetup)
JSON_LIBS := $(call pc,libs,json-c)
KEYUTILS_LIBS := $(call pc,libs,libkeyutils)
override CFLAGS += $(call pc,cflags,libcrypto libcryptsetup json-c libkeyutils)

all:

PROGRAMS :=
MANPAGES :=
UNIT_LIBS :=

include lib/build.mk
include policy/build.mk
include json/build.mk
include crypto/build.mk
include verity/build.mk
include policygen/build.mk
include keys/build.mk
include auditd/build.mk
include dist/build.mk
include tests/build.mk

$(O)/%.o: %.c | $(O)/.dirs
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -c $< -o $@

$(O)/.dirs:
	$(Q)mkdir -p $(O) && touch $@

all: $(PROGRAMS)

# The dependencies are installed first, then a sub-make builds with the
# pkg-config answers they make possible. Any lint finding stops the run
# before the tests.
check:
	$(Q)tests/deps.sh check
	$(Q)$(MAKE) --no-print-directory lint
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)O=$(O) tests/run.sh

demo:
	$(Q)tests/deps.sh demo
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/vm/demo.sh

# The configurations are .clang-tidy, .cppcheck-suppressions, .clang-format and
# .shellcheckrc; tests/lint.sh prints each finding and a count per tool.
# clang-tidy reads the generated BPF headers, so a sub-make generates them first.
lint:
	$(Q)tests/deps.sh lint
	$(Q)$(MAKE) --no-print-directory lint-headers
	$(Q)O=$(O) tests/lint.sh

lint-headers: $(AUDITD_SKELS)

# memcheck over the tools' command-line paths, helgrind over the hashing threads (tests/valgrind/).
check-valgrind:
	$(Q)tests/deps.sh valgrind
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/valgrind/valgrind.sh

# Every fuzz target for FUZZ_SECONDS each (tests/fuzz/run.sh), FUZZ_JOBS at once.
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
fuzz:
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh all

bench:
	$(Q)tests/deps.sh check
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) bench/verity.sh
	$(Q)O=$(O) bench/auditd.sh

clean:
	rm -rf $(O)

.PHONY: all check check-valgrind demo lint lint-headers fuzz bench clean tests
.DELETE_ON_ERROR:
.SECONDARY:

-include $(shell find $(O) -name '*.d' -type f 2>/dev/null)
