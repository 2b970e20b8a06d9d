/* The configuration parser: what it accepts, and errors that name the file, line and key. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "suites.h"

struct seen {
	char keys[8][32], values[8][64];
	int n;
};

static int record(void *ctx, const char *key, const char *value, char *why, size_t why_len)
{
	struct seen *s = ctx;
	if (!strcmp(key, "refused")) {
		snprintf(why, why_len, "'%s' is not allowed", value);
		return -1;
	}
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	snprintf(s->values[s->n], sizeof(s->values[0]), "%s", value);
	s->n++;
	return 0;
}

START_TEST(test_config_reads_keys_values_comments_and_blanks)
{
	struct seen s = {0};
	char err[256];
	const char *text = "# a comment\n\nlabel = blue\n  channel=unix:/run/x.sock  \r\n"
			   "quoted = \"  spaced # value \"\nlast_line_without_newline = 1";
	ck_assert_int_eq(config_parse_text("t.conf", text, 0, record, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 4);
	ck_assert_str_eq(s.keys[0], "label");
	ck_assert_str_eq(s.values[0], "blue");
	ck_assert_str_eq(s.keys[1], "channel");
	ck_assert_str_eq(s.values[1], "unix:/run/x.sock");
	ck_assert_str_eq(s.values[2], "  spaced # value ");
	ck_assert_str_eq(s.keys[3], "last_line_without_newline");
}
END_TEST

START_TEST(test_config_errors_name_file_and_line)
{
	struct seen s = {0};
	char err[256];
	ck_assert_int_eq(
	    config_parse_text("g.conf", "a = 1\nno equals here\n", 0, record, &s, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "g.conf:2:"));
	ck_assert_ptr_nonnull(strstr(err, "key = value"));
	ck_assert_int_eq(
	    config_parse_text("g.conf", "Bad Key = 1\n", 0, record, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "g.conf:1:"));
	ck_assert_int_eq(config_parse_text("g.conf", " = 1\n", 0, record, &s, err, sizeof(err)),
			 -1);
}
END_TEST

START_TEST(test_config_callback_refusal_names_the_key)
{
	struct seen s = {0};
	char err[256];
	ck_assert_int_eq(
	    config_parse_text("h.conf", "ok = 1\n\nrefused = x\n", 0, record, &s, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "h.conf:3: key 'refused': 'x' is not allowed");
}
END_TEST

START_TEST(test_config_long_line_is_an_error_not_truncated)
{
	char *text = malloc(CONFIG_LINE_MAX + 16);
	memset(text, 'a', CONFIG_LINE_MAX + 10);
	memcpy(text, "k = ", 4);
	text[CONFIG_LINE_MAX + 10] = '\0';
	struct seen s = {0};
	char err[256];
	ck_assert_int_eq(config_parse_text("l.conf", text, 0, record, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "l.conf:1: the line is longer"));
	ck_assert_int_eq(s.n, 0);
	free(text);
}
END_TEST

START_TEST(test_config_files_missing_unreadable_and_binary)
{
	struct seen s = {0};
	char err[256] = "";
	ck_assert_int_eq(config_parse_file("/nonexistent/x.conf", CONFIG_MISSING_OK, record, &s,
					   err, sizeof(err)),
			 0);
	ck_assert_int_eq(config_parse_file("/nonexistent/x.conf", 0, record, &s, err, sizeof(err)),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.conf: No such file"));
	char path[] = "/tmp/seam-config-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "a = 1\n\0b = 2\n", 13), 13);
	close(fd);
	ck_assert_int_eq(config_parse_file(path, 0, record, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	FILE *f = fopen(path, "w");
	fputs("x = 1\ny = two\n", f);
	fclose(f);
	s.n = 0;
	ck_assert_int_eq(config_parse_file(path, 0, record, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 2);
	unlink(path);
}
END_TEST

START_TEST(test_config_hash_in_a_value_is_kept_by_default)
{
	struct seen s = {0};
	char err[256];
	ck_assert_int_eq(config_parse_text("d.conf", "dir = /a#b\nkeys = c # d\n", 0, record, &s,
					   err, sizeof(err)),
			 0);
	ck_assert_str_eq(s.values[0], "/a#b");
	ck_assert_str_eq(s.values[1], "c # d");
}
END_TEST

START_TEST(test_config_trailing_comments_end_a_line_outside_quotes)
{
	struct seen s = {0};
	char err[256];
	const char *text = "label = green  # from the file\nnet=yes#no space\n"
			   "share = \"/a # b\"   # quoted\n   # indented comment\nsize = 1x1 #\n";
	ck_assert_int_eq(config_parse_text("r.conf", text, CONFIG_TRAILING_COMMENTS, record, &s,
					   err, sizeof(err)),
			 0);
	ck_assert_int_eq(s.n, 4);
	ck_assert_str_eq(s.values[0], "green");
	ck_assert_str_eq(s.values[1], "yes");
	ck_assert_str_eq(s.values[2], "/a # b");
	ck_assert_str_eq(s.values[3], "1x1");
	/* A line that is all comment after its key is still a syntax error, and says which. */
	ck_assert_int_eq(config_parse_text("r.conf", "label # = red\n", CONFIG_TRAILING_COMMENTS,
					   record, &s, err, sizeof(err)),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "r.conf:1: expected 'key = value'"));
}
END_TEST

START_TEST(test_config_a_path_of_path_max_fits_a_line)
{
	size_t n = 7 + PATH_MAX - 1;
	char *text = malloc(n + 2);
	memcpy(text, "share =", 7);
	memset(text + 7, 'p', PATH_MAX - 1);
	text[n] = '\n';
	text[n + 1] = '\0';
	struct seen s = {0};
	char err[256];
	ck_assert_int_eq(config_parse_text("p.conf", text, 0, record, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 1);
	free(text);
}
END_TEST

START_TEST(test_config_uint_and_bool)
{
	uint64_t v;
	bool b;
	char why[128];
	ck_assert_int_eq(config_uint("42", 1, 100, &v, why, sizeof(why)), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(config_uint("100", 1, 100, &v, why, sizeof(why)), 0);
	ck_assert_int_eq(config_uint("101", 1, 100, &v, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "from 1 to 100"));
	ck_assert_int_eq(config_uint("0", 1, 100, &v, why, sizeof(why)), -1);
	ck_assert_int_eq(config_uint("-5", 0, 100, &v, why, sizeof(why)), -1);
	ck_assert_int_eq(config_uint("12x", 0, 100, &v, why, sizeof(why)), -1);
	ck_assert_int_eq(config_uint("", 0, 100, &v, why, sizeof(why)), -1);
	ck_assert_int_eq(config_bool("yes", &b, why, sizeof(why)), 0);
	ck_assert(b);
	ck_assert_int_eq(config_bool("false", &b, why, sizeof(why)), 0);
	ck_assert(!b);
	ck_assert_int_eq(config_bool("maybe", &b, why, sizeof(why)), -1);
}
END_TEST

Suite *suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_config_reads_keys_values_comments_and_blanks);
	tcase_add_test(tc, test_config_errors_name_file_and_line);
	tcase_add_test(tc, test_config_callback_refusal_names_the_key);
	tcase_add_test(tc, test_config_long_line_is_an_error_not_truncated);
	tcase_add_test(tc, test_config_files_missing_unreadable_and_binary);
	tcase_add_test(tc, test_config_hash_in_a_value_is_kept_by_default);
	tcase_add_test(tc, test_config_trailing_comments_end_a_line_outside_quotes);
	tcase_add_test(tc, test_config_a_path_of_path_max_fits_a_line);
	tcase_add_test(tc, test_config_uint_and_bool);
	suite_add_tcase(s, tc);
	return s;
}
