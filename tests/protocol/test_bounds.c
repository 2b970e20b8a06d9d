/* Every bounded field: the bound is accepted, and one past it is rejected naming the field, or,
 * where Qubes' peers adjust instead of refusing (AJ rows), accepted with the field adjusted to
 * `becomes` and the adjustment noted in err. */
#include <string.h>

#include "fixtures.h"

struct bound_row {
	uint32_t type;
	enum proto_dir from;
	unsigned offset; /* byte offset of the 32-bit field in the body */
	const char *field;
	int64_t ok, bad;
	enum proto_verdict verdict; /* for bad */
	int64_t becomes;	    /* AJ rows: the value bad is adjusted to */
};

#define A  PROTO_FROM_AGENT
#define D  PROTO_FROM_DAEMON
#define DR PROTO_DROP
#define FA PROTO_FATAL
#define AJ PROTO_OK /* accepted, adjusted, noted */
#define COORD(t, f, off, name)                                                                     \
	{t, f, off, name, PROTO_COORD_MIN, PROTO_COORD_MIN - 1, DR},                               \
	{                                                                                          \
		t, f, off, name, PROTO_COORD_MAX, (int64_t)PROTO_COORD_MAX + 1, DR                 \
	}
#define COORD_AJ(t, f, off, name)                                                                  \
	{t, f, off, name, PROTO_COORD_MIN, PROTO_COORD_MIN - 1, AJ, PROTO_COORD_MIN},              \
	{                                                                                          \
		t, f, off, name, PROTO_COORD_MAX, (int64_t)PROTO_COORD_MAX + 1, AJ,                \
		    PROTO_COORD_MAX                                                                \
	}
#define STATE(t, off)                                                                              \
	{                                                                                          \
		t, D, off, "state", PROTO_X_STATE_MAX, PROTO_X_STATE_MAX + 1, DR                   \
	}
#define W 16384
#define H 6144

static const struct bound_row rows[] = {
    {PROTO_MSG_KEYPRESS, D, 0, "type", 2, 1, DR},
    {PROTO_MSG_KEYPRESS, D, 0, "type", 3, 4, DR},
    COORD(PROTO_MSG_KEYPRESS, D, 4, "x"),
    COORD(PROTO_MSG_KEYPRESS, D, 8, "y"),
    STATE(PROTO_MSG_KEYPRESS, 12),
    {PROTO_MSG_KEYPRESS, D, 16, "keycode", 8, 7, DR},
    {PROTO_MSG_KEYPRESS, D, 16, "keycode", 255, 256, DR},

    {PROTO_MSG_BUTTON, D, 0, "type", 4, 3, DR},
    {PROTO_MSG_BUTTON, D, 0, "type", 5, 6, DR},
    COORD(PROTO_MSG_BUTTON, D, 4, "x"),
    COORD(PROTO_MSG_BUTTON, D, 8, "y"),
    STATE(PROTO_MSG_BUTTON, 12),
    {PROTO_MSG_BUTTON, D, 16, "button", 1, 0, DR},
    {PROTO_MSG_BUTTON, D, 16, "button", 255, 256, DR},

    COORD(PROTO_MSG_MOTION, D, 0, "x"),
    COORD(PROTO_MSG_MOTION, D, 4, "y"),
    STATE(PROTO_MSG_MOTION, 8),
    {PROTO_MSG_MOTION, D, 12, "is_hint", 1, 2, DR},

    {PROTO_MSG_CROSSING, D, 0, "type", 7, 6, DR},
    {PROTO_MSG_CROSSING, D, 0, "type", 8, 9, DR},
    COORD(PROTO_MSG_CROSSING, D, 4, "x"),
    COORD(PROTO_MSG_CROSSING, D, 8, "y"),
    STATE(PROTO_MSG_CROSSING, 12),
    {PROTO_MSG_CROSSING, D, 16, "mode", 2, 3, DR},
    {PROTO_MSG_CROSSING, D, 20, "detail", 4, 5, DR},
    {PROTO_MSG_CROSSING, D, 24, "focus", 1, 2, DR},

    {PROTO_MSG_FOCUS, D, 0, "type", 9, 8, DR},
    {PROTO_MSG_FOCUS, D, 0, "type", 10, 11, DR},
    {PROTO_MSG_FOCUS, D, 4, "mode", 3, 4, DR},
    {PROTO_MSG_FOCUS, D, 8, "detail", 7, 8, DR},

    {PROTO_MSG_RESIZE, D, 0, "width", 1, 0, DR},
    {PROTO_MSG_RESIZE, D, 0, "width", W, W + 1, DR},
    {PROTO_MSG_RESIZE, D, 4, "height", 1, 0, DR},
    {PROTO_MSG_RESIZE, D, 4, "height", H, H + 1, DR},

    COORD_AJ(PROTO_MSG_CREATE, A, 0, "x"),
    COORD_AJ(PROTO_MSG_CREATE, A, 4, "y"),
    {PROTO_MSG_CREATE, A, 8, "width", 1, 0, AJ, 1},
    {PROTO_MSG_CREATE, A, 8, "width", W, W + 1, AJ, W},
    {PROTO_MSG_CREATE, A, 8, "width", W, 0xffffffffll, AJ, W},
    {PROTO_MSG_CREATE, A, 12, "height", 1, 0, AJ, 1},
    {PROTO_MSG_CREATE, A, 12, "height", H, H + 1, AJ, H},
    {PROTO_MSG_CREATE, A, 20, "override_redirect", 1, 2, AJ, 1},

    {PROTO_MSG_MAP, A, 0, "transient_for", PROTO_WINDOW_ID_MAX, PROTO_WINDOW_ID_MAX + 1ll, AJ, 0},
    {PROTO_MSG_MAP, D, 0, "transient_for", PROTO_WINDOW_ID_MAX, 0xfeedfacell, AJ, 0},
    {PROTO_MSG_MAP, A, 4, "override_redirect", 1, 2, AJ, 1},
    {PROTO_MSG_MAP, D, 4, "override_redirect", 1, 2, AJ, 1},

    COORD_AJ(PROTO_MSG_CONFIGURE, A, 0, "x"),
    COORD_AJ(PROTO_MSG_CONFIGURE, A, 4, "y"),
    {PROTO_MSG_CONFIGURE, A, 8, "width", 1, 0, AJ, 1},
    {PROTO_MSG_CONFIGURE, A, 8, "width", W, W + 1, AJ, W},
    {PROTO_MSG_CONFIGURE, A, 12, "height", 1, 0, AJ, 1},
    {PROTO_MSG_CONFIGURE, A, 12, "height", H, H + 1, AJ, H},
    {PROTO_MSG_CONFIGURE, A, 16, "override_redirect", 1, 2, AJ, 1},
    {PROTO_MSG_CONFIGURE, D, 8, "width", W, W + 1, AJ, W},

    {PROTO_MSG_SHMIMAGE, A, 0, "x", 0, -1, DR},
    {PROTO_MSG_SHMIMAGE, A, 0, "x", W, W + 1, DR},
    {PROTO_MSG_SHMIMAGE, A, 4, "y", 0, -1, DR},
    {PROTO_MSG_SHMIMAGE, A, 4, "y", H, H + 1, DR},
    {PROTO_MSG_SHMIMAGE, A, 8, "width", W, W + 1, DR},
    {PROTO_MSG_SHMIMAGE, A, 12, "height", H, H + 1, DR},

    {PROTO_MSG_WINDOW_HINTS, A, 4, "min_width", W, W + 1, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 8, "min_height", H, H + 1, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 12, "max_width", 1, 0, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 12, "max_width", W, W + 1, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 16, "max_height", 1, 0, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 16, "max_height", H, H + 1, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 20, "width_inc", W - 1, W, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 24, "height_inc", H - 1, H, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 28, "base_width", W, W + 1, AJ, 0},
    {PROTO_MSG_WINDOW_HINTS, A, 32, "base_height", H, H + 1, AJ, 0},

    {PROTO_MSG_KEYMAP_NOTIFY, D, 0, "keys", 0, 1, DR},

    {PROTO_MSG_CURSOR, A, 0, "cursor", PROTO_CURSOR_X11, PROTO_CURSOR_X11 - 1, DR},
    {PROTO_MSG_CURSOR, A, 0, "cursor", PROTO_CURSOR_X11_MAX - 2, PROTO_CURSOR_X11_MAX, DR},

    {PROTO_MSG_WINDOW_DUMP, A, 0, "type", 0, 1, FA},
    {PROTO_MSG_WINDOW_DUMP, A, 12, "bpp", 32, 33, FA},
    {PROTO_MSG_WINDOW_DUMP, A, 12, "bpp", 32, 31, FA},

    {PROTO_MSG_MFNDUMP, A, 12, "bpp", 32, 33, FA},
    {PROTO_MSG_MFNDUMP, A, 4, "width", 1, 0, FA},
    {PROTO_MSG_MFNDUMP, A, 8, "height", 1, 0, FA},

    {PROTO_MSG_SEAM_HELLO, A, 4, "version", 1, 0, FA},
    {PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, 8, "stride", 1200, 1201, FA},
    {PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, 8, "stride", 1200, 1199, FA},
    {PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, 12, "format", 0, 1, FA},
    {PROTO_MSG_SEAM_DISPLAY_SETTINGS, D, 0, "dpi_1024", PROTO_DPI_MIN * 1024,
     PROTO_DPI_MIN * 1024 - 1, DR},
    {PROTO_MSG_SEAM_DISPLAY_SETTINGS, D, 0, "dpi_1024", PROTO_DPI_MAX * 1024,
     PROTO_DPI_MAX * 1024 + 1, DR},
    {PROTO_MSG_SEAM_DISPLAY_SETTINGS, D, 4, "scale", PROTO_DISPLAY_SCALE_MAX,
     PROTO_DISPLAY_SCALE_MAX + 1, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 0, "width", PROTO_SCREEN_MAX_DIM, PROTO_SCREEN_MAX_DIM + 1,
     DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 4, "height", PROTO_SCREEN_MAX_DIM, 0, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 8, "count", 2, 0, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 8, "count", 2, PROTO_MONITORS_MAX + 1, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 12, "primary", 1, 2, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 0, "monitor.x", 1000, 1001, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 4, "monitor.y", 0, 1, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 8, "monitor.width", 1000, 0, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 8, "monitor.width", 1000, 2001, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 12, "monitor.height", 1200, 0, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 16, "monitor.mm_width", PROTO_MONITOR_MM_MAX,
     PROTO_MONITOR_MM_MAX + 1, DR},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, D, 16 + 24 + 20, "monitor.mm_height", 0,
     PROTO_MONITOR_MM_MAX + 1, DR},
};

static void set_field(struct proto_msg *m, unsigned offset, int64_t value)
{
	uint32_t v = (uint32_t)value;
	memcpy((uint8_t *)&m->u + offset, &v, sizeof(v));
}

START_TEST(test_bounds_accept_bound_reject_one_past)
{
	const struct bound_row *r = &rows[_i];
	struct proto_peer peer = fixture_peer_for(r->type, r->from);
	struct proto_msg m, out;
	struct proto_error err = {0};
	unsigned nfds = proto_fds_for_type(r->type);

	fixture_valid(r->type, r->from, &m);
	set_field(&m, r->offset, r->ok);
	enum proto_verdict v = fixture_roundtrip(&peer, r->from, &m, nfds, &out, &err);
	ck_assert_msg(v == PROTO_OK, "%s.%s = %lld should pass: %s", proto_type_name(r->type),
		      r->field, (long long)r->ok, err.text);
	ck_assert_msg(!err.field, "%s.%s = %lld noted an adjustment: %s", proto_type_name(r->type),
		      r->field, (long long)r->ok, err.text);

	fixture_valid(r->type, r->from, &m);
	set_field(&m, r->offset, r->bad);
	v = fixture_roundtrip(&peer, r->from, &m, nfds, &out, &err);
	ck_assert_msg(v == r->verdict, "%s.%s = %lld: verdict %d, expected %d (%s)",
		      proto_type_name(r->type), r->field, (long long)r->bad, v, r->verdict,
		      err.text);
	ck_assert_ptr_nonnull(err.field);
	ck_assert_str_eq(err.field, r->field);
	if (r->verdict == AJ) {
		uint32_t got;
		memcpy(&got, (const uint8_t *)&out.u + r->offset, sizeof(got));
		ck_assert_msg(got == (uint32_t)r->becomes, "%s.%s = %lld became %u, expected %lld",
			      proto_type_name(r->type), r->field, (long long)r->bad, got,
			      (long long)r->becomes);
	}
	ck_assert_uint_eq(err.type, r->type);
	ck_assert_ptr_nonnull(strstr(err.text, r->field));
}
END_TEST

/* Decode a message built by fixture_valid() then changed by the caller. */
static enum proto_verdict run(struct proto_msg *m, enum proto_dir from, struct proto_error *err)
{
	struct proto_peer peer = fixture_peer_for(m->type, from);
	struct proto_msg out;
	return fixture_roundtrip(&peer, from, m, proto_fds_for_type(m->type), &out, err);
}

/* The same, for a message without a variable part: *m becomes what the receiver decoded. */
static enum proto_verdict run_decoded(struct proto_msg *m, enum proto_dir from,
				      struct proto_error *err)
{
	struct proto_peer peer = fixture_peer_for(m->type, from);
	struct proto_msg out;
	enum proto_verdict v =
	    fixture_roundtrip(&peer, from, m, proto_fds_for_type(m->type), &out, err);
	if (v == PROTO_OK)
		*m = out;
	return v;
}

START_TEST(test_bounds_window_dump_size_and_ref_count)
{
	static uint32_t refs[PROTO_MAX_GRANT_REFS + 1];
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_DUMP, A, &m);
	m.data = (const uint8_t *)refs;

	/* width at the bound with the refs it needs passes; one past fails on width */
	m.u.dump.width = W, m.u.dump.height = 1, m.data_len = 4u * (uint32_t)PROTO_NUM_PAGES(W * 4);
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.dump.width = W + 1, m.data_len = 4u * (uint32_t)PROTO_NUM_PAGES((W + 1) * 4);
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "width");

	m.u.dump.width = 1, m.u.dump.height = H, m.data_len = 4u * (uint32_t)PROTO_NUM_PAGES(H * 4);
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.dump.height = H + 1, m.data_len = 4u * (uint32_t)PROTO_NUM_PAGES((H + 1) * 4);
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "height");

	/* 100x100 needs exactly 10 refs: 9 and 11 are refused */
	fixture_valid(PROTO_MSG_WINDOW_DUMP, A, &m);
	m.data_len = 9 * 4;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "refs");
	m.data = (const uint8_t *)refs, m.data_len = 11 * 4;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "refs");

	/* a tiny window with the largest ref list: the header bound passes, the count does not */
	m.u.dump.width = 1, m.u.dump.height = 1, m.data_len = 4u * PROTO_MAX_GRANT_REFS;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "refs");
}
END_TEST

START_TEST(test_bounds_mfndump_offset_and_count)
{
	struct proto_msg m;
	struct proto_error err;
	static uint32_t mfns[12];
	fixture_valid(PROTO_MSG_MFNDUMP, A, &m);
	m.data = (const uint8_t *)mfns;

	m.u.shm_cmd.num_mfn = 11, m.data_len = 44, m.u.shm_cmd.off = 4095;
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.shm_cmd.off = 4096;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "off");

	m.u.shm_cmd.off = 4095, m.u.shm_cmd.num_mfn = 10, m.data_len = 40; /* 40960 < 44095 */
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "num_mfn");

	m.u.shm_cmd.off = 0, m.u.shm_cmd.num_mfn = 12, m.data_len = 44; /* count and bytes differ */
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "num_mfn");

	m.u.shm_cmd.num_mfn = PROTO_MAX_MFN_COUNT + 1;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "num_mfn");
}
END_TEST

START_TEST(test_bounds_seam_dump_fd_size)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_WINDOW_DUMP_FD, A, &m);
	m.u.dump_fd.width = W, m.u.dump_fd.stride = W * 4, m.u.dump_fd.height = H;
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.dump_fd.width = W + 1, m.u.dump_fd.stride = (W + 1) * 4;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "width");
	m.u.dump_fd.width = 0, m.u.dump_fd.stride = 0;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "width");
	m.u.dump_fd.width = 1, m.u.dump_fd.stride = 4, m.u.dump_fd.height = H + 1;
	ck_assert_int_eq(run(&m, A, &err), PROTO_FATAL);
	ck_assert_str_eq(err.field, "height");
}
END_TEST

START_TEST(test_bounds_window_flags_bits)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_FLAGS, A, &m);
	m.u.flags = (struct proto_window_flags){PROTO_FLAGS_SET_ALLOWED, 0};
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_OK);
	ck_assert_ptr_null(err.field);
	/* unknown bits are ignored, the rest of the message counts */
	m.u.flags.flags_set = PROTO_FLAG_FULLSCREEN | (1u << 3);
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_OK);
	ck_assert_str_eq(err.field, "flags_set");
	ck_assert_uint_eq(m.u.flags.flags_set, PROTO_FLAG_FULLSCREEN);

	/* a guest may not ask to be un-minimized (ignored, as Qubes' daemon does, so that a
	 * fullscreen change in the same message still counts); the daemon may acknowledge it */
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_FULLSCREEN, PROTO_FLAG_MINIMIZE};
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_OK);
	ck_assert_str_eq(err.field, "flags_unset");
	ck_assert_uint_eq(m.u.flags.flags_set, PROTO_FLAG_FULLSCREEN);
	ck_assert_uint_eq(m.u.flags.flags_unset, 0);
	m.u.flags = (struct proto_window_flags){0, PROTO_FLAG_MINIMIZE};
	ck_assert_int_eq(run_decoded(&m, D, &err), PROTO_OK);
	ck_assert_uint_eq(m.u.flags.flags_unset, PROTO_FLAG_MINIMIZE);

	m.u.flags = (struct proto_window_flags){PROTO_FLAG_FULLSCREEN, PROTO_FLAG_FULLSCREEN};
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "flags_unset");
}
END_TEST

START_TEST(test_bounds_cursor_mask_glyph_rejected)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_CURSOR, A, &m);
	m.u.cursor.cursor = PROTO_CURSOR_DEFAULT;
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.cursor.cursor = PROTO_CURSOR_X11 + 1;
	ck_assert_int_eq(run(&m, A, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "cursor");
	m.u.cursor.cursor = 1;
	ck_assert_int_eq(run(&m, A, &err), PROTO_DROP);
}
END_TEST

START_TEST(test_bounds_hints_unknown_flag_ignored)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_HINTS, A, &m);
	uint32_t flags = m.u.hints.flags;
	m.u.hints.flags |= 1u << 1; /* USSize: not one that travels */
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_OK);
	ck_assert_str_eq(err.field, "flags");
	ck_assert_uint_eq(m.u.hints.flags, flags);
}
END_TEST

START_TEST(test_bounds_hints_qt_unbounded_max_keeps_the_rest)
{
	/* Qt sends 32767 for an axis with no maximum: only the maximum is dropped. */
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WINDOW_HINTS, A, &m);
	m.u.hints = (struct proto_window_hints){PROTO_HINT_PMINSIZE | PROTO_HINT_PMAXSIZE |
						    PROTO_HINT_PRESIZEINC | PROTO_HINT_PBASESIZE,
						100,
						80,
						32767,
						32767,
						2,
						3,
						10,
						12};
	ck_assert_int_eq(run_decoded(&m, A, &err), PROTO_OK);
	ck_assert_str_eq(err.field, "max_width");
	ck_assert_uint_eq(m.u.hints.flags,
			  PROTO_HINT_PMINSIZE | PROTO_HINT_PRESIZEINC | PROTO_HINT_PBASESIZE);
	ck_assert_uint_eq(m.u.hints.min_width, 100);
	ck_assert_uint_eq(m.u.hints.min_height, 80);
	ck_assert_uint_eq(m.u.hints.max_width, 0);
	ck_assert_uint_eq(m.u.hints.width_inc, 2);
	ck_assert_uint_eq(m.u.hints.base_height, 12);
}
END_TEST

START_TEST(test_bounds_strings_must_be_terminated)
{
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_WMNAME, A, &m);
	memset(m.u.wmname.data, 'a', sizeof(m.u.wmname.data) - 1);
	m.u.wmname.data[127] = '\0';
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
	m.u.wmname.data[127] = 'a';
	ck_assert_int_eq(run(&m, A, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "data");

	fixture_valid(PROTO_MSG_WMCLASS, A, &m);
	memset(m.u.wmclass.res_class, 'c', 64);
	ck_assert_int_eq(run(&m, A, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "res_class");
	fixture_valid(PROTO_MSG_WMCLASS, A, &m);
	memset(m.u.wmclass.res_name, 'n', 64);
	ck_assert_int_eq(run(&m, A, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "res_name");

	fixture_valid(PROTO_MSG_EXECUTE, D, &m);
	memset(m.u.execute.cmd, 'x', sizeof(m.u.execute.cmd));
	ck_assert_int_eq(run(&m, D, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "cmd");
}
END_TEST

/* Clipboard bounds are checked from the header, before any byte of the body is read. */
static enum proto_verdict clip_header(uint32_t version, uint32_t len, struct proto_error *err)
{
	struct proto_peer peer = {.version = version};
	struct proto_hdr hdr = {PROTO_MSG_CLIPBOARD_DATA, 0, len};
	uint32_t body_len;
	return proto_check_header(&peer, A, &hdr, &body_len, err);
}

START_TEST(test_bounds_clipboard_length_by_version)
{
	struct proto_error err;
	ck_assert_int_eq(clip_header(PROTO_VERSION(1, 8), PROTO_CLIPBOARD_OVERSIZE_MARK, &err),
			 PROTO_OK);
	ck_assert_int_eq(clip_header(PROTO_VERSION(1, 8), PROTO_CLIPBOARD_OVERSIZE_MARK + 1, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(clip_header(PROTO_VERSION(1, 7), PROTO_CLIPBOARD_MAX_PRE_1_8, &err),
			 PROTO_OK);
	ck_assert_int_eq(clip_header(PROTO_VERSION(1, 7), PROTO_CLIPBOARD_MAX_PRE_1_8 + 1, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(clip_header(PROTO_VERSION(1, 8), 0, &err), PROTO_OK);
}
END_TEST

START_TEST(test_bounds_clipboard_largest_decodes)
{
	static uint8_t text[PROTO_CLIPBOARD_OVERSIZE_MARK];
	memset(text, 'q', sizeof(text));
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_CLIPBOARD_DATA, A, &m);
	m.data = text, m.data_len = sizeof(text);
	ck_assert_int_eq(run(&m, A, &err), PROTO_OK);
}
END_TEST

Suite *suite_bounds(void)
{
	Suite *s = suite_create("bounds");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_bounds_accept_bound_reject_one_past, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_bounds_window_dump_size_and_ref_count);
	tcase_add_test(tc, test_bounds_mfndump_offset_and_count);
	tcase_add_test(tc, test_bounds_seam_dump_fd_size);
	tcase_add_test(tc, test_bounds_window_flags_bits);
	tcase_add_test(tc, test_bounds_cursor_mask_glyph_rejected);
	tcase_add_test(tc, test_bounds_hints_unknown_flag_ignored);
	tcase_add_test(tc, test_bounds_hints_qt_unbounded_max_keeps_the_rest);
	tcase_add_test(tc, test_bounds_strings_must_be_terminated);
	tcase_add_test(tc, test_bounds_clipboard_length_by_version);
	tcase_add_test(tc, test_bounds_clipboard_largest_decodes);
	suite_add_tcase(s, tc);
	return s;
}
