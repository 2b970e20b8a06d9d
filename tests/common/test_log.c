/* The log's rate limit: a burst, then silence counted, then the count reported once. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "suites.h"

START_TEST(test_log_limit_burst_then_left_out_then_reported)
{
	struct log_limit l = {0};
	unsigned left_out = 99, printed = 0;
	for (unsigned i = 0; i < 25; i++) {
		printed += log_limit_allow(&l, 1000 + i, &left_out);
		ck_assert_uint_eq(left_out, 0);
	}
	ck_assert_uint_eq(printed, LOG_LIMIT_BURST);
	/* Still inside the period: still silent. */
	ck_assert(!log_limit_allow(&l, 1000 + LOG_LIMIT_PERIOD_MS - 1, &left_out));
	ck_assert_uint_eq(left_out, 0);
	/* A new period: the line is printed and the 16 left out are reported, once. */
	ck_assert(log_limit_allow(&l, 1000 + LOG_LIMIT_PERIOD_MS, &left_out));
	ck_assert_uint_eq(left_out, 25 - LOG_LIMIT_BURST + 1);
	ck_assert(log_limit_allow(&l, 1000 + LOG_LIMIT_PERIOD_MS + 1, &left_out));
	ck_assert_uint_eq(left_out, 0);
}
END_TEST

START_TEST(test_log_limited_writes_the_burst_and_the_count)
{
	char path[] = "/tmp/seam-test-log-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_init("seam-test", "g", LOG_WARN);
	struct log_limit l = {0};
	for (int i = 0; i < 30; i++)
		log_limited(&l, LOG_WARN, "refused %d", i);
	log_limited(&l, LOG_INFO, "below the level: never printed, never counted");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	FILE *f = fdopen(fd, "r");
	rewind(f);
	char line[256];
	unsigned n = 0;
	while (fgets(line, sizeof(line), f)) {
		ck_assert_msg(strstr(line, "seam-test[g]: warning: refused ") != NULL, "%s", line);
		n++;
	}
	fclose(f);
	unlink(path);
	ck_assert_uint_eq(n, LOG_LIMIT_BURST);
}
END_TEST

START_TEST(test_log_level_for_verbosity_counts_v_options)
{
	ck_assert_int_eq(log_level_for_verbosity(0), LOG_WARN);
	ck_assert_int_eq(log_level_for_verbosity(1), LOG_INFO);
	ck_assert_int_eq(log_level_for_verbosity(2), LOG_DEBUG);
	ck_assert_int_eq(log_level_for_verbosity(5), LOG_DEBUG);
}
END_TEST

Suite *suite_log(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("limit");
	tcase_add_test(tc, test_log_limit_burst_then_left_out_then_reported);
	tcase_add_test(tc, test_log_limited_writes_the_burst_and_the_count);
	tcase_add_test(tc, test_log_level_for_verbosity_counts_v_options);
	suite_add_tcase(s, tc);
	return s;
}
