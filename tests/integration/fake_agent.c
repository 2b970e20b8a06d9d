/* seam-fake-agent: a scripted agent for testing the daemon alone. It does the real handshake and the
 * Seam hello, shows one window whose buffer holds the test pattern (R = x, G = y, B = x ^ y), and
 * prints each message the daemon sends it, one line each, until it is killed or --hold runs out.
 *
 *   seam-fake-agent --channel unix:PATH [--title T] [--size WxH] [--pos X,Y] [--hold SECONDS]
 *                   [--override-redirect]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mono.h"
#include "shm/chan.h"
#include "shm/shmbuf.h"

#define WIN 0x200001u

static struct chan *c;

static void step(int ms)
{
	struct pollfd pfd;
	chan_pollfd(c, &pfd);
	int t = chan_timeout_ms(c);
	poll(&pfd, 1, t >= 0 && t < ms ? t : ms);
	chan_dispatch(c, pfd.revents);
}

static void send_msg(struct proto_msg *m, const int *fds, unsigned nfds)
{
	if (chan_send_msg(c, m, fds, nfds))
		fprintf(stderr, "fake-agent: cannot send %s\n", proto_type_name(m->type));
}

static int die(const char *why)
{
	fprintf(stderr, "fake-agent: %s\n", why);
	return 1;
}

int main(int argc, char **argv)
{
	const char *addr = NULL, *title = "fake";
	unsigned w = 160, h = 120;
	int x = 50, y = 50;
	double hold = 30;
	uint32_t override_redirect = 0;
	static const struct option opts[] = {{"channel", 1, NULL, 'c'}, {"title", 1, NULL, 't'},
					     {"size", 1, NULL, 's'},	{"pos", 1, NULL, 'p'},
					     {"hold", 1, NULL, 'H'},
					     {"override-redirect", 0, NULL, 'o'},
					     {NULL, 0, NULL, 0}};
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			addr = optarg;
		else if (ch == 't')
			title = optarg;
		else if (ch == 's' && sscanf(optarg, "%ux%u", &w, &h) == 2)
			;
		else if (ch == 'p' && sscanf(optarg, "%d,%d", &x, &y) == 2)
			;
		else if (ch == 'H')
			hold = atof(optarg);
		else if (ch == 'o')
			override_redirect = 1;
		else
			return die("usage: seam-fake-agent --channel unix:PATH [--title T] [--size WxH] "
				   "[--pos X,Y] [--hold S]");
	}
	if (!addr || chan_open(addr, CHAN_GUEST, NULL, &c))
		return die("cannot open the channel");
	for (int i = 0; i < 500 && chan_state(c) != CHAN_CONNECTED; i++)
		step(10);
	uint32_t version = PROTO_VERSION_CURRENT, answer = 0;
	struct proto_xconf xconf;
	chan_send(c, &version, 4, NULL, 0);
	int r = 0;
	for (int i = 0; i < 500 && (r = chan_recv_raw(c, &answer, 4)) == 0; i++)
		step(10);
	if (r == 1)
		for (int i = 0; i < 500 && (r = chan_recv_raw(c, &xconf, 16)) == 0; i++)
			step(10);
	if (r != 1 || proto_negotiate_agent(answer, NULL))
		return die("handshake failed");
	printf("xconf %u %u %u\n", xconf.w, xconf.h, xconf.depth);

	struct proto_peer peer = {.version = answer};
	struct chan_msg in;
	for (int i = 0; i < 500 && (r = chan_recv(c, &in)) == 0; i++)
		step(10);
	struct proto_msg m;
	if (r != 1 || proto_decode(&peer, PROTO_FROM_DAEMON, &in.hdr, in.body, in.hdr.untrusted_len,
				   in.nfds, &m, NULL) != PROTO_OK ||
	    m.type != PROTO_MSG_SEAM_HELLO)
		return die("no Seam hello from the daemon");
	uint32_t features = 0;
	proto_seam_accept_hello(&m.u.hello, PROTO_SEAM_FEATURE_MEMFD, &features, NULL);
	peer.seam_hello_sent = true, peer.seam = true, peer.seam_features = features;
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_SEAM_HELLO;
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, features};
	send_msg(&m, NULL, 0);
	if (!(features & PROTO_SEAM_FEATURE_MEMFD))
		return die("the daemon did not offer memfd buffers");

	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, w, h, 0, &b))
		return die("cannot create a buffer");
	uint32_t *px = shmbuf_data(b);
	for (unsigned j = 0; j < h; j++)
		for (unsigned i = 0; i < w; i++)
			px[j * w + i] = (i & 0xff) << 16 | (j & 0xff) << 8 | ((i ^ j) & 0xff);
	struct shmbuf_export ex;
	shmbuf_export(b, &ex);

	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_CREATE, m.window = WIN;
	m.u.create = (struct proto_create){x, y, w, h, 0, override_redirect};
	send_msg(&m, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_WMCLASS, m.window = WIN;
	snprintf(m.u.wmclass.res_class, sizeof(m.u.wmclass.res_class), "FakeAgent");
	snprintf(m.u.wmclass.res_name, sizeof(m.u.wmclass.res_name), "fake-agent");
	send_msg(&m, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_WMNAME, m.window = WIN;
	snprintf(m.u.wmname.data, sizeof(m.u.wmname.data), "%s", title);
	send_msg(&m, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, m.window = WIN;
	m.u.dump_fd = (struct proto_seam_window_dump_fd){w, h, w * 4, PROTO_SEAM_FORMAT_XRGB8888};
	send_msg(&m, &ex.fd, 1);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_MAP, m.window = WIN;
	m.u.map.override_redirect = override_redirect;
	send_msg(&m, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_SHMIMAGE, m.window = WIN;
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	send_msg(&m, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_CURSOR, m.window = WIN;
	m.u.cursor.cursor = PROTO_CURSOR_X11 + 60; /* XC_hand2 */
	send_msg(&m, NULL, 0);
	printf("shown %ux%u\n", w, h);
	fflush(stdout);

	int64_t t0 = mono_ns();
	do {
		step(50);
		while ((r = chan_recv(c, &in)) == 1) {
			struct proto_error err;
			enum proto_verdict v = proto_decode(&peer, PROTO_FROM_DAEMON, &in.hdr, in.body,
							    in.hdr.untrusted_len, in.nfds, &m, &err);
			if (v != PROTO_OK) {
				printf("bad %s\n", err.text);
				continue;
			}
			switch (m.type) {
			case PROTO_MSG_BUTTON:
				printf("button %s %u %d %d\n",
				       m.u.button.type == PROTO_X_BUTTON_PRESS ? "press" : "release",
				       m.u.button.button, m.u.button.x, m.u.button.y);
				break;
			case PROTO_MSG_KEYPRESS:
				printf("key %s %u\n",
				       m.u.keypress.type == PROTO_X_KEY_PRESS ? "press" : "release",
				       m.u.keypress.keycode);
				break;
			case PROTO_MSG_CONFIGURE:
				printf("configure %d %d %u %u\n", m.u.configure.x, m.u.configure.y,
				       m.u.configure.width, m.u.configure.height);
				break;
			default:
				printf("%s 0x%x\n", proto_type_name(m.type), m.window);
				break;
			}
			fflush(stdout);
		}
		if (chan_state(c) != CHAN_CONNECTED)
			return die("the daemon closed the connection");
	} while ((mono_ns() - t0) / 1e9 < hold);
	shmbuf_release(b);
	chan_close(c);
	return 0;
}
