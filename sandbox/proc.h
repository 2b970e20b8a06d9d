/* Starting and ending processes: fork + exec with a chosen set of descriptors, pidfds, exit
 * statuses, and where seam-run's sibling programs are. */
#ifndef SEAM_SANDBOX_PROC_H
#define SEAM_SANDBOX_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Most descriptors a child is given. */
#define PROC_MAX_FDS 8

struct proc_spec {
	const char *path;  /* executable; searched in PATH when it has no '/' */
	char *const *argv; /* NULL-terminated */
	/* fd_from[i] becomes descriptor fd_to[i] in the child, and every other descriptor is closed
	 * before the exec. -1 in fd_from: /dev/null. */
	int fd_from[PROC_MAX_FDS];
	int fd_to[PROC_MAX_FDS];
	int nfds;
	bool die_with_parent; /* SIGKILL when seam-run dies */
	bool new_session;     /* setsid() */
	const char *cwd;      /* NULL: unchanged */
	/* Called in the child before the exec, still with seam-run's privileges (0 or -errno):
	 * NULL for none. */
	int (*before_exec)(void *ctx);
	void *ctx;
	/* With set_ids (seam-run as root): the child becomes uid:gid, with no supplementary group,
	 * after before_exec. */
	bool set_ids;
	uid_t uid;
	gid_t gid;
};

/* Starts the child. Returns 0 with *pid set, or -errno from fork or exec (the exec error travels
 * back through a close-on-exec pipe, so -ENOENT means "not found"). */
int proc_spawn(const struct proc_spec *s, pid_t *pid);

/* A pidfd for pid (poll()able: readable when it exits), or -errno. */
int proc_pidfd(pid_t pid);

/* When pid started, in clock ticks after boot (/proc/PID/stat): with the pid, a name for one
 * process that a recycled pid does not share. Returns 0 or -errno. */
int proc_start_time(pid_t pid, unsigned long long *ticks);

/* Whether pid has a descriptor open on the file fd is open on (same device and inode). */
bool proc_has_open(pid_t pid, int fd);

/* The exit status as a shell shows it: the code, or 128 + the signal. */
int proc_exit_code(int wstatus);

/* Waits up to timeout_ms for pid (a child) to end. Returns its exit code, or -ETIMEDOUT. */
int proc_wait(pid_t pid, int timeout_ms);

/* Signals pid, waits up to grace_ms, then SIGKILLs and reaps it. Returns its exit code. */
int proc_stop(pid_t pid, int sig, int grace_ms);

/* The directory of the running executable (for seam-gui-daemon and -agent beside seam-run).
 * Returns 0 or -errno. */
int proc_exe_dir(char *buf, size_t size);

/* The executable name in $PATH into buf. Returns 0 or -ENOENT. */
int proc_find_in_path(const char *name, char *buf, size_t size);

/* Blocks the n signals sigs and returns a signalfd that reads them (close-on-exec; non-blocking
 * with nonblock), or -errno. SIGPIPE is ignored from then on: a peer that goes away is an error
 * return, not a death. */
int proc_signals(const int *sigs, size_t n, bool nonblock);

/* Makes sure descriptors 0, 1 and 2 are open (on /dev/null where they were closed), so they can
 * be handed on. */
void proc_std_fds(void);

#endif
