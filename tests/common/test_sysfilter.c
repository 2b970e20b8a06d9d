/* The seccomp filters (common/sysfilter.h): each installed in a forked child, which then makes one
 * call; an allowed call lets it exit 0, a forbidden one kills it with SIGSYS. The children make
 * raw system calls and leave with a raw exit_group, so that nothing else (stdio, the sanitizers'
 * runtime) runs under the filter. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/sysfilter.h"
#include "suites.h"

enum probe {
	PROBE_GETPID,
	PROBE_SOCKET_UNIX,
	PROBE_SOCKET_INET,
	PROBE_SOCKET_INET6,
	PROBE_PTRACE,
	PROBE_EXECVE,
	PROBE_FORK,
	PROBE_CLONE3,
	PROBE_MEMFD_SEALS,
	PROBE_IOCTL_XEN,
	PROBE_IOCTL_TIOCSTI,
	PROBE_SPAWN_TRUE,
	PROBE_EXEC_TRUE,
	PROBE_KILL_PARENT,
};

/* Not marked noreturn: the sanitizers would ask about the signal stack before each call. */
static void leave(int status)
{
	syscall(SYS_exit_group, status);
}

/* What a probe needs made before the filter: a pipe, and the test's pid. */
struct probe_ctx {
	int pipe[2];
	pid_t parent;
};

/* Exit status of a probe that ran and returned: 0 when the call did what it should. */
static int probe(enum probe p, const struct probe_ctx *ctx)
{
	switch (p) {
	case PROBE_GETPID:
		return syscall(SYS_getpid) > 0 ? 0 : 1;
	case PROBE_SOCKET_UNIX:
		return syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1;
	case PROBE_SOCKET_INET:
		return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 1;
	case PROBE_SOCKET_INET6:
		return syscall(SYS_socket, AF_INET6, SOCK_DGRAM, 0) >= 0 ? 0 : 1;
	case PROBE_PTRACE:
		syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		return 0;
	case PROBE_EXECVE:
	case PROBE_EXEC_TRUE: {
		/* /bin/true's exit status becomes the child's: 0 when the loader and true itself
		 * ran under the filter. */
		char *argv[] = {"true", NULL}, *envp[] = {NULL};
		syscall(SYS_execve, "/bin/true", argv, envp);
		return 1;
	}
	case PROBE_FORK: {
		long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
		if (pid == 0)
			leave(0);
		return pid > 0 ? 0 : 1;
	}
	case PROBE_CLONE3: {
		struct clone_args args = {.exit_signal = SIGCHLD};
		long pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0)
			leave(0);
		return pid < 0 && errno == ENOSYS ? 0 : 1;
	}
	case PROBE_MEMFD_SEALS: {
		long fd = syscall(SYS_memfd_create, "probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0 || syscall(SYS_ftruncate, fd, 4096) ||
		    syscall(SYS_fcntl, fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
			return 1;
		void *m = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		return m != MAP_FAILED && syscall(SYS_munmap, m, 4096) == 0 ? 0 : 1;
	}
	case PROBE_IOCTL_XEN: {
		/* IOCTL_GNTDEV_MAP_GRANT_REF's number on a pipe: allowed, and refused by the pipe.
		 */
		long rc =
		    syscall(SYS_ioctl, ctx->pipe[0], (unsigned long)_IOC(_IOC_NONE, 'G', 0, 24), 0);
		return rc < 0 && errno == ENOTTY ? 0 : 1;
	}
	case PROBE_IOCTL_TIOCSTI: {
		char c = 'x';
		syscall(SYS_ioctl, 0, TIOCSTI, &c);
		return 0;
	}
	case PROBE_SPAWN_TRUE: {
		/* posix_spawn(), as the agent runs setxkbmap: 0 once the exec succeeded. */
		char *argv[] = {"true", NULL}, *envp[] = {NULL};
		pid_t pid;
		return posix_spawn(&pid, "/bin/true", NULL, NULL, argv, envp) ? 1 : 0;
	}
	case PROBE_KILL_PARENT:
		syscall(SYS_kill, ctx->parent, 0);
		return 0;
	}
	return 1;
}

/* Runs p in a child under prog's filter (mode, options); returns its wait status. */
static int run(enum sysfilter_program prog, enum sysfilter_mode mode, unsigned options,
	       enum probe p)
{
	struct probe_ctx ctx = {.parent = getpid()};
	ck_assert_int_eq(pipe(ctx.pipe), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char why[160];
		if (sysfilter_apply(prog, mode, options, why, sizeof(why)))
			leave(99);
		leave(probe(p, &ctx));
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(ctx.pipe[0]);
	close(ctx.pipe[1]);
	return status;
}

static void assert_allowed(enum sysfilter_program prog, enum probe p)
{
	int st = run(prog, SYSFILTER_KILL, 0, p);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "program %d, probe %d: status %#x (signal %d), not exit 0", prog, p, st,
		      WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void assert_killed(enum sysfilter_program prog, enum probe p)
{
	int st = run(prog, SYSFILTER_KILL, 0, p);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
		      "program %d, probe %d: status %#x, not killed by SIGSYS", prog, p, st);
}

static const enum sysfilter_program every[] = {SYSFILTER_GUI_DAEMON, SYSFILTER_GUI_AGENT,
					       SYSFILTER_AUDIO_DAEMON, SYSFILTER_AUDIO_AGENT};
#define NPROGS (sizeof(every) / sizeof(every[0]))

START_TEST(test_every_filter_allows_the_loop_unix_sockets_and_sealed_memfds)
{
	assert_allowed(every[_i], PROBE_GETPID);
	assert_allowed(every[_i], PROBE_SOCKET_UNIX);
	assert_allowed(every[_i], PROBE_MEMFD_SEALS);
}
END_TEST

START_TEST(test_every_filter_keeps_xen_grant_and_event_channel_ioctls)
{
	assert_allowed(every[_i], PROBE_IOCTL_XEN);
}
END_TEST

START_TEST(test_every_filter_kills_on_an_internet_socket)
{
	assert_killed(every[_i], PROBE_SOCKET_INET);
	assert_killed(every[_i], PROBE_SOCKET_INET6);
}
END_TEST

START_TEST(test_every_filter_kills_on_ptrace_tiocsti_fork_and_signalling_others)
{
	assert_killed(every[_i], PROBE_PTRACE);
	assert_killed(every[_i], PROBE_IOCTL_TIOCSTI);
	assert_killed(every[_i], PROBE_FORK);
	assert_killed(every[_i], PROBE_KILL_PARENT);
}
END_TEST

START_TEST(test_clone3_fails_with_enosys_so_glibc_uses_checked_clone)
{
	assert_allowed(every[_i], PROBE_CLONE3);
}
END_TEST

/* The agent runs setxkbmap with posix_spawn(); the GUI daemon (its notifications go through
 * sd-bus) and the audio programs execute nothing. */
START_TEST(test_only_the_agent_may_execute_and_only_after_a_vfork)
{
	assert_allowed(SYSFILTER_GUI_AGENT, PROBE_SPAWN_TRUE);
	assert_allowed(SYSFILTER_GUI_AGENT, PROBE_EXEC_TRUE);
	assert_killed(SYSFILTER_GUI_DAEMON, PROBE_SPAWN_TRUE);
	assert_killed(SYSFILTER_GUI_DAEMON, PROBE_EXECVE);
	assert_killed(SYSFILTER_AUDIO_DAEMON, PROBE_EXECVE);
	assert_killed(SYSFILTER_AUDIO_AGENT, PROBE_EXECVE);
	assert_killed(SYSFILTER_GUI_AGENT, PROBE_FORK);
}
END_TEST

START_TEST(test_inet_option_allows_internet_sockets)
{
	int st = run(SYSFILTER_AUDIO_DAEMON, SYSFILTER_KILL, SYSFILTER_INET, PROBE_SOCKET_INET);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run(SYSFILTER_AUDIO_DAEMON, SYSFILTER_KILL, SYSFILTER_INET, PROBE_SOCKET_INET6);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(test_log_and_off_modes_do_not_kill)
{
	int st = run(SYSFILTER_GUI_AGENT, SYSFILTER_LOG, 0, PROBE_SOCKET_INET);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run(SYSFILTER_GUI_AGENT, SYSFILTER_OFF, 0, PROBE_SOCKET_INET);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(test_install_reads_seam_seccomp)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char why[160];
		setenv("SEAM_SECCOMP", "bogus", 1);
		if (sysfilter_install(SYSFILTER_GUI_AGENT, why, sizeof(why)) != -EINVAL)
			leave(1);
		setenv("SEAM_SECCOMP", "off", 1);
		if (sysfilter_install(SYSFILTER_GUI_AGENT, why, sizeof(why)))
			leave(2);
		if (probe(PROBE_SOCKET_INET, NULL)) /* still no filter */
			leave(3);
		unsetenv("SEAM_SECCOMP");
		if (sysfilter_install(SYSFILTER_GUI_AGENT, why, sizeof(why)))
			leave(4);
		probe(PROBE_SOCKET_INET, NULL);
		leave(5);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "status %#x", st);
}
END_TEST

START_TEST(test_mode_parse)
{
	enum sysfilter_mode m = SYSFILTER_OFF;
	ck_assert_int_eq(sysfilter_mode_parse(NULL, &m), 0);
	ck_assert_int_eq(m, SYSFILTER_KILL);
	ck_assert_int_eq(sysfilter_mode_parse("log", &m), 0);
	ck_assert_int_eq(m, SYSFILTER_LOG);
	ck_assert_int_eq(sysfilter_mode_parse("off", &m), 0);
	ck_assert_int_eq(m, SYSFILTER_OFF);
	ck_assert_int_eq(sysfilter_mode_parse("kill", &m), 0);
	ck_assert_int_eq(m, SYSFILTER_KILL);
	ck_assert_int_eq(sysfilter_mode_parse("", &m), -EINVAL);
	ck_assert_int_eq(sysfilter_mode_parse("0", &m), -EINVAL);
}
END_TEST

START_TEST(test_wants_inet_only_for_tcp_pulse_servers_and_displays)
{
	ck_assert(!sysfilter_wants_inet(NULL, NULL));
	ck_assert(!sysfilter_wants_inet("", ":0"));
	ck_assert(!sysfilter_wants_inet("unix:/run/user/1000/pulse/native", ":1.0"));
	ck_assert(!sysfilter_wants_inet("/run/pulse/native  {abc}unix:/x", "unix:0"));
	ck_assert(!sysfilter_wants_inet(NULL, "/tmp/launch-x/org.xquartz:0"));
	ck_assert(sysfilter_wants_inet("tcp:audio.lan:4713", NULL));
	ck_assert(sysfilter_wants_inet("unix:/x tcp6:[::1]", NULL));
	ck_assert(sysfilter_wants_inet("{abc}otherhost", NULL));
	ck_assert(sysfilter_wants_inet(NULL, "localhost:10.0"));
	ck_assert(sysfilter_wants_inet(NULL, "[::1]:0"));
}
END_TEST

Suite *suite_sysfilter(void)
{
	Suite *s = suite_create("sysfilter");
	TCase *tc = tcase_create("filters");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_every_filter_allows_the_loop_unix_sockets_and_sealed_memfds, 0,
			    NPROGS);
	tcase_add_loop_test(tc, test_every_filter_keeps_xen_grant_and_event_channel_ioctls, 0,
			    NPROGS);
	tcase_add_loop_test(tc, test_every_filter_kills_on_an_internet_socket, 0, NPROGS);
	tcase_add_loop_test(
	    tc, test_every_filter_kills_on_ptrace_tiocsti_fork_and_signalling_others, 0, NPROGS);
	tcase_add_loop_test(tc, test_clone3_fails_with_enosys_so_glibc_uses_checked_clone, 0,
			    NPROGS);
	tcase_add_test(tc, test_only_the_agent_may_execute_and_only_after_a_vfork);
	tcase_add_test(tc, test_inet_option_allows_internet_sockets);
	tcase_add_test(tc, test_log_and_off_modes_do_not_kill);
	tcase_add_test(tc, test_install_reads_seam_seccomp);
	suite_add_tcase(s, tc);
	TCase *pure = tcase_create("settings");
	tcase_add_test(pure, test_mode_parse);
	tcase_add_test(pure, test_wants_inet_only_for_tcp_pulse_servers_and_displays);
	suite_add_tcase(s, pure);
	return s;
}
