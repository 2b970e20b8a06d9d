/* The framing kit (protocol/frame.h) on a table of its own: each rule type (fixed body, bounded
 * variable part, fds, senders) with good and bad input, header words, encode, and the tables. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "fixtures.h"

enum {
	T_EMPTY = 10,
	T_FIXED = 11,
	T_VAR = 20,   /* 4 fixed bytes, then 0..60 bytes */
	T_UNITS = 21, /* 1..8 words, nothing fixed */
	T_FDS = 30,   /* 4 bytes and two fds */
	T_ONE_WAY = 40,
};

#define ANY FRAME_ANY_SENDER

static const struct frame_type rows[] = {
    {T_EMPTY, "EMPTY", ANY, FRAME_FIXED(0), 0, 0},
    {T_FIXED, "FIXED", ANY, FRAME_FIXED(8), 0, 0},
    {T_VAR, "VAR", ANY, FRAME_VARIABLE(4, 1, 4, 64), 0, 0},
    {T_UNITS, "UNITS", ANY, FRAME_VARIABLE(0, 4, 4, 32), 0, 0},
    {T_FDS, "FDS", ANY, FRAME_FIXED(4), 2, 0},
    {T_ONE_WAY, "ONE_WAY", FRAME_SENDER(1), FRAME_FIXED(0), 0, 0},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const struct frame_proto three = {"test ", 3, rows, NROWS};
static const struct frame_proto four = {"test ", 4, rows, NROWS};

static int check(uint32_t type, uint32_t len, struct frame_error *err)
{
	return frame_check_header(&three, 0, type, len, NULL, err);
}

START_TEST(test_frame_fixed_body_takes_its_size_only)
{
	struct frame_error err;
	const struct frame_type *row = NULL;
	ck_assert_int_eq(frame_check_header(&three, 0, T_FIXED, 8, &row, &err), 0);
	ck_assert_ptr_eq(row, &rows[1]);
	ck_assert_int_eq(check(T_EMPTY, 0, &err), 0);
	static const uint32_t bad[] = {0, 7, 9, 16, 0xffffffffu};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(check(T_FIXED, bad[i], &err), -EMSGSIZE);
		ck_assert_str_eq(err.field, "untrusted_len");
		ck_assert_uint_eq(err.type, T_FIXED);
		ck_assert_msg(strncmp(err.text, "test FIXED.untrusted_len: ", 26) == 0, "%s",
			      err.text);
	}
	ck_assert_int_eq(check(T_EMPTY, 1, &err), -EMSGSIZE);
}
END_TEST

START_TEST(test_frame_variable_part_keeps_to_its_bounds)
{
	struct frame_error err;
	ck_assert_int_eq(check(T_VAR, 4, &err), 0);
	ck_assert_int_eq(check(T_VAR, 5, &err), 0);
	ck_assert_int_eq(check(T_VAR, 64, &err), 0);
	ck_assert_int_eq(check(T_VAR, 3, &err), -EMSGSIZE);
	ck_assert_int_eq(check(T_VAR, 65, &err), -EMSGSIZE);
	ck_assert_int_eq(check(T_VAR, 0xffffffffu, &err), -EMSGSIZE);
	ck_assert_str_eq(err.field, "untrusted_len");
}
END_TEST

START_TEST(test_frame_variable_part_is_whole_units)
{
	struct frame_error err;
	for (uint32_t len = 4; len <= 32; len += 4)
		ck_assert_int_eq(check(T_UNITS, len, &err), 0);
	static const uint32_t bad[] = {0, 1, 2, 3, 5, 6, 7, 30, 31, 33, 36};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(check(T_UNITS, bad[i], &err), -EMSGSIZE);
		ck_assert_str_eq(err.field, "untrusted_len");
	}
}
END_TEST

START_TEST(test_frame_unknown_type_is_named)
{
	struct frame_error err;
	static const uint32_t bad[] = {0, 9, 12, 19, 22, 31, 41, 0xffffffffu};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(check(bad[i], 0, &err), -ENOMSG);
		ck_assert_str_eq(err.field, "type");
		ck_assert_msg(strncmp(err.text, "test unknown.type: ", 19) == 0, "%s", err.text);
	}
	ck_assert_str_eq(frame_type_name(&three, 12), "unknown");
	ck_assert_uint_eq(frame_fds(&three, 12), 0);
}
END_TEST

START_TEST(test_frame_sender_must_be_allowed)
{
	struct frame_error err;
	ck_assert_int_eq(frame_check_header(&three, 1, T_ONE_WAY, 0, NULL, &err), 0);
	ck_assert_int_eq(frame_check_header(&three, 0, T_ONE_WAY, 0, NULL, &err), -EPERM);
	ck_assert_str_eq(err.field, "type");
	ck_assert_int_eq(frame_check_header(&three, 2, T_ONE_WAY, 0, NULL, &err), -EPERM);
	/* no sender number past the mask's bits is ever allowed, nor shifts past them */
	ck_assert_int_eq(frame_check_header(&three, 32, T_EMPTY, 0, NULL, &err), -EPERM);
	ck_assert_int_eq(frame_check_header(&three, 31, T_EMPTY, 0, NULL, &err), 0);
}
END_TEST

START_TEST(test_frame_take_wants_exactly_the_fds)
{
	struct frame_error err;
	const uint8_t body[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	uint8_t fixed[8];
	const uint8_t *var;
	uint32_t var_len;
	const struct frame_type *row = frame_lookup(&three, T_FDS);
	ck_assert_int_eq(frame_take(&three, row, 4, body, 4, 2, fixed, &var, &var_len, &err), 0);
	ck_assert_mem_eq(fixed, body, 4);
	ck_assert_int_eq(frame_take(&three, row, 4, body, 4, 1, fixed, &var, &var_len, &err),
			 -EPROTO);
	ck_assert_str_eq(err.field, "fds");
	ck_assert_int_eq(frame_take(&three, row, 4, body, 4, 3, fixed, &var, &var_len, &err),
			 -EPROTO);
	row = frame_lookup(&three, T_FIXED);
	ck_assert_int_eq(frame_take(&three, row, 8, body, 8, 1, fixed, &var, &var_len, &err),
			 -EPROTO);
	ck_assert_str_eq(err.field, "fds");
}
END_TEST

START_TEST(test_frame_take_wants_the_body_the_header_announced)
{
	struct frame_error err;
	uint8_t body[64] = {0};
	uint8_t fixed[8];
	const uint8_t *var;
	uint32_t var_len;
	const struct frame_type *row = frame_lookup(&three, T_FIXED);
	ck_assert_int_eq(frame_take(&three, row, 8, body, 7, 0, fixed, &var, &var_len, &err),
			 -EMSGSIZE);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(frame_take(&three, row, 8, body, 9, 0, fixed, &var, &var_len, &err),
			 -EMSGSIZE);
	/* a caller that passes a length the header check never accepted is refused too */
	ck_assert_int_eq(frame_take(&three, row, 12, body, 12, 0, fixed, &var, &var_len, &err),
			 -EMSGSIZE);
}
END_TEST

START_TEST(test_frame_take_splits_fixed_and_variable_parts)
{
	struct frame_error err;
	uint8_t body[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	uint8_t fixed[4] = {0};
	const uint8_t *var;
	uint32_t var_len;
	const struct frame_type *row = frame_lookup(&three, T_VAR);
	ck_assert_int_eq(frame_take(&three, row, 10, body, 10, 0, fixed, &var, &var_len, &err), 0);
	ck_assert_mem_eq(fixed, body, 4);
	ck_assert_ptr_eq(var, body + 4);
	ck_assert_uint_eq(var_len, 6);
	ck_assert_int_eq(frame_take(&three, row, 4, body, 4, 0, fixed, &var, &var_len, &err), 0);
	ck_assert_ptr_null(var);
	ck_assert_uint_eq(var_len, 0);
	/* nothing fixed: the whole body is the variable part, and `fixed` is not touched */
	row = frame_lookup(&three, T_UNITS);
	ck_assert_int_eq(frame_take(&three, row, 8, body, 8, 0, NULL, &var, &var_len, &err), 0);
	ck_assert_ptr_eq(var, body);
	ck_assert_uint_eq(var_len, 8);
}
END_TEST

START_TEST(test_frame_header_words_round_trip)
{
	const uint8_t wire[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct frame_hdr h;
	uint8_t back[16];
	uint32_t w[4];
	memcpy(w, wire, sizeof(w));

	frame_hdr_decode(&three, wire, &h);
	ck_assert_uint_eq(frame_hdr_size(&three), 12);
	ck_assert_uint_eq(h.type, w[0]);
	ck_assert_uint_eq(h.arg[0], w[1]);
	ck_assert_uint_eq(h.arg[1], 0); /* no fourth word */
	ck_assert_uint_eq(h.untrusted_len, w[2]);
	memset(back, 0xee, sizeof(back));
	frame_hdr_encode(&three, &h, back);
	ck_assert_mem_eq(back, wire, 12);
	ck_assert_uint_eq(back[12], 0xee); /* nothing written past the header */

	frame_hdr_decode(&four, wire, &h);
	ck_assert_uint_eq(frame_hdr_size(&four), 16);
	ck_assert_uint_eq(h.arg[0], w[1]);
	ck_assert_uint_eq(h.arg[1], w[2]);
	ck_assert_uint_eq(h.untrusted_len, w[3]);
	frame_hdr_encode(&four, &h, back);
	ck_assert_mem_eq(back, wire, 16);
}
END_TEST

START_TEST(test_frame_encode_keeps_to_the_table)
{
	ck_assert_uint_eq(frame_encoded_len(&three, T_FIXED, 0), 12 + 8);
	ck_assert_uint_eq(frame_encoded_len(&three, T_FIXED, 1), 0);
	ck_assert_uint_eq(frame_encoded_len(&three, T_VAR, 0), 12 + 4);
	ck_assert_uint_eq(frame_encoded_len(&three, T_VAR, 60), 12 + 64);
	ck_assert_uint_eq(frame_encoded_len(&three, T_VAR, 61), 0);
	ck_assert_uint_eq(frame_encoded_len(&three, T_VAR, 0xffffffffu), 0);
	ck_assert_uint_eq(frame_encoded_len(&three, T_UNITS, 0), 0);
	ck_assert_uint_eq(frame_encoded_len(&three, T_UNITS, 6), 0);
	ck_assert_uint_eq(frame_encoded_len(&three, T_UNITS, 8), 12 + 8);
	ck_assert_uint_eq(frame_encoded_len(&three, 12, 0), 0);
	ck_assert_uint_eq(frame_encoded_len(&four, T_EMPTY, 0), 16);
}
END_TEST

START_TEST(test_frame_encode_writes_header_fixed_and_variable_parts)
{
	const uint8_t fixed[4] = {0xa, 0xb, 0xc, 0xd};
	const uint8_t var[3] = {0x1, 0x2, 0x3};
	struct frame_hdr h = {.type = T_VAR, .untrusted_len = 999, .arg = {0x11223344u, 0x55}};
	uint8_t buf[64];
	ck_assert_uint_eq(frame_encode(&three, &h, fixed, var, 3, buf, sizeof(buf)), 19);
	const uint8_t want[19] = {20, 0, 0,   0,   0x44, 0x33, 0x22, 0x11, 7, 0,
				  0,  0, 0xa, 0xb, 0xc,	 0xd,  1,    2,	   3};
	ck_assert_mem_eq(buf, want, sizeof(want)); /* untrusted_len computed: 7, not 999 */
	ck_assert_uint_eq(frame_encode(&three, &h, fixed, var, 3, buf, 18), 0);
	ck_assert_uint_eq(frame_encode(&three, &h, fixed, NULL, 3, buf, sizeof(buf)), 0);
	h.type = 12;
	ck_assert_uint_eq(frame_encode(&three, &h, fixed, NULL, 0, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_frame_what_is_encoded_passes_the_checks)
{
	static const uint32_t lens[] = {0, 1, 3, 4, 8, 32, 60, 61};
	uint8_t fixed[8] = {0}, var[64] = {0}, buf[128];
	for (size_t r = 0; r < NROWS; r++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			struct frame_hdr h = {.type = rows[r].type};
			size_t n = frame_encode(&four, &h, fixed, var, lens[i], buf, sizeof(buf));
			if (!n)
				continue;
			struct frame_hdr got;
			struct frame_error err;
			const struct frame_type *row;
			const uint8_t *v;
			uint32_t vl;
			frame_hdr_decode(&four, buf, &got);
			ck_assert_uint_eq(got.untrusted_len, n - 16);
			ck_assert_int_eq(
			    frame_check_header(&four, 1, got.type, got.untrusted_len, &row, &err),
			    0);
			ck_assert_int_eq(frame_take(&four, row, got.untrusted_len, buf + 16,
						    got.untrusted_len, row->nfds, fixed, &v, &vl,
						    &err),
					 0);
			ck_assert_uint_eq(vl, lens[i]);
		}
	}
}
END_TEST

START_TEST(test_frame_lookup_finds_every_row_and_nothing_else)
{
	for (size_t r = 0; r < NROWS; r++) {
		ck_assert_ptr_eq(frame_lookup(&three, rows[r].type), &rows[r]);
		ck_assert_ptr_ne(frame_lookup(&three, rows[r].type + 1), &rows[r]);
		ck_assert_str_eq(frame_type_name(&three, rows[r].type), rows[r].name);
	}
	ck_assert_ptr_null(frame_lookup(&three, 0));
	ck_assert_ptr_null(frame_lookup(&three, 15));
	ck_assert_ptr_null(frame_lookup(&three, 0xffffffffu));
	const struct frame_proto empty = {"", 3, NULL, 0};
	ck_assert_ptr_null(frame_lookup(&empty, 10));
}
END_TEST

START_TEST(test_frame_tables_are_checked)
{
	char why[128];
	ck_assert_int_eq(frame_proto_check(&three, why, sizeof(why)), 0);
	ck_assert_int_eq(frame_proto_check(&four, why, sizeof(why)), 0);
	ck_assert_int_eq(frame_proto_check(&proto_frames, why, sizeof(why)), 0);

	const struct frame_proto wide = {"", 5, rows, NROWS};
	ck_assert_int_eq(frame_proto_check(&wide, why, sizeof(why)), -EINVAL);
	static const struct frame_type unsorted[] = {
	    {2, "B", ANY, FRAME_FIXED(0), 0, 0},
	    {1, "A", ANY, FRAME_FIXED(0), 0, 0},
	};
	static const struct frame_type twice[] = {
	    {1, "A", ANY, FRAME_FIXED(0), 0, 0},
	    {1, "A", ANY, FRAME_FIXED(4), 0, 0},
	};
	static const struct frame_type no_unit[] = {
	    {1, "A", ANY, FRAME_VARIABLE(0, 0, 0, 8), 0, 0}};
	static const struct frame_type min_past_max[] = {
	    {1, "A", ANY, FRAME_VARIABLE(0, 1, 9, 8), 0, 0}};
	static const struct frame_type size_past_min[] = {
	    {1, "A", ANY, FRAME_VARIABLE(8, 1, 4, 16), 0, 0}};
	static const struct frame_type max_not_whole[] = {
	    {1, "A", ANY, FRAME_VARIABLE(4, 4, 4, 10), 0, 0}};
	static const struct frame_type nobody[] = {{1, "A", 0, FRAME_FIXED(0), 0, 0}};
	const struct frame_type *bad[] = {unsorted,	 twice,		no_unit, min_past_max,
					  size_past_min, max_not_whole, nobody};
	const size_t nbad[] = {2, 2, 1, 1, 1, 1, 1};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct frame_proto p = {"", 3, bad[i], nbad[i]};
		ck_assert_int_eq(frame_proto_check(&p, why, sizeof(why)), -EINVAL);
		ck_assert_ptr_nonnull(strstr(why, "row "));
	}
}
END_TEST

START_TEST(test_frame_gui_bodies_fit_the_decoded_message)
{
	/* proto_decode() copies each fixed part into proto_msg.u: none may be larger. */
	for (size_t i = 0; i < proto_frames.ntypes; i++)
		ck_assert_uint_le(proto_frames.types[i].body.size,
				  sizeof(((struct proto_msg *)NULL)->u));
}
END_TEST

START_TEST(test_frame_null_error_is_allowed)
{
	const uint8_t body[4] = {0};
	const uint8_t *var;
	uint32_t var_len;
	ck_assert_int_eq(check(99, 0, NULL), -ENOMSG);
	ck_assert_int_eq(check(T_FIXED, 1, NULL), -EMSGSIZE);
	ck_assert_int_eq(frame_take(&three, frame_lookup(&three, T_FDS), 4, body, 4, 0, NULL, &var,
				    &var_len, NULL),
			 -EPROTO);
}
END_TEST

static void format(char *text, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void format(char *text, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	frame_vformat(text, cap, "p ", "NAME", "field", fmt, ap);
	va_end(ap);
}

START_TEST(test_frame_reason_is_cut_not_overrun)
{
	char text[16];
	memset(text, 'x', sizeof(text));
	format(text, 12, "%d", 12345);
	ck_assert_str_eq(text, "p NAME.fiel");
	ck_assert_uint_eq(text[12], 'x');
	format(text, sizeof(text), "%d", 7);
	ck_assert_str_eq(text, "p NAME.field: 7");
	format(text, 0, "%d", 7); /* no room: nothing written */
	ck_assert_str_eq(text, "p NAME.field: 7");

	struct frame_error err;
	ck_assert_int_eq(frame_fail(NULL, -EIO, &three, T_FIXED, "f", "%s", "ignored"), -EIO);
	ck_assert_int_eq(frame_fail(&err, -EIO, &three, T_FIXED, "f", "%d", 7), -EIO);
	ck_assert_str_eq(err.text, "test FIXED.f: 7");
	ck_assert_str_eq(err.field, "f");
}
END_TEST

Suite *suite_frame(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("kit");
	tcase_add_test(tc, test_frame_fixed_body_takes_its_size_only);
	tcase_add_test(tc, test_frame_variable_part_keeps_to_its_bounds);
	tcase_add_test(tc, test_frame_variable_part_is_whole_units);
	tcase_add_test(tc, test_frame_unknown_type_is_named);
	tcase_add_test(tc, test_frame_sender_must_be_allowed);
	tcase_add_test(tc, test_frame_take_wants_exactly_the_fds);
	tcase_add_test(tc, test_frame_take_wants_the_body_the_header_announced);
	tcase_add_test(tc, test_frame_take_splits_fixed_and_variable_parts);
	tcase_add_test(tc, test_frame_header_words_round_trip);
	tcase_add_test(tc, test_frame_encode_keeps_to_the_table);
	tcase_add_test(tc, test_frame_encode_writes_header_fixed_and_variable_parts);
	tcase_add_test(tc, test_frame_what_is_encoded_passes_the_checks);
	tcase_add_test(tc, test_frame_lookup_finds_every_row_and_nothing_else);
	tcase_add_test(tc, test_frame_tables_are_checked);
	tcase_add_test(tc, test_frame_gui_bodies_fit_the_decoded_message);
	tcase_add_test(tc, test_frame_null_error_is_allowed);
	tcase_add_test(tc, test_frame_reason_is_cut_not_overrun);
	suite_add_tcase(s, tc);
	return s;
}
