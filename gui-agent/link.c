/* The connection to the host daemon (gui-agent/link.h): the handshake and Seam hello of
 * docs/protocol.md section 2, and the daemon's messages. The daemon is trusted, but its messages
 * are still decoded and validated by protocol/ so that a daemon bug cannot feed out-of-range
 * values to the guest X server. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-agent/link.h"
#include "shm/chan.h"
#include "shm/surface.h"

enum link_state {
	LINK_DOWN = 0, /* no connection */
	LINK_VERSION,  /* version sent, waiting for the daemon's */
	LINK_XCONF,    /* waiting for the xconf */
	LINK_READY,    /* windows may travel */
};

struct link {
	struct chan *chan;
	struct link_handlers h;
	enum link_state state;
	uint32_t
	    negotiated; /* the daemon's version, kept until the xconf completes the handshake */
	struct proto_peer peer;
	bool memfd;		/* SEAM_WINDOW_DUMP_FD agreed on this connection */
	bool hello_pending;	/* fds travel: the daemon's first message decides memfds */
	bool daemon_spoke;	/* a message came: a Seam hello counts only as the first */
	bool warned_no_buffers; /* said once per run, not once per connection */
	char mode[64];		/* link_mode() */
	uint32_t extra_offer;	/* link_offer()'s features */
};

static int finish_open(int rc, struct link *l, struct link **out)
{
	if (rc) {
		free(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* The channel's frame check: proto_check_header() on the daemon's headers. */
static int frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	struct link *l = ctx;
	struct proto_error err;
	if (proto_check_header(&l->peer, PROTO_FROM_DAEMON, hdr, body_len, &err) == PROTO_FATAL) {
		log_error("daemon: %s", err.text);
		return -1;
	}
	*nfds = 0; /* no daemon message carries a descriptor */
	return 0;
}

static struct link *link_new(const struct link_handlers *h, struct chan_config *cfg)
{
	struct link *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	if (h)
		l->h = *h;
	*cfg = (struct chan_config){.sock_gid = -1, .frame = frame, .frame_ctx = l};
	return l;
}

int link_open(const char *address, const struct link_handlers *h, struct link **out)
{
	struct chan_config cfg;
	struct link *l = link_new(h, &cfg);
	if (!l)
		return -ENOMEM;
	return finish_open(chan_open(address, CHAN_GUEST, &cfg, &l->chan), l, out);
}

int link_open_fd(int fd, const struct link_handlers *h, struct link **out)
{
	struct chan_config cfg;
	struct link *l = link_new(h, &cfg);
	if (!l) {
		close(fd);
		return -ENOMEM;
	}
	return finish_open(chan_open_fd(fd, CHAN_GUEST, &cfg, &l->chan), l, out);
}

void link_close(struct link *l)
{
	if (!l)
		return;
	chan_close(l->chan);
	free(l);
}

void link_pollfd(const struct link *l, struct pollfd *p)
{
	chan_pollfd(l->chan, p);
}

int link_timeout_ms(const struct link *l)
{
	return chan_timeout_ms(l->chan);
}

bool link_ready(const struct link *l)
{
	return l->state == LINK_READY;
}

void link_offer(struct link *l, uint32_t features)
{
	l->extra_offer |= features;
}

bool link_seam_feature(const struct link *l, uint32_t feature)
{
	return l->state == LINK_READY && l->peer.seam &&
	       (l->peer.seam_features & feature) == feature;
}

bool link_buffers(const struct link *l)
{
	return l->memfd || !chan_can_pass_fds(l->chan);
}

uint32_t link_version(const struct link *l)
{
	return l->peer.version;
}

const char *link_mode(const struct link *l)
{
	return l->mode;
}

int link_send(struct link *l, const struct proto_msg *m, const int *fds, unsigned nfds)
{
	int rc = chan_send_msg(l->chan, m, fds, nfds);
	if (rc)
		log_warn("sending %s for 0x%x failed: %s", proto_type_name(m->type), m->window,
			 strerror(-rc));
	return rc;
}

int link_surface_create(const struct link *l, uint32_t width, uint32_t height,
			struct shm_surface **out, char *why, size_t why_len)
{
	return shm_surface_create(l->chan, width, height, out, why, why_len);
}

int link_surface_adopt(const struct link *l, int fd, uint32_t width, uint32_t height,
		       uint32_t stride, struct shm_surface **out, char *why, size_t why_len)
{
	return shm_surface_adopt(l->chan, fd, width, height, stride, out, why, why_len);
}

int link_surface_adopt_grants(const struct link *l, uint32_t domid, const uint32_t *refs,
			      uint32_t nrefs, uint32_t width, uint32_t height,
			      struct shm_surface **out, char *why, size_t why_len)
{
	return shm_surface_adopt_grants(l->chan, domid, refs, nrefs, width, height, out, why,
					why_len);
}

/* ---- The handshake ------------------------------------------------------------------------- */

static void fail(struct link *l, const char *why)
{
	log_error("daemon: %s", why);
	chan_fail(l->chan, why);
	l->state = LINK_DOWN;
}

static void connected(struct link *l)
{
	l->peer = (struct proto_peer){0};
	l->memfd = false;
	l->hello_pending = false;
	l->state = LINK_VERSION;
	uint32_t v = PROTO_VERSION_CURRENT;
	log_info("connected to the daemon");
	if (chan_send(l->chan, &v, sizeof(v), NULL, 0))
		l->state = LINK_DOWN;
}

static void set_mode(struct link *l)
{
	snprintf(l->mode, sizeof(l->mode), "%s%s", l->peer.seam ? "Seam" : "Qubes protocol",
		 l->memfd		      ? " with memfd buffers"
		 : l->hello_pending	      ? ", buffers after the daemon's hello"
		 : chan_can_pass_fds(l->chan) ? " without buffers"
					      : " with grant buffers");
}

static void become_ready(struct link *l)
{
	l->state = LINK_READY;
	l->hello_pending = chan_can_pass_fds(l->chan);
	l->daemon_spoke = false;
	set_mode(l);
	if (l->h.ready)
		l->h.ready(l->h.ctx);
}

/* The daemon's first message was not a Seam hello: a Qubes daemon, which maps only grants. */
static void no_hello(struct link *l)
{
	l->hello_pending = false;
	set_mode(l);
	if (!l->warned_no_buffers) {
		log_warn(
		    "the daemon did not agree on memfd buffers (a Qubes daemon maps only Xen "
		    "grants; on unix: that needs a Seam daemon): windows travel without pixels");
		l->warned_no_buffers = true;
	}
}

static void accept_hello(struct link *l, const struct proto_seam_hello *hello)
{
	struct proto_error err;
	uint32_t offer = (chan_can_pass_fds(l->chan) ? PROTO_SEAM_FEATURE_MEMFD : 0) |
			 PROTO_SEAM_FEATURE_KEYBOARD | PROTO_SEAM_FEATURE_ICONS |
			 PROTO_SEAM_FEATURE_DISPLAY_SETTINGS | PROTO_SEAM_FEATURE_MONITORS |
			 l->extra_offer,
		 agreed;
	if (proto_seam_accept_hello(hello, offer, &agreed, &err)) {
		fail(l, err.text);
		return;
	}
	l->peer.seam = true;
	l->peer.seam_features = agreed;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, agreed};
	if (link_send(l, &m, NULL, 0))
		return;
	l->peer.seam_hello_sent = true;
	l->memfd = (agreed & PROTO_SEAM_FEATURE_MEMFD) != 0;
}

static void handle(struct link *l, struct chan_msg *cm)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v = proto_decode(&l->peer, PROTO_FROM_DAEMON, &cm->hdr, cm->body,
					    cm->hdr.untrusted_len, cm->nfds, &m, &err);
	if (v == PROTO_FATAL) {
		fail(l, err.text);
		return;
	}
	if (v == PROTO_DROP)
		log_warn("daemon: dropped: %s", err.text);
	else if (v == PROTO_OK && err.field)
		log_debug("daemon: %s", err.text); /* adjusted, e.g. Qubes' MAP transient_for */
	else if (v == PROTO_SKIP)
		log_debug("daemon: skipped unknown message type %u", cm->hdr.type);
	/* A Seam daemon's first message is its hello, on every transport (the keyboard and icons
	 * travel on vchan too); anything else means a Qubes daemon. */
	bool first = !l->daemon_spoke;
	l->daemon_spoke = true;
	if (first && v == PROTO_OK && m.type == PROTO_MSG_SEAM_HELLO) {
		bool waited = l->hello_pending;
		l->hello_pending = false;
		accept_hello(l, &m.u.hello);
		if (l->state != LINK_READY)
			return;
		set_mode(l);
		log_info("the daemon is Seam's: %s", l->mode);
		if (l->h.seam)
			l->h.seam(l->h.ctx);
		if (waited && l->memfd && l->h.buffers)
			l->h.buffers(l->h.ctx);
		return;
	}
	if (l->hello_pending)
		no_hello(l);
	if (v == PROTO_OK && l->h.message)
		l->h.message(l->h.ctx, &m);
}

/* The daemon's version, then its xconf, both raw; 1 to go on, 0 when the bytes are not all there
 * or the handshake failed. */
static int handshake_step(struct link *l)
{
	struct proto_error err;
	if (l->state == LINK_VERSION) {
		uint32_t v;
		if (chan_recv_raw(l->chan, &v, sizeof(v)) <= 0)
			return 0;
		if (proto_negotiate_agent(v, &err)) {
			fail(l, err.text);
			return 0;
		}
		l->negotiated = v;
		l->state = LINK_XCONF;
		return 1;
	}
	struct proto_xconf xc;
	if (chan_recv_raw(l->chan, &xc, sizeof(xc)) <= 0)
		return 0;
	proto_validate_xconf(&xc, &err);
	if (err.field)
		log_info("daemon: %s", err.text);
	l->peer.version = l->negotiated;
	log_info("protocol %u.%u, host screen %ux%u depth %u", PROTO_VERSION_MAJOR(l->negotiated),
		 PROTO_VERSION_MINOR(l->negotiated), xc.w, xc.h, xc.depth);
	char why[256];
	if (shm_surface_capacity_advice(l->chan, xc.w, xc.h, why, sizeof(why)) > 0)
		log_warn("%s", why);
	/* Windows travel at once, with either daemon; where fds travel, the daemon's first
	 * message later decides whether buffers can (docs/protocol.md section 2.4). */
	become_ready(l);
	return 1;
}

static void input(struct link *l)
{
	for (;;) {
		if (l->state == LINK_DOWN)
			return;
		if (l->state == LINK_VERSION || l->state == LINK_XCONF) {
			if (!handshake_step(l))
				return;
			continue;
		}
		struct chan_msg cm;
		if (chan_recv(l->chan, &cm) <= 0)
			return;
		handle(l, &cm);
		for (unsigned i = 0; i < cm.nfds; i++)
			close(cm.fds[i]);
	}
}

static void disconnected(struct link *l)
{
	log_warn("disconnected from the daemon: %s", chan_error(l->chan));
	l->state = LINK_DOWN;
	l->peer = (struct proto_peer){0};
	l->memfd = false;
	l->hello_pending = false;
	if (l->h.down)
		l->h.down(l->h.ctx);
}

void link_dispatch(struct link *l, short revents)
{
	unsigned ev = chan_dispatch(l->chan, revents);
	if (ev & CHAN_EV_CONNECTED)
		connected(l);
	if (ev & (CHAN_EV_CONNECTED | CHAN_EV_INPUT | CHAN_EV_DISCONNECTED))
		input(l);
	if (ev & CHAN_EV_DISCONNECTED)
		disconnected(l);
}
