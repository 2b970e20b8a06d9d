/* The connection to the host daemon: the handshake and Seam hello, the window messages in the
 * order docs/protocol.md section 3 gives, the daemon's messages, and the replay after a
 * reconnection. The daemon is trusted, but its messages are still decoded and validated by
 * protocol/ so that a daemon bug cannot feed out-of-range values to the guest X server. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-agent/agent.h"

bool conn_ready(const struct agent *a)
{
	return a->state == CONN_READY;
}

static bool announced(const struct agent *a, const struct agent_window *w)
{
	return a->state == CONN_READY && w->announced;
}

bool conn_send(struct agent *a, const struct proto_msg *m, const int *fds, unsigned nfds)
{
	int rc = chan_send_msg(a->chan, m, fds, nfds);
	if (rc) {
		log_warn("sending %s for 0x%x failed: %s", proto_type_name(m->type), m->window,
			 strerror(-rc));
		return false;
	}
	return true;
}

static void send_empty(struct agent *a, uint32_t type, xcb_window_t id)
{
	struct proto_msg m = {.type = type, .window = id};
	conn_send(a, &m, NULL, 0);
}

/* ---- Window messages ---------------------------------------------------------------------- */

static void send_create(struct agent *a, struct agent_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = w->id};
	m.u.create =
	    (struct proto_create){.x = w->x,
				  .y = w->y,
				  .width = agent_clamp_size(w->width, PROTO_MAX_WINDOW_WIDTH),
				  .height = agent_clamp_size(w->height, PROTO_MAX_WINDOW_HEIGHT),
				  .override_redirect = w->override_redirect};
	conn_send(a, &m, NULL, 0);
}

static void send_configure(struct agent *a, struct agent_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
	m.u.configure = (struct proto_configure){
	    w->x, w->y, agent_clamp_size(w->width, PROTO_MAX_WINDOW_WIDTH),
	    agent_clamp_size(w->height, PROTO_MAX_WINDOW_HEIGHT), w->override_redirect};
	conn_send(a, &m, NULL, 0);
}

static void send_wmname(struct agent *a, struct agent_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WMNAME, .window = w->id};
	m.u.wmname = w->name;
	if (conn_send(a, &m, NULL, 0))
		w->name_sent = true;
}

static void send_wmclass(struct agent *a, struct agent_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WMCLASS, .window = w->id};
	m.u.wmclass = w->wmclass;
	conn_send(a, &m, NULL, 0);
}

static void send_hints(struct agent *a, struct agent_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_HINTS, .window = w->id};
	m.u.hints = w->hints;
	conn_send(a, &m, NULL, 0);
}

/* What changed since the daemon last heard; nothing if nothing did. */
static void send_flags(struct agent *a, struct agent_window *w)
{
	uint32_t now = props_flags(w);
	uint32_t set = now & ~w->flags_sent;
	uint32_t unset = w->flags_sent & ~now & PROTO_FLAGS_UNSET_ALLOWED;
	if (!set && !unset)
		return;
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){set, unset};
	if (conn_send(a, &m, NULL, 0))
		w->flags_sent = now;
}

static void send_map(struct agent *a, struct agent_window *w)
{
	struct agent_window *t = w->transient_for ? wm_find(a, w->transient_for) : NULL;
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = w->id};
	m.u.map = (struct proto_map_info){t && t->announced ? t->id : 0, w->override_redirect};
	conn_send(a, &m, NULL, 0);
}

/* The whole state of a window, for a daemon that has never heard of it: section 3.9's order. A
 * window that is new and not mapped yet goes out in section 3.1's order instead. */
static void announce(struct agent *a, struct agent_window *w)
{
	w->announced = true;
	w->wait_echo = false;
	w->flags_sent = 0;
	w->name_sent = false;
	send_create(a, w);
	if (!w->mapped) {
		send_hints(a, w);
		send_wmclass(a, w);
		send_wmname(a, w);
		return;
	}
	send_configure(a, w);
	damage_dump(a, w);
	send_wmclass(a, w);
	send_hints(a, w);
	send_map(a, w);
	send_wmname(a, w);
	send_flags(a, w);
	damage_all(w);
}

static bool is_zombie(const struct agent *a, xcb_window_t id)
{
	for (unsigned i = 0; i < a->nzombies; i++)
		if (a->zombies[i] == id)
			return true;
	return false;
}

void conn_window_created(struct agent *a, struct agent_window *w)
{
	if (a->state != CONN_READY)
		return;
	if (is_zombie(a, w->id)) {
		/* The daemon may still send messages about the old window of this id. */
		w->wait_echo = true;
		log_debug("window 0x%x reuses an id whose DESTROY is not echoed yet: waiting",
			  w->id);
		return;
	}
	announce(a, w);
}

void conn_window_mapped(struct agent *a, struct agent_window *w)
{
	if (!announced(a, w))
		return;
	damage_dump(a, w);
	send_flags(a, w);
	send_map(a, w);
	if (!w->name_sent)
		send_wmname(a, w);
	damage_all(w);
}

void conn_window_unmapped(struct agent *a, struct agent_window *w)
{
	if (!announced(a, w))
		return;
	send_empty(a, PROTO_MSG_UNMAP, w->id);
	w->name_sent = false; /* section 3.5: the title follows the next MAP again */
}

void conn_window_destroyed(struct agent *a, struct agent_window *w)
{
	if (!announced(a, w))
		return;
	send_empty(a, PROTO_MSG_DESTROY, w->id);
	w->announced = false;
	if (a->nzombies == a->zombies_cap) {
		unsigned cap = a->zombies_cap ? a->zombies_cap * 2 : 16;
		xcb_window_t *p = realloc(a->zombies, cap * sizeof(*p));
		if (!p)
			return; /* only the id-reuse wait is lost */
		a->zombies = p;
		a->zombies_cap = cap;
	}
	a->zombies[a->nzombies++] = w->id;
}

void conn_send_configure(struct agent *a, struct agent_window *w)
{
	if (announced(a, w))
		send_configure(a, w);
}

void conn_send_wmname(struct agent *a, struct agent_window *w)
{
	if (announced(a, w))
		send_wmname(a, w);
}

void conn_send_wmclass(struct agent *a, struct agent_window *w)
{
	if (announced(a, w))
		send_wmclass(a, w);
}

void conn_send_hints(struct agent *a, struct agent_window *w)
{
	if (announced(a, w))
		send_hints(a, w);
}

void conn_send_flags(struct agent *a, struct agent_window *w)
{
	/* An unmapped window's flags go out with its next MAP. */
	if (announced(a, w) && w->mapped)
		send_flags(a, w);
}

void conn_send_minimize(struct agent *a, struct agent_window *w)
{
	if (!announced(a, w) || !w->mapped)
		return;
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_MINIMIZE, 0};
	conn_send(a, &m, NULL, 0);
}

/* ---- Connection life cycle ------------------------------------------------------------------ */

int conn_frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	struct agent *a = ctx;
	struct proto_error err;
	if (proto_check_header(&a->peer, PROTO_FROM_DAEMON, hdr, body_len, &err) == PROTO_FATAL) {
		log_error("daemon: %s", err.text);
		return -1;
	}
	*nfds = 0; /* no daemon message carries a descriptor */
	return 0;
}

static void fail(struct agent *a, const char *why)
{
	log_error("daemon: %s", why);
	chan_fail(a->chan, why);
	a->state = CONN_DOWN;
}

void conn_connected(struct agent *a)
{
	a->peer = (struct proto_peer){0};
	a->memfd = false;
	a->state = CONN_VERSION;
	uint32_t v = PROTO_VERSION_CURRENT;
	log_info("connected to the daemon");
	if (chan_send(a->chan, &v, sizeof(v), NULL, 0))
		a->state = CONN_DOWN;
}

/* gntalloc shares at most `limit` pages for the whole guest, 1024 by default: less than one
 * full-screen window. Say so when the connection starts rather than when a window stays blank. */
static void check_grant_limit(uint32_t screen_w, uint32_t screen_h)
{
	static const char path[] = "/sys/module/xen_gntalloc/parameters/limit";
	FILE *f = fopen(path, "r");
	if (!f)
		return; /* not loaded yet, or not readable: the first buffer will tell */
	long limit = -1;
	if (fscanf(f, "%ld", &limit) != 1)
		limit = -1;
	fclose(f);
	uint64_t need = PROTO_NUM_PAGES((uint64_t)screen_w * screen_h * 4u);
	if (limit >= 0 && (uint64_t)limit < need)
		log_warn("gntalloc's limit is %ld pages, less than one %ux%u window needs (%llu "
			 "pages) and shared by every window: raise it, e.g. echo 65536 > %s",
			 limit, screen_w, screen_h, (unsigned long long)need, path);
}

static void become_ready(struct agent *a)
{
	a->state = CONN_READY;
	if (!a->memfd && a->unix_transport && !a->warned_no_buffers) {
		log_warn(
		    "the daemon did not agree on memfd buffers (needs a Seam daemon on unix:): "
		    "windows travel without pixels");
		a->warned_no_buffers = true;
	}
	log_info("ready: %s%s, sending %u windows", a->peer.seam ? "Seam" : "Qubes protocol",
		 a->memfd ? " with memfd buffers" : a->unix_transport ? "" : " with grant buffers",
		 a->nwindows);
	wm_for_each(a, announce);
}

static void accept_hello(struct agent *a, const struct proto_seam_hello *hello)
{
	struct proto_error err;
	uint32_t offer = a->unix_transport ? PROTO_SEAM_FEATURE_MEMFD : 0, agreed;
	if (proto_seam_accept_hello(hello, offer, &agreed, &err)) {
		fail(a, err.text);
		return;
	}
	a->peer.seam = true;
	a->peer.seam_features = agreed;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, agreed};
	if (!conn_send(a, &m, NULL, 0))
		return;
	a->peer.seam_hello_sent = true;
	a->memfd = (agreed & PROTO_SEAM_FEATURE_MEMFD) != 0;
}

static void destroy_echo(struct agent *a, xcb_window_t id)
{
	for (unsigned i = 0; i < a->nzombies; i++) {
		if (a->zombies[i] == id) {
			a->zombies[i] = a->zombies[--a->nzombies];
			break;
		}
	}
	struct agent_window *w = wm_find(a, id);
	if (w && w->wait_echo && !is_zombie(a, id))
		announce(a, w);
}

static void dispatch(struct agent *a, const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_MSG_KEYMAP_NOTIFY:
		input_keymap(a, &m->u.keymap);
		return;
	case PROTO_MSG_CLIPBOARD_REQ:
		clipboard_request(a);
		return;
	case PROTO_MSG_CLIPBOARD_DATA:
		clipboard_set(a, m->data, m->data_len);
		return;
	case PROTO_MSG_EXECUTE:
		log_warn("daemon sent EXECUTE: never executed");
		return;
	case PROTO_MSG_SEAM_HELLO:
		log_debug("a second Seam hello: not answered");
		return;
	case PROTO_MSG_DESTROY:
		destroy_echo(a, m->window);
		return;
	default:
		break;
	}
	struct agent_window *w = wm_find(a, m->window);
	if (!w || !w->announced) {
		log_debug("%s for unknown window 0x%x ignored", proto_type_name(m->type),
			  m->window);
		return;
	}
	switch (m->type) {
	case PROTO_MSG_KEYPRESS:
		input_keypress(a, w, &m->u.keypress);
		break;
	case PROTO_MSG_BUTTON:
		input_button(a, w, &m->u.button);
		break;
	case PROTO_MSG_MOTION:
		input_motion(a, w, &m->u.motion);
		break;
	case PROTO_MSG_CROSSING:
		input_crossing(a, w, &m->u.crossing);
		break;
	case PROTO_MSG_FOCUS:
		input_focus(a, w, &m->u.focus);
		break;
	case PROTO_MSG_CONFIGURE:
		input_configure(a, w, &m->u.configure);
		break;
	case PROTO_MSG_CLOSE:
		input_close(a, w);
		break;
	case PROTO_MSG_WINDOW_DUMP_ACK:
		damage_ack(a, w);
		break;
	default:
		/* MAP (unused by daemons), WINDOW_FLAGS (the host's acknowledgement), RESIZE
		 * (obsolete): nothing to do. */
		break;
	}
}

static void handle(struct agent *a, struct chan_msg *cm)
{
	struct proto_msg m;
	struct proto_error err;
	enum proto_verdict v = proto_decode(&a->peer, PROTO_FROM_DAEMON, &cm->hdr, cm->body,
					    cm->hdr.untrusted_len, cm->nfds, &m, &err);
	if (v == PROTO_FATAL) {
		fail(a, err.text);
		return;
	}
	if (v == PROTO_DROP)
		log_warn("daemon: dropped: %s", err.text);
	else if (v == PROTO_SKIP)
		log_debug("daemon: skipped unknown message type %u", cm->hdr.type);
	if (a->state == CONN_HELLO) {
		/* A Seam daemon's first message is its hello; anything else means a Qubes daemon.
		 */
		if (v == PROTO_OK && m.type == PROTO_MSG_SEAM_HELLO) {
			accept_hello(a, &m.u.hello);
			if (a->state == CONN_HELLO)
				become_ready(a);
			return;
		}
		become_ready(a);
	}
	if (v == PROTO_OK)
		dispatch(a, &m);
}

void conn_input(struct agent *a)
{
	for (;;) {
		switch (a->state) {
		case CONN_DOWN:
			return;
		case CONN_VERSION: {
			uint32_t v;
			struct proto_error err;
			if (chan_recv_raw(a->chan, &v, sizeof(v)) <= 0)
				return;
			if (proto_negotiate_agent(v, &err)) {
				fail(a, err.text);
				return;
			}
			a->negotiated = v;
			a->state = CONN_XCONF;
			break;
		}
		case CONN_XCONF: {
			struct proto_xconf xc;
			struct proto_error err;
			if (chan_recv_raw(a->chan, &xc, sizeof(xc)) <= 0)
				return;
			if (proto_validate_xconf(&xc, &err)) {
				fail(a, err.text);
				return;
			}
			a->peer.version = a->negotiated;
			log_info("protocol %u.%u, host screen %ux%u depth %u",
				 PROTO_VERSION_MAJOR(a->negotiated),
				 PROTO_VERSION_MINOR(a->negotiated), xc.w, xc.h, xc.depth);
			if (!a->unix_transport)
				check_grant_limit(xc.w, xc.h);
			/* Over unix: the daemon's first message decides whether buffers can travel;
			 * over vchan there is nothing to wait for (section 2.4). */
			if (a->unix_transport)
				a->state = CONN_HELLO;
			else
				become_ready(a);
			break;
		}
		case CONN_HELLO:
		case CONN_READY: {
			struct chan_msg cm;
			if (chan_recv(a->chan, &cm) <= 0)
				return;
			handle(a, &cm);
			for (unsigned i = 0; i < cm.nfds; i++)
				close(cm.fds[i]);
			break;
		}
		}
	}
}

static void forget(struct agent *a, struct agent_window *w)
{
	w->announced = false;
	w->wait_echo = false;
	w->name_sent = false;
	w->flags_sent = 0;
	damage_drop_pending(a, w);
}

void conn_disconnected(struct agent *a)
{
	log_warn("disconnected from the daemon: %s", chan_error(a->chan));
	a->state = CONN_DOWN;
	a->peer = (struct proto_peer){0};
	a->memfd = false;
	a->nzombies = 0;
	a->cursor_sent_window = XCB_NONE;
	wm_for_each(a, forget);
}
