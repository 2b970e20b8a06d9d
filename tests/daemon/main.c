/* Runs every suite of the daemon's unit tests against a private Xvfb started here (a display it
 * picks itself), stopped at the end. Check's summary line counts the tests. */
#include <stdlib.h>

#include "common/log.h"
#include "suites.h"
#include "tests/daemon/harness.h"

int main(void)
{
	pid_t xvfb = harness_xvfb_start();
	if (xvfb < 0)
		return EXIT_FAILURE;
	/* The daemons tell the user about clipboard events on the session bus when one is known (its address, or $XDG_RUNTIME_DIR/bus): not from tests, whose daemons all
	 * name their runtime directory. Their log says it all, at warning level. */
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", "/nonexistent", 1);
	log_init("test-daemon", NULL, LOG_WARN);
	SRunner *sr = srunner_create(suite_table());
	srunner_add_suite(sr, suite_place());
	srunner_add_suite(sr, suite_keyseq());
	srunner_add_suite(sr, suite_options());
	srunner_add_suite(sr, suite_clipboard());
	srunner_add_suite(sr, suite_qubes());
	srunner_add_suite(sr, suite_paint());
	srunner_add_suite(sr, suite_focus());
	srunner_add_suite(sr, suite_display());
	srunner_add_suite(sr, suite_icon());
	srunner_add_suite(sr, suite_dpi());
	srunner_add_suite(sr, suite_tray());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	harness_xvfb_stop(xvfb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
