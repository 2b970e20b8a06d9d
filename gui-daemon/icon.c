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
	free(ic);
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

/* Take `pixels` from the budget, refilled for the time since the last take. */
static bool afford(struct icon *ic, uint64_t pixels)
{
	int64_t now = mono_ms();
	uint64_t refill = (uint64_t)(now - ic->budget_ms) * ICON_PIXELS_PER_SECOND / 1000u;
	if (refill) {
		ic->budget = ic->budget + refill > ICON_PIXELS_PER_SECOND ? ICON_PIXELS_PER_SECOND
									  : ic->budget + refill;
		ic->budget_ms = now;
	}
	if (pixels > ic->budget)
		return false;
	ic->budget -= pixels;
	return true;
}

void icon_set(struct icon *ic, uint32_t window, xcb_window_t frame, const struct proto_seam_icon *m,
	      const uint8_t *pixels)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < m->count; i++)
		total += (uint64_t)m->sizes[i].width * m->sizes[i].height;
	/* A removed icon costs its plain replacement: a guest cannot loop for free either. */
	if (!afford(ic, total ? total : DECOR_PLAIN_ICON_WORDS)) {
		log_limited(&ic->rate_limit, LOG_INFO,
			    "window 0x%x: icon dropped (more than %u icon pixels a second)", window,
			    ICON_PIXELS_PER_SECOND);
		return;
	}
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
