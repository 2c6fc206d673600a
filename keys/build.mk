# keys/: ipe-keys. main.c lists the verbs in pipeline order; each verb's file
# holds its table entry; the rest goes into libkeys.a. Uses lib/, policy/,
# json/, crypto/, libkeyutils and libcrypto; never verity/ (libcryptsetup).
KEYS_OBJS := $(patsubst %.c,$(O)/%.o,$(filter-out keys/main.c,$(wildcard keys/*.c)))
KEYS_LIBS := $(O)/keys/libkeys.a $(O)/crypto/libipecrypto.a $(O)/json/libipejson.a $(O)/policy/libpolicy.a \
	$(O)/lib/libbasic.a
KEYS_LDLIBS := $(KEYUTILS_LIBS) $(JSON_LIBS) $(CRYPTO_LIBS)

$(O)/keys/libkeys.a: $(KEYS_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/ipe-keys: $(O)/keys/main.o $(KEYS_LIBS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(KEYS_LDLIBS)

PROGRAMS += $(O)/ipe-keys
MANPAGES += $(wildcard docs/man/ipe-keys*.1)
