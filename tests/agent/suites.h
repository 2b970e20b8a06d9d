/* The agent's test suites, run by tests/agent/main.c. */
#ifndef SEAM_TEST_AGENT_SUITES_H
#define SEAM_TEST_AGENT_SUITES_H

#include <check.h>

Suite *suite_damage(void);
Suite *suite_props(void);
Suite *suite_wm(void);
Suite *suite_clipboard(void);
Suite *suite_announce(void);
Suite *suite_cursor(void);
Suite *suite_icon(void);
Suite *suite_dpi(void);
Suite *suite_keyboard(void);
Suite *suite_tray(void);
Suite *suite_screen(void);

#endif
