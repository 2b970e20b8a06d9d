/* The shm/ test suites, run by tests/shm/main.c. */
#ifndef SEAM_TEST_SHM_SUITES_H
#define SEAM_TEST_SHM_SUITES_H

#include <check.h>

Suite *suite_chan(void);
Suite *suite_shmbuf(void);
Suite *suite_boundary(void);
Suite *suite_surface(void);

#endif
