/* seam-qubes-daemon: a GUI daemon that behaves as Qubes' qubes-guid does, to test Seam's agent
 * against it (tests/qubes/qubes.sh). Written from docs/protocol.md ("Talking to Qubes") and Qubes'
 * documented behaviour, not from its code:
 *   - it listens on a unix socket, reads the agent's raw version, answers min(agent, own) and the
 *     xconf, and then sends nothing until the agent has shown a window;
 *   - it exits on every violation qubes-guid exits on: an unknown or agent-forbidden type, a
 *     length other than the type's (protocol >= 1.6), a message for an unknown window, a second
 *     CREATE for one id, a clipboard longer than the agreed version allows;
 *   - it answers MAP with a MAP of its own (transient_for holds garbage, as qubes-guid leaves it),
 *     WINDOW_FLAGS with their acknowledgement, DESTROY (>= 1.5) and WINDOW_DUMP (>= 1.7) with
 *     theirs; it cannot map buffers (no Xen), so it never paints.
 * Every event is one line on stdout. SIGUSR1 sends CLIPBOARD_REQ for the last mapped window.
 *
 *   seam-qubes-daemon --socket PATH [--version 1.7|1.8] [--screen WxHxDEPTH] [--hold SECONDS]
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qwire.h"

#define MAX_WINDOWS   4096u
#define MAX_DUMP_BODY (16u + 98304u * 4u)

struct qwin {
	uint32_t id;
	int32_t x, y;
	uint32_t w, h;
	bool mapped, override_redirect;
};

static struct qwin windows[MAX_WINDOWS];
static unsigned nwindows;
static volatile sig_atomic_t want_copy;
static uint32_t negotiated;
static unsigned shmimages;
static uint8_t body[MAX_DUMP_BODY];

static void on_usr1(int sig)
{
	(void)sig;
	want_copy = 1;
}

static struct qwin *find(uint32_t id)
{
	for (unsigned i = 0; i < nwindows; i++)
		if (windows[i].id == id)
			return &windows[i];
	return NULL;
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The body size qubes-guid expects for an agent's message, or -1 for a type it refuses from an
 * agent (variable-length types are handled by the caller). */
static long expected_len(uint32_t type)
{
	switch (type) {
	case Q_CREATE:
		return 24;
	case Q_DESTROY:
	case Q_UNMAP:
	case Q_DOCK:
		return 0;
	case Q_MAP:
	case Q_WINDOW_FLAGS:
		return 8;
	case Q_CONFIGURE:
		return 20;
	case Q_SHMIMAGE:
		return 16;
	case Q_WMNAME:
	case Q_WMCLASS:
		return 128;
	case Q_WINDOW_HINTS:
		return 36;
	case Q_CURSOR:
		return 4;
	default:
		return -1;
	}
}

static int listen_on(const char *path)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (s < 0 || strlen(path) >= sizeof(a.sun_path))
		q_die("cannot make a socket for %s", path);
	strcpy(a.sun_path, path);
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
		q_die("cannot listen on %s", path);
	return s;
}

static void handshake(int fd, uint32_t own, uint32_t w, uint32_t h, uint32_t depth)
{
	uint32_t agent;
	if (!q_read(fd, &agent, 4, 0))
		q_die("no version from the agent");
	if (agent >> 16 != own >> 16)
		q_die("agent version 0x%x has another major", agent);
	uint32_t minor = (agent & 0xffff) < (own & 0xffff) ? agent & 0xffff : own & 0xffff;
	negotiated = Q_VERSION(1, minor);
	if (negotiated >= Q_VERSION(1, 4) && !q_write(fd, &negotiated, 4))
		q_die("cannot send the version");
	uint32_t xconf[4] = {(w + 7) & ~7u, h, depth, ((w + 7) & ~7u) * h * 4 / 1024 + 1};
	if (!q_write(fd, xconf, sizeof(xconf)))
		q_die("cannot send the xconf");
	q_say("handshake agent=0x%x negotiated=0x%x", agent, negotiated);
}

static void clipboard(int fd, const struct q_hdr *h)
{
	uint32_t len = h->untrusted_len;
	if ((negotiated < Q_VERSION(1, 8) && len > Q_CLIPBOARD_MAX_17) || len > Q_CLIPBOARD_MAX_18)
		q_die("clipboard data len 0x%x", len);
	uint8_t *data = malloc(len ? len : 1);
	if (!data || !q_read(fd, data, len, 0))
		q_die("short clipboard data");
	q_say("clipboard %u bytes", len);
	free(data);
}

static void handle(int fd, const struct q_hdr *h, const uint8_t *b)
{
	struct qwin *w = find(h->window);
	const uint32_t *u = (const uint32_t *)b;
	switch (h->type) {
	case Q_CREATE: {
		if (w)
			q_die("CREATE for existing window 0x%x", h->window);
		if ((int32_t)u[2] < 0 || (int32_t)u[3] < 0) {
			q_say("verify-failed CREATE size of 0x%x", h->window);
			return;
		}
		if (nwindows == MAX_WINDOWS)
			q_die("too many windows");
		w = &windows[nwindows++];
		*w = (struct qwin){h->window};
		w->w = u[2] > 16384 ? 16384 : u[2];
		w->h = u[3] > 6144 ? 6144 : u[3];
		w->x = clamp((int32_t)u[0], -16384, 16384);
		w->y = clamp((int32_t)u[1], -6144, 6144);
		w->override_redirect = u[5] != 0;
		q_say("create 0x%x %d %d %u %u or=%u", w->id, w->x, w->y, w->w, w->h, u[5]);
		return;
	}
	case Q_MAP: {
		w->mapped = true;
		w->override_redirect = u[1] != 0;
		q_say("map 0x%x transient=0x%x or=%u", w->id, u[0], u[1]);
		/* qubes-guid's own MAP, its transient_for never initialized. */
		uint32_t map[2] = {0xfeedfaceu, u[1]};
		q_send(fd, Q_MAP, w->id, map, sizeof(map));
		/* ... and its window's ConfigureNotify, as a CONFIGURE. */
		uint32_t cfg[5] = {(uint32_t)w->x, (uint32_t)w->y, w->w, w->h, u[1]};
		q_send(fd, Q_CONFIGURE, w->id, cfg, sizeof(cfg));
		return;
	}
	case Q_UNMAP:
		w->mapped = false;
		q_say("unmap 0x%x", w->id);
		return;
	case Q_DESTROY:
		q_say("destroy 0x%x", w->id);
		*w = windows[--nwindows];
		if (negotiated >= Q_VERSION(1, 5))
			q_send(fd, Q_DESTROY, h->window, NULL, 0);
		return;
	case Q_CONFIGURE:
		if (u[2] == 0 || u[3] == 0) {
			q_say("verify-failed CONFIGURE size of 0x%x", w->id);
			return;
		}
		w->w = u[2] > 16384 ? 16384 : u[2];
		w->h = u[3] > 6144 ? 6144 : u[3];
		w->x = clamp((int32_t)u[0], -16384, 16384);
		w->y = clamp((int32_t)u[1], -6144, 6144);
		q_say("configure 0x%x %d %d %u %u", w->id, w->x, w->y, w->w, w->h);
		return;
	case Q_SHMIMAGE:
		shmimages++;
		return;
	case Q_WMNAME: {
		char name[128];
		memcpy(name, b, 128);
		name[127] = 0;
		q_say("wmname 0x%x %s", w->id, name);
		return;
	}
	case Q_WMCLASS: {
		char cls[64], res[64];
		memcpy(cls, b, 64);
		memcpy(res, b + 64, 64);
		cls[63] = res[63] = 0;
		q_say("wmclass 0x%x %s %s", w->id, cls, res);
		return;
	}
	case Q_WINDOW_HINTS:
		q_say("hints 0x%x flags=0x%x min=%ux%u max=%ux%u", w->id, u[0], u[1], u[2], u[3],
		      u[4]);
		return;
	case Q_WINDOW_FLAGS: {
		if (u[0] & u[1]) {
			q_say("verify-failed WINDOW_FLAGS of 0x%x", w->id);
			return;
		}
		uint32_t set =
		    u[0] & (Q_FLAG_FULLSCREEN | Q_FLAG_DEMANDS_ATTENTION | Q_FLAG_MINIMIZE);
		uint32_t unset = u[1] & (Q_FLAG_FULLSCREEN | Q_FLAG_DEMANDS_ATTENTION);
		q_say("flags 0x%x set=0x%x unset=0x%x", w->id, u[0], u[1]);
		uint32_t ack[2] = {set & ~Q_FLAG_MINIMIZE, unset};
		q_send(fd, Q_WINDOW_FLAGS, w->id, ack, sizeof(ack));
		return;
	}
	case Q_DOCK:
		q_say("dock 0x%x", w->id);
		return;
	case Q_CURSOR:
		if ((u[0] & 0x100) ? u[0] >= 0x19a : u[0] != 0)
			q_say("verify-failed CURSOR 0x%x", u[0]);
		return;
	case Q_WINDOW_DUMP:
		q_say("dump 0x%x %ux%u refs=%u", w->id, u[1], u[2], (h->untrusted_len - 16) / 4);
		if (negotiated >= Q_VERSION(1, 7))
			q_send(fd, Q_WINDOW_DUMP_ACK, w->id, NULL, 0);
		return;
	default:
		q_die("msg type %u not handled", h->type);
	}
}

static void receive(int fd)
{
	struct q_hdr h;
	if (!q_read(fd, &h, sizeof(h), 0))
		q_die("the agent closed the connection");
	if (h.type == Q_CLIPBOARD_DATA) {
		clipboard(fd, &h);
		return;
	}
	if (h.type == Q_MFNDUMP)
		q_die("MFNDUMP outside dom0");
	long want = expected_len(h.type);
	if (h.type == Q_WINDOW_DUMP) {
		if (h.untrusted_len < 16 || h.untrusted_len > MAX_DUMP_BODY || h.untrusted_len % 4)
			q_die("WINDOW_DUMP len %u", h.untrusted_len);
		want = h.untrusted_len;
	} else if (want < 0) {
		q_die("msg type %u (%s) not recognized", h.type, q_type_name(h.type));
	} else if (h.untrusted_len != (uint32_t)want) {
		q_die("%s: untrusted_len %u, expected %ld", q_type_name(h.type), h.untrusted_len,
		      want);
	}
	if (h.type != Q_CREATE && !find(h.window))
		q_die("%s for unknown window 0x%x", q_type_name(h.type), h.window);
	if (want && !q_read(fd, body, (size_t)want, 0))
		q_die("short %s", q_type_name(h.type));
	handle(fd, &h, body);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	uint32_t own = Q_VERSION(1, 8), sw = 1920, sh = 1080, depth = 24;
	double hold = 30;
	static const struct option opts[] = {{"socket", 1, NULL, 's'},
					     {"version", 1, NULL, 'v'},
					     {"screen", 1, NULL, 'S'},
					     {"hold", 1, NULL, 'H'},
					     {NULL, 0, NULL, 0}};
	int ch;
	unsigned major, minor;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			path = optarg;
		else if (ch == 'v' && sscanf(optarg, "%u.%u", &major, &minor) == 2)
			own = Q_VERSION(major, minor);
		else if (ch == 'S' && sscanf(optarg, "%ux%ux%u", &sw, &sh, &depth) == 3)
			;
		else if (ch == 'H')
			hold = atof(optarg);
		else
			q_die("usage: seam-qubes-daemon --socket PATH [--version 1.7|1.8] "
			      "[--screen WxHxDEPTH] [--hold SECONDS]");
	}
	if (!path)
		q_die("--socket is required");
	signal(SIGUSR1, on_usr1);
	signal(SIGPIPE, SIG_IGN);
	int ls = listen_on(path);
	q_say("listening");
	if (!q_readable(ls, Q_TIMEOUT_S * 1000))
		q_die("no agent came");
	int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		q_die("accept failed");
	handshake(fd, own, sw, sh, depth);
	int64_t end = q_now_ms() + (int64_t)(hold * 1000);
	uint32_t last_mapped = 0;
	while (q_now_ms() < end) {
		if (want_copy) {
			want_copy = 0;
			for (unsigned i = 0; i < nwindows; i++)
				if (windows[i].mapped)
					last_mapped = windows[i].id;
			if (last_mapped) {
				q_send(fd, Q_CLIPBOARD_REQ, last_mapped, NULL, 0);
				q_say("clipboard-req 0x%x", last_mapped);
			}
		}
		if (q_readable(fd, 50))
			receive(fd);
	}
	unsigned mapped = 0;
	for (unsigned i = 0; i < nwindows; i++)
		mapped += windows[i].mapped;
	q_say("alive windows=%u mapped=%u shmimages=%u", nwindows, mapped, shmimages);
	return 0;
}
