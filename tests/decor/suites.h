/* The window-decor test suites, run by tests/decor/main.c. */
#ifndef SEAM_TEST_DECOR_SUITES_H
#define SEAM_TEST_DECOR_SUITES_H

#include <check.h>

Suite *suite_decor_titles(void);
Suite *suite_decor_classes(void);
Suite *suite_decor_tint(void);
Suite *suite_proto_clipboard(void);

#endif
