/* agent-probe: a fake host daemon that tests seam-gui-agent on its own.
 *
 *   agent-probe --channel unix:PATH --expect-title T [--timeout S] [--expect-size WxH]
 *               [--then-input KEYCODE] [--then-resize WxH] [--then-close] [-v]
 *
 * It listens on the channel, does the daemon's side of the handshake (version, xconf 1280x1024
 * depth 24, Seam hello offering memfd buffers), decodes every agent message with protocol/,
 * imports and maps the memfd dumps, acknowledges each dump and echoes each DESTROY. It succeeds
 * once a mapped window titled T (of the --expect-size, if given) has a buffer in which every pixel
 * equals seam-testclient --pattern's formula, after SHMIMAGEs that together covered the window
 * since its last dump. Then, optionally: it sends input to the window (--then-input: FOCUS in,
 * KEYPRESS of KEYCODE without and with Shift, a click of button 1 at 10,20 and a motion to 30,40,
 * for the caller to find in seam-testclient's log), asks the agent to resize the window
 * (--then-resize, checked like the first time) and to close it (--then-close, done when the agent
 * sends DESTROY).
 *
 * Progress goes to stdout, one line each ("handshake ...", "dump ...", "ok ..."); failures are one
 * "FAIL: ..." line on stderr and exit status 1 (timeout, protocol violation, refused buffer).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mono.h"
#include "protocol/proto.h"
#include "shm/chan.h"
#include "shm/shmbuf.h"

#define MAX_WINDOWS 256

struct pwin {
	uint32_t id;
	bool mapped;
	int32_t x, y;
	uint32_t width, height;
	uint32_t override_redirect;
	char title[128];
	struct shmbuf *buf;
	uint8_t *covered; /* one byte per buffer pixel: named by a SHMIMAGE since the dump */
	uint64_t ncovered;
	unsigned dumps, images;
};

enum stage { STAGE_FIRST, STAGE_RESIZE, STAGE_INPUT, STAGE_CLOSE, STAGE_DONE };

struct probe {
	struct chan *chan;
	struct shmbuf_pool *pool;
	struct proto_peer peer;
	bool hs_done;
	struct pwin wins[MAX_WINDOWS];
	unsigned nwins;
	const char *title;
	uint32_t want_w, want_h;     /* 0: any size */
	uint32_t resize_w, resize_h; /* 0: no resize stage */
	unsigned input_keycode;	     /* 0: no input stage */
	bool then_close;
	enum stage stage;
	uint32_t target; /* the window that passed the first check */
	int verbose;
	char last_problem[200];
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("agent-probe: FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Remember why the current stage is not passed yet, for the timeout's line. Returns 0. */
static int note(struct probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct probe *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->last_problem, sizeof(p->last_problem), fmt, ap);
	va_end(ap);
	return 0;
}

static struct pwin *find(struct probe *p, uint32_t id)
{
	for (unsigned i = 0; i < p->nwins; i++)
		if (p->wins[i].id == id)
			return &p->wins[i];
	return NULL;
}

static void drop_buffer(struct pwin *w)
{
	shmbuf_release(w->buf);
	w->buf = NULL;
	free(w->covered);
	w->covered = NULL;
	w->ncovered = 0;
}

static void send_msg(struct probe *p, uint32_t type, uint32_t window)
{
	struct proto_msg m = {.type = type, .window = window};
	if (chan_send_msg(p->chan, &m, NULL, 0))
		fail("cannot send %s", proto_type_name(type));
}

static uint32_t pattern(uint32_t x, uint32_t y)
{
	return ((x & 0xff) << 16) | ((y & 0xff) << 8) | ((x ^ y) & 0xff);
}

static void send_input(struct probe *p, struct pwin *w)
{
	struct proto_msg m = {.type = PROTO_MSG_FOCUS, .window = w->id};
	m.u.focus = (struct proto_focus){PROTO_X_FOCUS_IN, 0, 0};
	int rc = chan_send_msg(p->chan, &m, NULL, 0);
	/* The key plain, then with Shift in the state; the agent presses Shift itself. */
	for (unsigned i = 0; i < 4; i++) {
		m = (struct proto_msg){.type = PROTO_MSG_KEYPRESS, .window = w->id};
		m.u.keypress =
		    (struct proto_keypress){i % 2 ? PROTO_X_KEY_RELEASE : PROTO_X_KEY_PRESS, 5, 5,
					    i < 2 ? 0u : 1u, p->input_keycode};
		rc |= chan_send_msg(p->chan, &m, NULL, 0);
	}
	for (unsigned i = 0; i < 2; i++) {
		m = (struct proto_msg){.type = PROTO_MSG_BUTTON, .window = w->id};
		m.u.button = (struct proto_button){
		    i ? PROTO_X_BUTTON_RELEASE : PROTO_X_BUTTON_PRESS, 10, 20, 0, 1};
		rc |= chan_send_msg(p->chan, &m, NULL, 0);
	}
	m = (struct proto_msg){.type = PROTO_MSG_MOTION, .window = w->id};
	m.u.motion = (struct proto_motion){30, 40, 0, 0};
	rc |= chan_send_msg(p->chan, &m, NULL, 0);
	if (rc)
		fail("cannot send input");
	printf("input 0x%x sent: focus in, key %u, shift+key %u, button 1 at 10,20, motion to "
	       "30,40\n",
	       w->id, p->input_keycode, p->input_keycode);
}

/* The window the current stage waits for passed: start the next stage (resize, input, close),
 * or finish. */
static void advance(struct probe *p, struct pwin *w)
{
	if (p->stage == STAGE_FIRST && p->resize_w) {
		p->stage = STAGE_RESIZE;
		struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
		m.u.configure = (struct proto_configure){w->x, w->y, p->resize_w, p->resize_h,
							 w->override_redirect};
		if (chan_send_msg(p->chan, &m, NULL, 0))
			fail("cannot send CONFIGURE");
		printf("resize 0x%x to %ux%u requested\n", w->id, p->resize_w, p->resize_h);
		fflush(stdout);
		return;
	}
	if (p->input_keycode) {
		p->stage = STAGE_INPUT;
		send_input(p, w);
	}
	if (p->then_close) {
		p->stage = STAGE_CLOSE;
		send_msg(p, PROTO_MSG_CLOSE, w->id);
		printf("close 0x%x requested\n", w->id);
	} else {
		p->stage = STAGE_DONE;
	}
	fflush(stdout);
}

/* Check the window against the current stage: 1 if it passed, else 0 with the reason noted. */
static int check(struct probe *p, struct pwin *w)
{
	if (p->stage == STAGE_CLOSE || p->stage == STAGE_DONE || strcmp(w->title, p->title) != 0)
		return 0;
	if (p->stage == STAGE_RESIZE && w->id != p->target)
		return 0;
	uint32_t ww = p->stage == STAGE_RESIZE ? p->resize_w : p->want_w;
	uint32_t wh = p->stage == STAGE_RESIZE ? p->resize_h : p->want_h;
	if (!w->mapped)
		return note(p, "window 0x%x '%s' is not mapped", w->id, w->title);
	if (!w->buf)
		return note(p, "window 0x%x has no buffer", w->id);
	uint32_t bw = shmbuf_width(w->buf), bh = shmbuf_height(w->buf);
	if (bw != w->width || bh != w->height)
		return note(p, "window 0x%x is %ux%u but its buffer %ux%u", w->id, w->width,
			    w->height, bw, bh);
	if (ww && (bw != ww || bh != wh))
		return note(p, "window 0x%x is %ux%u, waiting for %ux%u", w->id, bw, bh, ww, wh);
	if (w->ncovered < (uint64_t)bw * bh)
		return note(p, "window 0x%x: SHMIMAGEs covered %llu of %llu pixels", w->id,
			    (unsigned long long)w->ncovered, (unsigned long long)bw * bh);
	const uint8_t *data = shmbuf_data(w->buf);
	uint32_t stride = shmbuf_stride(w->buf);
	for (uint32_t y = 0; y < bh; y++) {
		const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
		for (uint32_t x = 0; x < bw; x++) {
			if ((row[x] & 0xffffff) != pattern(x, y))
				return note(p,
					    "window 0x%x: pixel (%u,%u) is 0x%06x, expected 0x%06x",
					    w->id, x, y, row[x] & 0xffffff, pattern(x, y));
		}
	}
	printf("ok 0x%x %u %u: all %llu pixels match the pattern (dump %u, %u SHMIMAGEs)\n", w->id,
	       bw, bh, (unsigned long long)bw * bh, w->dumps, w->images);
	fflush(stdout);
	p->target = w->id;
	advance(p, w);
	return 1;
}

static void on_dump(struct probe *p, struct pwin *w, const struct proto_seam_window_dump_fd *d,
		    int fd)
{
	char why[256];
	drop_buffer(w);
	struct shmbuf *b;
	int rc =
	    shmbuf_import_memfd(p->pool, fd, d->width, d->height, d->stride, &b, why, sizeof(why));
	if (rc)
		fail("window 0x%x: buffer refused: %s", w->id, why);
	if ((rc = shmbuf_map(b)))
		fail("window 0x%x: cannot map its buffer: %s", w->id, strerror(-rc));
	w->buf = b;
	w->covered = calloc((size_t)d->width * d->height, 1);
	if (!w->covered)
		fail("out of memory");
	w->dumps++;
	send_msg(p, PROTO_MSG_WINDOW_DUMP_ACK, w->id);
	printf("dump 0x%x %ux%u\n", w->id, d->width, d->height);
	fflush(stdout);
}

static void on_shmimage(struct pwin *w, const struct proto_shmimage *s)
{
	w->images++;
	if (!w->buf)
		return;
	uint32_t bw = shmbuf_width(w->buf), bh = shmbuf_height(w->buf);
	uint32_t x1 = (uint32_t)s->x, y1 = (uint32_t)s->y;
	uint32_t x2 = x1 + s->width > bw ? bw : x1 + s->width;
	uint32_t y2 = y1 + s->height > bh ? bh : y1 + s->height;
	for (uint32_t y = y1; y < y2; y++)
		for (uint32_t x = x1; x < x2; x++)
			if (!w->covered[(size_t)y * bw + x]) {
				w->covered[(size_t)y * bw + x] = 1;
				w->ncovered++;
			}
}

/* -v: each message on stderr, with the fields a reader of the log wants. */
static void log_msg(const struct proto_msg *m)
{
	fprintf(stderr, "agent-probe: %s 0x%x", proto_type_name(m->type), m->window);
	switch (m->type) {
	case PROTO_MSG_CREATE:
	case PROTO_MSG_CONFIGURE: {
		const struct proto_configure *c = &m->u.configure;
		if (m->type == PROTO_MSG_CREATE)
			fprintf(stderr, " %ux%u+%d+%d or=%u", m->u.create.width, m->u.create.height,
				m->u.create.x, m->u.create.y, m->u.create.override_redirect);
		else
			fprintf(stderr, " %ux%u+%d+%d or=%u", c->width, c->height, c->x, c->y,
				c->override_redirect);
		break;
	}
	case PROTO_MSG_MAP:
		fprintf(stderr, " transient_for=0x%x or=%u", m->u.map.transient_for,
			m->u.map.override_redirect);
		break;
	case PROTO_MSG_SHMIMAGE:
		fprintf(stderr, " %ux%u+%d+%d", m->u.shmimage.width, m->u.shmimage.height,
			m->u.shmimage.x, m->u.shmimage.y);
		break;
	case PROTO_MSG_WMNAME:
		fprintf(stderr, " '%s' (%zu bytes)", m->u.wmname.data, strlen(m->u.wmname.data));
		break;
	case PROTO_MSG_WMCLASS:
		fprintf(stderr, " '%s' '%s'", m->u.wmclass.res_class, m->u.wmclass.res_name);
		break;
	case PROTO_MSG_WINDOW_FLAGS:
		fprintf(stderr, " set 0x%x unset 0x%x", m->u.flags.flags_set,
			m->u.flags.flags_unset);
		break;
	case PROTO_MSG_WINDOW_HINTS:
		fprintf(stderr, " flags 0x%x", m->u.hints.flags);
		break;
	case PROTO_MSG_CURSOR:
		fprintf(stderr, " 0x%x", m->u.cursor.cursor);
		break;
	default:
		break;
	}
	fputc('\n', stderr);
}

static void handle(struct probe *p, struct chan_msg *cm)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v = proto_decode(&p->peer, PROTO_FROM_AGENT, &cm->hdr, cm->body,
					    cm->hdr.untrusted_len, cm->nfds, &m, &err);
	if (v != PROTO_OK)
		fail("the agent sent an invalid message: %s", err.text);
	if (p->verbose)
		log_msg(&m);
	if (m.type == PROTO_MSG_SEAM_HELLO) {
		uint32_t agreed;
		if (proto_seam_accept_hello(&m.u.hello, PROTO_SEAM_FEATURE_MEMFD, &agreed, &err))
			fail("the agent's hello: %s", err.text);
		p->peer.seam = true;
		p->peer.seam_features = agreed;
		printf("handshake done: Seam, features 0x%x\n", agreed);
		fflush(stdout);
		return;
	}
	if (m.type == PROTO_MSG_CLIPBOARD_DATA || m.type == PROTO_MSG_CURSOR)
		return;
	struct pwin *w = find(p, m.window);
	if (m.type == PROTO_MSG_CREATE) {
		if (w)
			fail("CREATE for 0x%x, which exists", m.window);
		if (p->nwins == MAX_WINDOWS)
			fail("more than %d windows", MAX_WINDOWS);
		w = &p->wins[p->nwins++];
		*w = (struct pwin){.id = m.window,
				   .x = m.u.create.x,
				   .y = m.u.create.y,
				   .width = m.u.create.width,
				   .height = m.u.create.height,
				   .override_redirect = m.u.create.override_redirect};
		return;
	}
	if (!w)
		fail("%s for window 0x%x, which was never created", proto_type_name(m.type),
		     m.window);
	switch (m.type) {
	case PROTO_MSG_DESTROY:
		send_msg(p, PROTO_MSG_DESTROY, w->id);
		if (p->stage == STAGE_CLOSE && w->id == p->target) {
			printf("ok 0x%x closed\n", w->id);
			fflush(stdout);
			p->stage = STAGE_DONE;
		}
		drop_buffer(w);
		*w = p->wins[--p->nwins];
		return;
	case PROTO_MSG_MAP:
		w->mapped = true;
		break;
	case PROTO_MSG_UNMAP:
		w->mapped = false;
		break;
	case PROTO_MSG_CONFIGURE:
		w->x = m.u.configure.x;
		w->y = m.u.configure.y;
		w->width = m.u.configure.width;
		w->height = m.u.configure.height;
		w->override_redirect = m.u.configure.override_redirect;
		break;
	case PROTO_MSG_WMNAME:
		snprintf(w->title, sizeof(w->title), "%s", m.u.wmname.data);
		break;
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
		on_dump(p, w, &m.u.dump_fd, cm->fds[0]);
		cm->nfds = 0; /* the import took it */
		break;
	case PROTO_MSG_SHMIMAGE:
		on_shmimage(w, &m.u.shmimage);
		break;
	default:
		break;
	}
	check(p, w);
}

static int frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	struct probe *p = ctx;
	struct proto_error err;
	if (proto_check_header(&p->peer, PROTO_FROM_AGENT, hdr, body_len, &err) == PROTO_FATAL)
		fail("the agent sent a bad header: %s", err.text);
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

/* The daemon's side of section 2.1: read the version, answer, send xconf and hello. */
static void handshake(struct probe *p)
{
	uint32_t v, negotiated;
	struct proto_error err;
	int r = chan_recv_raw(p->chan, &v, sizeof(v));
	if (r <= 0)
		return;
	if (proto_negotiate_daemon(v, &negotiated, &err))
		fail("the agent's version: %s", err.text);
	struct proto_xconf xc;
	proto_xconf_make(1280, 1024, 24, &xc);
	struct proto_msg hello = {.type = PROTO_MSG_SEAM_HELLO};
	hello.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION,
						  PROTO_SEAM_FEATURE_MEMFD};
	if (chan_send(p->chan, &negotiated, 4, NULL, 0) ||
	    chan_send(p->chan, &xc, sizeof(xc), NULL, 0) || chan_send_msg(p->chan, &hello, NULL, 0))
		fail("cannot answer the handshake");
	p->peer = (struct proto_peer){.version = negotiated, .seam_hello_sent = true};
	p->hs_done = true;
	printf("handshake: agent %u.%u, negotiated %u.%u\n", PROTO_VERSION_MAJOR(v),
	       PROTO_VERSION_MINOR(v), PROTO_VERSION_MAJOR(negotiated),
	       PROTO_VERSION_MINOR(negotiated));
	fflush(stdout);
}

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: agent-probe --channel unix:PATH --expect-title T [--timeout S]\n"
	       "                   [--expect-size WxH] [--then-input KEYCODE] [--then-resize WxH]\n"
	       "                   [--then-close] [-v]\n");
}

static void parse_size(const char *s, uint32_t *w, uint32_t *h)
{
	char extra;
	if (sscanf(s, "%ux%u%c", w, h, &extra) != 2 || !*w || !*h || *w > PROTO_MAX_WINDOW_WIDTH ||
	    *h > PROTO_MAX_WINDOW_HEIGHT) {
		fprintf(stderr, "agent-probe: '%s': expected WxH\n", s);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"expect-title", required_argument, NULL, 't'},
	    {"expect-size", required_argument, NULL, 's'},
	    {"then-resize", required_argument, NULL, 'r'},
	    {"then-close", no_argument, NULL, 'C'},
	    {"then-input", required_argument, NULL, 'i'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct probe probe;
	struct probe *p = &probe;
	const char *channel = NULL;
	double timeout_s = 10;
	int opt;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			channel = optarg;
			break;
		case 't':
			p->title = optarg;
			break;
		case 's':
			parse_size(optarg, &p->want_w, &p->want_h);
			break;
		case 'r':
			parse_size(optarg, &p->resize_w, &p->resize_h);
			break;
		case 'C':
			p->then_close = true;
			break;
		case 'i':
			p->input_keycode = (unsigned)atoi(optarg);
			if (p->input_keycode < PROTO_X_KEYCODE_MIN ||
			    p->input_keycode > PROTO_X_KEYCODE_MAX) {
				fprintf(stderr, "agent-probe: --then-input: a keycode 8..255\n");
				return 2;
			}
			break;
		case 'T':
			timeout_s = atof(optarg);
			break;
		case 'v':
			p->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!channel || !p->title || timeout_s <= 0) {
		usage(stderr);
		return 2;
	}
	struct chan_config cfg = {.sock_gid = -1, .frame = frame, .frame_ctx = p};
	int rc = chan_open(channel, CHAN_HOST, &cfg, &p->chan);
	if (rc)
		fail("cannot listen on %s: %s", channel, strerror(-rc));
	if ((rc = shmbuf_pool_create(NULL, 0, &p->pool)))
		fail("shmbuf pool: %s", strerror(-rc));
	printf("listening on %s\n", channel);
	fflush(stdout);

	int64_t deadline = mono_ms() + (int64_t)(timeout_s * 1000);
	while (p->stage != STAGE_DONE) {
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			fail("timeout after %g s waiting for '%s'%s%s", timeout_s, p->title,
			     p->last_problem[0] ? ": " : " (never seen)", p->last_problem);
		int ct = chan_timeout_ms(p->chan);
		int t = ct >= 0 && ct < left ? ct : (int)left;
		struct pollfd pfd;
		chan_pollfd(p->chan, &pfd);
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, t);
		unsigned ev = chan_dispatch(p->chan, pfd.revents);
		if (ev & CHAN_EV_CONNECTED) {
			printf("agent connected\n");
			fflush(stdout);
		}
		for (;;) {
			if (!p->hs_done) {
				handshake(p);
				if (!p->hs_done)
					break;
			}
			struct chan_msg cm;
			if (chan_recv(p->chan, &cm) <= 0)
				break;
			handle(p, &cm);
			for (unsigned i = 0; i < cm.nfds; i++)
				close(cm.fds[i]);
			if (p->stage == STAGE_DONE)
				break;
		}
		if (ev & CHAN_EV_DISCONNECTED) {
			printf("agent disconnected: %s\n", chan_error(p->chan));
			fflush(stdout);
			for (unsigned i = 0; i < p->nwins; i++)
				drop_buffer(&p->wins[i]);
			p->nwins = 0;
			p->hs_done = false;
			p->peer = (struct proto_peer){0};
		}
	}
	for (unsigned i = 0; i < p->nwins; i++)
		drop_buffer(&p->wins[i]);
	shmbuf_pool_destroy(p->pool);
	/* Let queued acknowledgements reach the agent before the socket closes. */
	for (int i = 0; i < 100 && chan_queued(p->chan); i++) {
		struct pollfd pfd;
		chan_pollfd(p->chan, &pfd);
		poll(&pfd, 1, 10);
		chan_dispatch(p->chan, pfd.revents);
	}
	chan_close(p->chan);
	return 0;
}
