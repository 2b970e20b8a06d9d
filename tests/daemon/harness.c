/* The daemon test harness (tests/daemon/harness.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/xconn.h"
#include "common/mono.h"
#include "tests/daemon/harness.h"

/* Xvfb's start-up on a loaded machine: well under this. */
#define XVFB_START_MS 20000
/* Turns a daemon gets to notice an agent arriving or leaving. */
#define HARNESS_TURNS	200
#define HARNESS_TURN_MS 10

static int say(const char *what)
{
	fprintf(stderr, "harness: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
	return -1;
}

pid_t harness_xvfb_start(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return say("pipe");
	pid_t pid = fork();
	if (pid < 0)
		return say("fork");
	if (pid == 0) {
		/* It goes when the test goes, and keeps none of its output channels. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		int fd = dup(p[1]); /* without O_CLOEXEC: Xvfb writes its display number there */
		char fdarg[16], size[32];
		snprintf(fdarg, sizeof(fdarg), "%d", fd);
		snprintf(size, sizeof(size), "%ux%ux24", HARNESS_SCREEN_W, HARNESS_SCREEN_H);
		execlp("Xvfb", "Xvfb", "-displayfd", fdarg, "-screen", "0", size, "-nolisten",
		       "tcp", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char num[16] = "";
	size_t n = 0;
	struct pollfd pfd = {.fd = p[0], .events = POLLIN};
	while (n < sizeof(num) - 1 && poll(&pfd, 1, XVFB_START_MS) == 1) {
		ssize_t r = read(p[0], num + n, sizeof(num) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		num[n] = '\0';
		if (strchr(num, '\n'))
			break;
	}
	close(p[0]);
	if (!strchr(num, '\n')) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = 0;
		return say("Xvfb did not start (is it installed?)");
	}
	char display[20];
	snprintf(display, sizeof(display), ":%d", atoi(num));
	setenv("DISPLAY", display, 1);
	return pid;
}

void harness_xvfb_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void add_arg(struct harness *h, int *argc, const char *arg)
{
	if (*argc >= HARNESS_ARGS)
		abort(); /* a test passed more options than the harness holds */
	snprintf(h->args[*argc], sizeof(h->args[0]), "%s", arg);
	h->argv[*argc] = h->args[*argc];
	(*argc)++;
	h->argv[*argc] = NULL;
}

int harness_start(struct harness *h, const char *name, const char *const *extra)
{
	memset(h, 0, sizeof(*h));
	h->agent = -1;
	snprintf(h->dir, sizeof(h->dir), "/tmp/seam-daemon-test-XXXXXX");
	if (!mkdtemp(h->dir))
		return say("mkdtemp");
	char channel[128], run[96];
	snprintf(channel, sizeof(channel), "unix:%s/sock", h->dir);
	snprintf(run, sizeof(run), "%s/run", h->dir);
	int argc = 0;
	const char *base[] = {
	    "seam-gui-daemon", "--name",	name, "--label",  "purple",   "--channel",
	    channel,	       "--runtime-dir", run,  "--config", "/dev/null"};
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		add_arg(h, &argc, base[i]);
	for (; extra && *extra; extra++)
		add_arg(h, &argc, *extra);
	if (options_parse(argc, h->argv, &h->opts) != 0)
		return say("options refused");
	char why[256];
	xcb_screen_t *screen;
	if (xconn_open(NULL, 3, &h->x, &screen, why, sizeof(why))) {
		errno = 0;
		return say(why);
	}
	if (daemon_create(&h->opts, h->x, screen, &h->d, why, sizeof(why))) {
		errno = 0;
		return say(why);
	}
	h->buf = malloc(PROTO_HDR_SIZE + PROTO_MAX_BODY_LEN);
	return h->buf ? 0 : say("malloc");
}

/* Exactly n bytes from the agent's socket, running the daemon meanwhile. 0 or -1. */
static int agent_read(struct harness *h, void *buf, size_t n, int timeout_ms)
{
	size_t got = 0;
	for (int waited = 0; got < n; waited += HARNESS_TURN_MS) {
		if (daemon_turn(h->d, -1, 0) < 0)
			return -1;
		ssize_t r = recv(h->agent, (uint8_t *)buf + got, n - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR) || waited >= timeout_ms)
			return -1;
		struct pollfd pfd = {.fd = h->agent, .events = POLLIN};
		poll(&pfd, 1, HARNESS_TURN_MS);
	}
	return 0;
}

int harness_connect(struct harness *h)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", h->dir);
	h->agent = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->agent < 0 || connect(h->agent, (struct sockaddr *)&sa, sizeof(sa)))
		return say("connect to the daemon");
	uint32_t version = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf xconf;
	if (send(h->agent, &version, sizeof(version), MSG_NOSIGNAL) != sizeof(version) ||
	    agent_read(h, &answer, sizeof(answer), 5000) ||
	    agent_read(h, &xconf, sizeof(xconf), 5000) || answer != PROTO_VERSION_CURRENT) {
		errno = 0;
		return say("no handshake from the daemon");
	}
	h->peer = (struct proto_peer){.version = answer, .seam_hello_sent = true};
	struct proto_msg hello;
	if (harness_recv(h, &hello, 5000) != 1 || hello.type != PROTO_MSG_SEAM_HELLO) {
		errno = 0;
		return say("no SEAM_HELLO from the daemon");
	}
	h->peer.seam = true;
	h->peer.seam_features = hello.u.hello.features;
	struct proto_msg reply = {.type = PROTO_MSG_SEAM_HELLO};
	reply.u.hello = hello.u.hello;
	harness_send(h, &reply, NULL, 0);
	return 0;
}

void harness_send(struct harness *h, const struct proto_msg *m, int *fds, unsigned nfds)
{
	size_t len = proto_encoded_len(m);
	uint8_t *buf = malloc(len);
	if (!buf || proto_encode(m, buf, len) != len)
		abort(); /* a test built a message the protocol cannot encode */
	struct proto_hdr hdr;
	proto_hdr_decode(buf, &hdr);
	conn_handle(daemon_conn(h->d), &hdr, buf + PROTO_HDR_SIZE, fds, nfds);
	free(buf);
}

int harness_recv(struct harness *h, struct proto_msg *m, int timeout_ms)
{
	uint8_t *hb = h->buf;
	/* Wait for a header without reading part of one. */
	for (int waited = 0;; waited += HARNESS_TURN_MS) {
		if (daemon_turn(h->d, -1, 0) < 0)
			return -1;
		ssize_t r = recv(h->agent, hb, PROTO_HDR_SIZE, MSG_DONTWAIT | MSG_PEEK);
		if (r == PROTO_HDR_SIZE)
			break;
		if (r == 0)
			return -1;
		if (waited >= timeout_ms)
			return 0;
		struct pollfd pfd = {.fd = h->agent, .events = POLLIN};
		poll(&pfd, 1, HARNESS_TURN_MS);
	}
	struct proto_hdr hdr;
	uint32_t body_len;
	struct proto_error err;
	if (agent_read(h, hb, PROTO_HDR_SIZE, timeout_ms))
		return -1;
	proto_hdr_decode(hb, &hdr);
	if (proto_check_header(&h->peer, PROTO_FROM_DAEMON, &hdr, &body_len, &err) != PROTO_OK ||
	    agent_read(h, hb + PROTO_HDR_SIZE, body_len, timeout_ms) ||
	    proto_decode(&h->peer, PROTO_FROM_DAEMON, &hdr, hb + PROTO_HDR_SIZE, body_len, 0, m,
			 &err) != PROTO_OK) {
		errno = 0;
		say("the daemon sent a message the agent cannot take");
		return -1;
	}
	return 1;
}

int harness_expect(struct harness *h, uint32_t type, uint32_t window, struct proto_msg *m,
		   int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += HARNESS_TURN_MS) {
		int r = harness_recv(h, m, HARNESS_TURN_MS);
		if (r < 0)
			return -1;
		if (r == 1 && m->type == type && (!window || m->window == window))
			return 1;
	}
	return 0;
}

void harness_create(struct harness *h, uint32_t id, int32_t x, int32_t y, uint32_t width,
		    uint32_t height, bool override_redirect)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
	m.u.create = (struct proto_create){x, y, width, height, 0, override_redirect};
	harness_send(h, &m, NULL, 0);
}

void harness_run_for(struct harness *h, int ms)
{
	xcb_flush(h->x);
	int64_t end = mono_ms() + ms;
	for (int64_t now = mono_ms(); now < end; now = mono_ms())
		daemon_turn(h->d, -1, (int)(end - now));
}

void harness_map(struct harness *h, uint32_t id)
{
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = id};
	/* As an agent does: MAP repeats the window's override_redirect (which MAP may change). */
	const struct window *w = window_find(daemon_windows(h->d), id);
	m.u.map.override_redirect = w && window_override_redirect(w);
	harness_send(h, &m, NULL, 0);
}

void harness_map_override_redirect(struct harness *h, uint32_t id)
{
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = id};
	m.u.map.override_redirect = 1;
	harness_send(h, &m, NULL, 0);
}

void harness_configure(struct harness *h, uint32_t id, int32_t x, int32_t y, uint32_t width,
		       uint32_t height)
{
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = id};
	m.u.configure = (struct proto_configure){x, y, width, height, 0};
	harness_send(h, &m, NULL, 0);
}

void harness_destroy(struct harness *h, uint32_t id)
{
	struct proto_msg m = {.type = PROTO_MSG_DESTROY, .window = id};
	harness_send(h, &m, NULL, 0);
}

int harness_disconnect(struct harness *h)
{
	if (h->agent >= 0)
		close(h->agent);
	h->agent = -1;
	struct session *s = daemon_session(h->d);
	for (int i = 0; i < HARNESS_TURNS && session_running(s); i++)
		if (daemon_turn(h->d, -1, HARNESS_TURN_MS) < 0)
			return -1;
	return session_running(s) ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path);
}

int harness_rmtree(const char *dir)
{
	return nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

void harness_stop(struct harness *h)
{
	if (h->agent >= 0)
		close(h->agent);
	h->agent = -1;
	daemon_destroy(h->d);
	h->d = NULL;
	if (h->x)
		xcb_disconnect(h->x);
	h->x = NULL;
	free(h->buf);
	h->buf = NULL;
	if (h->dir[0])
		harness_rmtree(h->dir);
}
