# verity/: the dm-verity engine, one header per room: params (struct
# verity_params, the model), tree (geometry, hashing, locating), superblock,
# check (the libcryptsetup self-check), manifest (JSON) and roothash (the one
# root-hash parser). Uses lib/, policy/ (the digest table), json/, crypto/
# (OpenSSL cleanup helpers), libcrypto and libcryptsetup; never prints.
VERITY_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard verity/*.c))

$(O)/verity/libverity.a: $(VERITY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
