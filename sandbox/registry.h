/* The registry of running domains, for --list, --kill and joining: one directory per domain under
 * paths_seam_runtime()/domains/NAME, holding
 *   lock       an OFD write lock held by the domain's owner (the first seam-run) while it runs,
 *   info       the owner's pid, the label, the kind, the sandbox's PID namespace (written once,
 *              when the sandbox is up: a file replaced by rename on ext4 costs a flush),
 *   join.sock  where a second `seam-run --domain NAME` asks the owner to run its command, and
 *              --list asks which commands run,
 *   chan/      the private 0700 directory bound (read-only) into the sandbox as /run/seam: the
 *              daemons' channel sockets, nothing else.
 * A domain runs exactly while its lock is held, so a crashed owner leaves nothing that counts. */
#ifndef SEAM_SANDBOX_REGISTRY_H
#define SEAM_SANDBOX_REGISTRY_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "sandbox/opts.h"

/* Disposables are disp1, disp2, ...: the lowest number not running. */
#define REGISTRY_MAX_DISPOSABLES 9999

struct registry_info {
	pid_t owner;			/* the seam-run that holds the domain */
	unsigned long long owner_start; /* when it started (proc_start_time), set on writing */
	pid_t init;			/* the sandbox's PID 1, as the host sees it */
	unsigned long long pidns;	/* inode of the sandbox's PID namespace */
	char label[16];
	char kind[16];	    /* "disposable" or "named" */
	int net;	    /* 1 with --net */
	char commands[512]; /* the commands seam-run started, space-separated basenames */
};

struct registry_lock {
	int fd; /* the lock file, locked; -1 when not held */
	char name[DOMAIN_NAME_MAX + 1];
	char dir[PATH_MAX];
};

/* Takes NAME: creates its directory and locks it, every directory on the way checked to be ours
 * alone (paths_private_dir). Returns 0 (held; stale files of an earlier owner removed, chan/
 * created empty), -EBUSY if NAME runs, or -errno with one line in why. */
int registry_acquire(const char *name, struct registry_lock *l, char *why, size_t why_len);

/* Takes the lowest free disp<N>. Returns 0 or -errno with one line in why. */
int registry_acquire_disposable(struct registry_lock *l, char *why, size_t why_len);

/* Whether NAME's lock is held now. */
bool registry_running(const char *name);

/* DIR/leaf of NAME into buf. Returns 0 or -ENAMETOOLONG. */
int registry_path(const char *name, const char *leaf, char *buf, size_t size);

/* Writes the info file (to a temporary name, then renamed, so a reader never sees half of it),
 * with the owner's start time. Returns 0 or -errno. */
int registry_write_info(const struct registry_lock *l, const struct registry_info *i);

/* Reads NAME's info file; label and kind come out as printable ASCII. Returns 0 or -errno
 * (-EINVAL if malformed). */
int registry_read_info(const char *name, struct registry_info *i);

/* Removes the domain's directory and everything in it, then drops the lock. */
void registry_release(struct registry_lock *l);

/* How many processes live in the PID namespace with that inode. */
int registry_count_processes(unsigned long long pidns);

/* --list: one line per running domain on out, nothing but printable ASCII. Returns the exit
 * status: 0, or 1 after one line on stderr when the runtime directory is not ours alone. */
int registry_list(FILE *out);

/* --kill NAME: asks the owner to end the domain (SIGTERM, through a pidfd, once sure the process
 * is the owner), and makes sure it did. Returns the exit status for seam-run: 0, or 1 after
 * printing why. */
int registry_kill(const char *name);

#endif
