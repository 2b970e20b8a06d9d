/* fork + exec with an exact descriptor set; pidfds and exit statuses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/proc.h"

/* Above any descriptor a child is given, so moving them into place never overwrites one. */
#define PROC_FD_PARK 200

/* In the child, after fork: only async-signal-safe calls. Writes errno to errfd on failure. */
static void child(const struct proc_spec *s, int errfd)
{
	int parked[PROC_MAX_FDS];
	/* Out of the way of the descriptors being placed. */
	int high = fcntl(errfd, F_DUPFD_CLOEXEC, PROC_FD_PARK + PROC_MAX_FDS);
	if (high >= 0)
		errfd = high;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (s->before_exec && (errno = -s->before_exec(s->ctx)))
		goto fail;
	/* Before the parent-death signal: a change of credentials clears it. */
	if (s->set_ids && (setgroups(0, NULL) || setresgid(s->gid, s->gid, s->gid) ||
			   setresuid(s->uid, s->uid, s->uid)))
		goto fail;
	if (s->die_with_parent)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (s->new_session)
		setsid();
	for (int i = 0; i < s->nfds; i++) {
		int from = s->fd_from[i];
		if (from < 0)
			from = open("/dev/null", O_RDWR | O_CLOEXEC);
		parked[i] = from < 0 ? -1 : fcntl(from, F_DUPFD_CLOEXEC, PROC_FD_PARK);
		if (parked[i] < 0)
			goto fail;
	}
	int top = -1;
	for (int i = 0; i < s->nfds; i++) {
		if (dup2(parked[i], s->fd_to[i]) < 0)
			goto fail;
		if (s->fd_to[i] > top)
			top = s->fd_to[i];
	}
	/* Descriptors seam-run inherited without close-on-exec (from a shell, a terminal emulator,
	 * a test harness) must not cross into the sandbox: close all but the chosen ones. errfd
	 * stays open for the report below; it is close-on-exec. */
	for (int fd = 0; fd <= top; fd++) {
		bool keep = fd == errfd;
		for (int i = 0; i < s->nfds; i++)
			keep |= fd == s->fd_to[i];
		if (!keep)
			close(fd);
	}
	if (errfd > top + 1)
		close_range((unsigned)top + 1, (unsigned)errfd - 1, 0);
	close_range((unsigned)(errfd > top ? errfd : top) + 1, ~0u, 0);
	if (s->cwd && chdir(s->cwd))
		goto fail;
	if (strchr(s->path, '/'))
		execv(s->path, s->argv);
	else
		execvp(s->path, s->argv);
fail:;
	int e = errno;
	ssize_t r = write(errfd, &e, sizeof(e));
	(void)r;
	_exit(127);
}

int proc_spawn(const struct proc_spec *s, pid_t *pid)
{
	int p[2];
	if (s->nfds > PROC_MAX_FDS)
		return -EINVAL;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid_t c = fork();
	if (c < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (c == 0)
		child(s, p[1]);
	close(p[1]);
	int e = 0;
	ssize_t n;
	do
		n = read(p[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n == sizeof(e)) {
		waitpid(c, NULL, 0);
		return -e;
	}
	*pid = c;
	return 0;
}

int proc_signals(const int *sigs, size_t n, bool nonblock)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	int fd = signalfd(-1, &set, SFD_CLOEXEC | (nonblock ? SFD_NONBLOCK : 0));
	return fd < 0 ? -errno : fd;
}

void proc_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int n = open("/dev/null", O_RDWR);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

int proc_pidfd(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	return fd < 0 ? -errno : fd;
}

int proc_start_time(pid_t pid, unsigned long long *ticks)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name in parentheses may hold anything, ')' and spaces too: count from the last ')'.
	 * Then come state (field 3) ... starttime (field 22). */
	char *p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (field == 22) {
			char *end;
			errno = 0;
			*ticks = strtoull(p, &end, 10);
			return end == p || errno ? -EINVAL : 0;
		}
		p += strcspn(p, " ");
		if (!*p)
			return -EINVAL;
	}
	return -EINVAL;
}

/* Descriptors looked at in another process: a seam-run owner has a dozen. */
#define PROC_MAX_FDS_SCANNED 4096

bool proc_has_open(pid_t pid, int fd)
{
	struct stat want, st;
	char path[64];
	if (fstat(fd, &want))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	for (int k = 0; !found && k < PROC_MAX_FDS_SCANNED && (e = readdir(d)); k++) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		found = fstatat(dirfd(d), e->d_name, &st, 0) == 0 && st.st_dev == want.st_dev &&
			st.st_ino == want.st_ino;
	}
	closedir(d);
	return found;
}

int proc_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

int proc_wait(pid_t pid, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	int fd = proc_pidfd(pid), rc = -ETIMEDOUT;
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			rc = proc_exit_code(st);
			break;
		}
		if (r < 0) {
			rc = errno == ECHILD ? 0 : -errno;
			break;
		}
		int64_t left = end - mono_ms();
		if (left <= 0)
			break;
		if (fd >= 0) {
			struct pollfd pfd = {fd, POLLIN, 0};
			poll(&pfd, 1, (int)left);
		} else {
			usleep(5000);
		}
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int proc_stop(pid_t pid, int sig, int grace_ms)
{
	kill(pid, sig);
	int rc = proc_wait(pid, grace_ms);
	if (rc != -ETIMEDOUT)
		return rc;
	kill(pid, SIGKILL);
	rc = proc_wait(pid, 5000);
	return rc < 0 ? 128 + SIGKILL : rc;
}

int proc_exe_dir(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if ((size_t)snprintf(buf, size, "%s", slash == exe ? "/" : exe) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int proc_find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path)
		return -ENOENT;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		if (n > 0 && (size_t)snprintf(buf, size, "%.*s/%s", (int)n, path, name) < size &&
		    access(buf, X_OK) == 0) {
			struct stat st;
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
				return 0;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}
