/* Check tests of seam-run's registry on a shared machine: only a directory of our own is used, a
 * pid in an info file is not believed, and --list prints nothing a terminal would obey. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/paths.h"
#include "sandbox/proc.h"
#include "sandbox/registry.h"
#include "suites.h"

/* A fresh XDG_RUNTIME_DIR for each test, so the registry lives in it. */
static char xdg[64];
static char why[PATH_MAX + 128];

static void rm_rf(const char *path)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
}

static void make_xdg(void)
{
	snprintf(xdg, sizeof(xdg), "/tmp/seam-test-reg-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(xdg));
	setenv("XDG_RUNTIME_DIR", xdg, 1);
}

static void drop_xdg(void)
{
	rm_rf(xdg);
}

static void at(char *buf, const char *leaf)
{
	snprintf(buf, PATH_MAX, "%s/%s", xdg, leaf);
}

START_TEST(test_private_dir_creates_0700)
{
	char p[PATH_MAX];
	struct stat st;
	at(p, "new");
	ck_assert_int_eq(paths_private_dir(p, false, why, sizeof(why)), -ENOENT);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), 0);
	ck_assert_int_eq(lstat(p, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_uint_eq(st.st_uid, geteuid());
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_private_dir_refuses_another_owner)
{
	char p[PATH_MAX];
	at(p, "theirs");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	if (geteuid() == 0) {
		/* What another user does to /tmp/seam-0 before root runs seam-run. */
		ck_assert_int_eq(chown(p, 65534, 65534), 0);
		ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), -EPERM);
		ck_assert_msg(strstr(why, "belongs to uid 65534, not to you"), "why: %s", why);
	} else {
		/* Without root, a directory of root's stands for another user's. */
		ck_assert_int_eq(paths_private_dir("/tmp", false, why, sizeof(why)), -EPERM);
		ck_assert_msg(strstr(why, "belongs to uid 0, not to you"), "why: %s", why);
	}
}
END_TEST

START_TEST(test_private_dir_refuses_mode_0777)
{
	char p[PATH_MAX];
	at(p, "open");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(chmod(p, 0777), 0);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), -EPERM);
	ck_assert_msg(strstr(why, "mode 0777"), "why: %s", why);
	ck_assert_int_eq(chmod(p, 0750), 0);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), -EPERM);
	ck_assert_int_eq(chmod(p, 0700), 0);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_private_dir_refuses_a_symlink)
{
	char p[PATH_MAX], target[PATH_MAX];
	at(target, "target");
	at(p, "link");
	ck_assert_int_eq(mkdir(target, 0700), 0);
	ck_assert_int_eq(symlink(target, p), 0);
	ck_assert_int_lt(paths_private_dir(p, true, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "symlink"), "why: %s", why);
}
END_TEST

START_TEST(test_private_dir_refuses_a_parent_others_may_write)
{
	char parent[PATH_MAX], p[PATH_MAX];
	at(parent, "shared");
	at(p, "shared/seam");
	ck_assert_int_eq(mkdir(parent, 0700), 0);
	ck_assert_int_eq(chmod(parent, 0777), 0);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), -EPERM);
	ck_assert_msg(strstr(why, "writable by others and not sticky"), "why: %s", why);
	/* Sticky, as /tmp: others can no longer rename what is ours. */
	ck_assert_int_eq(chmod(parent, 01777), 0);
	ck_assert_int_eq(paths_private_dir(p, true, why, sizeof(why)), 0);
}
END_TEST

START_TEST(test_registry_refuses_a_runtime_dir_of_another)
{
	char p[PATH_MAX];
	struct registry_lock l;
	at(p, "seam");
	ck_assert_int_eq(mkdir(p, 0777), 0);
	ck_assert_int_eq(chmod(p, 0777), 0);
	ck_assert_int_eq(registry_acquire("work", &l, why, sizeof(why)), -EPERM);
	ck_assert_msg(strstr(why, "refusing it"), "why: %s", why);
	ck_assert_int_eq(registry_list(stdout), 1);
	ck_assert_int_eq(registry_kill("work"), 1);
}
END_TEST

/* Writes NAME's info file by hand, as someone who could write into the registry would. */
static void forge_info(const char *name, pid_t pid, const char *label)
{
	char p[PATH_MAX];
	unsigned long long started = 0;
	ck_assert_int_eq(registry_path(name, "info", p, sizeof(p)), 0);
	/* The forger knows the victim's start time: only holding the lock proves anything. */
	ck_assert_int_eq(proc_start_time(pid, &started), 0);
	FILE *f = fopen(p, "we");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "owner=%d\nowner_start=%llu\ninit=1\npidns=1\nlabel=%s\nkind=named\nnet=0\n",
		(int)pid, started, label);
	ck_assert_int_eq(fclose(f), 0);
}

static pid_t start_sleep(void)
{
	char *argv[] = {"sleep", "30", NULL};
	struct proc_spec s = {.path = "sleep", .argv = argv};
	pid_t pid;
	ck_assert_int_eq(proc_spawn(&s, &pid), 0);
	return pid;
}

START_TEST(test_kill_does_not_signal_a_pid_the_info_file_names)
{
	struct registry_lock l;
	ck_assert_int_eq(registry_acquire("victim", &l, why, sizeof(why)), 0);
	pid_t bystander = start_sleep();
	forge_info("victim", bystander, "red");
	ck_assert_int_eq(registry_kill("victim"), 1);
	usleep(100000);
	ck_assert_int_eq(waitpid(bystander, NULL, WNOHANG), 0); /* still running */
	kill(bystander, SIGKILL);
	waitpid(bystander, NULL, 0);
	registry_release(&l);
}
END_TEST

START_TEST(test_kill_signals_the_owner_that_holds_the_lock)
{
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t owner = fork();
	ck_assert_int_ge(owner, 0);
	if (owner == 0) {
		/* Check's runner passes on a handler that would take the whole test down. */
		signal(SIGTERM, SIG_DFL);
		struct registry_lock l;
		struct registry_info i = {.owner = getpid(), .label = "blue", .kind = "named"};
		if (registry_acquire("real", &l, why, sizeof(why)) || registry_write_info(&l, &i))
			_exit(1);
		ssize_t n = write(ready[1], "x", 1);
		(void)n;
		for (;;)
			pause();
	}
	char c;
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	ck_assert_int_eq(registry_kill("real"), 0);
	int st;
	ck_assert_int_eq(waitpid(owner, &st, 0), owner);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}
END_TEST

START_TEST(test_list_prints_no_escape_of_a_label)
{
	struct registry_lock l;
	ck_assert_int_eq(registry_acquire("shown", &l, why, sizeof(why)), 0);
	forge_info("shown", getpid(),
		   "\033]0;x\a\xc2\x9b"
		   "2J x");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(registry_list(f), 0);
	fclose(f);
	ck_assert_msg(strstr(out, "shown"), "list: %s", out);
	ck_assert_msg(strstr(out, "?]0;x???2J?x "), "list: %s", out);
	for (size_t k = 0; k < len; k++)
		ck_assert_msg(out[k] == '\n' || (out[k] >= 0x20 && out[k] <= 0x7e),
			      "byte 0x%02x at %zu", (unsigned char)out[k], k);
	free(out);
	registry_release(&l);
}
END_TEST

Suite *suite_registry(void)
{
	Suite *s = suite_create("registry");
	TCase *t = tcase_create("registry");
	tcase_add_checked_fixture(t, make_xdg, drop_xdg);
	tcase_set_timeout(t, 20);
	tcase_add_test(t, test_private_dir_creates_0700);
	tcase_add_test(t, test_private_dir_refuses_another_owner);
	tcase_add_test(t, test_private_dir_refuses_mode_0777);
	tcase_add_test(t, test_private_dir_refuses_a_symlink);
	tcase_add_test(t, test_private_dir_refuses_a_parent_others_may_write);
	tcase_add_test(t, test_registry_refuses_a_runtime_dir_of_another);
	tcase_add_test(t, test_kill_does_not_signal_a_pid_the_info_file_names);
	tcase_add_test(t, test_kill_signals_the_owner_that_holds_the_lock);
	tcase_add_test(t, test_list_prints_no_escape_of_a_label);
	suite_add_tcase(s, t);
	return s;
}
