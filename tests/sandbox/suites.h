/* seam-run's test suites beyond test_sandbox.c's own, run by its main(). */
#ifndef SEAM_TEST_SANDBOX_SUITES_H
#define SEAM_TEST_SANDBOX_SUITES_H

#include <check.h>

Suite *suite_registry(void);

#endif
