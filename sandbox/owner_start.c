/* The owner's start-up: the host daemons, the sandbox (bwrap), pasta and the join socket. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/bwrap.h"
#include "sandbox/net.h"
#include "sandbox/owner_internal.h"
#include "sandbox/paths.h"
#include "sandbox/proc.h"

/* How long bwrap may take to report the sandbox's PID 1. */
#define SANDBOX_INFO_MS 5000
/* How long a host daemon may take to open its socket (it connects to the host display first). */
#define DAEMON_SOCKET_MS 5000

void owner_pick_user(struct owner *w)
{
	w->drop = getuid() == 0;
	if (!w->drop) {
		w->uid = getuid();
		w->gid = getgid();
		return;
	}
	struct passwd *pw = getpwnam("nobody");
	w->uid = pw && pw->pw_uid ? pw->pw_uid : BWRAP_ROOT_UID;
	w->gid = pw && pw->pw_gid ? pw->pw_gid : BWRAP_ROOT_GID;
}

/* A daemon's socket in the channel directory, given to the sandbox's user when that is not ours:
 * the daemon makes it 0600. Only root writes in the directory, so the path stays what it was. */
static void give_socket(struct owner *w, const char *leaf)
{
	char path[PATH_MAX + 16];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", w->chan, leaf);
	int64_t end = mono_ms() + DAEMON_SOCKET_MS;
	while (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
		if (mono_ms() > end) {
			owner_say(w, "%s did not appear: the sandbox cannot connect", path);
			return;
		}
		usleep(2000);
	}
	if (lchown(path, w->uid, w->gid))
		owner_say(w, "cannot give %s to uid %u: %s", path, (unsigned)w->uid,
			  strerror(errno));
}

void owner_say(const struct owner *w, const char *fmt, ...)
{
	if (!w->o->verbose)
		return;
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seam-run[%s]: %5lld ms: %s\n", w->lock->name,
		(long long)(mono_ms() - w->env->started_ms), line);
}

/* A host daemon from seam-run's directory, argv[0] naming it, in a session of its own (a Ctrl+C in
 * the terminal reaches seam-run alone, which then ends the domain in order) that dies with
 * seam-run. Returns 0, or -errno after one line saying what failed. */
static int start_daemon(struct owner *w, char **argv, pid_t *pid)
{
	char exe[PATH_MAX];
	snprintf(exe, sizeof(exe), "%s/%s", w->env->bin_dir, argv[0]);
	struct proc_spec s = {.path = exe,
			      .argv = argv,
			      .fd_from = {-1, -1, 2},
			      .fd_to = {0, 1, 2},
			      .nfds = 3,
			      .die_with_parent = true,
			      .new_session = true};
	int rc = proc_spawn(&s, pid);
	if (rc)
		fprintf(stderr, "seam-run: cannot start %s: %s\n", exe, strerror(-rc));
	return rc;
}

int owner_start_gui_daemon(struct owner *w)
{
	struct sockaddr_un a;
	if (strlen(w->chan) + sizeof("/audio.sock") > sizeof(a.sun_path) ||
	    strlen(w->join_path) >= sizeof(a.sun_path)) {
		fprintf(
		    stderr,
		    "seam-run: %s is too long a path for a unix socket: set XDG_RUNTIME_DIR to a "
		    "shorter one\n",
		    w->chan);
		return -1;
	}
	char chan[PATH_MAX + 16];
	snprintf(chan, sizeof(chan), "unix:%s/gui.sock", w->chan);
	char *argv[] = {"seam-gui-daemon",
			"--name",
			w->lock->name,
			"--label",
			(char *)w->o->label.name,
			"--channel",
			chan,
			"--display",
			(char *)w->env->display,
			NULL,
			NULL,
			NULL,
			NULL};
	/* The daemon's own configuration decides unless the domain turns notifications off. */
	char **more = argv + 9;
	if (w->o->no_notifications) {
		*more++ = "--notifications";
		*more++ = "no";
	}
	*more = w->o->verbose >= 2 ? "-v" : NULL;
	if (start_daemon(w, argv, &w->daemon))
		return -1;
	w->daemon_fd = proc_pidfd(w->daemon);
	if (w->drop)
		give_socket(w, "gui.sock");
	return 0;
}

int owner_start_audio_daemon(struct owner *w)
{
	char chan[PATH_MAX + 16];
	snprintf(chan, sizeof(chan), "unix:%s/audio.sock", w->chan);
	char *argv[] = {"seam-audio-daemon",
			"--name",
			w->lock->name,
			"--channel",
			chan,
			w->o->verbose >= 2 ? "-v" : NULL,
			NULL};
	if (start_daemon(w, argv, &w->audio_daemon))
		return -1;
	if (w->drop)
		give_socket(w, "audio.sock");
	return 0;
}

/* bwrap's --info-fd JSON: "child-pid" and "pid-namespace". */
static int read_info(struct owner *w, int fd)
{
	char buf[1024];
	size_t got = 0;
	int64_t end = mono_ms() + SANDBOX_INFO_MS;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int64_t left = end - mono_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strchr(buf, '}'))
			break;
	}
	buf[got] = '\0';
	const char *cp = strstr(buf, "\"child-pid\":"), *ns = strstr(buf, "\"pid-namespace\":");
	if (!cp)
		return -1;
	w->init_pid = (pid_t)strtol(cp + 12, NULL, 10);
	w->info.init = w->init_pid;
	w->info.pidns = ns ? strtoull(ns + 16, NULL, 10) : 0;
	return w->init_pid > 0 ? 0 : -1;
}

/* The sandbox's stderr: shown with -v, else only its last line, when the sandbox fails. */
void owner_drain_err(struct owner *w)
{
	char buf[4096];
	ssize_t n;
	while (w->err_fd >= 0 && (n = read(w->err_fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			break;
		}
		if (w->o->verbose)
			fwrite(buf, 1, (size_t)n, stderr);
		size_t keep = (size_t)n < ERR_TAIL - 1 ? (size_t)n : ERR_TAIL - 1;
		size_t old = strlen(w->err_tail);
		if (old + keep >= ERR_TAIL) {
			size_t drop = old + keep - (ERR_TAIL - 1);
			memmove(w->err_tail, w->err_tail + drop, old - drop + 1);
			old -= drop;
		}
		memcpy(w->err_tail + old, buf + (size_t)n - keep, keep);
		w->err_tail[old + keep] = '\0';
	}
	close(w->err_fd);
	w->err_fd = -1;
}

/* The last non-empty line of what the sandbox printed. */
const char *owner_err_line(struct owner *w)
{
	char *s = w->err_tail;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	char *nl = strrchr(s, '\n');
	return nl ? nl + 1 : s;
}

/* Where a domain of root's finds its mount sources: a tmpfs over /run in bwrap's own mount
 * namespace, where the unprivileged bwrap can reach them; it could not walk root's 0700
 * directories (the registry, root's home) to where they are. */
#define STAGE_BASE "/run"
#define STAGE_DIR  STAGE_BASE "/seam-stage"
#define STAGE_MAX  (6 + OPTS_MAX_SHARES)

struct stage {
	int n;
	const char *src[STAGE_MAX];
	char dest[STAGE_MAX][64];
	bool dir[STAGE_MAX];
};

/* Adds src to the stage; returns where bwrap finds it. */
static const char *stage_add(struct stage *st, const char *src, const char *name, bool dir)
{
	st->src[st->n] = src;
	st->dir[st->n] = dir;
	snprintf(st->dest[st->n], sizeof(st->dest[0]), STAGE_DIR "/%s", name);
	return st->dest[st->n++];
}

/* In bwrap's child, as root, before it becomes the sandbox's user (proc_spec.before_exec): a
 * mount namespace of its own, nothing propagated back, and every source bound under STAGE_DIR.
 * Each source is opened first, as one may be below /run. Returns 0 or -errno. */
static int stage_sources(void *ctx)
{
	const struct stage *st = ctx;
	int fds[STAGE_MAX];
	char proc[32];
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	for (int i = 0; i < st->n; i++)
		if ((fds[i] = open(st->src[i], O_PATH | O_CLOEXEC)) < 0)
			return -errno;
	if (mount("seam-stage", STAGE_BASE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") ||
	    mkdir(STAGE_DIR, 0755))
		return -errno;
	for (int i = 0; i < st->n; i++) {
		int t = st->dir[i] ? mkdir(st->dest[i], 0755)
				   : open(st->dest[i], O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (t < 0)
			return -errno;
		if (!st->dir[i])
			close(t);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fds[i]);
		if (mount(proc, st->dest[i], NULL, MS_BIND | MS_REC, NULL))
			return -errno;
		close(fds[i]);
	}
	return 0;
}

/* A domain of root's: its channel directory readable to the sandbox's group, its home (the
 * directory itself: what is in it was written from inside) the sandbox user's, and every mount
 * source staged (stage_sources), bp pointing there. Returns 0, or -1 after one line. */
static int prepare_drop(struct owner *w, struct bwrap_params *bp, struct stage *st)
{
	const struct run_opts *o = w->o;
	const char *what = w->chan;
	int fd = open(w->chan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = fd < 0 || fchown(fd, 0, w->gid) || fchmod(fd, 0750) ? -1 : 0;
	if (fd >= 0)
		close(fd);
	if (!rc && bp->domain_home) {
		what = bp->domain_home;
		fd = open(bp->domain_home, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		rc = fd < 0 || fchown(fd, w->uid, w->gid) ? -1 : 0;
		if (fd >= 0)
			close(fd);
	}
	if (rc) {
		fprintf(stderr, "seam-run: cannot open %s to the sandbox's user (uid %u): %s\n",
			what, (unsigned)w->uid, strerror(errno));
		return -1;
	}
	bp->chan_dir = stage_add(st, bp->chan_dir, "chan", true);
	if (bp->domain_home)
		bp->domain_home = stage_add(st, bp->domain_home, "home", true);
	bp->self_exe = stage_add(st, bp->self_exe, "seam-run", false);
	bp->agent_exe = stage_add(st, bp->agent_exe, "seam-gui-agent", false);
	if (bp->audio_agent_exe)
		bp->audio_agent_exe = stage_add(st, bp->audio_agent_exe, "seam-audio-agent", false);
	if (bp->xorg_driver)
		bp->xorg_driver = stage_add(st, bp->xorg_driver, "seam_drv.so", false);
	for (int i = 0; i < o->n_shares; i++) {
		char name[16];
		snprintf(name, sizeof(name), "share%d", i);
		stage_add(st, o->shares[i].path, name, true);
	}
	bp->share_src_dir = STAGE_DIR;
	return 0;
}

int owner_start_sandbox(struct owner *w)
{
	const struct run_opts *o = w->o;
	char self[PATH_MAX], agent[PATH_MAX], audio[PATH_MAX], home[PATH_MAX], drv[PATH_MAX];
	snprintf(self, sizeof(self), "%s/seam-run", w->env->bin_dir);
	int drv_rc = paths_xorg_driver(w->env->bin_dir, drv, sizeof(drv));
	if (drv_rc == -EINVAL) {
		fprintf(stderr, "seam-run: SEAM_XORG_DRIVER=%s: expected auto, seam or dummy\n",
			getenv("SEAM_XORG_DRIVER"));
		return -1;
	}
	snprintf(agent, sizeof(agent), "%s/seam-gui-agent", w->env->bin_dir);
	snprintf(audio, sizeof(audio), "%s/seam-audio-agent", w->env->bin_dir);
	ssize_t sn = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (sn > 0)
		self[sn] = '\0';
	if (!o->disposable) {
		int rc = paths_domain_home(w->lock->name, home, sizeof(home))
			     ?: paths_mkdir_p(home, 0700, w->uid);
		if (rc) {
			fprintf(stderr, "seam-run: cannot create the home of %s (%s): %s\n",
				w->lock->name, home, strerror(-rc));
			return -1;
		}
	}
	int sp[2], info[2], err[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		return -1;
	if (pipe2(info, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	int resolv = o->net ? net_resolv_fd() : -1;
	w->dns_forward = resolv >= 0;
	struct bwrap_params bp = {
	    .o = o,
	    .name = w->lock->name,
	    .uid = w->uid,
	    .gid = w->gid,
	    .bwrap = w->env->bwrap,
	    .home = paths_home(),
	    .domain_home = o->disposable ? NULL : home,
	    .chan_dir = w->chan,
	    .self_exe = self,
	    .agent_exe = agent,
	    .audio_agent_exe = o->audio ? audio : NULL,
	    .xorg_driver = drv_rc ? NULL : drv,
	    .info_fd = 4,
	    .resolv_fd = resolv >= 0 ? 5 : -1,
	    .width = o->width,
	    .height = o->height,
	};
	struct bwrap_cmd cmd;
	struct stage *st = calloc(1, sizeof(*st));
	struct proc_spec s = {.path = w->env->bwrap,
			      .fd_from = {-1, err[1], err[1], sp[1], info[1], resolv},
			      .fd_to = {0, 1, 2, BWRAP_INIT_FD, 4, 5},
			      .nfds = resolv >= 0 ? 6 : 5,
			      .die_with_parent = true,
			      .new_session = true,
			      .cwd = "/",
			      .before_exec = w->drop ? stage_sources : NULL,
			      .ctx = st,
			      .set_ids = w->drop,
			      .uid = w->uid,
			      .gid = w->gid};
	int src = !st ? -1 : w->drop ? prepare_drop(w, &bp, st) : 0;
	int rc = src ? -EPERM : bwrap_build(&bp, &cmd);
	if (!rc) {
		if (o->verbose >= 2) {
			fprintf(stderr, "seam-run[%s]: ", w->lock->name);
			for (int i = 0; i < cmd.argc; i++)
				fprintf(stderr, "%s%s", i ? " " : "", cmd.argv[i]);
			fputc('\n', stderr);
		}
		s.argv = cmd.argv;
		rc = proc_spawn(&s, &w->bwrap);
		bwrap_free(&cmd);
	}
	free(st);
	close(sp[1]);
	close(info[1]);
	close(err[1]);
	if (resolv >= 0)
		close(resolv);
	w->ctl = sp[0];
	w->err_fd = err[0];
	fcntl(w->err_fd, F_SETFL, O_NONBLOCK);
	if (rc) {
		close(info[0]);
		if (!src) /* else prepare_drop said why */
			fprintf(stderr, "seam-run: cannot start bwrap: %s\n", strerror(-rc));
		return -1;
	}
	w->bwrap_fd = proc_pidfd(w->bwrap);
	rc = read_info(w, info[0]);
	close(info[0]);
	if (rc) {
		proc_wait(w->bwrap, 2000);
		w->bwrap = 0;
		owner_drain_err(w);
		fprintf(stderr, "seam-run: the sandbox did not start: %s\n", owner_err_line(w));
		return -1;
	}
	owner_say(w, "sandbox up: PID 1 is %d on the host", (int)w->init_pid);
	return 0;
}

int owner_start_net(struct owner *w)
{
	if (!w->o->net)
		return 0;
	int rc = net_start_pasta(w->init_pid, w->dns_forward, w->o->verbose >= 2, &w->pasta,
				 &w->pasta_ready_fd);
	if (rc == -ENOENT) {
		fprintf(stderr, "seam-run: --net needs pasta: install it with 'apt-get install "
				"passt'\n");
		return -1;
	}
	if (rc) {
		fprintf(stderr, "seam-run: cannot start pasta: %s\n", strerror(-rc));
		return -1;
	}
	w->pasta_fd = proc_pidfd(w->pasta);
	return 0;
}

int owner_listen_join(struct owner *w)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(w->join_path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, w->join_path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(w->join_path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		close(fd);
		return -1;
	}
	w->listen_fd = fd;
	return 0;
}
