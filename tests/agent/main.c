/* Runs every gui-agent suite against libseam-agent; Check's summary line counts the tests. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_damage());
	srunner_add_suite(sr, suite_props());
	srunner_add_suite(sr, suite_wm());
	srunner_add_suite(sr, suite_clipboard());
	srunner_add_suite(sr, suite_announce());
	srunner_add_suite(sr, suite_cursor());
	srunner_add_suite(sr, suite_icon());
	srunner_add_suite(sr, suite_dpi());
	srunner_add_suite(sr, suite_keyboard());
	srunner_add_suite(sr, suite_tray());
	srunner_add_suite(sr, suite_screen());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
