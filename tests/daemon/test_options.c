/* Options: the defaults, the configuration file then the command line, and one clear line (and
 * exit status 2 from the program) for anything wrong. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cli.h"
#include "gui-daemon/options.h"
#include "suites.h"
#include "tests/daemon/harness.h"

static char dir[64];
static char err_path[96], out_path[96];
static char out[4096]; /* what the last parse() printed on stdout */

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/seam-options-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
}

static void teardown(void)
{
	ck_assert_int_eq(harness_rmtree(dir), 0);
}

static const char *write_file(const char *name, const char *text)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* fd (1 or 2) into path until restore(); the saved fd. */
static int capture(int fd, const char *path)
{
	int saved = dup(fd), to = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(to, 0);
	dup2(to, fd);
	close(to);
	return saved;
}

static void restore(int fd, int saved, const char *path, char *buf, size_t cap)
{
	dup2(saved, fd);
	close(saved);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* options_parse() on a NULL-terminated argument list (program name added), with stderr captured
 * into err (at most cap bytes) and stdout into out. */
static int parse(struct options *o, char *err, size_t cap, ...)
{
	char *argv[32] = {"seam-gui-daemon"};
	int argc = 1;
	va_list ap;
	va_start(ap, cap);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	int saved_out = capture(1, out_path), saved_err = capture(2, err_path);
	int rc = options_parse(argc, argv, o);
	fflush(stdout);
	fflush(stderr);
	restore(1, saved_out, out_path, out, sizeof(out));
	restore(2, saved_err, err_path, err, cap);
	return rc;
}

static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(test_options_defaults)
{
	struct options o;
	char err[512];
	setenv("XDG_RUNTIME_DIR", "/run/test-user", 1);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "work", "--label", "blue",
			       "--channel", "unix:/run/seam/work.sock", "--config", "/dev/null",
			       NULL),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(o.name, "work");
	ck_assert_str_eq(o.label.name, "blue");
	ck_assert_str_eq(o.channel, "unix:/run/seam/work.sock");
	ck_assert_ptr_null(o.display);
	ck_assert_uint_eq(o.max_windows, OPTIONS_DEFAULT_MAX_WINDOWS);
	ck_assert_uint_eq(o.clipboard_limit, OPTIONS_DEFAULT_CLIPBOARD_LIMIT);
	ck_assert_str_eq(o.runtime_dir, "/run/test-user/seam");
	ck_assert_uint_eq(o.copy_keys.keysym, 'c');
	ck_assert_uint_eq(o.paste_keys.keysym, 'v');
	ck_assert_uint_eq(o.paste_keys.mods, XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_SHIFT);
	ck_assert(!o.no_mit_shm);
	ck_assert(o.notifications);
	ck_assert_int_eq(o.verbose, 0);
}
END_TEST

START_TEST(test_options_file_then_command_line)
{
	const char *conf = write_file("work.conf", "# the work guest\nlabel = orange\n"
						   "channel = vchan:5:6000\nmax_windows = 10\n"
						   "copy_keys = none\nno_mit_shm = yes\n"
						   "audio_latency_ms = 20\nlog_level = info\n"
						   "notifications = no\n");
	struct options o;
	char err[512];
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "work", "--config", conf, "--label",
			       "gray", "--clipboard-limit", "1000", "-v", NULL),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(o.label.name, "gray");	     /* the command line wins */
	ck_assert_str_eq(o.channel, "vchan:5:6000"); /* the file's, where the line says nothing */
	ck_assert_uint_eq(o.max_windows, 10);
	ck_assert_uint_eq(o.copy_keys.keysym, 0);
	ck_assert(o.no_mit_shm);
	ck_assert_uint_eq(o.clipboard_limit, 1000);
	ck_assert_int_eq(o.verbose, 2); /* info from the file, and -v */
	ck_assert(!o.notifications);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "work", "--config", conf,
			       "--notifications", "yes", NULL),
			 0);
	ck_assert(o.notifications);
}
END_TEST

START_TEST(test_options_bad_values_give_one_line)
{
	static const char *const cases[][3] = {
	    {"--max-windows", "0", "--max-windows"},
	    {"--max-windows", "lots", "--max-windows"},
	    {"--clipboard-limit", "10", "--clipboard-limit"},
	    {"--label", "pink", "expected red, orange"},
	    {"--copy-keys", "c", "expected e.g. Ctrl-Shift-c"},
	    {"--runtime-dir", "relative/dir", "an absolute path"},
	    {"--log-level", "loud", "warning, info or debug"},
	    {"--no-such-option", "x", "unknown or incomplete option"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct options o;
		char err[512];
		int rc =
		    parse(&o, err, sizeof(err), "--name", "work", "--label", "red", "--channel",
			  "unix:/x", "--config", "/dev/null", cases[i][0], cases[i][1], NULL);
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_msg(lines(err) == 1, "%s %s: '%s'", cases[i][0], cases[i][1], err);
		ck_assert_msg(strstr(err, cases[i][2]), "%s %s: '%s'", cases[i][0], cases[i][1],
			      err);
		ck_assert_ptr_nonnull(strstr(err, "seam-gui-daemon: "));
		ck_assert_ptr_nonnull(strstr(err, "(see seam-gui-daemon -h)"));
	}
}
END_TEST

START_TEST(test_options_missing_and_malformed_essentials)
{
	struct options o;
	char err[512];
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--label", "red", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--name is required"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "-bad", "--label", "red", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--name '-bad'"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "--config", "/dev/null",
			       "--channel", "unix:/x", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--label is required"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "--config", "/dev/null",
			       "--label", "red", NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--channel is required"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "stray", NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unexpected argument 'stray'"));
	ck_assert_int_eq(lines(err), 1);
}
END_TEST

START_TEST(test_options_file_errors_name_file_line_and_key)
{
	const char *conf = write_file("bad.conf", "label = red\nmax_windows = 0\n");
	struct options o;
	char err[512];
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "--config", conf, NULL),
			 -EINVAL);
	ck_assert_int_eq(lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "bad.conf:2: key 'max_windows'"));
	conf = write_file("named.conf", "name = other\n");
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "--config", conf, NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a key"));
	ck_assert_int_eq(
	    parse(&o, err, sizeof(err), "--name", "w", "--config", "/nonexistent/w.conf", NULL),
	    -EINVAL);
	ck_assert_int_eq(lines(err), 1);
}
END_TEST

START_TEST(test_options_help_and_check_config_exit_zero)
{
	struct options o;
	char err[512];
	ck_assert_int_eq(parse(&o, err, sizeof(err), "-h", NULL), 1);
	ck_assert_ptr_nonnull(strstr(out, "usage: seam-gui-daemon --name NAME"));
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--name", "w", "--label", "red", "--channel",
			       "unix:/x", "--config", "/dev/null", "--check-config", NULL),
			 1);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_nonnull(strstr(out, "configuration of 'w' is valid (label red"));
}
END_TEST

/* The program itself: a bad option is one line on stderr and exit status 2. */
START_TEST(test_options_program_exits_2_with_one_line)
{
	char self[PATH_MAX], prog[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	/* build/tests/test-daemon or build/asan/tests/test-daemon: the program is build/bin's. */
	char *cut = strstr(self, "/asan/tests/");
	if (!cut)
		cut = strstr(self, "/tests/");
	ck_assert_ptr_nonnull(cut);
	*cut = '\0';
	snprintf(prog, sizeof(prog), "%s/bin/seam-gui-daemon", self);
	ck_assert_int_eq(access(prog, X_OK), 0);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		execl(prog, prog, "--name", "w", "--label", "red", "--channel", "unix:/x",
		      "--config", "/dev/null", "--max-windows", "0", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char err[512];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(err) - 1 && (r = read(p[0], err + got, sizeof(err) - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(p[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), CLI_USAGE_STATUS);
	ck_assert_int_eq(CLI_USAGE_STATUS, 2);
	ck_assert_int_eq(lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "--max-windows"));
}
END_TEST

Suite *suite_options(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, DAEMON_TEST_TIMEOUT_S);
	tcase_add_test(tc, test_options_defaults);
	tcase_add_test(tc, test_options_file_then_command_line);
	tcase_add_test(tc, test_options_bad_values_give_one_line);
	tcase_add_test(tc, test_options_missing_and_malformed_essentials);
	tcase_add_test(tc, test_options_file_errors_name_file_line_and_key);
	tcase_add_test(tc, test_options_help_and_check_config_exit_zero);
	tcase_add_test(tc, test_options_program_exits_2_with_one_line);
	suite_add_tcase(s, tc);
	return s;
}
