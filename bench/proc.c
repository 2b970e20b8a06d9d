/* seam-bench's child processes: started in process groups of their own (so that whatever they
 * fork stops with them), logged to files, stopped by id, and measured through /proc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

/* Process groups still running, for the exit and signal path. */
#define MAX_GROUPS 64
static volatile pid_t groups[MAX_GROUPS];

/* Display numbers handed out and not yet released. */
#define MAX_DISPLAY 1000
static bool reserved[MAX_DISPLAY];

static void remember(pid_t pgid)
{
	for (unsigned i = 0; i < MAX_GROUPS; i++) {
		if (!groups[i]) {
			groups[i] = pgid;
			return;
		}
	}
}

static void forget(pid_t pgid)
{
	for (unsigned i = 0; i < MAX_GROUPS; i++)
		if (groups[i] == pgid)
			groups[i] = 0;
}

void proc_kill_all(void)
{
	/* SIGTERM first, so that the X servers remove their sockets and lock files. */
	for (unsigned i = 0; i < MAX_GROUPS; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGTERM);
	struct timespec grace = {0, 300 * 1000 * 1000};
	nanosleep(&grace, NULL);
	for (unsigned i = 0; i < MAX_GROUPS; i++) {
		if (groups[i] > 0)
			kill(-groups[i], SIGKILL);
		groups[i] = 0;
	}
}

int proc_start(struct proc *p, const char *name, const char *logdir, char *const argv[],
	       char *const env[], int keep_fd)
{
	char log[PATH_MAX];
	snprintf(log, sizeof(log), "%s/%s.log", logdir, name);
	snprintf(p->name, sizeof(p->name), "%s", name);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		bench_note("cannot fork for %s: %s", name, strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		for (unsigned i = 0; env && env[i]; i++)
			putenv(env[i]);
		if (keep_fd >= 0)
			fcntl(keep_fd, F_SETFD, 0);
		execvp(argv[0], argv);
		dprintf(2, "seam-bench: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* as in the child: whichever runs first */
	p->pid = pid;
	remember(pid);
	bench_debug("started %s (pid %d)", name, (int)pid);
	return 0;
}

bool proc_alive(struct proc *p)
{
	if (p->pid <= 0)
		return false;
	int status;
	pid_t r = waitpid(p->pid, &status, WNOHANG);
	if (r == p->pid) {
		bench_debug("%s (pid %d) exited (status 0x%x)", p->name, (int)p->pid, status);
		forget(p->pid);
		kill(-p->pid, SIGKILL); /* whatever it left in its group */
		p->pid = 0;
		return false;
	}
	return r == 0;
}

/* Grace period after SIGTERM: xpra saves nothing worth waiting for, X servers exit at once. */
#define STOP_GRACE_MS 3000

void proc_stop(struct proc *p)
{
	if (p->pid <= 0)
		return;
	kill(-p->pid, SIGTERM);
	int status;
	for (int i = 0; i < STOP_GRACE_MS / 10; i++) {
		if (waitpid(p->pid, &status, WNOHANG) == p->pid)
			goto reaped;
		bench_sleep_ms(10);
	}
	bench_debug("%s (pid %d) ignored SIGTERM: killed", p->name, (int)p->pid);
	kill(-p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
reaped:
	kill(-p->pid, SIGKILL); /* the rest of its group, if any outlived it */
	forget(p->pid);
	p->pid = 0;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Summed over the threads: /proc/PID/schedstat and the context switch counts in
 * /proc/PID/status describe one thread each (xpra has many). Threads that ended meanwhile are
 * not counted; the forwarders measured here keep theirs. */
int proc_usage(pid_t pid, struct proc_usage *u)
{
	*u = (struct proc_usage){0};
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct dirent *e;
	char buf[4096];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat", (int)pid, e->d_name);
		if (read_small(path, buf, sizeof(buf)) == 0)
			u->cpu_ns += strtoull(buf, NULL, 10);
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/status", (int)pid, e->d_name);
		if (read_small(path, buf, sizeof(buf)))
			continue;
		const char *keys[] = {"\nvoluntary_ctxt_switches:",
				      "\nnonvoluntary_ctxt_switches:"};
		for (unsigned i = 0; i < 2; i++) {
			const char *s = strstr(buf, keys[i]);
			if (s)
				u->switches += strtoull(s + strlen(keys[i]), NULL, 10);
		}
	}
	closedir(d);
	return 0;
}

/* Whether a server has display n: its lock file names a live process, or something answers
 * on its socket. Files left by a server that was killed do not count (Xvfb replaces them). */
static bool display_taken(int n)
{
	char path[64], buf[32];
	snprintf(path, sizeof(path), "/tmp/.X%d-lock", n);
	if (read_small(path, buf, sizeof(buf)) == 0) {
		long pid = strtol(buf, NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			return true;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/.X11-unix/X%d", n);
	if (access(sa.sun_path, F_OK))
		return false;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool taken = fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	if (fd >= 0)
		close(fd);
	return taken;
}

int proc_display_reserve(int first, int last)
{
	for (int n = first; n <= last && n < MAX_DISPLAY; n++) {
		if (n < 0 || reserved[n] || display_taken(n))
			continue;
		reserved[n] = true;
		return n;
	}
	return -1;
}

void proc_display_release(int n)
{
	if (n >= 0 && n < MAX_DISPLAY)
		reserved[n] = false;
}
