/* The agent's messages (gui-daemon/conn.h). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/conn.h"

struct conn {
	struct session *session;
	struct window_table *windows;
	struct clipboard *clipboard;
	struct keyboard *keyboard;
	struct icon *icon;
	struct dpi *dpi;
	struct notify *notify;
	struct tray *tray;
	struct screen *screen;
	bool backlog;
	/* A guest can repeat a dropped message as often as it likes: these lines are rate-limited,
	 * per daemon (a guest names window ids at will). */
	struct log_limit unknown_limit, dropped_limit, adjusted_limit;
	struct log_limit gone_limit; /* a guest can connect and leave in a loop */
};

int conn_create(struct session *s, struct window_table *windows, struct clipboard *clipboard,
		struct keyboard *keyboard, struct icon *icon, struct dpi *dpi,
		struct notify *notify, struct screen *screen, struct conn **out)
{
	struct conn *c = calloc(1, sizeof(*c));
	*out = c;
	if (!c)
		return -ENOMEM;
	c->session = s;
	c->windows = windows;
	c->clipboard = clipboard;
	c->keyboard = keyboard;
	c->icon = icon;
	c->dpi = dpi;
	c->notify = notify;
	c->screen = screen;
	return 0;
}

void conn_destroy(struct conn *c)
{
	free(c);
}

void conn_set_tray(struct conn *c, struct tray *tray)
{
	c->tray = tray;
}

static void ack_dump(struct conn *c, uint32_t window)
{
	struct proto_msg ack = {.type = PROTO_MSG_WINDOW_DUMP_ACK, .window = window};
	session_send(c->session, &ack);
}

/* A buffer for the window; fds[0] is taken (set to -1) for a memfd. */
static void take_buffer(struct conn *c, struct window *w, const struct proto_msg *m, int *fds)
{
	struct shmbuf_export offer;
	if (m->type == PROTO_MSG_SEAM_WINDOW_DUMP_FD) {
		offer = (struct shmbuf_export){.kind = SHMBUF_MEMFD,
					       .width = m->u.dump_fd.width,
					       .height = m->u.dump_fd.height,
					       .stride = m->u.dump_fd.stride,
					       .fd = fds[0]};
		fds[0] = -1; /* ownership passes to the buffer code, which closes it if refused */
	} else {
		offer = (struct shmbuf_export){.kind = SHMBUF_GRANT,
					       .width = m->u.dump.width,
					       .height = m->u.dump.height,
					       .refs = (const uint32_t *)m->data,
					       .nrefs = m->data_len / 4};
	}
	window_take_buffer(w, &offer);
	/* Acknowledged even when refused (the window then shows nothing new): the agent may let go
	 * of its previous buffer either way. */
	ack_dump(c, window_id(w));
}

/* Handle one validated message; fds[0] is taken (set to -1) by the one message that keeps it. */
static void handle(struct conn *c, const struct proto_msg *m, int *fds)
{
	if (m->type == PROTO_MSG_SEAM_HELLO) {
		if (session_accept_hello(c->session, &m->u.hello) == 0) {
			keyboard_agent_ready(c->keyboard);
			dpi_agent_ready(c->dpi);
			screen_agent_ready(c->screen);
		}
		return;
	}
	if (m->type == PROTO_MSG_CLIPBOARD_DATA) {
		clipboard_data(c->clipboard, m->data, m->data_len);
		return;
	}
	if (m->type == PROTO_MSG_SEAM_NOTIFY) {
		notify_guest(c->notify, &m->u.notify, m->data);
		return;
	}
	if (m->type == PROTO_MSG_MFNDUMP) {
		session_fail(c->session, "MFNDUMP (foreign page mapping) is not supported");
		return;
	}
	if (m->type == PROTO_MSG_CREATE) {
		if (window_find(c->windows, m->window)) {
			session_fail(c->session, "CREATE of a window id that already exists");
			return;
		}
		if (window_create(c->windows, m->window, &m->u.create) == 0)
			icon_set_plain(c->icon, window_frame(window_find(c->windows, m->window)));
		return;
	}
	struct window *w = window_find(c->windows, m->window);
	if (!w) {
		log_limited(&c->unknown_limit, LOG_INFO, "dropped %s for unknown window 0x%x",
			    proto_type_name(m->type), m->window);
		/* Keep an agent that counts acknowledgements in step. */
		if (m->type == PROTO_MSG_SEAM_WINDOW_DUMP_FD || m->type == PROTO_MSG_WINDOW_DUMP)
			ack_dump(c, m->window);
		return;
	}
	switch (m->type) {
	case PROTO_MSG_DESTROY: {
		icon_forget(c->icon, m->window, false);
		window_destroy(w);
		struct proto_msg echo = {.type = PROTO_MSG_DESTROY, .window = m->window};
		session_send(c->session, &echo);
		break;
	}
	case PROTO_MSG_MAP:
		window_map(w, &m->u.map);
		break;
	case PROTO_MSG_UNMAP:
		window_unmap(w);
		break;
	case PROTO_MSG_CONFIGURE:
		window_configure(w, &m->u.configure);
		break;
	case PROTO_MSG_SHMIMAGE:
		window_repaint(w, m->u.shmimage.x, m->u.shmimage.y, m->u.shmimage.width,
			       m->u.shmimage.height);
		break;
	case PROTO_MSG_WMNAME:
		window_title(w, &m->u.wmname);
		break;
	case PROTO_MSG_WMCLASS:
		window_class(w, &m->u.wmclass);
		break;
	case PROTO_MSG_WINDOW_HINTS:
		window_hints(w, &m->u.hints);
		break;
	case PROTO_MSG_WINDOW_FLAGS:
		window_flags(w, &m->u.flags);
		break;
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
	case PROTO_MSG_WINDOW_DUMP:
		take_buffer(c, w, m, fds);
		break;
	case PROTO_MSG_CURSOR:
		window_cursor(w, &m->u.cursor);
		break;
	case PROTO_MSG_DOCK:
		tray_dock(c->tray, w);
		break;
	case PROTO_MSG_SEAM_ICON:
		icon_set(c->icon, m->window, window_frame(w), &m->u.icon, m->data);
		break;
	default:
		break;
	}
}

void conn_handle(struct conn *c, const struct proto_hdr *hdr, const uint8_t *body, int *fds,
		 unsigned nfds)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v = session_decode(c->session, hdr, body, nfds, &m, &err);
	if (v == PROTO_FATAL)
		session_fail(c->session, err.text);
	else if (v == PROTO_OK) {
		/* Clamped or partly dropped, as Qubes' daemon does (docs/protocol.md section 1.4).
		 */
		if (err.field)
			log_limited(&c->adjusted_limit, LOG_INFO, "adjusted a message: %s",
				    err.text);
		handle(c, &m, fds);
	} else
		log_limited(&c->dropped_limit, LOG_INFO, "dropped a message: %s", err.text);
	for (unsigned i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void run_messages(struct conn *c)
{
	c->backlog = false;
	for (int i = 0; i < CONN_MSGS_PER_TURN && session_running(c->session); i++) {
		struct chan_msg in;
		if (session_recv(c->session, &in) <= 0)
			return;
		c->backlog = i == CONN_MSGS_PER_TURN - 1;
		conn_handle(c, &in.hdr, in.body, in.fds, in.nfds);
	}
}

static void agent_gone(struct conn *c)
{
	log_limited(&c->gone_limit, LOG_WARN, "the agent went away (%s): removing its windows",
		    session_error(c->session));
	icon_forget(c->icon, 0, true);
	window_destroy_all(c->windows);
	session_end(c->session);
}

void conn_turn(struct conn *c, short revents)
{
	unsigned events = session_dispatch(c->session, revents);
	/* Both at once and the channel is live: the old agent went and a new one came in the same
	 * turn; the old one's windows go first, or the new one's state would be wiped. */
	if ((events & CHAN_EV_DISCONNECTED) && (events & CHAN_EV_CONNECTED) &&
	    session_connected(c->session)) {
		agent_gone(c);
		events &= ~CHAN_EV_DISCONNECTED;
	}
	if (events & CHAN_EV_CONNECTED)
		session_begin(c->session);
	session_handshake(c->session);
	if (session_running(c->session))
		run_messages(c);
	if (events & CHAN_EV_DISCONNECTED)
		agent_gone(c);
}

bool conn_backlog(const struct conn *c)
{
	return c->backlog;
}
