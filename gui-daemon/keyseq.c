/* Key sequences (gui-daemon/keyseq.h): the options' text, the host's keycodes, the match. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gui-daemon/keyseq.h"

/* Longer than any sequence of the four modifiers and a key. */
#define KEYSEQ_SPEC_MAX 64u

int keyseq_parse(const char *spec, struct keyseq *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(spec, "none") || !strcmp(spec, "disable"))
		return 0;
	char buf[KEYSEQ_SPEC_MAX];
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	struct keyseq k = {0};
	char *save = NULL, *part = strtok_r(buf, "-", &save), *next;
	for (; part; part = next) {
		next = strtok_r(NULL, "-", &save);
		if (!next) {
			/* The key itself: one letter or digit. */
			if (strlen(part) != 1 || !((part[0] >= 'a' && part[0] <= 'z') ||
						   (part[0] >= '0' && part[0] <= '9')))
				return -EINVAL;
			k.keysym = (uint32_t)part[0];
		} else if (!strcasecmp(part, "ctrl") || !strcasecmp(part, "control")) {
			k.mods |= XCB_MOD_MASK_CONTROL;
		} else if (!strcasecmp(part, "shift")) {
			k.mods |= XCB_MOD_MASK_SHIFT;
		} else if (!strcasecmp(part, "alt") || !strcasecmp(part, "mod1")) {
			k.mods |= XCB_MOD_MASK_1;
		} else if (!strcasecmp(part, "super") || !strcasecmp(part, "mod4")) {
			k.mods |= XCB_MOD_MASK_4;
		} else {
			return -EINVAL;
		}
	}
	if (!k.keysym || !k.mods)
		return -EINVAL;
	*out = k;
	return 0;
}

int keyseq_resolve(struct keyseq *k, xcb_connection_t *x)
{
	k->nkeycodes = 0;
	if (!k->keysym)
		return 0;
	const xcb_setup_t *setup = xcb_get_setup(x);
	uint8_t first = setup->min_keycode, count = (uint8_t)(setup->max_keycode - first + 1);
	xcb_get_keyboard_mapping_reply_t *r =
	    xcb_get_keyboard_mapping_reply(x, xcb_get_keyboard_mapping(x, first, count), NULL);
	if (!r)
		return -EIO;
	xcb_keysym_t *syms = xcb_get_keyboard_mapping_keysyms(r);
	for (unsigned i = 0; i < count && k->nkeycodes < KEYSEQ_KEYCODES; i++)
		for (unsigned j = 0; j < r->keysyms_per_keycode; j++)
			if (syms[i * r->keysyms_per_keycode + j] == k->keysym) {
				k->keycodes[k->nkeycodes++] = (uint8_t)(first + i);
				break;
			}
	free(r);
	return 0;
}

bool keyseq_match(const struct keyseq *k, uint8_t keycode, uint16_t state)
{
	if (!k->nkeycodes || (state & KEYSEQ_MOD_MASK) != k->mods)
		return false;
	for (unsigned i = 0; i < k->nkeycodes; i++)
		if (k->keycodes[i] == keycode)
			return true;
	return false;
}
