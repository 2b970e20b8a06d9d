/* The guest's keyboard following the host's (gui-agent/keyboard.h). */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xcb/xkb.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-agent/keyboard.h"

/* X keycodes. */
#define KEYCODE_MIN   8u
#define KEYCODE_COUNT 256u

struct keyboard {
	const struct xctx *xc;
	bool xkb;    /* the guest server has XKB: groups can be locked */
	pid_t stray; /* a setxkbmap that ran past its time, to reap */
	/* The host's keysyms, as last received: kpk per keycode, NoSymbol where none came. */
	uint32_t host[KEYCODE_COUNT][PROTO_KEYSYMS_PER_KEYCODE_MAX];
	bool host_known[KEYCODE_COUNT];
	/* Which guest keycode types each host keycode (itself unless moved, see move_target), and
	 * the reverse; 0 where none. */
	uint8_t target[KEYCODE_COUNT];
	uint8_t owner[KEYCODE_COUNT];
	/* Per guest keycode: when the agent last pressed it (0: never), and which guest keycode a
	 * host keycode's press went to, so that its release goes there too. */
	int64_t pressed_ms[KEYCODE_COUNT];
	uint8_t down[KEYCODE_COUNT];
};

/* Each host keycode types its own guest keycode. */
static void reset_targets(struct keyboard *kb)
{
	for (unsigned kc = 0; kc < KEYCODE_COUNT; kc++)
		kb->target[kc] = kb->owner[kc] = kc >= KEYCODE_MIN ? (uint8_t)kc : 0;
}

int keyboard_create(const struct xctx *xc, struct keyboard **out)
{
	struct keyboard *kb = calloc(1, sizeof(*kb));
	*out = kb;
	if (!kb)
		return -ENOMEM;
	kb->xc = xc;
	reset_targets(kb);
	xcb_xkb_use_extension_reply_t *r = xcb_xkb_use_extension_reply(
	    xc->x, xcb_xkb_use_extension(xc->x, XCB_XKB_MAJOR_VERSION, XCB_XKB_MINOR_VERSION),
	    NULL);
	kb->xkb = r && r->supported;
	free(r);
	if (!kb->xkb)
		log_info(
		    "the guest X server has no XKB: the host's layout groups are not followed");
	return 0;
}

void keyboard_destroy(struct keyboard *kb)
{
	free(kb);
}

static bool no_symbol(const uint32_t *syms)
{
	for (unsigned i = 0; i < PROTO_KEYSYMS_PER_KEYCODE_MAX; i++)
		if (syms[i] != XCB_NO_SYMBOL)
			return false;
	return true;
}

/* A guest client reads a keycode's keysyms when it handles the key, not when the key was pressed.
 * A tool that types through a scratch keycode (xdotool, password managers' auto-type, input
 * methods) remaps that keycode again a few milliseconds after each key, so a client still busy
 * with the key would read the next character's keysyms, or none. Such a keycode is therefore not
 * remapped in place while it may still be read: the new keysyms go to another guest keycode. */
static bool recently_pressed(const struct keyboard *kb, unsigned gkc, int64_t now)
{
	return kb->pressed_ms[gkc] && now - kb->pressed_ms[gkc] < KEYBOARD_KEYCODE_REUSE_MS;
}

/* A guest keycode no other host keycode types and the host has no keysyms for, not held down,
 * pressed least recently. 0 when there is none. */
static unsigned spare_keycode(const struct keyboard *kb, unsigned lo, unsigned hi)
{
	unsigned best = 0;
	for (unsigned g = lo; g <= hi; g++) {
		bool free_ = !kb->owner[g] || kb->owner[g] == g;
		if (!free_ || (kb->host_known[g] && !no_symbol(kb->host[g])))
			continue;
		bool held = false;
		for (unsigned kc = KEYCODE_MIN; kc < KEYCODE_COUNT && !held; kc++)
			held = kb->down[kc] == g;
		if (!held && (!best || kb->pressed_ms[g] < kb->pressed_ms[best]))
			best = g;
	}
	return best;
}

/* Host keycode kc types guest keycode g from now on; a host keycode that typed g before types
 * nothing until it has keysyms again. */
static void move_target(struct keyboard *kb, unsigned kc, unsigned g)
{
	unsigned old = kb->target[kc];
	if (old && kb->owner[old] == kc)
		kb->owner[old] = 0;
	unsigned displaced = kb->owner[g];
	if (displaced && displaced != kc)
		kb->target[displaced] = 0;
	kb->target[kc] = (uint8_t)g;
	kb->owner[g] = (uint8_t)kc;
}

/* Give every host keycode's guest keycode the host's keysyms where they differ. With moves, a
 * keycode the agent pressed a moment ago keeps its keysyms and the new ones go to a spare. */
static int apply_host_keysyms(struct keyboard *kb, bool moves)
{
	xcb_connection_t *x = kb->xc->x;
	const xcb_setup_t *setup = xcb_get_setup(x);
	unsigned lo = setup->min_keycode, hi = setup->max_keycode;
	xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
	    x, xcb_get_keyboard_mapping(x, (xcb_keycode_t)lo, (uint8_t)(hi - lo + 1)), NULL);
	if (!r)
		return -EIO;
	unsigned gk = r->keysyms_per_keycode;
	const xcb_keysym_t *guest = xcb_get_keyboard_mapping_keysyms(r);
	int64_t now = mono_ms();
	unsigned changed = 0;
	for (unsigned kc = lo; kc <= hi; kc++) {
		if (!kb->host_known[kc])
			continue;
		const uint32_t *want = kb->host[kc];
		unsigned g = kb->target[kc];
		if (!g) { /* its keycode went to another: its own again if free, else a spare */
			if (no_symbol(want))
				continue;
			g = kb->owner[kc] ? spare_keycode(kb, lo, hi) : kc;
			if (!g) {
				log_warn("keyboard: no spare keycode for the host's keycode %u",
					 kc);
				continue;
			}
			move_target(kb, kc, g);
		}
		const xcb_keysym_t *have = guest + (size_t)(g - lo) * gk;
		bool same = true;
		for (unsigned i = 0; i < PROTO_KEYSYMS_PER_KEYCODE_MAX && same; i++)
			same = want[i] == (i < gk ? have[i] : XCB_NO_SYMBOL);
		for (unsigned i = PROTO_KEYSYMS_PER_KEYCODE_MAX; i < gk && same; i++)
			same = have[i] == XCB_NO_SYMBOL;
		if (same)
			continue;
		if (moves && recently_pressed(kb, g, now)) {
			if (no_symbol(want))
				continue; /* the tool put its scratch key back: nothing to type
					     there */
			unsigned spare = spare_keycode(kb, lo, hi);
			if (spare) {
				move_target(kb, kc, spare);
				g = spare;
			}
		}
		xcb_change_keyboard_mapping(x, 1, (xcb_keycode_t)g, PROTO_KEYSYMS_PER_KEYCODE_MAX,
					    want);
		log_debug("keyboard: keycode %u (guest %u): 0x%x 0x%x 0x%x 0x%x", kc, g, want[0],
			  want[1], want[2], want[3]);
		changed++;
	}
	free(r);
	if (changed)
		log_debug("keyboard: %u keycodes given the host's keysyms", changed);
	xcb_flush(x);
	return 0;
}

uint8_t keyboard_guest_keycode(struct keyboard *kb, uint8_t kc, bool press)
{
	if (!press) {
		uint8_t g = kb->down[kc] ? kb->down[kc] : kb->target[kc];
		kb->down[kc] = 0;
		return g;
	}
	uint8_t g = kb->target[kc];
	kb->down[kc] = g;
	if (g)
		kb->pressed_ms[g] = mono_ms();
	return g;
}

int keyboard_set_keysyms(struct keyboard *kb, const struct proto_seam_keysyms *m,
			 const uint8_t *syms)
{
	for (uint32_t i = 0; i < m->count; i++) {
		uint32_t kc = m->first_keycode + i;
		for (unsigned j = 0; j < PROTO_KEYSYMS_PER_KEYCODE_MAX; j++) {
			uint32_t sym = XCB_NO_SYMBOL;
			if (j < m->keysyms_per_keycode)
				memcpy(&sym, syms + ((size_t)i * m->keysyms_per_keycode + j) * 4u,
				       4);
			kb->host[kc][j] = sym;
		}
		kb->host_known[kc] = true;
	}
	return apply_host_keysyms(kb, true);
}

/* Run setxkbmap and wait for it, at most KEYBOARD_SETXKBMAP_TIMEOUT_MS. 0 or -errno. */
static int run_setxkbmap(struct keyboard *kb, char *const argv[])
{
	char display[160];
	snprintf(display, sizeof(display), "DISPLAY=%s", kb->xc->display);
	char *envp[] = {display, "PATH=/usr/bin:/bin", NULL};
	if (kb->stray > 0 && waitpid(kb->stray, NULL, WNOHANG) != 0)
		kb->stray = 0;
	pid_t pid;
	int rc = posix_spawn(&pid, KEYBOARD_SETXKBMAP, NULL, NULL, argv, envp);
	if (rc)
		return -rc;
	int64_t deadline = mono_ms() + KEYBOARD_SETXKBMAP_TIMEOUT_MS;
	for (;;) {
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EINVAL;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (mono_ms() > deadline) {
			/* Left to finish on its own (the agent's filter allows no signal to another
			 * process); reaped at the next layout. */
			kb->stray = pid;
			return -ETIMEDOUT;
		}
		nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
	}
}

int keyboard_set_layout(struct keyboard *kb, const struct proto_seam_keyboard *m)
{
	/* Each value is one argument (validated by protocol/: no leading '-', no spaces); an empty
	 * -option first clears the guest's options, as the host's replace them. */
	char *argv[16];
	unsigned n = 0;
	argv[n++] = "setxkbmap";
	if (m->rules[0]) {
		argv[n++] = "-rules";
		argv[n++] = (char *)m->rules;
	}
	if (m->model[0]) {
		argv[n++] = "-model";
		argv[n++] = (char *)m->model;
	}
	argv[n++] = "-layout";
	argv[n++] = (char *)m->layout;
	argv[n++] = "-variant";
	argv[n++] = (char *)m->variant;
	argv[n++] = "-option";
	argv[n++] = "";
	if (m->options[0]) {
		argv[n++] = "-option";
		argv[n++] = (char *)m->options;
	}
	argv[n] = NULL;
	int rc = run_setxkbmap(kb, argv);
	if (rc) {
		log_warn("keyboard: setxkbmap for layout '%s' (variant '%s') failed: %s", m->layout,
			 m->variant, strerror(-rc));
		return rc;
	}
	log_info("keyboard: the host's layout '%s' (variant '%s', options '%s')", m->layout,
		 m->variant, m->options);
	/* The new keymap replaced every key: each host keycode types its own again, with the host's
	 * remappings back on top. */
	reset_targets(kb);
	return apply_host_keysyms(kb, false);
}

void keyboard_sync_group(struct keyboard *kb, uint32_t want, uint32_t have)
{
	/* The group is in bits 13-14 of a core state under XKB. */
	uint8_t group = (uint8_t)((want >> 13) & 3u);
	if (!kb->xkb || group == ((have >> 13) & 3u))
		return;
	xcb_xkb_latch_lock_state(kb->xc->x, XCB_XKB_ID_USE_CORE_KBD, 0, 0, 1, group, 0, 0, 0);
}
