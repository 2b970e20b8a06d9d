/* Clipboard text between domains (protocol/clipboard.c): UTF-8 or refused, controls removed
 * except tab and newline. Beside window-decor's tests, which share its UTF-8 decoder. */
#include <errno.h>
#include <string.h>

#include "protocol/proto.h"
#include "suites.h"

/* Sanitize a literal (in place in a copy) and compare with the expected bytes, or expect a
 * refusal. */
static void expect(const char *in, size_t len, const char *want)
{
	uint8_t buf[256];
	memcpy(buf, in, len);
	long n = proto_clipboard_sanitize(buf, len, buf);
	if (!want) {
		ck_assert_int_eq(n, -EILSEQ);
		return;
	}
	ck_assert_int_eq(n, (long)strlen(want));
	ck_assert_mem_eq(buf, want, (size_t)n);
}

/* The length comes from the literal itself (embedded NULs included). */
#define EXPECT(lit, want) expect(lit, sizeof(lit) - 1, want)

START_TEST(test_proto_clipboard_keeps_text_tabs_and_newlines)
{
	EXPECT("plain text", "plain text");
	EXPECT("a\tb\nc", "a\tb\nc");
	EXPECT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	EXPECT("", "");
}
END_TEST

START_TEST(test_proto_clipboard_removes_controls)
{
	EXPECT("line\r\nnext", "line\nnext");
	EXPECT("a\x1b[31mred", "a[31mred");
	EXPECT("x\x00y", "xy");
	EXPECT("del\x7f!", "del!");
	EXPECT("c1\xc2\x85here", "c1here"); /* U+0085 NEL */
	EXPECT("bell\x07", "bell");
}
END_TEST

START_TEST(test_proto_clipboard_refuses_invalid_utf8)
{
	EXPECT("\xff", NULL);
	EXPECT("ok \xc0\x80", NULL);	  /* overlong NUL */
	EXPECT("\xed\xa0\x80", NULL);	  /* a surrogate */
	EXPECT("\xf4\x90\x80\x80", NULL); /* past U+10FFFF */
	EXPECT("cut \xe2\x82", NULL);	  /* truncated at the end */
	EXPECT("\x80 stray", NULL);
}
END_TEST

START_TEST(test_proto_clipboard_may_sanitize_into_another_buffer)
{
	const uint8_t in[] = "a\rb";
	uint8_t out[3] = {0};
	ck_assert_int_eq(proto_clipboard_sanitize(in, 3, out), 2);
	ck_assert_mem_eq(out, "ab", 2);
}
END_TEST

Suite *suite_proto_clipboard(void)
{
	Suite *s = suite_create("clipboard");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, test_proto_clipboard_keeps_text_tabs_and_newlines);
	tcase_add_test(tc, test_proto_clipboard_removes_controls);
	tcase_add_test(tc, test_proto_clipboard_refuses_invalid_utf8);
	tcase_add_test(tc, test_proto_clipboard_may_sanitize_into_another_buffer);
	suite_add_tcase(s, tc);
	return s;
}
