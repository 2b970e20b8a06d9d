/* The peers under test and how each is started between two X servers:
 *   floor    the probe alone on one display (no forwarding): what the X server itself costs;
 *   seam     seam-gui-agent on a guest Xvfb, seam-gui-daemon on the host, a unix socket between;
 *   seam-drv the same with the guest on Xorg and Seam's driver seam_drv: no ShmGetImage;
 *   xpra     Debian's xpra in seamless mode on a guest Xvfb, its client on the host, with its
 *            fastest local settings (unix socket, mmap, rgb, speed 100);
 *   nxagent  Debian's nxagent in rootless mode on the host: it is the guest's X server itself
 *            and forwards X requests, not pixels.
 * Start-up waits (X servers, sockets, log lines) sleep in short steps: they are not measured. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/mono.h"
#include "common/xconn.h"
#include "bench/bench.h"

/* Big enough for a 3840x2160 window and its frame, with room beside the probe windows. */
#define SCREEN_SIZE "4096x2304"
/* Programs found through PATH by the peers' own scripts: the system's, not a user's pyenv. */
#define SYSTEM_PATH	 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define START_TIMEOUT_MS 30000

static const char *const labels[PEER_COUNT] = {"floor",	  "seam",   "xpra",
					       "nxagent", "seam-b", "seam-drv"};

const char *peer_label(enum peer_kind k)
{
	return labels[k];
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	const char *dirs = path && *path ? path : "/usr/bin:/bin";
	while (*dirs) {
		size_t n = strcspn(dirs, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, dirs, prog);
		if (access(buf, X_OK) == 0)
			return true;
		dirs += n + (dirs[n] == ':');
	}
	return false;
}

bool peer_available(struct bench *b, enum peer_kind k, char *why, size_t len)
{
	char p[PATH_MAX + 64];
	switch (k) {
	case PEER_FLOOR:
		if (!on_path("Xvfb") && !b->o.host) {
			snprintf(why, len, "Xvfb is not installed (make deps)");
			return false;
		}
		return true;
	case PEER_SEAM_DRV:
		snprintf(p, sizeof(p), "%s/../lib/xorg/modules/drivers/seam_drv.so", b->bindir);
		if (!on_path("Xorg") || access(p, R_OK)) {
			snprintf(why, len, "needs Xorg and %.100s (xserver-xorg-dev, make)", p);
			return false;
		}
		/* fall through */
	case PEER_SEAM:
	case PEER_SEAM_B:
		if (k == PEER_SEAM_B && !b->o.compare) {
			snprintf(why, len, "needs --compare DIR");
			return false;
		}
		for (unsigned i = 0; i < 2; i++) {
			snprintf(p, sizeof(p), "%s/%s", k == PEER_SEAM_B ? b->o.compare : b->bindir,
				 i ? "seam-gui-agent" : "seam-gui-daemon");
			if (access(p, X_OK)) {
				snprintf(why, len, "%.100s is not built (make)", p);
				return false;
			}
		}
		return true;
	case PEER_XPRA:
		if (!on_path("xpra")) {
			snprintf(why, len, "xpra is not installed (make deps)");
			return false;
		}
		/* Without the cairo bindings for GObject the client shows windows but never
		 * paints them. */
		if (system("/usr/bin/python3 -c 'import gi; gi.require_foreign(\"cairo\")' "
			   ">/dev/null 2>&1")) {
			snprintf(why, len, "python3-gi-cairo is not installed (make deps)");
			return false;
		}
		return true;
	case PEER_NXAGENT:
		if (!on_path("nxagent")) {
			snprintf(why, len, "nxagent is not installed (make deps)");
			return false;
		}
		return true;
	default:
		return false;
	}
}

static struct proc *add_proc(struct peer *pe)
{
	if (pe->nprocs == PEER_MAX_PROCS)
		return NULL;
	struct proc *p = &pe->procs[pe->nprocs++];
	*p = (struct proc){0};
	return p;
}

static bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

/* Wait until LOG has a line containing needle while p runs. */
static int wait_log(struct proc *p, const char *log, const char *needle, int timeout_ms)
{
	for (int i = 0; i < timeout_ms / 20; i++) {
		if (file_has(log, needle))
			return 0;
		if (!proc_alive(p))
			return -ECHILD;
		bench_sleep_ms(20);
	}
	return -ETIMEDOUT;
}

static int wait_connectable(struct proc *p, const char *display, int timeout_ms)
{
	for (int i = 0; i < timeout_ms / 20; i++) {
		xcb_connection_t *c = xcb_connect(display, NULL);
		bool ok = !xcb_connection_has_error(c);
		xcb_disconnect(c);
		if (ok)
			return 0;
		if (!proc_alive(p))
			return -ECHILD;
		bench_sleep_ms(20);
	}
	return -ETIMEDOUT;
}

/* Xorg with seam_drv for display n, its socket at drv-TAG.sock in the run's directory: the
 * configuration file's path in conf. */
static int xorg_seam_conf(struct bench *b, const char *tag, int n, char *conf, size_t len)
{
	int w, h;
	sscanf(SCREEN_SIZE, "%dx%d", &w, &h);
	snprintf(conf, len, "%s/xorg-%s-%d.conf", b->rundir, tag, n);
	FILE *f = fopen(conf, "we");
	if (!f)
		return -errno;
	fprintf(f,
		"Section \"Device\"\n Identifier \"seam\"\n Driver \"seam\"\n"
		" Option \"SeamSocket\" \"%s/drv-%s.sock\"\nEndSection\n"
		"Section \"Screen\"\n Identifier \"screen\"\n Device \"seam\"\n DefaultDepth 24\n"
		" SubSection \"Display\"\n  Depth 24\n  Virtual %d %d\n EndSubSection\n"
		"EndSection\n"
		"Section \"ServerFlags\"\n Option \"AutoAddDevices\" \"false\"\n"
		" Option \"DontVTSwitch\" \"true\"\nEndSection\n",
		b->rundir, tag, w, h);
	return fclose(f) ? -EIO : 0;
}

/* Start an Xvfb (or with xorg, Xorg and seam_drv) on a free display of the run's range; ready
 * when it writes its number to the -displayfd pipe. Sets *dpy to the number. */
static int start_xserver(struct bench *b, struct peer *pe, const char *tag, bool xorg, int *dpy)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		int n = proc_display_reserve(b->o.first_display, b->o.last_display);
		if (n < 0) {
			bench_note("no free X display in :%d-:%d", b->o.first_display,
				   b->o.last_display);
			return -EBUSY;
		}
		int fds[2];
		if (pipe2(fds, O_CLOEXEC))
			return -errno;
		char num[16], fd[16], name[48];
		snprintf(num, sizeof(num), ":%d", n);
		snprintf(fd, sizeof(fd), "%d", fds[1]);
		snprintf(name, sizeof(name), "%s-%s%d", tag, xorg ? "xorg" : "xvfb", n);
		char *argv[] = {"Xvfb",	     num,   "-screen",	  "0", SCREEN_SIZE "x24",
				"-nolisten", "tcp", "-displayfd", fd,  NULL};
		char conf[PATH_MAX], mods[PATH_MAX + 64], log[PATH_MAX];
		snprintf(mods, sizeof(mods), "%s/../lib/xorg/modules,/usr/lib/xorg/modules",
			 b->bindir);
		snprintf(log, sizeof(log), "%s/%s.xlog", b->rundir, name);
		char *xargv[] = {"Xorg",     num,	   "-config", conf,	   "-modulepath",
				 mods,	     "-logfile",   log,	      "-nolisten", "tcp",
				 "-noreset", "-displayfd", fd,	      NULL};
		struct proc *p = add_proc(pe);
		if (!p || (xorg && xorg_seam_conf(b, tag, n, conf, sizeof(conf))) ||
		    proc_start(p, name, b->rundir, xorg ? xargv : argv, NULL, fds[1])) {
			close(fds[0]);
			close(fds[1]);
			proc_display_release(n);
			return -EIO;
		}
		close(fds[1]);
		/* Xvfb writes the number and the newline separately: read up to the newline, or
		 * it fails writing the rest into a closed pipe. */
		char buf[16] = "";
		size_t got = 0;
		int64_t until = mono_ns() + (int64_t)START_TIMEOUT_MS * 1000000;
		while (got < sizeof(buf) - 1 && !memchr(buf, '\n', got)) {
			int64_t left = (until - mono_ns()) / 1000000;
			struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
			int pr = left > 0 ? poll(&pfd, 1, (int)left) : 0;
			if (pr < 0 && errno == EINTR)
				continue;
			ssize_t r = pr == 1 ? read(fds[0], buf + got, sizeof(buf) - 1 - got) : -1;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		close(fds[0]);
		if (memchr(buf, '\n', got)) {
			pe->xsrv[pe->nxsrv++] = (int)(p - pe->procs);
			*dpy = n;
			return 0;
		}
		/* Someone else took the number between the check and the start: the next one. */
		proc_stop(p);
		pe->nprocs--;
		bench_debug("%s :%d did not start; trying another display", argv[0], n);
	}
	return -EIO;
}

static int start_seam(struct bench *b, struct peer *pe, const char *bindir)
{
	char sock[128], chan[160], dpy[32], daemon[PATH_MAX + 32], agent[PATH_MAX + 32];
	snprintf(sock, sizeof(sock), "%s/%s-%s.sock", b->rundir, peer_label(pe->kind), pe->name);
	snprintf(chan, sizeof(chan), "unix:%s", sock);
	snprintf(daemon, sizeof(daemon), "%s/seam-gui-daemon", bindir);
	snprintf(agent, sizeof(agent), "%s/seam-gui-agent", bindir);
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", pe->host);
	char *dargv[] = {daemon,    "--name",	 pe->name,
			 "--label", "blue",	 "--channel",
			 chan,	    "--max-fps", (char *)b->o.max_fps,
			 NULL};
	if (!b->o.max_fps)
		dargv[7] = NULL;
	char drv[160];
	snprintf(drv, sizeof(drv), "%s/drv-%s-%s.sock", b->rundir, peer_label(pe->kind), pe->name);
	char *denv[] = {dpy, NULL};
	struct proc *d = add_proc(pe);
	char name[48];
	snprintf(name, sizeof(name), "%s-%s-daemon", peer_label(pe->kind), pe->name);
	if (!d || proc_start(d, name, b->rundir, dargv, denv, -1))
		return -EIO;
	pe->fwd[pe->nfwd++] = (int)(d - pe->procs);
	struct stat st;
	for (int i = 0; i < START_TIMEOUT_MS / 10 && stat(sock, &st); i++) {
		if (!proc_alive(d))
			return -ECHILD;
		bench_sleep_ms(10);
	}
	char gdpy[32];
	snprintf(gdpy, sizeof(gdpy), "DISPLAY=%s", pe->guest);
	/* seam-drv: the socket of its Xorg's driver. Without XDG_RUNTIME_DIR, the others have no
	 * default socket (and seam-b may be a build without the option). */
	char *aargv[] = {agent, "--channel", chan, "--driver-socket", drv, NULL};
	if (pe->kind != PEER_SEAM_DRV)
		aargv[3] = NULL;
	char *aenv[] = {gdpy, NULL};
	struct proc *a = add_proc(pe);
	snprintf(name, sizeof(name), "%s-%s-agent", peer_label(pe->kind), pe->name);
	if (!a || proc_start(a, name, b->rundir, aargv, aenv, -1))
		return -EIO;
	pe->fwd[pe->nfwd++] = (int)(a - pe->procs);
	snprintf(pe->title_pre, sizeof(pe->title_pre), "[%s] ", pe->name);
	/* The agent is the guest's window manager once it has announced itself on the root. */
	xcb_connection_t *c;
	xcb_screen_t *screen;
	if (xconn_open(pe->guest, 1, &c, &screen, NULL, 0))
		return -EIO;
	xcb_window_t root = screen->root;
	xcb_atom_t check = xconn_intern(c, "_NET_SUPPORTING_WM_CHECK");
	int rc = -ETIMEDOUT;
	for (int i = 0; i < START_TIMEOUT_MS / 20 && rc; i++) {
		xcb_get_property_reply_t *r = xcb_get_property_reply(
		    c, xcb_get_property(c, 0, root, check, XCB_ATOM_WINDOW, 0, 1), NULL);
		if (r && xcb_get_property_value_length(r) > 0)
			rc = 0;
		free(r);
		if (rc && !proc_alive(a)) {
			rc = -ECHILD;
			break;
		}
		if (rc)
			bench_sleep_ms(20);
	}
	xcb_disconnect(c);
	return rc;
}

/* xpra's options for a local session with nothing but windows: its fastest settings (memory
 * mapped pixels, raw rgb, speed 100, no compression, no bandwidth limits) and none of the
 * services that would wake it for other work. */
#define XPRA_COMMON                                                                                \
	"--mdns=no", "--pulseaudio=no", "--notifications=no", "--dbus-proxy=no", "--clipboard=no", \
	    "--speaker=off", "--microphone=off", "--webcam=no", "--printing=no",                   \
	    "--file-transfer=no", "--av-sync=no", "--system-tray=no", "--mmap=yes",                \
	    "--encoding=rgb", "--speed=100", "--min-speed=100", "--compression_level=0",           \
	    "--bandwidth-limit=0", "--bandwidth-detection=no", "--video-scaling=0",                \
	    "--auto-refresh-delay=0"

static int start_xpra(struct bench *b, struct peer *pe)
{
	char sock[128], bind[160], sockdirs[128], xdg[128], xdgenv[160], dpy[32], log[PATH_MAX];
	snprintf(sock, sizeof(sock), "%s/xpra-%s.sock", b->rundir, pe->name);
	snprintf(bind, sizeof(bind), "--bind=%s", sock);
	snprintf(sockdirs, sizeof(sockdirs), "--socket-dirs=%s", b->rundir);
	/* xpra puts its mmap file under $XDG_RUNTIME_DIR/xpra. */
	snprintf(xdg, sizeof(xdg), "%s/xdg", b->rundir);
	mkdir(xdg, 0700);
	snprintf(xdgenv, sizeof(xdgenv), "XDG_RUNTIME_DIR=%s", xdg);
	/* Debian's /etc/xpra starts "/etc/X11/Xsession true" in the session, which shows an
	 * xmessage window in the middle of the screen; a configuration directory read after
	 * /etc/xpra replaces that (the command line can only add to the list). */
	char conf[160], confenv[192];
	snprintf(conf, sizeof(conf), "%s/xpraconf", b->rundir);
	snprintf(confenv, sizeof(confenv), "XDG_CONFIG_DIRS=%s", conf);
	mkdir(conf, 0700);
	strncat(conf, "/xpra", sizeof(conf) - strlen(conf) - 1);
	mkdir(conf, 0700);
	strncat(conf, "/xpra.conf", sizeof(conf) - strlen(conf) - 1);
	FILE *cf = fopen(conf, "we");
	if (cf) {
		fputs("start = /bin/true\n", cf);
		fclose(cf);
	}
	char *senv[] = {SYSTEM_PATH, xdgenv, confenv, NULL};
	char *sargv[] = {"xpra",
			 "start",
			 pe->guest,
			 "--use-display=yes",
			 "--daemon=no",
			 bind,
			 sockdirs,
			 "--dbus-launch=",
			 "--dbus-control=no",
			 "--systemd-run=no",
			 "--html=off",
			 "--xsettings=no",
			 "--start-new-commands=no",
			 "--exit-with-client=no",
			 XPRA_COMMON,
			 NULL};
	struct proc *s = add_proc(pe);
	char name[48];
	snprintf(name, sizeof(name), "xpra-%s-server", pe->name);
	snprintf(log, sizeof(log), "%s/%s.log", b->rundir, name);
	if (!s || proc_start(s, name, b->rundir, sargv, senv, -1))
		return -EIO;
	pe->fwd[pe->nfwd++] = (int)(s - pe->procs);
	int rc = wait_log(s, log, "xpra is ready", START_TIMEOUT_MS);
	if (rc) {
		bench_note("the xpra server did not start (%s); see %s", strerror(-rc), log);
		return rc;
	}
	char target[160];
	snprintf(target, sizeof(target), "socket://%s", sock);
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", pe->host);
	char *cenv[] = {SYSTEM_PATH, xdgenv, dpy, NULL};
	char *cargv[] = {"xpra",
			 "attach",
			 target,
			 "--title=@title@",
			 "--opengl=no",
			 "--tray=no",
			 "--dbus-proxy=no",
			 XPRA_COMMON,
			 NULL};
	struct proc *c = add_proc(pe);
	snprintf(name, sizeof(name), "xpra-%s-client", pe->name);
	snprintf(log, sizeof(log), "%s/%s.log", b->rundir, name);
	if (!c || proc_start(c, name, b->rundir, cargv, cenv, -1))
		return -EIO;
	pe->fwd[pe->nfwd++] = (int)(c - pe->procs);
	rc = wait_log(c, log, "Attached to", START_TIMEOUT_MS);
	if (rc)
		bench_note("the xpra client did not attach (%s); see %s", strerror(-rc), log);
	else if (!file_has(log, "enabled fast mmap"))
		bench_note("xpra did not enable mmap: its figures are for the socket path (see %s)",
			   log);
	return rc;
}

static int start_nxagent(struct bench *b, struct peer *pe)
{
	int n = proc_display_reserve(b->o.first_display, b->o.last_display);
	if (n < 0)
		return -EBUSY;
	pe->guest_display = n;
	snprintf(pe->guest, sizeof(pe->guest), ":%d", n);
	char dpy[32], name[48];
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", pe->host);
	char *env[] = {dpy, NULL};
	char *argv[] = {"nxagent", "-R", "-norootlessexit", "-nolisten", "tcp", "-nomagicpixel",
			pe->guest, NULL};
	struct proc *p = add_proc(pe);
	snprintf(name, sizeof(name), "nxagent-%s-nxagent%d", pe->name, n);
	if (!p || proc_start(p, name, b->rundir, argv, env, -1))
		return -EIO;
	pe->fwd[pe->nfwd++] = (int)(p - pe->procs);
	return wait_connectable(p, pe->guest, START_TIMEOUT_MS);
}

int peer_start(struct bench *b, struct peer *pe, enum peer_kind k, const char *name,
	       const char *host)
{
	*pe = (struct peer){.kind = k, .host_display = -1, .guest_display = -1};
	snprintf(pe->name, sizeof(pe->name), "%s", name);
	char tag[48];
	snprintf(tag, sizeof(tag), "%s-%s", peer_label(k), name);
	int rc = 0;
	if (host) {
		snprintf(pe->host, sizeof(pe->host), "%s", host);
	} else {
		int n;
		if ((rc = start_xserver(b, pe, tag, false, &n)))
			return rc;
		pe->host_display = n;
		pe->own_host = true;
		snprintf(pe->host, sizeof(pe->host), ":%d", n);
	}
	bool given_guest = k == PEER_SEAM && b->o.guest && strcmp(name, "bench") == 0;
	if (k == PEER_SEAM || k == PEER_SEAM_B || k == PEER_SEAM_DRV || k == PEER_XPRA) {
		if (given_guest) {
			snprintf(pe->guest, sizeof(pe->guest), "%s", b->o.guest);
		} else {
			int n;
			if ((rc = start_xserver(b, pe, tag, k == PEER_SEAM_DRV, &n)))
				return rc;
			pe->guest_display = n;
			snprintf(pe->guest, sizeof(pe->guest), ":%d", n);
		}
	}
	switch (k) {
	case PEER_FLOOR:
		snprintf(pe->guest, sizeof(pe->guest), "%s", pe->host);
		break;
	case PEER_SEAM:
		rc = start_seam(b, pe, b->bindir);
		break;
	case PEER_SEAM_B:
		rc = start_seam(b, pe, b->o.compare);
		break;
	case PEER_SEAM_DRV:
		rc = start_seam(b, pe, b->bindir);
		break;
	case PEER_XPRA:
		rc = start_xpra(b, pe);
		break;
	case PEER_NXAGENT:
		rc = start_nxagent(b, pe);
		break;
	default:
		rc = -EINVAL;
	}
	bench_debug("%s (%s): host %s, guest %s: %s", peer_label(k), name, pe->host, pe->guest,
		    rc ? strerror(-rc) : "running");
	return rc;
}

void peer_stop(struct peer *pe)
{
	while (pe->nprocs)
		proc_stop(&pe->procs[--pe->nprocs]);
	proc_display_release(pe->host_display);
	proc_display_release(pe->guest_display);
	pe->host_display = pe->guest_display = -1;
}

void peer_usage(const struct peer *pe, bool fwd, struct proc_usage *u)
{
	*u = (struct proc_usage){0};
	const int *idx = fwd ? pe->fwd : pe->xsrv;
	unsigned n = fwd ? pe->nfwd : pe->nxsrv;
	for (unsigned i = 0; i < n; i++) {
		struct proc_usage one;
		if (pe->procs[idx[i]].pid > 0 && proc_usage(pe->procs[idx[i]].pid, &one) == 0) {
			u->cpu_ns += one.cpu_ns;
			u->switches += one.switches;
		}
	}
}

void peer_host_title(const struct peer *pe, const char *title, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s", pe->title_pre, title, pe->title_post);
}
