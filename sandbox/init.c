/* seam-run --sandbox-init: PID 1 of a domain. Starts the guest X server, the agent, the domain's
 * session bus (and the audio side), then runs the commands the owner sends, reports their ends and
 * the guest's window count, and on STOP (or when the owner goes away) ends every process of the
 * domain. It trusts the owner; the owner trusts nothing it says. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/bwrap.h"
#include "sandbox/init.h"
#include "sandbox/msg.h"
#include "sandbox/proc.h"
#include "sandbox/winwatch.h"

/* Commands running at once in one domain. */
#define INIT_MAX_COMMANDS 256
/* How long the guest X server may take to start (it compiles a keymap on a loaded machine). */
#define XVFB_START_MS 10000
/* The domain's resizable X server: the real Xorg binary (Debian's /usr/bin/Xorg is a wrapper that
 * refuses users off the console) with a video driver that needs no hardware: Seam's seam_drv when
 * the owner showed one at BWRAP_XORG_DRIVER (window pixmaps in memfds, no copy in the domain),
 * else Xorg's dummy driver. */
#define XORG_BIN	    "/usr/lib/xorg/Xorg"
#define XORG_DUMMY	    "dummy"
#define XORG_DUMMY_FILE	    "/usr/lib/xorg/modules/drivers/" XORG_DUMMY "_drv.so"
#define XORG_SEAM	    "seam"
#define XORG_SYSTEM_MODULES "/usr/lib/xorg/modules"
/* The frame buffer's bound in KiB: room for the largest host screen (the agent fits the host's
 * layout to the server's RandR range). The driver allocates what the screen needs, not this. */
#define XORG_VIDEO_RAM_KB 256000
/* How long the agent may take to take over the guest screen as its window manager. */
#define AGENT_WM_MS 5000
/* How long the domain's PulseAudio may take to open its socket. */
#define PULSE_START_MS 3000
/* How long the domain's D-Bus session bus may take to listen. */
#define BUS_START_MS 3000
/* SIGTERM first, then this long before SIGKILL: inside the owner's own one-second budget. */
#define STOP_GRACE_MS 300
/* An agent that keeps dying is not restarted past this. */
#define AGENT_MAX_RESTARTS 5

struct command {
	uint32_t id;
	pid_t pid;
};

struct init {
	const struct run_opts *o;
	int ctl;
	int sigfd;
	pid_t xserver, agent, pulse, audio_agent, bus;
	int agent_restarts;
	struct winwatch *ww;
	int windows;
	struct command cmds[INIT_MAX_COMMANDS];
	int ncmds;
	char display[16];
	const char *xorg_driver; /* XORG_SEAM or XORG_DUMMY, once Xorg is tried */
	bool stopping;
	/* Scratch space of the loop, too large for the stack: the message being handled and a
	 * command's argv (pointers into it). */
	struct msg msg;
	char *argv[MSG_MAX_ARGS];
};

static void say(const struct init *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct init *in, const char *fmt, ...)
{
	if (!in->o->verbose)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seam-run[init]: %s\n", line);
}

/* PATH below the domain's runtime directory (a 0700 directory of its own /run). */
static void runtime_path(char *buf, size_t size, const char *name)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	snprintf(buf, size, "%s/%s", rt ? rt : "/tmp", name);
}

/* Reads fd until a whole line came, within ms: the line without its newline in buf. Returns
 * whether it came. */
static bool read_line(int fd, char *buf, size_t size, int ms)
{
	size_t got = 0;
	buf[0] = '\0';
	int64_t end = mono_ms() + ms;
	while (got < size - 1 && !memchr(buf, '\n', got)) {
		struct pollfd pfd = {fd, POLLIN, 0};
		int64_t left = end - mono_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		ssize_t n = read(fd, buf + got, size - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
	}
	char *nl = memchr(buf, '\n', got);
	if (nl)
		*nl = '\0';
	return nl != NULL;
}

/* Starts a server of the domain that writes one line on its descriptor 3 once it serves (so
 * nothing polls), with its stderr shown only at -vv, and waits up to ms for that line (in line,
 * without its newline). Returns 0, -ETIMEDOUT when the line did not come, or -errno from the
 * start (-ENOENT: not installed). */
static int spawn_until_ready(struct init *in, char **argv, pid_t *pid, char *line, size_t size,
			     int ms)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	struct proc_spec s = {.path = argv[0],
			      .argv = argv,
			      .fd_from = {-1, -1, in->o->verbose >= 2 ? 2 : -1, p[1]},
			      .fd_to = {0, 1, 2, 3},
			      .nfds = 4};
	int rc = proc_spawn(&s, pid);
	close(p[1]);
	if (!rc && !read_line(p[0], line, size, ms))
		rc = -ETIMEDOUT;
	close(p[0]);
	return rc;
}

/* Xorg's configuration for the domain: no input devices of the system's (the agent injects
 * input through XTest), the driver, and a first screen of WxH that RandR can change. The first
 * size needs a mode of exactly WxH (at 60 Hz, blanking of the least), a monitor that accepts it and
 * a clock bound above it: without them the server starts at its largest built-in mode that fits.
 * Written whole from a fixed-size buffer; the server reads nothing else from the domain. */
static int write_xorg_conf(const char *path, const char *driver, unsigned w, unsigned h)
{
	char text[2048];
	/* The pixel clock in units of 10 kHz. */
	unsigned long long clock = (w + 32ULL) * (h + 4ULL) * 60 / 10000;
	int n = snprintf(text, sizeof(text),
			 "Section \"ServerFlags\"\n"
			 "\tOption \"AutoAddDevices\" \"false\"\n"
			 "\tOption \"AutoEnableDevices\" \"false\"\n"
			 "\tOption \"DontVTSwitch\" \"true\"\n"
			 "EndSection\n"
			 "Section \"Device\"\n"
			 "\tIdentifier \"seam\"\n"
			 "\tDriver \"%s\"\n"
			 "\tVideoRam %u\n"
			 "\tDacSpeed %llu\n"
			 "EndSection\n"
			 "Section \"Monitor\"\n"
			 "\tIdentifier \"seam\"\n"
			 "\tHorizSync 1.0 - 2000.0\n"
			 "\tVertRefresh 1.0 - 200.0\n"
			 "\tModeline \"%ux%u\" %llu.%02llu %u %u %u %u %u %u %u %u\n"
			 "EndSection\n"
			 "Section \"Screen\"\n"
			 "\tIdentifier \"seam\"\n"
			 "\tDevice \"seam\"\n"
			 "\tMonitor \"seam\"\n"
			 "\tDefaultDepth 24\n"
			 "\tSubSection \"Display\"\n"
			 "\t\tDepth 24\n"
			 "\t\tModes \"%ux%u\"\n"
			 "\t\tVirtual %u %u\n"
			 "\tEndSubSection\n"
			 "EndSection\n",
			 driver, XORG_VIDEO_RAM_KB, clock / 100 + 1, w, h, clock / 100, clock % 100,
			 w, w + 8, w + 16, w + 32, h, h + 1, h + 2, h + 4, w, h, w, h);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -EOVERFLOW;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int rc = write(fd, text, (size_t)n) == n ? 0 : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* Xorg with the driver, its configuration and log in the domain's runtime directory, an empty
 * configuration directory (the system's snippets are for the host's hardware). Returns as
 * spawn_until_ready; -ENOENT when the server or the driver is not installed. */
static int start_xorg(struct init *in, char *line, size_t size)
{
	bool seam = !access(BWRAP_XORG_DRIVER, R_OK);
	in->xorg_driver = seam ? XORG_SEAM : XORG_DUMMY;
	if (access(XORG_BIN, X_OK) || (!seam && access(XORG_DUMMY_FILE, R_OK)))
		return -ENOENT;
	char conf[256], confdir[256], log[256];
	runtime_path(conf, sizeof(conf), "xorg.conf");
	runtime_path(confdir, sizeof(confdir), "xorg.conf.d");
	runtime_path(log, sizeof(log), "Xorg.log");
	if (mkdir(confdir, 0700) && errno != EEXIST)
		return -errno;
	int rc = write_xorg_conf(conf, in->xorg_driver, in->o->width, in->o->height);
	if (rc)
		return rc;
	/* seam_drv's socket goes to $XDG_RUNTIME_DIR/seam-drv-N, where the agent looks. */
	char *argv[16] = {XORG_BIN, "-config",	 conf,	"-configdir", confdir,	    "-logfile",
			  log,	    "-nolisten", "tcp", "-noreset",   "-displayfd", "3"};
	if (seam) {
		argv[12] = "-modulepath";
		argv[13] = BWRAP_XORG_MODULES "," XORG_SYSTEM_MODULES;
	}
	rc = spawn_until_ready(in, argv, &in->xserver, line, size, XVFB_START_MS);
	if (rc && in->xserver > 0) {
		kill(in->xserver, SIGKILL);
		waitpid(in->xserver, NULL, 0);
		in->xserver = 0;
	}
	return rc;
}

static int start_xvfb(struct init *in, char *line, size_t size)
{
	char screen[32];
	snprintf(screen, sizeof(screen), "%ux%ux24", in->o->width, in->o->height);
	char *argv[] = {"Xvfb", "-screen",  "0",	  screen, "-nolisten",
			"tcp",	"-noreset", "-displayfd", "3",	  NULL};
	return spawn_until_ready(in, argv, &in->xserver, line, size, XVFB_START_MS);
}

/* The domain's X server: Xorg with the driver above, which RandR resizes when the host's screen
 * changes; else (not installed, or it did not start) Xvfb, which cannot grow past its first
 * size. */
static int start_x(struct init *in)
{
	/* An X server that is not root leaves the socket directory to someone else and listens on
	 * the abstract socket alone; clients that know only the path want the directory. */
	if (mkdir("/tmp/.X11-unix", 01777) == 0)
		chmod("/tmp/.X11-unix", 01777);
	char buf[16];
	/* -displayfd: the server picks a free number (0 in a fresh /tmp) and writes it when it
	 * accepts clients. */
	int rc = start_xorg(in, buf, sizeof(buf));
	bool xorg = true;
	if (rc) {
		if (rc == -ENOENT)
			say(in,
			    "no %s or no %s: the domain's X server is Xvfb (apt-get install "
			    "xserver-xorg-core xserver-xorg-video-dummy)",
			    XORG_BIN, XORG_DUMMY_FILE);
		else
			fprintf(stderr,
				"seam-run: the domain's Xorg did not start (%s): using Xvfb\n",
				rc == -ETIMEDOUT ? "no display in time" : strerror(-rc));
		xorg = false;
		rc = start_xvfb(in, buf, sizeof(buf));
	}
	if (rc == -ETIMEDOUT) {
		fprintf(stderr, "seam-run: the domain's Xvfb did not start\n");
		return -EIO;
	}
	if (rc) {
		fprintf(stderr, "seam-run: cannot start Xvfb in the domain: %s\n", strerror(-rc));
		return rc;
	}
	snprintf(in->display, sizeof(in->display), ":%d", atoi(buf));
	if (xorg)
		say(in, "Xorg (%s driver) on %s (%ux%u; it follows the host's screen)",
		    in->xorg_driver, in->display, in->o->width, in->o->height);
	else
		say(in, "Xvfb on %s (%ux%u; Xvfb cannot follow later changes of the host's screen)",
		    in->display, in->o->width, in->o->height);
	setenv("DISPLAY", in->display, 1);
	return 0;
}

static int start_agent(struct init *in)
{
	/* The domain's notifications: the daemon decides whether it takes them (seam-run
	 * --no-notifications), and the agent claims the name only if it does. */
	char *argv[] = {"seam-gui-agent",
			"--channel",
			"unix:" BWRAP_CHAN_DIR "/gui.sock",
			"--notifications",
			in->o->verbose >= 2 ? "-v" : NULL,
			NULL};
	struct proc_spec s = {.path = BWRAP_BIN_DIR "/seam-gui-agent",
			      .argv = argv,
			      .fd_from = {-1, -1, 2},
			      .fd_to = {0, 1, 2},
			      .nfds = 3};
	int rc = proc_spawn(&s, &in->agent);
	if (rc)
		fprintf(stderr, "seam-run: cannot start seam-gui-agent in the domain: %s\n",
			strerror(-rc));
	return rc;
}

/* A PulseAudio server of the domain's own, and the audio agent feeding it to the host. */
static int start_audio(struct init *in)
{
	char dir[256], pa[320], sock[300], conf[] = "/tmp/seam-audio.pa";
	runtime_path(dir, sizeof(dir), "pulse");
	mkdir(dir, 0700);
	snprintf(sock, sizeof(sock), "%s/native", dir);
	FILE *f = fopen(conf, "we");
	if (!f)
		return -errno;
	fprintf(f, "load-module module-native-protocol-unix socket=%s auth-anonymous=1\n", sock);
	fclose(f);
	snprintf(pa, sizeof(pa), "unix:%s", sock);
	setenv("PULSE_SERVER", pa, 1);
	char *pargv[] = {"pulseaudio",
			 "-n",
			 "--daemonize=no",
			 "--exit-idle-time=-1",
			 "--use-pid-file=no",
			 "--system=false",
			 "--disallow-exit",
			 "-F",
			 conf,
			 NULL};
	struct proc_spec s = {.path = "pulseaudio",
			      .argv = pargv,
			      .fd_from = {-1, -1, in->o->verbose >= 2 ? 2 : -1},
			      .fd_to = {0, 1, 2},
			      .nfds = 3};
	int rc = proc_spawn(&s, &in->pulse);
	if (rc) {
		fprintf(stderr, "seam-run: cannot start pulseaudio in the domain: %s\n",
			strerror(-rc));
		return rc;
	}
	/* The agent and the first command find the server from the start. */
	struct stat st;
	int64_t end = mono_ms() + PULSE_START_MS;
	while (stat(sock, &st) && mono_ms() < end)
		usleep(10000);
	char *aargv[] = {"seam-audio-agent", "--channel", "unix:" BWRAP_CHAN_DIR "/audio.sock",
			 in->o->verbose >= 2 ? "-v" : NULL, NULL};
	s.path = BWRAP_BIN_DIR "/seam-audio-agent";
	s.argv = aargv;
	s.fd_from[2] = 2;
	rc = proc_spawn(&s, &in->audio_agent);
	if (rc)
		fprintf(stderr, "seam-run: cannot start seam-audio-agent in the domain: %s\n",
			strerror(-rc));
	return rc;
}

/* The domain's own D-Bus session bus, so that GSettings (dconf) and applications that need a bus
 * work, and never reach the host's. It listens where libraries look first without a variable,
 * $XDG_RUNTIME_DIR/bus, under the system's session configuration (its service directories:
 * dconf-service and the like are activated inside), with the listening address replaced, so that
 * nothing listens on TCP whatever a local configuration says. Started once DISPLAY (and
 * PULSE_SERVER) are set: the services it activates inherit them. A domain without a bus still
 * runs. */
static void start_bus(struct init *in)
{
	char sock[300], address[320], line[512];
	runtime_path(sock, sizeof(sock), "bus");
	snprintf(address, sizeof(address), "--address=unix:path=%s", sock);
	char *argv[] = {"dbus-daemon", "--session",	    address, "--nofork", "--nopidfile",
			"--nosyslog",  "--print-address=3", NULL};
	int rc = spawn_until_ready(in, argv, &in->bus, line, sizeof(line), BUS_START_MS);
	if (rc == -ENOENT)
		fprintf(stderr, "seam-run: no session bus in the domain: dbus-daemon is not "
				"installed (apt-get install dbus-daemon)\n");
	else if (rc == -ETIMEDOUT)
		fprintf(stderr, "seam-run: the domain's session bus did not start\n");
	else if (rc)
		fprintf(stderr, "seam-run: no session bus in the domain: %s\n", strerror(-rc));
	else if (setenv("DBUS_SESSION_BUS_ADDRESS", line, 1) == 0)
		say(in, "session bus on %s", line);
}

static int watch_windows(struct init *in)
{
	char why[256];
	int rc = winwatch_open(in->display, &in->ww, why, sizeof(why));
	if (rc)
		fprintf(stderr, "seam-run: cannot watch the domain's windows: %s\n", why);
	return rc;
}

/* Waits until the agent manages the guest screen, so the first command's windows are managed
 * from their first map. A slow agent only delays; the command runs anyway. */
static void wait_for_wm(struct init *in)
{
	int64_t end = mono_ms() + AGENT_WM_MS;
	while (!winwatch_wm_ready(in->ww)) {
		int64_t left = end - mono_ms();
		struct pollfd pfd = {winwatch_fd(in->ww), POLLIN, 0};
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
			fprintf(stderr,
				"seam-run: the agent did not take the guest screen in time\n");
			return;
		}
		if (winwatch_dispatch(in->ww) < 0)
			return;
	}
	say(in, "the agent manages %s", in->display);
}

static void spawn(struct init *in, struct msg *m)
{
	char **argv = in->argv;
	const char *cwd;
	if (in->stopping || msg_spawn_parse(m, &cwd, argv)) {
		msg_close_fds(m);
		msg_send(in->ctl, MSG_FAILED, m->id, in->stopping ? ESHUTDOWN : EINVAL, NULL, 0,
			 NULL, 0);
		return;
	}
	if (in->ncmds == INIT_MAX_COMMANDS) {
		msg_close_fds(m);
		msg_send(in->ctl, MSG_FAILED, m->id, EAGAIN, NULL, 0, NULL, 0);
		return;
	}
	struct stat st;
	const char *home = getenv("HOME");
	if (stat(cwd, &st) || !S_ISDIR(st.st_mode))
		cwd = home ? home : "/";
	struct proc_spec s = {.path = argv[0],
			      .argv = argv,
			      .fd_from = {m->fds[0], m->fds[1], m->fds[2]},
			      .fd_to = {0, 1, 2},
			      .nfds = 3,
			      /* A process group of its own, so a signal reaches all of it. */
			      .new_session = true,
			      .cwd = cwd};
	pid_t pid;
	int rc = proc_spawn(&s, &pid);
	msg_close_fds(m);
	if (rc) {
		msg_send(in->ctl, MSG_FAILED, m->id, -rc, NULL, 0, NULL, 0);
		return;
	}
	in->cmds[in->ncmds++] = (struct command){m->id, pid};
	say(in, "command %u: %s (pid %d)", m->id, argv[0], (int)pid);
	msg_send(in->ctl, MSG_STARTED, m->id, pid, NULL, 0, NULL, 0);
}

static void signal_command(struct init *in, const struct msg *m)
{
	static const int allowed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGKILL};
	bool ok = false;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		ok |= m->value == allowed[i];
	for (int i = 0; ok && i < in->ncmds; i++)
		if (in->cmds[i].id == m->id)
			kill(-in->cmds[i].pid, m->value);
}

/* Reaps every child that ended. Returns false when the domain cannot go on (its X server died). */
static bool reap(struct init *in)
{
	bool alive = true;
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid <= 0)
			break;
		for (int i = 0; i < in->ncmds; i++)
			if (in->cmds[i].pid == pid) {
				msg_send(in->ctl, MSG_EXITED, in->cmds[i].id, proc_exit_code(st),
					 NULL, 0, NULL, 0);
				in->cmds[i] = in->cmds[--in->ncmds];
				break;
			}
		if (pid == in->xserver) {
			in->xserver = 0;
			if (!in->stopping)
				fprintf(stderr, "seam-run: the domain's X server ended\n");
			alive = false;
		} else if (pid == in->bus) {
			in->bus = 0;
			if (!in->stopping)
				fprintf(stderr,
					"seam-run: the domain's session bus ended (status %d)\n",
					proc_exit_code(st));
		} else if (pid == in->agent) {
			in->agent = 0;
			if (!in->stopping && in->agent_restarts++ < AGENT_MAX_RESTARTS) {
				fprintf(stderr,
					"seam-run: seam-gui-agent ended (status %d); "
					"restarting it\n",
					proc_exit_code(st));
				start_agent(in);
			}
		}
	}
	return alive;
}

/* Ends every process of the domain: SIGTERM, a short grace, SIGKILL. PID 1 sees all of them. */
static void stop_all(struct init *in)
{
	in->stopping = true;
	kill(-1, SIGTERM);
	int64_t end = mono_ms() + STOP_GRACE_MS;
	while (mono_ms() < end) {
		reap(in);
		siginfo_t si0;
		/* WNOWAIT: only ask whether children remain; reap() collects their statuses. */
		if (waitid(P_ALL, 0, &si0, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD)
			break;
		struct pollfd pfd = {in->sigfd, POLLIN, 0};
		poll(&pfd, 1, 10);
		struct signalfd_siginfo si;
		while (read(in->sigfd, &si, sizeof(si)) == sizeof(si))
			;
	}
	kill(-1, SIGKILL);
	reap(in);
	for (int i = 0; i < in->ncmds; i++)
		msg_send(in->ctl, MSG_EXITED, in->cmds[i].id, 128 + SIGKILL, NULL, 0, NULL, 0);
	in->ncmds = 0;
}

static void handle_ctl(struct init *in, bool *quit)
{
	struct msg *m = &in->msg;
	for (;;) {
		int rc = msg_recv(in->ctl, m, NULL, 0);
		if (rc == -EAGAIN)
			return;
		if (rc < 0) { /* the owner is gone, or garbled */
			*quit = true;
			return;
		}
		switch (m->type) {
		case MSG_SPAWN:
			spawn(in, m);
			break;
		case MSG_SIGNAL:
			signal_command(in, m);
			break;
		case MSG_STOP:
			*quit = true;
			return;
		default:
			break;
		}
	}
}

/* The domain's life once its X server, agent and audio are up: commands, signals, windows. */
static void run_loop(struct init *in)
{
	bool quit = false;
	while (!quit) {
		struct pollfd p[3] = {
		    {in->ctl, POLLIN, 0}, {in->sigfd, POLLIN, 0}, {winwatch_fd(in->ww), POLLIN, 0}};
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			struct signalfd_siginfo si;
			while (read(in->sigfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					quit = true;
			if (!reap(in))
				quit = true;
		}
		if (p[2].revents) {
			int n = winwatch_dispatch(in->ww);
			if (n < 0) {
				quit = true;
			} else if (n != in->windows) {
				in->windows = n;
				msg_send(in->ctl, MSG_WINDOWS, 0, n, NULL, 0, NULL, 0);
			}
		}
		if (p[0].revents)
			handle_ctl(in, &quit);
	}
}

int init_main(const struct run_opts *o)
{
	struct init *in = calloc(1, sizeof(*in));
	if (!in) {
		fprintf(stderr, "seam-run: out of memory\n");
		return 1;
	}
	in->o = o;
	in->ctl = BWRAP_INIT_FD;
	fcntl(in->ctl, F_SETFD, FD_CLOEXEC);
	/* bwrap already set it; repeated so that nothing here depends on how it was started. */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
	in->sigfd = proc_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), true);
	msg_send(in->ctl, MSG_UP, 0, 0, NULL, 0, NULL, 0);
	int code = 1;
	/* The bus before the agent, which serves the domain's notifications on it. */
	if (in->sigfd >= 0 && start_x(in) == 0 && watch_windows(in) == 0 &&
	    (!o->audio || start_audio(in) == 0) && (start_bus(in), start_agent(in) == 0)) {
		wait_for_wm(in);
		msg_send(in->ctl, MSG_READY, 0, 0, NULL, 0, NULL, 0);
		run_loop(in);
		say(in, "ending the domain");
		code = 0;
	}
	winwatch_close(in->ww);
	stop_all(in);
	free(in);
	return code;
}
