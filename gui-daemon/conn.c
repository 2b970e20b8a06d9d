/* The agent's connection: handshake, Seam hello, and every message checked before it is acted on. */
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

/* Messages handled per turn of the loop, so a flooding guest cannot starve host input. */
#define MSGS_PER_TURN 256

void daemon_send(struct daemon *d, const struct proto_msg *m)
{
	if (d->state == CONN_RUNNING)
		chan_send_msg(d->chan, m, NULL, 0); /* a failure ends the connection, reported later */
}

/* The channel's frame check: the protocol's header rules, before any body byte is awaited. */
static int frame_check(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	struct daemon *d = ctx;
	struct proto_error err;
	if (proto_check_header(&d->peer, PROTO_FROM_AGENT, hdr, body_len, &err) == PROTO_FATAL) {
		log_warn("closing the guest's connection: %s", err.text);
		return -1;
	}
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

static void fail(struct daemon *d, const char *why)
{
	log_warn("closing the guest's connection: %s", why);
	chan_fail(d->chan, why);
}

static void handshake(struct daemon *d)
{
	uint32_t version;
	int r = chan_recv_raw(d->chan, &version, sizeof(version));
	if (r <= 0)
		return;
	struct proto_error err;
	uint32_t negotiated;
	if (proto_negotiate_daemon(version, &negotiated, &err)) {
		fail(d, err.text);
		return;
	}
	struct proto_xconf xconf;
	proto_xconf_make(d->screen->width_in_pixels, d->screen->height_in_pixels,
			 d->screen->root_depth, &xconf);
	d->peer = (struct proto_peer){.version = negotiated};
	/* Memfd buffers need a transport that carries fds: offered on unix: only (without MIT-SHM on
	 * the host they are still read, and drawn through the X socket). */
	d->memfd_offered = strncmp(d->opts.channel, "unix:", 5) == 0;
	struct proto_msg hello = {.type = PROTO_MSG_SEAM_HELLO};
	hello.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION,
						  d->memfd_offered ? PROTO_SEAM_FEATURE_MEMFD : 0};
	d->state = CONN_RUNNING;
	if (chan_send(d->chan, &negotiated, sizeof(negotiated), NULL, 0) ||
	    chan_send(d->chan, &xconf, sizeof(xconf), NULL, 0) ||
	    chan_send_msg(d->chan, &hello, NULL, 0))
		return;
	d->peer.seam_hello_sent = true;
	log_info("agent connected: protocol %u.%u, screen %ux%u", PROTO_VERSION_MAJOR(negotiated),
		 PROTO_VERSION_MINOR(negotiated), xconf.w, xconf.h);
}

/* Handle one validated message; fds[0] is taken (set to -1) by the one message that keeps it. */
static void handle(struct daemon *d, const struct proto_msg *m, int *fds)
{
	if (m->type == PROTO_MSG_SEAM_HELLO) {
		struct proto_error err;
		uint32_t agreed;
		if (proto_seam_accept_hello(&m->u.hello,
					    d->memfd_offered ? PROTO_SEAM_FEATURE_MEMFD : 0, &agreed,
					    &err)) {
			fail(d, err.text);
			return;
		}
		d->peer.seam = true;
		d->peer.seam_features = agreed;
		log_info("the agent is Seam (features 0x%x)", agreed);
		return;
	}
	if (m->type == PROTO_MSG_CLIPBOARD_DATA) {
		daemon_clipboard_data(d, m->data, m->data_len);
		return;
	}
	if (m->type == PROTO_MSG_MFNDUMP) {
		fail(d, "MFNDUMP (foreign page mapping) is not supported");
		return;
	}
	if (m->type == PROTO_MSG_CREATE) {
		if (daemon_window_find(d, m->window)) {
			fail(d, "CREATE of a window id that already exists");
			return;
		}
		daemon_window_create(d, m->window, &m->u.create);
		return;
	}
	struct dwin *w = daemon_window_find(d, m->window);
	if (!w) {
		static struct log_limit lim;
		log_limited(&lim, LOG_INFO, "dropped %s for unknown window 0x%x",
			    proto_type_name(m->type), m->window);
		if (m->type == PROTO_MSG_SEAM_WINDOW_DUMP_FD || m->type == PROTO_MSG_WINDOW_DUMP) {
			/* Keep an agent that counts acknowledgements in step. */
			struct proto_msg ack = {.type = PROTO_MSG_WINDOW_DUMP_ACK, .window = m->window};
			daemon_send(d, &ack);
		}
		return;
	}
	switch (m->type) {
	case PROTO_MSG_DESTROY: {
		daemon_window_destroy(d, w);
		struct proto_msg echo = {.type = PROTO_MSG_DESTROY, .window = m->window};
		daemon_send(d, &echo);
		break;
	}
	case PROTO_MSG_MAP:
		daemon_window_map(d, w, &m->u.map);
		break;
	case PROTO_MSG_UNMAP:
		daemon_window_unmap(d, w);
		break;
	case PROTO_MSG_CONFIGURE:
		daemon_window_configure(d, w, &m->u.configure);
		break;
	case PROTO_MSG_SHMIMAGE:
		daemon_paint_rect(d, w, m->u.shmimage.x, m->u.shmimage.y, m->u.shmimage.width,
				  m->u.shmimage.height);
		break;
	case PROTO_MSG_WMNAME:
		daemon_window_title(d, w, &m->u.wmname);
		break;
	case PROTO_MSG_WMCLASS:
		daemon_window_class(d, w, &m->u.wmclass);
		break;
	case PROTO_MSG_WINDOW_HINTS:
		daemon_window_hints(d, w, &m->u.hints);
		break;
	case PROTO_MSG_WINDOW_FLAGS:
		daemon_window_flags(d, w, &m->u.flags);
		break;
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
	case PROTO_MSG_WINDOW_DUMP: {
		if (m->type == PROTO_MSG_SEAM_WINDOW_DUMP_FD) {
			int fd = fds[0];
			fds[0] = -1; /* ownership passes to the buffer code, which closes it if refused */
			daemon_paint_take_memfd(d, w, fd, &m->u.dump_fd);
		} else {
			daemon_paint_take_grants(d, w, &m->u.dump, (const uint32_t *)m->data,
						 m->data_len / 4);
		}
		/* Acknowledged even when refused (the window then shows nothing new): the agent may
		 * let go of its previous buffer either way. */
		struct proto_msg ack = {.type = PROTO_MSG_WINDOW_DUMP_ACK, .window = w->id};
		daemon_send(d, &ack);
		break;
	}
	case PROTO_MSG_CURSOR:
		daemon_window_cursor(d, w, &m->u.cursor);
		break;
	default:
		/* DOCK: accepted; tray icons are not shown yet (the window stays a normal one). */
		break;
	}
}

/* A guest can repeat a dropped message as often as it likes: these lines are rate-limited. */
static struct log_limit dropped_limit;

void daemon_conn_handle(struct daemon *d, const struct proto_hdr *hdr, const uint8_t *body,
			int *fds, unsigned nfds)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v =
		proto_decode(&d->peer, PROTO_FROM_AGENT, hdr, body, hdr->untrusted_len, nfds, &m, &err);
	if (v == PROTO_FATAL)
		fail(d, err.text);
	else if (v == PROTO_OK)
		handle(d, &m, fds);
	else
		log_limited(&dropped_limit, LOG_INFO, "dropped a message: %s", err.text);
	for (unsigned i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void run_messages(struct daemon *d)
{
	d->backlog = false;
	for (int i = 0; i < MSGS_PER_TURN && d->state == CONN_RUNNING; i++) {
		struct chan_msg in;
		if (chan_recv(d->chan, &in) <= 0)
			return;
		d->backlog = i == MSGS_PER_TURN - 1;
		daemon_conn_handle(d, &in.hdr, in.body, in.fds, in.nfds);
	}
}

void daemon_conn_config(struct daemon *d, struct chan_config *cfg)
{
	*cfg = (struct chan_config){.sock_gid = -1, .frame = frame_check, .frame_ctx = d};
}

static void agent_gone(struct daemon *d)
{
	log_warn("the agent went away (%s): removing its windows", chan_error(d->chan));
	daemon_window_destroy_all(d);
	d->state = CONN_WAIT_AGENT;
	d->peer = (struct proto_peer){0};
}

void daemon_conn_event(struct daemon *d, unsigned events)
{
	/* Both at once and the channel is live: the old agent went and a new one came in the same
	 * turn; the old one's windows go first, or the new one's state would be wiped. */
	if ((events & CHAN_EV_DISCONNECTED) && (events & CHAN_EV_CONNECTED) &&
	    chan_state(d->chan) == CHAN_CONNECTED) {
		agent_gone(d);
		events &= ~CHAN_EV_DISCONNECTED;
	}
	if (events & CHAN_EV_CONNECTED) {
		d->state = CONN_WAIT_VERSION;
		d->peer = (struct proto_peer){0};
	}
	if (d->state == CONN_WAIT_VERSION)
		handshake(d);
	if (d->state == CONN_RUNNING)
		run_messages(d);
	if (events & CHAN_EV_DISCONNECTED)
		agent_gone(d);
}
