# json/: the one JSON writer and reader, over json-c (json/json.h says the
# convention for bytes that are not UTF-8). Uses lib/ and json-c.
JSON_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard json/*.c))

$(O)/json/libipejson.a: $(JSON_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
