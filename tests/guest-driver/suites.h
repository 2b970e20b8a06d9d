/* The guest driver's test suites, run by tests/guest-driver/main.c. */
#ifndef SEAM_TEST_GUEST_DRIVER_SUITES_H
#define SEAM_TEST_GUEST_DRIVER_SUITES_H

#include <check.h>

Suite *suite_drvsock(void);
Suite *suite_capture(void);

#endif
