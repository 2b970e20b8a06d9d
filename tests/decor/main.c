/* Runs every window-decor suite; Check's summary line counts the tests. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_decor_titles());
	srunner_add_suite(sr, suite_decor_classes());
	srunner_add_suite(sr, suite_decor_tint());
	srunner_add_suite(sr, suite_proto_clipboard());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
