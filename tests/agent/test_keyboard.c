/* The host's remapped keysyms in the guest, when a tool types through a scratch keycode (xdotool,
 * auto-type, input methods): each character's keysyms reach the guest before its key, and a
 * keycode the agent has just pressed keeps its keysyms (a client may not have read them yet), so
 * the next character's go to a spare keycode and the key is replayed there. */
#include <stdlib.h>
#include <string.h>

#include "gui-agent/keyboard.h"
#include "harness.h"
#include "suites.h"

#define SYM_ADIAERESIS 0xe4u
#define SYM_UDIAERESIS 0xfcu
#define SYM_SSHARP     0xdfu
#define SYM_NTILDE     0xf1u
#define SYM_EACUTE     0xe9u

/* The guest's first keysym on keycode kc. */
static uint32_t guest_sym(struct harness *h, uint8_t kc)
{
	harness_sync_agent(h);
	xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
	    h->client, xcb_get_keyboard_mapping(h->client, kc, 1), NULL);
	ck_assert_ptr_nonnull(r);
	uint32_t sym = r->keysyms_per_keycode ? xcb_get_keyboard_mapping_keysyms(r)[0] : 0;
	free(r);
	return sym;
}

/* A keycode with no keysyms in the guest, from the top (Xvfb's map leaves many free). */
static uint8_t free_keycode(struct harness *h, uint8_t below)
{
	for (unsigned kc = below - 1u; kc >= 8; kc--)
		if (guest_sym(h, (uint8_t)kc) == 0)
			return (uint8_t)kc;
	ck_abort_msg("no free keycode below %u", below);
	return 0;
}

/* The host says keycode kc types sym (0: nothing), as SEAM_KEYSYMS does. */
static void host_maps(struct keyboard *kb, uint8_t kc, uint32_t sym)
{
	struct proto_seam_keysyms m = {.first_keycode = kc, .count = 1, .keysyms_per_keycode = 2};
	uint32_t syms[2] = {sym, sym};
	ck_assert_int_eq(keyboard_set_keysyms(kb, &m, (const uint8_t *)syms), 0);
}

START_TEST(test_scratch_keycode_is_not_remapped_under_a_reader)
{
	struct harness h;
	harness_open(&h, false, false);
	struct keyboard *kb;
	ck_assert_int_eq(keyboard_create(h.xc, &kb), 0);
	uint8_t k = free_keycode(&h, 255);

	/* The first character goes where the host has it. */
	host_maps(kb, k, SYM_ADIAERESIS);
	ck_assert_uint_eq(guest_sym(&h, k), SYM_ADIAERESIS);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, true), k);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, false), k);

	/* The tool puts its scratch key back, then maps the next character there: the guest keycode
	 * just pressed keeps ä for a client still reading it; ü goes to a spare, and is typed
	 * there. */
	host_maps(kb, k, 0);
	ck_assert_uint_eq(guest_sym(&h, k), SYM_ADIAERESIS);
	host_maps(kb, k, SYM_UDIAERESIS);
	ck_assert_uint_eq(guest_sym(&h, k), SYM_ADIAERESIS);
	uint8_t s = keyboard_guest_keycode(kb, k, true);
	ck_assert_uint_ne(s, k);
	ck_assert_uint_eq(guest_sym(&h, s), SYM_UDIAERESIS);

	/* Remapped while held: the release goes where the press went. */
	host_maps(kb, k, SYM_SSHARP);
	ck_assert_uint_eq(guest_sym(&h, s), SYM_UDIAERESIS);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, false), s);
	uint8_t t = keyboard_guest_keycode(kb, k, true);
	ck_assert_uint_ne(t, s);
	ck_assert_uint_ne(t, k);
	ck_assert_uint_eq(guest_sym(&h, t), SYM_SSHARP);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, false), t);

	/* The host now gives the spare keycode s keysyms of its own: they go elsewhere again, so
	 * that k still types ß and s types ñ. */
	host_maps(kb, s, SYM_NTILDE);
	uint8_t n = keyboard_guest_keycode(kb, s, true);
	keyboard_guest_keycode(kb, s, false);
	ck_assert_uint_ne(n, t);
	ck_assert_uint_eq(guest_sym(&h, n), SYM_NTILDE);
	ck_assert_uint_eq(guest_sym(&h, keyboard_guest_keycode(kb, k, true)), SYM_SSHARP);
	keyboard_guest_keycode(kb, k, false);

	keyboard_destroy(kb);
	harness_close(&h);
}
END_TEST

START_TEST(test_a_key_not_pressed_lately_is_remapped_in_place)
{
	struct harness h;
	harness_open(&h, false, false);
	struct keyboard *kb;
	ck_assert_int_eq(keyboard_create(h.xc, &kb), 0);
	uint8_t k = free_keycode(&h, 255);
	host_maps(kb, k, SYM_EACUTE);
	ck_assert_uint_eq(guest_sym(&h, k), SYM_EACUTE);
	host_maps(kb, k, SYM_NTILDE);
	ck_assert_uint_eq(guest_sym(&h, k), SYM_NTILDE);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, true), k);
	ck_assert_uint_eq(keyboard_guest_keycode(kb, k, false), k);
	keyboard_destroy(kb);
	harness_close(&h);
}
END_TEST

Suite *suite_keyboard(void)
{
	Suite *s = suite_create("keyboard");
	TCase *tc = harness_tcase("keyboard");
	tcase_add_test(tc, test_scratch_keycode_is_not_remapped_under_a_reader);
	tcase_add_test(tc, test_a_key_not_pressed_lately_is_remapped_in_place);
	suite_add_tcase(s, tc);
	return s;
}
