/* seam-qubes-agent: a GUI agent that behaves as Qubes' qubes-gui-agent does, to test Seam's
 * daemon against it (tests/qubes/qubes.sh). Written from docs/protocol.md ("Talking to Qubes") and
 * Qubes' documented behaviour, not from its code. It connects, sends its raw version, reads the
 * daemon's and the xconf (and ignores the xconf), skips every message it does not know by its
 * untrusted_len (a Seam hello among them), and shows what Qubes' agent sends for real
 * applications:
 *   0x1001 "big"    CREATE and CONFIGURE past the protocol's size limits (X allows 32767), and a
 *                   WINDOW_FLAGS that sets DEMANDS_ATTENTION and unsets MINIMIZE in one message
 *   0x1002 "popup"  created managed, then mapped override-redirect (Tk's wm overrideredirect)
 *   0x1003          a tray icon: CREATE then DOCK, never MAP
 *   0x1004 "qt"     Qt's size hints: a real minimum, 32767 for an unbounded maximum
 * then destroys "big" after a while. No buffers: grants need Xen. Every message received is one
 * line on stdout; "alive" at the end means the daemon kept the connection.
 *
 *   seam-qubes-agent --socket PATH [--version 1.7|1.8] [--hold SECONDS]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qwire.h"

#define BIG    0x1001u
#define POPUP  0x1002u
#define DOCKED 0x1003u
#define QT     0x1004u

/* XSizeHints flags Qubes' agent passes on. */
#define Q_P_MIN_SIZE   (1u << 4)
#define Q_P_MAX_SIZE   (1u << 5)
#define Q_P_RESIZE_INC (1u << 6)
#define Q_P_BASE_SIZE  (1u << 8)

static int fd = -1;

static int connect_to(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(a.sun_path))
		q_die("socket path too long");
	strcpy(a.sun_path, path);
	for (int i = 0; i < 200; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			return s;
		if (s >= 0)
			close(s);
		usleep(50000);
	}
	q_die("cannot connect to %s", path);
}

static void send_or_die(uint32_t type, uint32_t window, const void *body, uint32_t len)
{
	if (!q_send(fd, type, window, body, len))
		q_die("the daemon closed the connection (sending %s)", q_type_name(type));
}

static void create(uint32_t id, int32_t x, int32_t y, uint32_t w, uint32_t h, uint32_t or)
{
	uint32_t b[6] = {(uint32_t)x, (uint32_t)y, w, h, 0, or };
	send_or_die(Q_CREATE, id, b, sizeof(b));
}

static void text(uint32_t type, uint32_t id, const char *s1, const char *s2)
{
	char b[128] = {0};
	if (type == Q_WMCLASS) {
		snprintf(b, 64, "%s", s1);
		snprintf(b + 64, 64, "%s", s2);
	} else {
		snprintf(b, sizeof(b), "%s", s1);
	}
	send_or_die(type, id, b, sizeof(b));
}

static void map(uint32_t id, uint32_t or)
{
	uint32_t b[2] = {0, or };
	send_or_die(Q_MAP, id, b, sizeof(b));
}

static void hints(uint32_t id, uint32_t flags, uint32_t minw, uint32_t minh, uint32_t maxw,
		  uint32_t maxh)
{
	uint32_t b[9] = {flags, minw, minh, maxw, maxh, 1, 1, 0, 0};
	send_or_die(Q_WINDOW_HINTS, id, b, sizeof(b));
}

/* Print what the daemon sent during ms milliseconds; unknown types are skipped by length. */
static void receive_for(int ms)
{
	int64_t end = q_now_ms() + ms;
	while (q_now_ms() < end) {
		if (!q_readable(fd, 50))
			continue;
		struct q_hdr h;
		if (!q_read(fd, &h, sizeof(h), 0))
			q_die("the daemon closed the connection");
		if (h.untrusted_len > (1u << 20))
			q_die("a %u-byte message from the daemon", h.untrusted_len);
		uint8_t *body = malloc(h.untrusted_len + 1u);
		if (!body || !q_read(fd, body, h.untrusted_len, 0))
			q_die("short message from the daemon");
		const uint32_t *u = (const uint32_t *)body;
		if (h.type == Q_WINDOW_FLAGS && h.untrusted_len == 8)
			q_say("recv WINDOW_FLAGS 0x%x set=0x%x unset=0x%x", h.window, u[0], u[1]);
		else if (h.type == Q_CONFIGURE && h.untrusted_len == 20)
			q_say("recv CONFIGURE 0x%x %d %d %u %u", h.window, (int32_t)u[0],
			      (int32_t)u[1], u[2], u[3]);
		else if (h.type >= Q_KEYPRESS && h.type < Q_MAX)
			q_say("recv %s 0x%x len=%u", q_type_name(h.type), h.window,
			      h.untrusted_len);
		else
			q_say("skip type 0x%x len=%u", h.type, h.untrusted_len);
		free(body);
	}
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	uint32_t own = Q_VERSION(1, 8);
	double hold = 5;
	static const struct option opts[] = {{"socket", 1, NULL, 's'},
					     {"version", 1, NULL, 'v'},
					     {"hold", 1, NULL, 'H'},
					     {NULL, 0, NULL, 0}};
	int ch;
	unsigned major, minor;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			path = optarg;
		else if (ch == 'v' && sscanf(optarg, "%u.%u", &major, &minor) == 2)
			own = Q_VERSION(major, minor);
		else if (ch == 'H')
			hold = atof(optarg);
		else
			q_die("usage: seam-qubes-agent --socket PATH [--version 1.7|1.8] "
			      "[--hold SECONDS]");
	}
	if (!path)
		q_die("--socket is required");
	fd = connect_to(path);
	if (!q_write(fd, &own, 4))
		q_die("cannot send the version");
	uint32_t version, xconf[4];
	if (!q_read(fd, &version, 4, 0) || !q_read(fd, xconf, sizeof(xconf), 0))
		q_die("no handshake from the daemon");
	if (version >> 16 != own >> 16 || (version & 0xffff) < 4 || version > own)
		q_die("daemon version 0x%x refused", version);
	q_say("handshake version=0x%x xconf %ux%u depth %u", version, xconf[0], xconf[1], xconf[2]);

	create(BIG, 10, 10, 20000, 7000, 0);
	text(Q_WMCLASS, BIG, "Big", "big");
	text(Q_WMNAME, BIG, "big", NULL);
	uint32_t flags[2] = {Q_FLAG_DEMANDS_ATTENTION, Q_FLAG_MINIMIZE};
	send_or_die(Q_WINDOW_FLAGS, BIG, flags, sizeof(flags));
	map(BIG, 0);
	uint32_t cfg[5] = {20, 20, 30000, 9000, 0};
	send_or_die(Q_CONFIGURE, BIG, cfg, sizeof(cfg));

	create(POPUP, 100, 100, 200, 100, 0);
	text(Q_WMNAME, POPUP, "popup", NULL);
	map(POPUP, 1);

	create(DOCKED, 0, 0, 24, 24, 0);
	send_or_die(Q_DOCK, DOCKED, NULL, 0);

	create(QT, 300, 300, 400, 300, 0);
	text(Q_WMCLASS, QT, "Qt", "qt");
	hints(QT, Q_P_MIN_SIZE | Q_P_MAX_SIZE | Q_P_RESIZE_INC | Q_P_BASE_SIZE, 100, 80, 32767,
	      32767);
	text(Q_WMNAME, QT, "qt", NULL);
	map(QT, 0);
	q_say("sent");

	receive_for((int)(hold * 1000));
	send_or_die(Q_DESTROY, BIG, NULL, 0);
	receive_for(1000);
	q_say("alive");
	close(fd);
	return 0;
}
