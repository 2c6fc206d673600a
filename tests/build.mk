# tests/: one binary per tests/unit/test_*.c, linked with the shared harness
# and every library of the tree (tests may look inside program directories).
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))
UNIT_LIBS := $(O)/auditd/libauditd.a $(O)/policygen/libpolicygen.a $(O)/keys/libkeys.a $(O)/verity/libverity.a \
	$(O)/crypto/libipecrypto.a $(O)/json/libipejson.a $(O)/policy/libpolicy.a $(O)/lib/libbasic.a
UNIT_LDLIBS := $(CRYPTSETUP_LIBS) $(KEYUTILS_LIBS) $(JSON_LIBS) $(CRYPTO_LIBS) -lpthread

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(O)/tests/harness.o $(UNIT_LIBS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(UNIT_LDLIBS)

tests: $(UNIT_BINS)
