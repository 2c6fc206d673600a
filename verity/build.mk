# verity/: the dm-verity engine: geometry, hash trees, superblock, parameters,
# manifest and the libcryptsetup self-check. Uses lib/, libcrypto,
# libcryptsetup and json-c; never prints.
VERITY_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard verity/*.c))

$(O)/verity/libverity.a: $(VERITY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
