# auditd/: ipe-auditd. main.c holds the verb table; every other file is one
# verb or one helper and goes into libauditd.a so unit tests can link it. BPF programs are auditd/bpf/*.bpf.c,
# compiled with clang and embedded as skeletons (bpftool gen skeleton).
#
# vmlinux.h is generated from the build machine's kernel BTF at build time,
# not checked in: the programs use CO-RE, so libbpf relocates their field
# accesses to the running kernel's layout wherever they run, and generating
# the header keeps the tree free of a multi-megabyte generated file.
CLANG ?= clang
BPFTOOL ?= bpftool
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
LIBBPF_LIBS := $(call pc,libs,libbpf)
override CFLAGS += $(call pc,cflags,libbpf)

AUDITD_BPF_SRCS := $(wildcard auditd/bpf/*.bpf.c)
AUDITD_SKELS := $(patsubst auditd/bpf/%.bpf.c,$(O)/auditd/bpf/%.skel.h,$(AUDITD_BPF_SRCS))
AUDITD_OBJS := $(patsubst %.c,$(O)/%.o,$(filter-out auditd/main.c,$(wildcard auditd/*.c)))
AUDITD_LIBS := $(O)/auditd/libauditd.a $(O)/crypto/libipecrypto.a $(O)/json/libipejson.a \
	$(O)/policy/libpolicy.a $(O)/lib/libbasic.a
AUDITD_LDLIBS := $(LIBBPF_LIBS) $(JSON_LIBS) $(CRYPTO_LIBS)

$(O)/auditd/vmlinux.h: | $(O)/.dirs
	$(call msg,GEN,$@)
	$(Q)test -r $(VMLINUX_BTF) || { echo "auditd: $(VMLINUX_BTF) is missing: building ipe-auditd needs a kernel with BTF (CONFIG_DEBUG_INFO_BTF=y) or VMLINUX_BTF=FILE" >&2; exit 2; }
	$(Q)mkdir -p $(dir $@) && $(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(O)/auditd/bpf/%.bpf.o: auditd/bpf/%.bpf.c auditd/bpf/event.h auditd/bpf/common.bpf.h $(O)/auditd/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@) && $(CLANG) -target bpf -g -O2 -D__TARGET_ARCH_x86 -Wall -Werror \
		-I. -I$(O)/auditd -c $< -o $@

$(O)/auditd/bpf/%.skel.h: $(O)/auditd/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst .,_,$*)_bpf > $@.tmp && mv $@.tmp $@

$(AUDITD_OBJS) $(O)/auditd/main.o: $(AUDITD_SKELS)

$(O)/auditd/libauditd.a: $(AUDITD_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/ipe-auditd: $(O)/auditd/main.o $(AUDITD_LIBS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(AUDITD_LDLIBS)

PROGRAMS += $(O)/ipe-auditd
MANPAGES += $(wildcard docs/man/ipe-auditd*.1)
