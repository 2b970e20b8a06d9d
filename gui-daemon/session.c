/* The agent's session (gui-daemon/session.h): handshake, Seam hello, and the header rules checked
 * before any body byte is awaited. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-daemon/session.h"

enum session_state {
	SESSION_WAIT_AGENT = 0, /* no agent connected */
	SESSION_WAIT_VERSION,	/* connected, waiting for the agent's raw version */
	SESSION_RUNNING,	/* handshake done: framed messages */
};

struct session {
	struct chan *chan;
	enum session_state state;
	struct proto_peer peer;
	bool memfd_offered;
	uint32_t withheld;	  /* PROTO_SEAM_FEATURE_* this guest's options turn off */
	const struct display *dp; /* its size now goes into each connection's xconf */
	uint32_t depth;
	char address[128];
	/* Connections in the current second, and when it began: a guest that connects in a loop is
	 * held off (see session_begin). */
	unsigned connects;
	int64_t connects_since_ms;
	/* A guest can reconnect and break the protocol at will: what it makes the session say is
	 * rate-limited, per daemon. */
	struct log_limit fail_limit, connect_limit, hold_limit;
};

/* The channel's frame check. */
static int frame_check(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	return session_frame(ctx, hdr, body_len, nfds) ? -1 : 0;
}

int session_create(const char *address, const struct display *dp, struct session **out, char *why,
		   size_t why_len)
{
	*out = NULL;
	struct session *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	s->dp = dp;
	s->depth = display_screen(dp)->root_depth;
	snprintf(s->address, sizeof(s->address), "%s", address);
	struct chan_config cfg = {.sock_gid = -1, .frame = frame_check, .frame_ctx = s};
	int rc = chan_open(address, CHAN_HOST, &cfg, &s->chan);
	if (rc) {
		snprintf(why, why_len, "cannot open the channel '%s'", address);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void session_destroy(struct session *s)
{
	if (!s)
		return;
	chan_close(s->chan);
	free(s);
}

void session_pollfd(const struct session *s, struct pollfd *pfd)
{
	chan_pollfd(s->chan, pfd);
}

int session_timeout_ms(const struct session *s)
{
	return chan_timeout_ms(s->chan);
}

unsigned session_dispatch(struct session *s, short revents)
{
	return chan_dispatch(s->chan, revents);
}

bool session_connected(const struct session *s)
{
	return chan_state(s->chan) == CHAN_CONNECTED;
}

void session_begin(struct session *s)
{
	s->state = SESSION_WAIT_VERSION;
	s->peer = (struct proto_peer){0};
	int64_t now = mono_ms();
	if (now - s->connects_since_ms >= 1000) {
		s->connects_since_ms = now;
		s->connects = 0;
	}
	if (++s->connects < SESSION_MAX_CONNECTS_PER_S)
		return;
	/* The channel stops listening for a while; this connection goes on, and the loop too. */
	chan_hold_off(s->chan, SESSION_CONNECT_HOLD_MS);
	s->connects_since_ms = now + SESSION_CONNECT_HOLD_MS;
	s->connects = 0;
	log_limited(&s->hold_limit, LOG_WARN,
		    "the guest connected %u times in a second: no new connection for %d ms",
		    SESSION_MAX_CONNECTS_PER_S, SESSION_CONNECT_HOLD_MS);
}

/* What this daemon offers in its hello: memfd buffers where the transport carries fds; the host's
 * keyboard, window icons, display settings and monitor layout always; notifications unless
 * withheld. */
static uint32_t session_offer(const struct session *s)
{
	return ((s->memfd_offered ? PROTO_SEAM_FEATURE_MEMFD : 0) | PROTO_SEAM_FEATURE_KEYBOARD |
		PROTO_SEAM_FEATURE_ICONS | PROTO_SEAM_FEATURE_DISPLAY_SETTINGS |
		PROTO_SEAM_FEATURE_MONITORS | PROTO_SEAM_FEATURE_NOTIFY) &
	       ~s->withheld;
}

void session_withhold(struct session *s, uint32_t features)
{
	s->withheld |= features;
}

void session_handshake(struct session *s)
{
	if (s->state != SESSION_WAIT_VERSION)
		return;
	uint32_t version;
	int r = chan_recv_raw(s->chan, &version, sizeof(version));
	if (r <= 0)
		return;
	struct proto_error err;
	uint32_t negotiated;
	if (proto_negotiate_daemon(version, &negotiated, &err)) {
		session_fail(s, err.text);
		return;
	}
	struct proto_xconf xconf;
	uint32_t screen_w, screen_h;
	display_size(s->dp, &screen_w, &screen_h);
	proto_xconf_make(screen_w, screen_h, s->depth, &xconf);
	s->peer = (struct proto_peer){.version = negotiated};
	/* Memfd buffers need a transport that carries fds (without MIT-SHM on the host they are
	 * still read, and drawn through the X socket). */
	s->memfd_offered = chan_can_pass_fds(s->chan);
	struct proto_msg hello = {.type = PROTO_MSG_SEAM_HELLO};
	hello.u.hello =
	    (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, session_offer(s)};
	s->state = SESSION_RUNNING;
	if (chan_send(s->chan, &negotiated, sizeof(negotiated), NULL, 0) ||
	    chan_send(s->chan, &xconf, sizeof(xconf), NULL, 0) ||
	    chan_send_msg(s->chan, &hello, NULL, 0))
		return;
	s->peer.seam_hello_sent = true;
	log_limited(&s->connect_limit, LOG_INFO, "agent connected: protocol %u.%u, screen %ux%u",
		    PROTO_VERSION_MAJOR(negotiated), PROTO_VERSION_MINOR(negotiated), xconf.w,
		    xconf.h);
}

bool session_running(const struct session *s)
{
	return s->state == SESSION_RUNNING;
}

int session_recv(struct session *s, struct chan_msg *m)
{
	if (s->state != SESSION_RUNNING)
		return 0;
	return chan_recv(s->chan, m);
}

void session_end(struct session *s)
{
	s->state = SESSION_WAIT_AGENT;
	s->peer = (struct proto_peer){0};
}

const char *session_error(const struct session *s)
{
	return chan_error(s->chan);
}

int session_frame(struct session *s, const struct proto_hdr *hdr, uint32_t *body_len,
		  unsigned *nfds)
{
	struct proto_error err;
	if (proto_check_header(&s->peer, PROTO_FROM_AGENT, hdr, body_len, &err) == PROTO_FATAL) {
		log_limited(&s->fail_limit, LOG_WARN, "closing the guest's connection: %s",
			    err.text);
		return -EPROTO;
	}
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

enum proto_verdict session_decode(const struct session *s, const struct proto_hdr *hdr,
				  const uint8_t *body, unsigned nfds, struct proto_msg *out,
				  struct proto_error *err)
{
	return proto_decode(&s->peer, PROTO_FROM_AGENT, hdr, body, hdr->untrusted_len, nfds, out,
			    err);
}

int session_accept_hello(struct session *s, const struct proto_seam_hello *hello)
{
	struct proto_error err;
	uint32_t agreed;
	if (proto_seam_accept_hello(hello, session_offer(s), &agreed, &err)) {
		session_fail(s, err.text);
		return -EPROTO;
	}
	s->peer.seam = true;
	s->peer.seam_features = agreed;
	log_limited(&s->connect_limit, LOG_INFO, "the agent is Seam (features 0x%x)", agreed);
	return 0;
}

void session_fail(struct session *s, const char *why)
{
	log_limited(&s->fail_limit, LOG_WARN, "closing the guest's connection: %s", why);
	chan_fail(s->chan, why);
}

bool session_has_feature(const struct session *s, uint32_t feature)
{
	return s->state == SESSION_RUNNING && s->peer.seam &&
	       (s->peer.seam_features & feature) == feature;
}

int session_send(struct session *s, const struct proto_msg *m)
{
	if (s->state != SESSION_RUNNING)
		return -ENOTCONN;
	return chan_send_msg(s->chan, m, NULL, 0);
}

uint32_t session_peer_domid(const struct session *s)
{
	return chan_peer_domid(s->chan);
}

const char *session_socket_path(const struct session *s)
{
	/* A channel that carries fds is a local socket, and its address is the scheme, a colon and
	 * the socket's path. */
	if (!chan_can_pass_fds(s->chan))
		return NULL;
	const char *colon = strchr(s->address, ':');
	return colon ? colon + 1 : NULL;
}
