/* The inter-domain clipboard: a copy in one guest's window and a paste in another's, through the
 * shared file; what is refused; and the file's header, parsed strictly. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "tests/daemon/harness.h"

#define WA	   0x400001u
#define WB	   0x600001u
#define CTRL_SHIFT (XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_SHIFT)
/* Long enough for the daemon to have answered, short enough to keep the suite quick. */
#define NOTHING_MS 300

static struct harness a, b;
static char run[64], file[96];
static uint8_t copy_key, paste_key;

static uint8_t keycode(const char *spec)
{
	struct keyseq k;
	ck_assert_int_eq(keyseq_parse(spec, &k), 0);
	ck_assert_int_eq(keyseq_resolve(&k, a.x), 0);
	ck_assert_uint_ge(k.nkeycodes, 1);
	return k.keycodes[0];
}

/* Guests "work" (a) and "personal" (b), sharing one runtime directory, with extra options for a. */
static void start(const char *const *extra_a)
{
	snprintf(run, sizeof(run), "/tmp/seam-clip-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(run));
	snprintf(file, sizeof(file), "%s/clipboard", run);
	const char *ea[8] = {"--runtime-dir", run}, *eb[] = {"--runtime-dir", run, NULL};
	for (int i = 0; extra_a && extra_a[i] && i < 5; i++)
		ea[2 + i] = extra_a[i];
	ck_assert_int_eq(harness_start(&a, "work", ea), 0);
	ck_assert_int_eq(harness_start(&b, "personal", eb), 0);
	ck_assert_int_eq(harness_connect(&a), 0);
	ck_assert_int_eq(harness_connect(&b), 0);
	harness_create(&a, WA, 10, 10, 64, 48, false);
	harness_create(&b, WB, 10, 10, 64, 48, false);
	copy_key = keycode("Ctrl-Shift-c");
	paste_key = keycode("Ctrl-Shift-v");
}

static void setup(void)
{
	start(NULL);
}

static void teardown(void)
{
	harness_stop(&a);
	harness_stop(&b);
	ck_assert_int_eq(harness_rmtree(run), 0);
}

/* The user presses (and releases) the copy keys in a's window; the agent is asked. */
static void press_copy(void)
{
	struct clipboard *c = daemon_clipboard(a.d);
	ck_assert(clipboard_key(c, WA, copy_key, CTRL_SHIFT, true));
	ck_assert(clipboard_key(c, WA, copy_key, CTRL_SHIFT, false));
	struct proto_msg m;
	ck_assert_int_eq(harness_expect(&a, PROTO_MSG_CLIPBOARD_REQ, WA, &m, 2000), 1);
}

/* a's agent answers with its CLIPBOARD. */
static void answer(const void *text, uint32_t len)
{
	struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_DATA, .window = WA};
	m.data = text;
	m.data_len = len;
	harness_send(&a, &m, NULL, 0);
}

/* The user presses the paste keys in window win of h's guest: 1 with what its agent got, or 0 if
 * it got nothing. */
static int press_paste(struct harness *h, uint32_t win, char *got, size_t cap)
{
	ck_assert(clipboard_key(daemon_clipboard(h->d), win, paste_key, CTRL_SHIFT, true));
	struct proto_msg m;
	int r = harness_expect(h, PROTO_MSG_CLIPBOARD_DATA, win, &m, NOTHING_MS);
	ck_assert_int_ge(r, 0);
	if (r == 1) {
		ck_assert_uint_lt(m.data_len, cap);
		memcpy(got, m.data, m.data_len);
		got[m.data_len] = '\0';
	}
	return r;
}

static size_t read_file(char *buf, size_t cap)
{
	FILE *f = fopen(file, "rb");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

START_TEST(test_clipboard_copy_then_paste_through_the_shared_file)
{
	press_copy();
	/* A second release is not the sequence's: it reaches the guest. */
	ck_assert(!clipboard_key(daemon_clipboard(a.d), WA, copy_key, CTRL_SHIFT, false));
	answer("hello\r\nworld", 12);
	char buf[256];
	size_t n = read_file(buf, sizeof(buf));
	static const char want[] = "SEAM-CLIPBOARD 1\nsource work\nsize 11\n\nhello\nworld";
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert_str_eq(buf, want);
	struct stat st;
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);

	char got[256];
	ck_assert_int_eq(press_paste(&b, WB, got, sizeof(got)), 1);
	ck_assert_str_eq(got, "hello\nworld");
	/* A paste empties the clipboard: the next paste gives nothing. */
	ck_assert_int_eq(access(file, F_OK), -1);
	ck_assert_int_eq(press_paste(&b, WB, got, sizeof(got)), 0);
}
END_TEST

START_TEST(test_clipboard_data_nobody_asked_for_is_dropped)
{
	answer("unasked", 7);
	ck_assert_int_eq(access(file, F_OK), -1);
	/* Asked once, answered once: a second answer is not stored over the first. */
	press_copy();
	answer("first", 5);
	answer("second", 6);
	char buf[256];
	read_file(buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "\n\nfirst"));
}
END_TEST

/* Each empties the clipboard: a paste after it never gives an older copy's text. */
START_TEST(test_clipboard_refuses_text_that_is_not_utf8_or_empty)
{
	static const struct {
		const char *text;
		uint32_t len;
	} bad[] = {{"\xff\xfe", 2}, {"", 0}, {"\x01\x02", 2}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		press_copy();
		answer("older", 5);
		ck_assert_int_eq(access(file, F_OK), 0);
		press_copy();
		answer(bad[i].text, bad[i].len);
		ck_assert_msg(access(file, F_OK) == -1, "#%zu left the older copy", i);
	}
}
END_TEST

START_TEST(test_clipboard_refuses_a_file_that_is_not_a_clipboard_file)
{
	/* What another daemon could have been made to write, or anyone else: refused and removed.
	 */
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("SEAM-CLIPBOARD 1\nsource work\nsize 10\n\nabc", f);
	fclose(f);
	char got[64];
	ck_assert_int_eq(press_paste(&b, WB, got, sizeof(got)), 0);
	ck_assert_int_eq(access(file, F_OK), -1);
}
END_TEST

START_TEST(test_clipboard_needs_a_private_runtime_directory)
{
	ck_assert_int_eq(chmod(run, 0755), 0);
	press_copy();
	answer("text", 4);
	ck_assert_int_eq(access(file, F_OK), -1);
}
END_TEST

START_TEST(test_clipboard_refuses_a_copy_past_the_limit)
{
	teardown();
	static const char *const limit[] = {"--clipboard-limit", "256", NULL};
	start(limit);
	char text[300];
	memset(text, 'x', sizeof(text));
	press_copy();
	answer(text, sizeof(text));
	ck_assert_int_eq(access(file, F_OK), -1);
	/* At the limit it is taken, and b (with the default limit) pastes it. */
	press_copy();
	answer(text, 256);
	char got[512];
	ck_assert_int_eq(press_paste(&b, WB, got, sizeof(got)), 1);
	ck_assert_uint_eq(strlen(got), 256);
	/* A file past the reader's own limit is refused, whoever wrote it. */
	FILE *f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "SEAM-CLIPBOARD 1\nsource personal\nsize 300\n\n%.300s", text);
	fclose(f);
	ck_assert_int_eq(press_paste(&a, WA, got, sizeof(got)), 0);
	ck_assert_int_eq(access(file, F_OK), -1);
}
END_TEST

/* ---- The file's format, alone ------------------------------------------------------------- */

static int parse(const char *text, uint32_t limit, char *source, size_t *off, size_t *len)
{
	size_t n = strlen(text);
	uint8_t *buf = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, n);
	int rc = clipboard_file_parse(buf, n, limit, source, off, len);
	free(buf);
	return rc;
}

START_TEST(test_clipboard_file_header_round_trip)
{
	char header[CLIPBOARD_FILE_HEADER_MAX + 8], text[CLIPBOARD_FILE_HEADER_MAX + 16];
	int n = clipboard_file_header("work", 5, header, sizeof(header));
	ck_assert_int_gt(n, 0);
	snprintf(text, sizeof(text), "%.*shello", n, header);
	char source[DOMAIN_NAME_MAX + 1];
	size_t off, len;
	ck_assert_int_eq(parse(text, 256, source, &off, &len), 0);
	ck_assert_str_eq(source, "work");
	ck_assert_uint_eq(off, (size_t)n);
	ck_assert_uint_eq(len, 5);
	/* The longest name fits the header's bound; a buffer too small is refused. */
	char longest[DOMAIN_NAME_MAX + 1];
	memset(longest, 'n', DOMAIN_NAME_MAX);
	longest[DOMAIN_NAME_MAX] = '\0';
	ck_assert_int_gt(
	    clipboard_file_header(longest, PROTO_CLIPBOARD_MAX, header, CLIPBOARD_FILE_HEADER_MAX),
	    0);
	ck_assert_int_eq(clipboard_file_header("work", 5, header, 10), -ENOSPC);
}
END_TEST

START_TEST(test_clipboard_file_header_is_parsed_strictly)
{
	static const char *const bad[] = {
	    "SEAM-CLIPBOARD 2\nsource work\nsize 2\n\nhi",  /* another format */
	    "seam-clipboard 1\nsource work\nsize 2\n\nhi",  /* the magic is exact */
	    "SEAM-CLIPBOARD 1\nsource  work\nsize 2\n\nhi", /* one space */
	    "SEAM-CLIPBOARD 1\nsource -work\nsize 2\n\nhi", /* not a domain name */
	    "SEAM-CLIPBOARD 1\nsource \nsize 2\n\nhi",	    /* no name */
	    "SEAM-CLIPBOARD 1\nsource "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nsize 2\n\nhi",	    /* a 33-byte name */
	    "SEAM-CLIPBOARD 1\nsize 2\nsource work\n\nhi",	    /* out of order */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 02\n\nhi",	    /* a leading zero */
	    "SEAM-CLIPBOARD 1\nsource work\nsize +2\n\nhi",	    /* a sign */
	    "SEAM-CLIPBOARD 1\nsource work\nsize \n\nhi",	    /* no number */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 1234567890\n\nhi", /* too many digits */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 2\nhi",	    /* no blank line */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 2\n\nhi!",	    /* text after the size */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 3\n\nhi",	    /* text short of it */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 2\n\n\x01x",	    /* a control character */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 2\n\n\xc3\x28",    /* not UTF-8 */
	    "SEAM-CLIPBOARD 1\nsource work\nsize 300\n\n",	    /* past the limit */
	    "SEAM-CLIPBOARD 1\nsource work",			    /* cut short */
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char source[DOMAIN_NAME_MAX + 1];
		size_t off, len;
		ck_assert_msg(parse(bad[i], 256, source, &off, &len) == -EINVAL, "accepted #%zu",
			      i);
	}
	/* A NUL inside the name: "work" would pass the check, the rest would hide behind it. */
	static const char nul[] = "SEAM-CLIPBOARD 1\nsource work\0junk\nsize 2\n\nhi";
	uint8_t copy[sizeof(nul) - 1];
	memcpy(copy, nul, sizeof(copy));
	char source[DOMAIN_NAME_MAX + 1];
	size_t off, len;
	ck_assert_int_eq(clipboard_file_parse(copy, sizeof(copy), 256, source, &off, &len),
			 -EINVAL);
	ck_assert_int_eq(
	    parse("SEAM-CLIPBOARD 1\nsource vm-1.x_y\nsize 0\n\n", 256, source, &off, &len), 0);
	ck_assert_str_eq(source, "vm-1.x_y");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(
	    parse("SEAM-CLIPBOARD 1\nsource w\nsize 3\n\n\xc3\xa9\n", 256, source, &off, &len), 0);
	ck_assert_uint_eq(len, 3);
}
END_TEST

Suite *suite_clipboard(void)
{
	Suite *s = suite_create("clipboard");
	TCase *tc = tcase_create("clipboard");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_clipboard_copy_then_paste_through_the_shared_file);
	tcase_add_test(tc, test_clipboard_data_nobody_asked_for_is_dropped);
	tcase_add_test(tc, test_clipboard_refuses_text_that_is_not_utf8_or_empty);
	tcase_add_test(tc, test_clipboard_refuses_a_file_that_is_not_a_clipboard_file);
	tcase_add_test(tc, test_clipboard_needs_a_private_runtime_directory);
	tcase_add_test(tc, test_clipboard_refuses_a_copy_past_the_limit);
	suite_add_tcase(s, tc);
	TCase *format = tcase_create("file");
	tcase_add_test(format, test_clipboard_file_header_round_trip);
	tcase_add_test(format, test_clipboard_file_header_is_parsed_strictly);
	suite_add_tcase(s, format);
	return s;
}
