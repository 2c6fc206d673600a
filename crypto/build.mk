# crypto/: the PKCS#7 envelopes the kernel verifies, key and certificate files,
# and the OpenSSL _cleanup_ helpers. Uses lib/ and libcrypto.
CRYPTO_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard crypto/*.c))

$(O)/crypto/libipecrypto.a: $(CRYPTO_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
