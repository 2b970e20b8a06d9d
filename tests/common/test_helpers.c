/* The small shared helpers: the monotonic clock, command-line errors, X connection set-up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/mono.h"
#include "common/xconn.h"
#include "suites.h"

START_TEST(test_mono_never_goes_back_and_units_agree)
{
	int64_t ms = mono_ms(), us = mono_us(), ns = mono_ns();
	ck_assert_int_ge(us / 1000, ms);
	ck_assert_int_ge(ns / 1000, us);
	usleep(2000);
	ck_assert_int_ge(mono_ms() - ms, 2);
}
END_TEST

START_TEST(test_cli_usage_error_names_the_program_and_returns_2)
{
	char path[] = "/tmp/seam-cli-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	int rc = cli_usage_error("seam-x", "bad --%s", "width");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(rc, CLI_USAGE_STATUS);
	char buf[256] = "";
	ck_assert_int_gt(pread(fd, buf, sizeof(buf) - 1, 0), 0);
	close(fd);
	unlink(path);
	ck_assert_str_eq(buf, "seam-x: bad --width (see seam-x -h)\n");
}
END_TEST

START_TEST(test_xconn_open_without_a_display_says_so)
{
	char *saved = getenv("DISPLAY") ? strdup(getenv("DISPLAY")) : NULL;
	unsetenv("DISPLAY");
	xcb_connection_t *x = (xcb_connection_t *)&saved;
	xcb_screen_t *s = (xcb_screen_t *)&saved;
	char why[128] = "";
	ck_assert_int_eq(xconn_open(NULL, 1, &x, &s, why, sizeof(why)), -ENOENT);
	ck_assert_ptr_null(x);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(why, "DISPLAY"), "why: %s", why);
	if (saved) {
		setenv("DISPLAY", saved, 1);
		free(saved);
	}
}
END_TEST

START_TEST(test_xconn_open_refuses_a_display_with_no_server)
{
	xcb_connection_t *x;
	xcb_screen_t *s;
	char why[128] = "";
	/* A unix socket path that cannot exist. */
	ck_assert_int_eq(xconn_open("/nonexistent/seam/x:0", 2, &x, &s, why, sizeof(why)),
			 -ECONNREFUSED);
	ck_assert_ptr_null(x);
	ck_assert_msg(strstr(why, "cannot connect"), "why: %s", why);
}
END_TEST

Suite *suite_helpers(void)
{
	Suite *s = suite_create("helpers");
	TCase *tc = tcase_create("helpers");
	tcase_add_test(tc, test_mono_never_goes_back_and_units_agree);
	tcase_add_test(tc, test_cli_usage_error_names_the_program_and_returns_2);
	tcase_add_test(tc, test_xconn_open_without_a_display_says_so);
	tcase_add_test(tc, test_xconn_open_refuses_a_display_with_no_server);
	suite_add_tcase(s, tc);
	return s;
}
