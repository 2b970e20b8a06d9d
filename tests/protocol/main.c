/* Runs every protocol suite; Check's summary line counts the tests. */
#include <stdlib.h>

#include "fixtures.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_roundtrip());
	srunner_add_suite(sr, suite_bounds());
	srunner_add_suite(sr, suite_framing());
	srunner_add_suite(sr, suite_handshake());
	srunner_add_suite(sr, suite_frame());
	srunner_add_suite(sr, suite_keyboard());
	srunner_add_suite(sr, suite_display_settings());
	srunner_add_suite(sr, suite_monitor_layout());
	srunner_add_suite(sr, suite_cursor());
	srunner_add_suite(sr, suite_icon());
	srunner_add_suite(sr, suite_notify());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
