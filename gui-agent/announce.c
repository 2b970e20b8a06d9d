/* The window messages to the daemon (gui-agent/announce.h). */
#include <errno.h>
#include <stdlib.h>

#include "common/log.h"
#include "gui-agent/announce.h"

/* What the daemon has heard about one window (announce's wm data slot). */
struct announce_win {
	bool announced; /* CREATE went out on the current connection */
	bool wait_echo; /* the id is reused before the daemon echoed its predecessor's DESTROY */
	bool name_sent; /* the daemon has the current title (a MAP after UNMAP resends it) */
	uint32_t flags_sent; /* PROTO_FLAG_* the daemon last heard */
	bool icon_sent;	     /* the daemon has an icon of the window, whose hash is icon_hash */
	uint64_t icon_hash;
};

struct announce {
	const struct xctx *xc;
	struct wm *wm;
	struct link *link;
	struct damage *damage;
	const struct tray *tray;
	unsigned slot;
	xcb_window_t *zombies; /* ids whose DESTROY the daemon has not echoed yet */
	unsigned nzombies, zombies_cap;
	uint32_t *icon_pixels; /* PROTO_ICON_MAX_PIXELS: one icon read at a time */
};

static struct announce_win *win(const struct announce *an, const struct wm_window *w)
{
	return w ? wm_window_data(w, an->slot) : NULL;
}

bool announce_known(const struct announce *an, const struct wm_window *w)
{
	const struct announce_win *aw = win(an, w);
	return aw && aw->announced && link_ready(an->link);
}

static void send_msg(struct announce *an, struct proto_msg *m)
{
	link_send(an->link, m, NULL, 0);
}

static void send_create(struct announce *an, const struct wm_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = w->id};
	m.u.create = (struct proto_create){.x = w->x,
					   .y = w->y,
					   .width = wm_wire_width(w),
					   .height = wm_wire_height(w),
					   .override_redirect = w->override_redirect};
	send_msg(an, &m);
}

static void send_configure(struct announce *an, const struct wm_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = w->id};
	m.u.configure = (struct proto_configure){w->x, w->y, wm_wire_width(w), wm_wire_height(w),
						 w->override_redirect};
	send_msg(an, &m);
}

static void send_wmname(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	struct proto_msg m = {.type = PROTO_MSG_WMNAME, .window = w->id};
	m.u.wmname = w->props.name;
	if (link_send(an->link, &m, NULL, 0) == 0)
		aw->name_sent = true;
}

static void send_wmclass(struct announce *an, const struct wm_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WMCLASS, .window = w->id};
	m.u.wmclass = w->props.wmclass;
	send_msg(an, &m);
}

static void send_hints(struct announce *an, const struct wm_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_HINTS, .window = w->id};
	m.u.hints = w->props.hints;
	send_msg(an, &m);
}

/* FNV-1a: tells an icon rewritten with the same pixels (toolkits do on every map) from a new one.
 */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* The window's icon, where the hello agreed icons and unless the daemon has these pixels. */
static void send_icon(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	if (!link_seam_feature(an->link, PROTO_SEAM_FEATURE_ICONS))
		return;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_ICON, .window = w->id};
	props_read_icon(an->xc, w->id, &m.u.icon, an->icon_pixels);
	uint32_t pixels = 0;
	for (uint32_t i = 0; i < m.u.icon.count; i++)
		pixels += m.u.icon.sizes[i].width * m.u.icon.sizes[i].height;
	m.data = (const uint8_t *)an->icon_pixels;
	m.data_len = pixels * 4u;
	uint64_t h = hash_bytes(hash_bytes(0xcbf29ce484222325ull, &m.u.icon, sizeof(m.u.icon)),
				m.data, m.data_len);
	if (aw->icon_sent && h == aw->icon_hash)
		return;
	if (link_send(an->link, &m, NULL, 0) == 0) {
		aw->icon_sent = true;
		aw->icon_hash = h;
	}
}

/* What changed since the daemon last heard; nothing if nothing did. */
static void send_flags(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	uint32_t now = props_flags(&w->props);
	uint32_t set = now & ~aw->flags_sent;
	uint32_t unset = aw->flags_sent & ~now & PROTO_FLAGS_UNSET_ALLOWED;
	if (!set && !unset)
		return;
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){set, unset};
	if (link_send(an->link, &m, NULL, 0) == 0)
		aw->flags_sent = now;
}

static void send_minimize(struct announce *an, const struct wm_window *w)
{
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_MINIMIZE, 0};
	send_msg(an, &m);
}

static void send_map(struct announce *an, const struct wm_window *w)
{
	/* A tray icon is shown by the host's tray, never mapped (Qubes' agent does the same). */
	if (an->tray && tray_docked(an->tray, w)) {
		struct proto_msg dock = {.type = PROTO_MSG_DOCK, .window = w->id};
		send_msg(an, &dock);
		return;
	}
	const struct wm_window *t =
	    w->props.transient_for ? wm_find(an->wm, w->props.transient_for) : NULL;
	const struct announce_win *tw = win(an, t);
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = w->id};
	m.u.map = (struct proto_map_info){tw && tw->announced ? t->id : 0, w->override_redirect};
	send_msg(an, &m);
}

/* The whole state of a mapped window, for a daemon that has never heard of it: section 3.9's
 * order. Windows are announced only once shown (see created()). */
static void announce_window(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	*aw = (struct announce_win){.announced = true};
	send_create(an, w);
	damage_start(an->damage, w);
	send_configure(an, w);
	damage_dump(an->damage, w);
	send_wmclass(an, w);
	send_icon(an, w, aw);
	send_hints(an, w);
	send_map(an, w);
	send_wmname(an, w, aw);
	send_flags(an, w, aw);
	damage_repaint(an->damage, w);
}

static bool is_zombie(const struct announce *an, xcb_window_t id)
{
	for (unsigned i = 0; i < an->nzombies; i++)
		if (an->zombies[i] == id)
			return true;
	return false;
}

static void created(struct announce *an, const struct wm_window *w)
{
	struct announce_win *aw = calloc(1, sizeof(*aw));
	if (!aw) {
		log_error("out of memory for window 0x%x: the daemon will not be told of it",
			  w->id);
		return;
	}
	wm_window_set_data(an->wm, w, an->slot, aw);
	/* A window is announced when it is first shown: clients keep never-mapped windows (xclip's
	 * 1x1 selection owner, toolkit leaders) for which a host window would be clutter. */
	if (!w->mapped || !link_ready(an->link))
		return;
	if (is_zombie(an, w->id)) {
		/* The daemon may still send messages about the old window of this id. */
		aw->wait_echo = true;
		log_debug("window 0x%x reuses an id whose DESTROY is not echoed yet: waiting",
			  w->id);
		return;
	}
	announce_window(an, w, aw);
}

static void mapped(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	damage_dump(an->damage, w);
	send_flags(an, w, aw);
	send_map(an, w);
	if (!aw->name_sent)
		send_wmname(an, w, aw);
	damage_repaint(an->damage, w);
}

static void destroyed(struct announce *an, const struct wm_window *w, struct announce_win *aw)
{
	if (aw->announced && link_ready(an->link)) {
		struct proto_msg m = {.type = PROTO_MSG_DESTROY, .window = w->id};
		send_msg(an, &m);
		if (an->nzombies == an->zombies_cap) {
			unsigned cap = an->zombies_cap ? an->zombies_cap * 2 : 16;
			xcb_window_t *p = realloc(an->zombies, cap * sizeof(*p));
			if (p) {
				an->zombies = p;
				an->zombies_cap = cap;
			}
		}
		/* Without room only the id-reuse wait is lost. */
		if (an->nzombies < an->zombies_cap)
			an->zombies[an->nzombies++] = w->id;
	}
	free(aw);
	wm_window_set_data(an->wm, w, an->slot, NULL);
}

static void property(struct announce *an, const struct wm_window *w, struct announce_win *aw,
		     unsigned changed)
{
	if (changed & PROPS_NAME)
		send_wmname(an, w, aw);
	if (changed & PROPS_CLASS)
		send_wmclass(an, w);
	if (changed & PROPS_HINTS)
		send_hints(an, w);
	if (changed & PROPS_ICON)
		send_icon(an, w, aw);
	/* An unmapped window's flags go out with its next MAP. */
	if ((changed & PROPS_FLAGS) && w->mapped)
		send_flags(an, w, aw);
}

/* The client asked to enter or leave full screen: the host decides for a window it shows, and its
 * answer (announce_host_flags) is what the client sees; any other window has it at once. */
static void state_request(struct announce *an, const struct wm_window *w, struct announce_win *aw,
			  const struct wm_event *ev)
{
	if (!aw->announced || !w->mapped || !link_ready(an->link)) {
		wm_set_state(an->wm, w, ev->set, ev->unset);
		return;
	}
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = w->id};
	m.u.flags = (struct proto_window_flags){ev->set, ev->unset};
	send_msg(an, &m);
}

void announce_host_flags(struct announce *an, const struct wm_window *w,
			 const struct proto_window_flags *f)
{
	struct announce_win *aw = win(an, w);
	if (!aw || !aw->announced)
		return;
	uint32_t set = f->flags_set & PROTO_FLAG_FULLSCREEN;
	uint32_t unset = f->flags_unset & PROTO_FLAG_FULLSCREEN;
	/* What the host has is what the daemon knows: no need to tell it back. */
	aw->flags_sent = (aw->flags_sent | set) & ~unset;
	wm_set_state(an->wm, w, set, unset);
}

static void on_wm(void *ctx, const struct wm_event *ev)
{
	struct announce *an = ctx;
	const struct wm_window *w = ev->window;
	if (ev->type == WM_CREATED) {
		created(an, w);
		return;
	}
	struct announce_win *aw = win(an, w);
	if (!aw)
		return;
	if (ev->type == WM_DESTROYED) {
		destroyed(an, w, aw);
		return;
	}
	if (ev->type == WM_MAPPED && !aw->announced && link_ready(an->link)) {
		if (is_zombie(an, w->id)) {
			aw->wait_echo = true;
			return;
		}
		announce_window(an, w, aw);
		return;
	}
	if (ev->type == WM_STATE_REQUEST) {
		state_request(an, w, aw, ev);
		return;
	}
	if (!aw->announced || !link_ready(an->link))
		return;
	switch (ev->type) {
	case WM_MAPPED:
		mapped(an, w, aw);
		break;
	case WM_UNMAPPED: {
		struct proto_msg m = {.type = PROTO_MSG_UNMAP, .window = w->id};
		send_msg(an, &m);
		aw->name_sent = false; /* section 3.5: the title follows the next MAP again */
		break;
	}
	case WM_CONFIGURED:
		send_configure(an, w);
		break;
	case WM_PROPERTY:
		property(an, w, aw, ev->changed);
		break;
	case WM_ICONIFY:
		if (w->mapped)
			send_minimize(an, w);
		break;
	default:
		break;
	}
}

int announce_create(const struct xctx *xc, struct wm *wm, struct link *l, struct damage *d,
		    struct announce **out)
{
	*out = NULL;
	struct announce *an = calloc(1, sizeof(*an));
	uint32_t *pixels = malloc(PROTO_ICON_MAX_PIXELS * sizeof(uint32_t));
	if (!an || !pixels) {
		free(an);
		free(pixels);
		return -ENOMEM;
	}
	*an = (struct announce){.xc = xc, .wm = wm, .link = l, .damage = d, .icon_pixels = pixels};
	int rc = wm_listen(wm, on_wm, an, &an->slot);
	if (rc) {
		free(pixels);
		free(an);
		return rc;
	}
	*out = an;
	return 0;
}

static void free_window(void *ctx, const struct wm_window *w)
{
	struct announce *an = ctx;
	free(win(an, w));
	wm_window_set_data(an->wm, w, an->slot, NULL);
}

void announce_set_tray(struct announce *an, const struct tray *t)
{
	an->tray = t;
}

void announce_destroy(struct announce *an)
{
	if (!an)
		return;
	wm_for_each(an->wm, free_window, an);
	wm_unlisten(an->wm, an->slot);
	free(an->zombies);
	free(an->icon_pixels);
	free(an);
}

static void announce_each(void *ctx, const struct wm_window *w)
{
	struct announce *an = ctx;
	struct announce_win *aw = win(an, w);
	if (aw && w->mapped)
		announce_window(an, w, aw);
}

void announce_link_ready(struct announce *an)
{
	wm_for_each(an->wm, announce_each, an);
}

static void icon_each(void *ctx, const struct wm_window *w)
{
	struct announce *an = ctx;
	struct announce_win *aw = win(an, w);
	if (aw && aw->announced)
		send_icon(an, w, aw);
}

void announce_link_seam(struct announce *an)
{
	wm_for_each(an->wm, icon_each, an);
}

static void dump_each(void *ctx, const struct wm_window *w)
{
	struct announce *an = ctx;
	const struct announce_win *aw = win(an, w);
	if (aw && aw->announced && w->mapped) {
		damage_dump(an->damage, w);
		damage_repaint(an->damage, w);
	}
}

void announce_link_buffers(struct announce *an)
{
	wm_for_each(an->wm, dump_each, an);
}

static void forget(void *ctx, const struct wm_window *w)
{
	struct announce *an = ctx;
	struct announce_win *aw = win(an, w);
	if (aw)
		*aw = (struct announce_win){0};
	damage_stop(an->damage, w);
}

void announce_link_down(struct announce *an)
{
	an->nzombies = 0;
	wm_for_each(an->wm, forget, an);
}

void announce_destroy_echo(struct announce *an, xcb_window_t id)
{
	for (unsigned i = 0; i < an->nzombies; i++) {
		if (an->zombies[i] == id) {
			an->zombies[i] = an->zombies[--an->nzombies];
			break;
		}
	}
	const struct wm_window *w = wm_find(an->wm, id);
	struct announce_win *aw = win(an, w);
	if (aw && aw->wait_echo && !is_zombie(an, id)) {
		aw->wait_echo = false;
		if (w->mapped)
			announce_window(an, w, aw);
	}
}

void announce_configure(struct announce *an, const struct wm_window *w)
{
	const struct announce_win *aw = win(an, w);
	if (aw && aw->announced && link_ready(an->link))
		send_configure(an, w);
}
