// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "json/json.h"
#include "lib/macro.h"
#include "tests/harness.h"

TEST(utf8_valid_cases)
{
	ASSERT_TRUE(utf8_valid("plain", 5));
	ASSERT_TRUE(utf8_valid("a\0b", 3));
	ASSERT_TRUE(utf8_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	ASSERT_TRUE(!utf8_valid("\xff", 1));
	ASSERT_TRUE(!utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	ASSERT_TRUE(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	ASSERT_TRUE(!utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	ASSERT_TRUE(!utf8_valid("\xe2\x82", 2));         /* truncated */
}

TEST(bytes_roundtrip_invalid_utf8_and_controls)
{
	static const char in[] = "/tmp/a\nb\"c\x80\xff";
	_cleanup_json_ struct json_object *o = json_bytes_new(in, sizeof(in) - 1);
	_cleanup_json_ struct json_object *back = NULL;
	_cleanup_free_ char *out = NULL;
	const char *text;
	size_t n;

	ASSERT_TRUE(json_object_is_type(o, json_type_array));
	text = json_format(o, 0);
	ASSERT_OK(json_parse_document(text, strlen(text), &back));
	ASSERT_OK(json_bytes_get(back, &out, &n));
	ASSERT_EQ(n, sizeof(in) - 1);
	ASSERT_MEMEQ(out, in, n);
}

TEST(bytes_valid_utf8_is_a_string)
{
	_cleanup_json_ struct json_object *o = json_str_new("a\nb/\xc3\xa9");

	ASSERT_STREQ(json_format(o, 0), "\"a\\nb/\xc3\xa9\"");
	ASSERT_TRUE(json_str_new(NULL) == NULL);
}

TEST(bytes_get_refuses_other_shapes)
{
	_cleanup_json_ struct json_object *o = NULL;
	char *out = NULL;

	ASSERT_OK(json_parse_document("[1,256]", 7, &o));
	ASSERT_EQ(json_bytes_get(o, &out, NULL), -EBADMSG);
	json_object_put(TAKE_PTR(o));
	ASSERT_OK(json_parse_document("{}", 2, &o));
	ASSERT_EQ(json_bytes_get(o, &out, NULL), -EBADMSG);
	ASSERT_TRUE(out == NULL);
}

TEST(parse_document_refuses_trailing_bytes)
{
	struct json_object *o = NULL;

	ASSERT_EQ(json_parse_document("{} x", 4, &o), -EBADMSG);
	ASSERT_EQ(json_parse_document("{\"a\":", 5, &o), -EBADMSG);
	ASSERT_EQ(json_parse_document("{}{}", 4, &o), -EBADMSG);
	ASSERT_EQ(json_parse_document("{}\0", 3, &o), -EBADMSG); /* a NUL is no white space */
	ASSERT_TRUE(o == NULL);
	ASSERT_OK(json_parse_document("{} \n", 4, &o));
	json_object_put(o);
}

TEST(write_line_is_one_record)
{
	char path[4096], buf[64];
	_cleanup_json_ struct json_object *o = json_object_new_object();
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/line", test_tmp_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(json_add(o, "type", json_str_new("start")));
	ASSERT_OK(json_add(o, "path", NULL));
	ASSERT_OK(json_write_line(fd, o));
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	ASSERT_TRUE(n > 0);
	buf[n] = 0;
	ASSERT_STREQ(buf, "{\"type\":\"start\",\"path\":null}\n");
}

/* The three layouts the tools print: one line, the manifest's, ipe-keys list's. */
TEST(format_layouts)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();

	ASSERT_TRUE(o);
	ASSERT_OK(json_add(o, "a", json_object_new_int(1)));
	ASSERT_OK(json_add(o, "p", json_str_new("x/y")));
	ASSERT_OK(json_add(o, "e", json_object_new_array()));
	ASSERT_STREQ(json_format(o, 0), "{\"a\":1,\"p\":\"x/y\",\"e\":[]}");
	ASSERT_STREQ(json_format(o, JSON_PRETTY),
		     "{\n  \"a\": 1,\n  \"p\": \"x/y\",\n  \"e\": [\n  ]\n}");
	ASSERT_STREQ(json_format(o, JSON_PRETTY | JSON_NO_SPACE),
		     "{\n  \"a\":1,\n  \"p\":\"x/y\",\n  \"e\":[\n  ]\n}");
}
