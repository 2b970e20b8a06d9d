/* The icons of a guest's frames (gui-daemon/icon.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mono.h"
#include "common/xconn.h"
#include "gui-daemon/icon.h"
#include "window-decor/decor.h"

/* The words of ChangeProperty before its data. */
#define CHANGE_PROPERTY_WORDS 6u

/* A window's latest icon that the budget could not afford yet: a copy of what the guest sent. */
struct icon_pending {
	uint32_t window;
	xcb_window_t frame;
	struct proto_seam_icon m;
	uint8_t *pixels;
	uint64_t cost; /* budget pixels */
};

struct icon {
	struct display *dp;
	uint32_t label_rgb;
	xcb_atom_t net_wm_icon;
	uint32_t plain[DECOR_PLAIN_ICON_WORDS];
	/* The guest's pixel budget: refilled at ICON_PIXELS_PER_SECOND, at most a second's worth.
	 */
	uint64_t budget;
	int64_t budget_ms;
	/* A guest can send icons, or icons the host cannot carry, as often as it likes. */
	struct log_limit rate_limit, size_limit;
	/* Oldest first. */
	struct icon_pending pending[ICON_PENDING_MAX];
	unsigned npending;
	uint64_t pending_pixels;
};

int icon_create(struct display *dp, const struct domain_label *label, struct icon **out)
{
	*out = NULL;
	struct icon *ic = calloc(1, sizeof(*ic));
	if (!ic)
		return -ENOMEM;
	ic->dp = dp;
	ic->label_rgb = label->rgb;
	ic->net_wm_icon = xconn_intern(display_x(dp), "_NET_WM_ICON");
	if (ic->net_wm_icon == XCB_ATOM_NONE) {
		free(ic);
		return -EIO;
	}
	decor_plain_icon(ic->plain, ic->label_rgb);
	ic->budget = ICON_PIXELS_PER_SECOND;
	ic->budget_ms = mono_ms();
	*out = ic;
	return 0;
}

void icon_destroy(struct icon *ic)
{
	if (!ic)
		return;
	icon_forget(ic, 0, true);
	free(ic);
}

static void unpend(struct icon *ic, unsigned i)
{
	ic->pending_pixels -= ic->pending[i].cost;
	free(ic->pending[i].pixels);
	memmove(&ic->pending[i], &ic->pending[i + 1],
		(ic->npending - i - 1) * sizeof(ic->pending[0]));
	ic->npending--;
}

void icon_forget(struct icon *ic, uint32_t window, bool all)
{
	for (unsigned i = ic->npending; i-- > 0;)
		if (all || ic->pending[i].window == window)
			unpend(ic, i);
}

static void put(struct icon *ic, xcb_window_t frame, const uint32_t *words, uint32_t n)
{
	xcb_change_property(display_x(ic->dp), XCB_PROP_MODE_REPLACE, frame, ic->net_wm_icon,
			    XCB_ATOM_CARDINAL, 32, n, words);
}

void icon_set_plain(struct icon *ic, xcb_window_t frame)
{
	put(ic, frame, ic->plain, DECOR_PLAIN_ICON_WORDS);
}

/* The budget now: refilled for the time since the last refill. */
static uint64_t refill(struct icon *ic, int64_t now)
{
	uint64_t add = (uint64_t)(now - ic->budget_ms) * ICON_PIXELS_PER_SECOND / 1000u;
	if (add) {
		ic->budget = ic->budget + add > ICON_PIXELS_PER_SECOND ? ICON_PIXELS_PER_SECOND
								       : ic->budget + add;
		ic->budget_ms = now;
	}
	return ic->budget;
}

/* Take `pixels` from the budget, refilled for the time since the last take. */
static bool afford(struct icon *ic, uint64_t pixels)
{
	if (pixels > refill(ic, mono_ms()))
		return false;
	ic->budget -= pixels;
	return true;
}

static uint64_t pixels_of(const struct proto_seam_icon *m)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < m->count; i++)
		total += (uint64_t)m->sizes[i].width * m->sizes[i].height;
	return total;
}

/* Keep the window's icon until the budget affords it: false if there is no room. */
static bool pend(struct icon *ic, uint32_t window, xcb_window_t frame,
		 const struct proto_seam_icon *m, const uint8_t *pixels, uint64_t cost)
{
	uint64_t total = pixels_of(m);
	if (ic->npending == ICON_PENDING_MAX || ic->pending_pixels + cost > ICON_PIXELS_PER_SECOND)
		return false;
	uint8_t *copy = total ? malloc(total * 4u) : NULL;
	if (total && !copy)
		return false;
	if (total)
		memcpy(copy, pixels, total * 4u);
	ic->pending[ic->npending++] = (struct icon_pending){window, frame, *m, copy, cost};
	ic->pending_pixels += cost;
	return true;
}

static void show(struct icon *ic, uint32_t window, xcb_window_t frame,
		 const struct proto_seam_icon *m, const uint8_t *pixels);

void icon_set(struct icon *ic, uint32_t window, xcb_window_t frame, const struct proto_seam_icon *m,
	      const uint8_t *pixels)
{
	/* This icon replaces the one that waited: shown later, that one would undo it. */
	icon_forget(ic, window, false);
	uint64_t total = pixels_of(m);
	/* A removed icon costs its plain replacement: a guest cannot loop for free either. */
	uint64_t cost = total ? total : DECOR_PLAIN_ICON_WORDS;
	/* Behind icons that wait, this one waits too: the order the guest sent them in holds. */
	if (!ic->npending && afford(ic, cost)) {
		show(ic, window, frame, m, pixels);
		return;
	}
	if (!pend(ic, window, frame, m, pixels, cost))
		log_limited(&ic->rate_limit, LOG_INFO,
			    "window 0x%x: icon dropped (more than %u icon pixels a second, and %u "
			    "windows' icons waiting)",
			    window, ICON_PIXELS_PER_SECOND, ic->npending);
}

int icon_timeout_ms(const struct icon *ic)
{
	if (!ic->npending)
		return -1;
	/* The budget refills continuously: the first waiting icon's cost, less what is there. */
	uint64_t have =
	    ic->budget + (uint64_t)(mono_ms() - ic->budget_ms) * ICON_PIXELS_PER_SECOND / 1000u;
	uint64_t need = ic->pending[0].cost;
	if (have >= need)
		return 0;
	return (int)((need - have) * 1000u / ICON_PIXELS_PER_SECOND) + 1;
}

void icon_tick(struct icon *ic)
{
	while (ic->npending && afford(ic, ic->pending[0].cost)) {
		struct icon_pending *p = &ic->pending[0];
		show(ic, p->window, p->frame, &p->m, p->pixels);
		unpend(ic, 0);
	}
}

/* Tint the icon and put it on the frame. */
static void show(struct icon *ic, uint32_t window, xcb_window_t frame,
		 const struct proto_seam_icon *m, const uint8_t *pixels)
{
	uint64_t total = pixels_of(m);
	if (!total) {
		icon_set_plain(ic, frame);
		return;
	}
	/* Bounded by protocol/: at most PROTO_ICON_MAX_PIXELS pixels and two words per image. */
	uint32_t *words = malloc((total + 2u * m->count) * sizeof(uint32_t));
	if (!words) {
		log_limited(&ic->size_limit, LOG_WARN, "window 0x%x: no memory for its icon",
			    window);
		return;
	}
	/* Images past what one request may carry (a server without BIG-REQUESTS) are left out:
	 * xcb would end the connection over them. */
	uint64_t room = xcb_get_maximum_request_length(display_x(ic->dp)) - CHANGE_PROPERTY_WORDS;
	uint32_t n = 0, left_out = 0;
	const uint8_t *src = pixels;
	for (uint32_t i = 0; i < m->count; i++) {
		uint32_t w = m->sizes[i].width, h = m->sizes[i].height;
		if (n + 2u + (uint64_t)w * h > room) {
			left_out++;
		} else {
			uint32_t *dst = words + n;
			dst[0] = w;
			dst[1] = h;
			/* The body is not aligned for u32 reads: copy, then tint in place. */
			memcpy(dst + 2, src, (size_t)w * h * 4u);
			decor_tint_pixels(dst + 2, dst + 2, (size_t)w * h, ic->label_rgb);
			n += 2u + w * h;
		}
		src += (size_t)w * h * 4u;
	}
	if (left_out)
		log_limited(&ic->size_limit, LOG_INFO,
			    "window 0x%x: %u icon images left out: larger than the host X server's "
			    "requests",
			    window, left_out);
	if (n)
		put(ic, frame, words, n);
	else
		icon_set_plain(ic, frame);
	free(words);
}
