/* Key sequences (gui-daemon/keyseq.h): the options' text, the host's keycodes, the match. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xconn.h"
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
		} else if (xconn_modifier(part, &k.mods)) {
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
	int n = xconn_keycodes(x, k->keysym, k->keycodes, KEYSEQ_KEYCODES);
	if (n < 0)
		return n;
	k->nkeycodes = (unsigned)n;
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
