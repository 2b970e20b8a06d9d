/* The daemon's test suites, run by tests/daemon/main.c against its private Xvfb. */
#ifndef SEAM_TEST_DAEMON_SUITES_H
#define SEAM_TEST_DAEMON_SUITES_H

#include <check.h>

/* Long enough for an ASan build on a loaded machine; a hang still ends. */
#define DAEMON_TEST_TIMEOUT_S 60

Suite *suite_table(void);
Suite *suite_place(void);
Suite *suite_keyseq(void);
Suite *suite_options(void);
Suite *suite_clipboard(void);
Suite *suite_qubes(void);
Suite *suite_paint(void);
Suite *suite_focus(void);
Suite *suite_display(void);
Suite *suite_icon(void);
Suite *suite_dpi(void);
Suite *suite_tray(void);

#endif
