/* The registry of running domains: lock, info file, --list and --kill. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/msg.h"
#include "sandbox/paths.h"
#include "sandbox/proc.h"
#include "sandbox/registry.h"

/* How long --kill gives the owner to tear the domain down before it forces it. The owner needs
 * well under a second; the rest is slack for a loaded machine. */
#define KILL_GRACE_MS 3000
/* How long --kill waits for a starting domain's info file. */
#define KILL_INFO_MS 2000
/* How long --list waits for an owner to say which commands run. */
#define LIST_ANSWER_MS 500

/* paths_seam_runtime()/domains: every domain's directory is in it. */
static int domains_dir(char *buf, size_t size)
{
	char runtime[PATH_MAX];
	int rc = paths_seam_runtime(runtime, sizeof(runtime));
	if (rc)
		return rc;
	int n = snprintf(buf, size, "%s/domains", runtime);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The runtime directory and its domains/ are ours alone (paths_private_dir), created with create.
 * Below them only we can create or rename anything, so their paths can be trusted afterwards. */
static int check_dirs(bool create, char *why, size_t why_len)
{
	char runtime[PATH_MAX], base[PATH_MAX];
	if (paths_seam_runtime(runtime, sizeof(runtime)) || domains_dir(base, sizeof(base))) {
		snprintf(why, why_len, "the runtime directory's path is too long");
		return -ENAMETOOLONG;
	}
	return paths_private_dir(runtime, create, why, why_len)
		   ?: paths_private_dir(base, create, why, why_len);
}

/* For a terminal: bytes other than printable ASCII (and spaces, without spaces) become '?'. */
static void printable(char *s, bool spaces)
{
	for (; *s; s++)
		if ((unsigned char)*s < (spaces ? 0x20 : 0x21) || (unsigned char)*s > 0x7e)
			*s = '?';
}

int registry_path(const char *name, const char *leaf, char *buf, size_t size)
{
	char base[PATH_MAX];
	int rc = domains_dir(base, sizeof(base));
	if (rc)
		return rc;
	int n = snprintf(buf, size, "%s/%s%s%s", base, name, leaf ? "/" : "", leaf ? leaf : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf without following symlinks. */
static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int lock_state(int fd, int cmd, struct flock *fl)
{
	*fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET};
	return fcntl(fd, cmd, fl);
}

int registry_acquire(const char *name, struct registry_lock *l, char *why, size_t why_len)
{
	char lockp[PATH_MAX], chan[PATH_MAX];
	l->fd = -1;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(why, why_len, "the path is too long");
	if (registry_path(name, NULL, l->dir, sizeof(l->dir)) ||
	    registry_path(name, "lock", lockp, sizeof(lockp)) ||
	    registry_path(name, "chan", chan, sizeof(chan)))
		return -ENAMETOOLONG;
	int rc = check_dirs(true, why, why_len);
	if (rc)
		return rc;
	/* The lock file may be unlinked by an owner that is leaving, between our open and our lock:
	 * then the lock we got is on a dead file, and we try again. */
	for (int tries = 0; tries < 50; tries++) {
		if ((rc = paths_private_dir(l->dir, true, why, why_len)))
			return rc;
		int fd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		struct flock fl;
		if (lock_state(fd, F_OFD_SETLK, &fl)) {
			int e = errno;
			close(fd);
			snprintf(why, why_len, "cannot lock %s: %s", lockp, strerror(e));
			return e == EAGAIN || e == EACCES ? -EBUSY : -e;
		}
		struct stat a, b;
		if (fstat(fd, &a) || stat(lockp, &b) || a.st_ino != b.st_ino ||
		    a.st_dev != b.st_dev) {
			close(fd);
			continue;
		}
		if (a.st_uid != geteuid()) {
			close(fd);
			snprintf(why, why_len, "%s belongs to uid %u, not to you", lockp,
				 (unsigned)a.st_uid);
			return -EPERM;
		}
		l->fd = fd;
		char p[PATH_MAX];
		if (!registry_path(name, "join.sock", p, sizeof(p)))
			unlink(p);
		if (!registry_path(name, "info", p, sizeof(p)))
			unlink(p);
		rm_tree(chan);
		if ((rc = paths_private_dir(chan, true, why, why_len))) {
			registry_release(l);
			return rc;
		}
		return 0;
	}
	snprintf(why, why_len, "%s keeps changing", l->dir);
	return -EAGAIN;
}

int registry_acquire_disposable(struct registry_lock *l, char *why, size_t why_len)
{
	char name[DOMAIN_NAME_MAX + 1];
	for (int n = 1; n <= REGISTRY_MAX_DISPOSABLES; n++) {
		snprintf(name, sizeof(name), "disp%d", n);
		int rc = registry_acquire(name, l, why, why_len);
		if (rc != -EBUSY)
			return rc;
	}
	snprintf(why, why_len, "all %d disposable names are taken", REGISTRY_MAX_DISPOSABLES);
	return -EBUSY;
}

bool registry_running(const char *name)
{
	char lockp[PATH_MAX];
	if (registry_path(name, "lock", lockp, sizeof(lockp)))
		return false;
	int fd = open(lockp, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	struct flock fl;
	bool held = lock_state(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return held;
}

int registry_write_info(const struct registry_lock *l, const struct registry_info *i)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	if (registry_path(l->name, "info.tmp", tmp, sizeof(tmp)) ||
	    registry_path(l->name, "info", path, sizeof(path)))
		return -ENAMETOOLONG;
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -errno;
	unsigned long long started = 0;
	proc_start_time(i->owner, &started);
	fprintf(f, "owner=%d\nowner_start=%llu\ninit=%d\npidns=%llu\nlabel=%s\nkind=%s\nnet=%d\n",
		(int)i->owner, started, (int)i->init, i->pidns, i->label, i->kind, i->net);
	if (fclose(f))
		return -errno;
	return rename(tmp, path) ? -errno : 0;
}

int registry_read_info(const char *name, struct registry_info *i)
{
	char path[PATH_MAX], line[700];
	if (registry_path(name, "info", path, sizeof(path)))
		return -ENAMETOOLONG;
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	*i = (struct registry_info){0};
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *v = strchr(line, '=');
		if (!v)
			continue;
		*v++ = '\0';
		if (strcmp(line, "owner") == 0)
			i->owner = atoi(v);
		else if (strcmp(line, "owner_start") == 0)
			i->owner_start = strtoull(v, NULL, 10);
		else if (strcmp(line, "init") == 0)
			i->init = atoi(v);
		else if (strcmp(line, "pidns") == 0)
			i->pidns = strtoull(v, NULL, 10);
		else if (strcmp(line, "label") == 0)
			snprintf(i->label, sizeof(i->label), "%s", v);
		else if (strcmp(line, "kind") == 0)
			snprintf(i->kind, sizeof(i->kind), "%s", v);
		else if (strcmp(line, "net") == 0)
			i->net = atoi(v);
	}
	fclose(f);
	/* Whatever the file says is shown on terminals. */
	printable(i->label, false);
	printable(i->kind, false);
	return i->owner > 0 ? 0 : -EINVAL;
}

void registry_release(struct registry_lock *l)
{
	if (l->fd < 0)
		return;
	char p[PATH_MAX];
	const char *leaves[] = {"join.sock", "info", "info.tmp", "lock"};
	if (!registry_path(l->name, "chan", p, sizeof(p)))
		rm_tree(p);
	for (size_t k = 0; k < sizeof(leaves) / sizeof(leaves[0]); k++)
		if (!registry_path(l->name, leaves[k], p, sizeof(p)))
			unlink(p);
	rmdir(l->dir);
	close(l->fd);
	l->fd = -1;
}

int registry_count_processes(unsigned long long pidns)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	char want[64], path[64], got[64];
	snprintf(want, sizeof(want), "pid:[%llu]", pidns);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/pid", e->d_name);
		ssize_t k = readlink(path, got, sizeof(got) - 1);
		if (k <= 0)
			continue;
		got[k] = '\0';
		if (strcmp(got, want) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* The commands running in NAME, from its owner (over the join socket), or "-". m is scratch space
 * for the answer. */
static const char *ask_commands(const char *name, struct msg *m, char *buf, size_t size)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(buf, size, "-");
	if (registry_path(name, "join.sock", a.sun_path, sizeof(a.sun_path)))
		return buf;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return buf;
	struct pollfd p = {fd, POLLIN, 0};
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    msg_send(fd, MSG_LIST, 0, 0, NULL, 0, NULL, 0) == 0 &&
	    poll(&p, 1, LIST_ANSWER_MS) == 1 && msg_recv(fd, m, NULL, 0) == 0 &&
	    m->type == MSG_LIST) {
		size_t n = m->len < size - 1 ? m->len : size - 1;
		memcpy(buf, m->payload, n);
		buf[n] = '\0';
		printable(buf, true);
	}
	close(fd);
	return buf;
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	/* disp2 before disp10 */
	if (opts_name_is_disposable(x) && opts_name_is_disposable(y) && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

int registry_list(FILE *out)
{
	char base[PATH_MAX], why[PATH_MAX + 128];
	int rc = check_dirs(false, why, sizeof(why));
	if (rc && rc != -ENOENT) {
		fprintf(stderr, "seam-run: --list: %s\n", why);
		return 1;
	}
	fprintf(out, "%-32s %-9s %-10s %9s  %s\n", "NAME", "LABEL", "KIND", "PROCESSES",
		"COMMANDS");
	DIR *d = rc || domains_dir(base, sizeof(base)) ? NULL : opendir(base);
	if (!d)
		return 0;
	char *names[1024];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < sizeof(names) / sizeof(names[0]))
		if (domain_name_is_hostname(e->d_name) && registry_running(e->d_name))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	struct msg *m = malloc(sizeof(*m));
	for (size_t k = 0; k < n; k++) {
		struct registry_info i;
		char cmds[MSG_MAX_PAYLOAD / 64] = "-";
		if (names[k] && registry_read_info(names[k], &i) == 0)
			fprintf(out, "%-32s %-9s %-10s %9d  %s\n", names[k], i.label, i.kind,
				registry_count_processes(i.pidns),
				m ? ask_commands(names[k], m, cmds, sizeof(cmds)) : cmds);
		free(names[k]);
	}
	free(m);
	return 0;
}

/* A pidfd for NAME's owner, once sure that the process is that owner: the pid in the info file is
 * only a claim. The process must be ours, must have started when the info file says (a recycled
 * pid has not), and must hold NAME's lock file open (no other process does: the descriptor is
 * close-on-exec, and seam-run's children get only the descriptors they are given). The checks
 * read /proc by pid, so they are made while the pidfd pins the process, and the process must
 * still be alive after them: then they saw the process the pidfd names. Returns the pidfd, or
 * -errno with the reason in why. */
static int owner_pidfd(const char *name, const struct registry_info *i, char *why, size_t why_len)
{
	char lockp[PATH_MAX], proc[64];
	struct stat st;
	unsigned long long started;
	int pfd = proc_pidfd(i->owner);
	if (pfd < 0) {
		snprintf(why, why_len, "cannot reach its seam-run (pid %d): %s", (int)i->owner,
			 strerror(-pfd));
		return pfd;
	}
	int lfd = registry_path(name, "lock", lockp, sizeof(lockp))
		      ? -1
		      : open(lockp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(proc, sizeof(proc), "/proc/%d", (int)i->owner);
	bool ours = stat(proc, &st) == 0 && st.st_uid == getuid() &&
		    proc_start_time(i->owner, &started) == 0 && started == i->owner_start &&
		    lfd >= 0 && proc_has_open(i->owner, lfd);
	if (lfd >= 0)
		close(lfd);
	if (!ours || syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0)) {
		close(pfd);
		snprintf(why, why_len,
			 "pid %d, named in its registry entry, is not the domain's seam-run: not "
			 "signalling it",
			 (int)i->owner);
		return -ESRCH;
	}
	return pfd;
}

int registry_kill(const char *name)
{
	struct registry_info i;
	char why[PATH_MAX + 128];
	int rc = check_dirs(false, why, sizeof(why));
	if (rc && rc != -ENOENT) {
		fprintf(stderr, "seam-run: --kill %s: %s\n", name, why);
		return 1;
	}
	/* A domain that is just starting may not have written its info yet. */
	int64_t end = mono_ms() + KILL_INFO_MS;
	while (!rc && (rc = registry_read_info(name, &i)) && registry_running(name) &&
	       mono_ms() < end)
		usleep(10000);
	if (rc || !registry_running(name)) {
		fprintf(stderr, "seam-run: --kill %s: no domain of that name is running\n", name);
		return 1;
	}
	/* A pidfd pins the process: the signal cannot reach a successor that reused the pid. */
	int pfd = owner_pidfd(name, &i, why, sizeof(why));
	if (pfd < 0) {
		if (!registry_running(name))
			return 0;
		fprintf(stderr, "seam-run: --kill %s: %s\n", name, why);
		return 1;
	}
	if (syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0)) {
		int e = errno;
		close(pfd);
		if (e == ESRCH)
			return 0;
		fprintf(stderr, "seam-run: --kill %s: cannot signal its seam-run (pid %d): %s\n",
			name, (int)i.owner, strerror(e));
		return 1;
	}
	end = mono_ms() + KILL_GRACE_MS;
	while (registry_running(name) && mono_ms() < end)
		usleep(10000);
	if (registry_running(name)) {
		/* The owner hangs: killing it kills bwrap, the daemon and pasta (each dies with its
		 * parent), and with bwrap every process of the sandbox. */
		syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0);
		end = mono_ms() + KILL_GRACE_MS;
		while (registry_running(name) && mono_ms() < end)
			usleep(10000);
	}
	close(pfd);
	if (registry_running(name)) {
		fprintf(stderr, "seam-run: --kill %s: the domain is still running\n", name);
		return 1;
	}
	return 0;
}
