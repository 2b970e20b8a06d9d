/* The agent's unit-test harness (harness.h). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"
#include "common/xconn.h"
#include "harness.h"
#include "shm/chan.h"

/* Set in the parent by the unchecked fixture, read by the forked tests. */
static char xvfb_display[32];
static pid_t xvfb_pid;

void harness_xvfb_start(void)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	xvfb_pid = fork();
	ck_assert_int_ge(xvfb_pid, 0);
	if (xvfb_pid == 0) {
		char fd[16];
		snprintf(fd, sizeof(fd), "%d", p[1]);
		close(p[0]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", "1280x1024x24",
		       "-nolisten", "tcp", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* Xvfb writes the display number once it accepts connections. */
	char buf[16] = "";
	size_t n = 0;
	struct pollfd pfd = {.fd = p[0], .events = POLLIN};
	while (n < sizeof(buf) - 1 && !strchr(buf, '\n') && poll(&pfd, 1, 10000) == 1) {
		ssize_t r = read(p[0], buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(p[0]);
	ck_assert_msg(strchr(buf, '\n'), "Xvfb did not say which display it took");
	snprintf(xvfb_display, sizeof(xvfb_display), ":%d", atoi(buf));
}

void harness_xvfb_stop(void)
{
	if (xvfb_pid > 0) {
		kill(xvfb_pid, SIGTERM);
		waitpid(xvfb_pid, NULL, 0);
	}
	xvfb_pid = 0;
}

TCase *harness_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_unchecked_fixture(tc, harness_xvfb_start, harness_xvfb_stop);
	tcase_set_timeout(tc, 30);
	return tc;
}

/* ---- The fake daemon ------------------------------------------------------------------------ */

static void host_handshake(struct harness *h)
{
	uint32_t v, negotiated;
	struct proto_error err;
	if (chan_recv_raw(h->host, &v, sizeof(v)) <= 0)
		return;
	ck_assert_int_eq(proto_negotiate_daemon(v, &negotiated, &err), 0);
	struct proto_xconf xc;
	proto_xconf_make(1280, 1024, 24, &xc);
	struct proto_msg hello = {.type = PROTO_MSG_SEAM_HELLO};
	hello.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, h->offer};
	ck_assert_int_eq(chan_send(h->host, &negotiated, sizeof(negotiated), NULL, 0), 0);
	ck_assert_int_eq(chan_send(h->host, &xc, sizeof(xc), NULL, 0), 0);
	ck_assert_int_eq(chan_send_msg(h->host, &hello, NULL, 0), 0);
	h->peer = (struct proto_peer){.version = negotiated, .seam_hello_sent = true};
	h->handshake_done = true;
}

static void host_message(struct harness *h, struct chan_msg *cm)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v = proto_decode(&h->peer, PROTO_FROM_AGENT, &cm->hdr, cm->body,
					    cm->hdr.untrusted_len, cm->nfds, &m, &err);
	ck_assert_msg(v == PROTO_OK, "the agent sent an invalid message: %s", err.text);
	if (m.type == PROTO_MSG_SEAM_HELLO) {
		h->peer.seam = true;
		h->peer.seam_features = m.u.hello.features;
	}
	ck_assert_uint_lt(h->nmsgs, HARNESS_MAX_MSGS);
	struct harness_msg *r = &h->msgs[h->nmsgs++];
	r->m = m;
	r->data = NULL;
	if (m.data_len) {
		r->data = malloc(m.data_len);
		ck_assert_ptr_nonnull(r->data);
		memcpy(r->data, m.data, m.data_len);
	}
	r->m.data = r->data;
}

static void host_dispatch(struct harness *h, short revents)
{
	unsigned ev = chan_dispatch(h->host, revents);
	if (!(ev & (CHAN_EV_CONNECTED | CHAN_EV_INPUT)))
		return;
	if (!h->handshake_done)
		host_handshake(h);
	if (!h->handshake_done)
		return;
	struct chan_msg cm;
	while (chan_recv(h->host, &cm) > 0) {
		host_message(h, &cm);
		for (unsigned i = 0; i < cm.nfds; i++)
			close(cm.fds[i]);
	}
}

static bool link_up(void *ctx)
{
	struct harness *h = ctx;
	return link_ready(h->link) && h->peer.seam;
}

/* ---- Set-up --------------------------------------------------------------------------------- */

static void open_harness(struct harness *h, bool with_wm, bool with_link, uint32_t features)
{
	memset(h, 0, sizeof(*h));
	h->offer = features;
	char why[256] = "";
	int rc = xctx_open(xvfb_display, &h->xc, why, sizeof(why));
	ck_assert_msg(rc == 0, "xctx_open %s: %s", xvfb_display, why);
	if (with_wm)
		ck_assert_msg(wm_create(h->xc, &h->wm, why, sizeof(why)) == 0, "wm: %s", why);
	xcb_screen_t *s;
	ck_assert_int_eq(xconn_open(xvfb_display, 1, &h->client, &s, why, sizeof(why)), 0);
	h->root = s->root;
	if (!with_link)
		return;
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(link_open_fd(sv[0], NULL, &h->link), 0);
	ck_assert_int_eq(chan_open_fd(sv[1], CHAN_HOST, NULL, &h->host), 0);
	ck_assert_msg(harness_pump(h, link_up, h, 5000), "no handshake with the fake daemon");
	ck_assert_int_eq(clipboard_create(h->xc, h->link, &h->clipboard), 0);
}

void harness_open(struct harness *h, bool with_wm, bool with_link)
{
	open_harness(h, with_wm, with_link, PROTO_SEAM_FEATURE_MEMFD);
}

void harness_open_offering(struct harness *h, bool with_wm, uint32_t features)
{
	open_harness(h, with_wm, true, features);
}

void harness_close(struct harness *h)
{
	for (unsigned i = 0; i < h->nmsgs; i++)
		free(h->msgs[i].data);
	clipboard_destroy(h->clipboard);
	link_close(h->link);
	chan_close(h->host);
	wm_destroy(h->wm);
	if (h->client)
		xcb_disconnect(h->client);
	xctx_close(h->xc);
}

/* ---- The pump ------------------------------------------------------------------------------- */

static void agent_events(struct harness *h)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(h->xc->x))) {
		if (h->agent_event && h->agent_event(h->agent_ctx, ev))
			;
		else if (!h->clipboard || !clipboard_handle_event(h->clipboard, ev))
			if (h->wm)
				wm_handle_event(h->wm, ev);
		free(ev);
	}
	xcb_flush(h->xc->x);
}

static void client_events(struct harness *h)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(h->client))) {
		if (h->client_event)
			h->client_event(h->client_ctx, ev);
		free(ev);
	}
	xcb_flush(h->client);
}

bool harness_pump(struct harness *h, bool (*done)(void *ctx), void *ctx, int ms)
{
	int64_t end = mono_ms() + ms;
	for (;;) {
		xcb_flush(h->client);
		agent_events(h);
		client_events(h);
		if (done && done(ctx))
			return true;
		int64_t left = end - mono_ms();
		if (left <= 0)
			return !done;
		struct pollfd p[4] = {
		    {.fd = xcb_get_file_descriptor(h->xc->x), .events = POLLIN},
		    {.fd = xcb_get_file_descriptor(h->client), .events = POLLIN},
		    {.fd = -1},
		    {.fd = -1},
		};
		if (h->link) {
			link_pollfd(h->link, &p[2]);
			chan_pollfd(h->host, &p[3]);
		}
		poll(p, 4, left < 20 ? (int)left : 20);
		if (h->link) {
			link_dispatch(h->link, p[2].revents);
			host_dispatch(h, p[3].revents);
		}
	}
}

struct count_wait {
	struct harness *h;
	unsigned n;
};

static bool enough_msgs(void *ctx)
{
	struct count_wait *c = ctx;
	return c->h->nmsgs >= c->n;
}

bool harness_wait_msgs(struct harness *h, unsigned n, int ms)
{
	struct count_wait c = {h, n};
	return harness_pump(h, enough_msgs, &c, ms);
}

const struct harness_msg *harness_find_msg(const struct harness *h, uint32_t type, unsigned *from)
{
	for (unsigned i = *from; i < h->nmsgs; i++) {
		if (h->msgs[i].m.type == type) {
			*from = i + 1;
			return &h->msgs[i];
		}
	}
	return NULL;
}

xcb_window_t harness_window(struct harness *h, int16_t x, int16_t y, uint16_t w, uint16_t hgt)
{
	xcb_window_t id = xcb_generate_id(h->client);
	uint32_t mask = XCB_EVENT_MASK_STRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE;
	xcb_create_window(h->client, XCB_COPY_FROM_PARENT, id, h->root, x, y, w, hgt, 0,
			  XCB_WINDOW_CLASS_INPUT_OUTPUT, XCB_COPY_FROM_PARENT, XCB_CW_EVENT_MASK,
			  &mask);
	harness_sync_client(h);
	return id;
}

static void sync_x(xcb_connection_t *x)
{
	free(xcb_get_input_focus_reply(x, xcb_get_input_focus(x), NULL));
}

void harness_sync_client(struct harness *h)
{
	sync_x(h->client);
}

void harness_sync_agent(struct harness *h)
{
	sync_x(h->xc->x);
}

xcb_atom_t harness_atom(struct harness *h, const char *name)
{
	return xconn_intern(h->client, name);
}

xcb_window_t harness_selection_owner(struct harness *h, xcb_atom_t selection)
{
	xcb_get_selection_owner_reply_t *o = xcb_get_selection_owner_reply(
	    h->client, xcb_get_selection_owner(h->client, selection), NULL);
	ck_assert_ptr_nonnull(o);
	xcb_window_t w = o->owner;
	free(o);
	return w;
}
