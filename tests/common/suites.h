/* The common/ test suites, run by tests/common/main.c. */
#ifndef SEAM_TEST_COMMON_SUITES_H
#define SEAM_TEST_COMMON_SUITES_H

#include <check.h>

Suite *suite_config(void);
Suite *suite_log(void);
Suite *suite_helpers(void);
Suite *suite_domain_labels(void);
Suite *suite_domain_names(void);
Suite *suite_domain_hostnames(void);
Suite *suite_sysfilter(void);

#endif
