/* Runs every common/ suite; Check's summary line counts the tests. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_config());
	srunner_add_suite(sr, suite_log());
	srunner_add_suite(sr, suite_helpers());
	srunner_add_suite(sr, suite_domain_labels());
	srunner_add_suite(sr, suite_domain_names());
	srunner_add_suite(sr, suite_domain_hostnames());
	srunner_add_suite(sr, suite_sysfilter());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
