/* One validation function per message: every field against explicit bounds, errors name the field.
 */
#include <stdarg.h>
#include <string.h>

#include "internal.h"

/* Fill err: the verdict, the type, the field, and the reason in the framing kit's shape. */
static int set(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
	       const char *prefix, const char *name, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

static int set(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
	       const char *prefix, const char *name, const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->verdict = verdict;
	err->type = type;
	err->field = field;
	frame_vformat(err->text, sizeof(err->text), prefix, name, field, fmt, ap);
	return -1;
}

int proto_error_vset(struct proto_error *err, enum proto_verdict verdict,
		     const struct frame_proto *p, uint32_t type, const char *field, const char *fmt,
		     va_list ap)
{
	return set(err, verdict, type, p->prefix, frame_type_name(p, type), field, fmt, ap);
}

int proto_fail(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
	       const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	proto_error_vset(err, verdict, &proto_frames, type, field, fmt, ap);
	va_end(ap);
	return -1;
}

int proto_note(struct proto_error *err, uint32_t type, const char *field, const char *fmt, ...)
{
	if (!err || err->field)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	proto_error_vset(err, PROTO_OK, &proto_frames, type, field, fmt, ap);
	va_end(ap);
	return 0;
}

int proto_note_handshake(struct proto_error *err, const char *field, const char *fmt, ...)
{
	if (!err || err->field)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	set(err, PROTO_OK, 0, "", "handshake", field, fmt, ap);
	va_end(ap);
	return 0;
}

int proto_fail_handshake(struct proto_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set(err, PROTO_FATAL, 0, "", "handshake", field, fmt, ap);
	va_end(ap);
	return -1;
}

/* Shorthands: every check names its message, field and verdict. */
#define CHECK_RANGE(err, verdict, type, field, value, lo, hi)                                      \
	do {                                                                                       \
		long long v_ = (long long)(value);                                                 \
		if (v_ < (long long)(lo) || v_ > (long long)(hi))                                  \
			return proto_fail(err, verdict, type, field, "%lld not in [%lld, %lld]",   \
					  v_, (long long)(lo), (long long)(hi));                   \
	} while (0)

#define CHECK_BOOL(err, verdict, type, field, value)                                               \
	CHECK_RANGE(err, verdict, type, field, value, 0, 1)

#define CHECK_TWO(err, verdict, type, field, value, a, b)                                          \
	do {                                                                                       \
		if ((value) != (a) && (value) != (b))                                              \
			return proto_fail(err, verdict, type, field, "%u is neither %u nor %u",    \
					  (unsigned)(value), (unsigned)(a), (unsigned)(b));        \
	} while (0)

static bool nul_terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* Where the pointer was and the modifiers held, shared by the four input events. */
static int check_pointer(uint32_t t, int32_t x, int32_t y, uint32_t state, struct proto_error *err)
{
	CHECK_RANGE(err, PROTO_DROP, t, "x", x, PROTO_COORD_MIN, PROTO_COORD_MAX);
	CHECK_RANGE(err, PROTO_DROP, t, "y", y, PROTO_COORD_MIN, PROTO_COORD_MAX);
	CHECK_RANGE(err, PROTO_DROP, t, "state", state, 0, PROTO_X_STATE_MAX);
	return 0;
}

int proto_validate_keypress(const struct proto_keypress *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_KEYPRESS;
	CHECK_TWO(err, PROTO_DROP, t, "type", m->type, PROTO_X_KEY_PRESS, PROTO_X_KEY_RELEASE);
	if (check_pointer(t, m->x, m->y, m->state, err))
		return -1;
	CHECK_RANGE(err, PROTO_DROP, t, "keycode", m->keycode, PROTO_X_KEYCODE_MIN,
		    PROTO_X_KEYCODE_MAX);
	return 0;
}

int proto_validate_button(const struct proto_button *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_BUTTON;
	CHECK_TWO(err, PROTO_DROP, t, "type", m->type, PROTO_X_BUTTON_PRESS,
		  PROTO_X_BUTTON_RELEASE);
	if (check_pointer(t, m->x, m->y, m->state, err))
		return -1;
	CHECK_RANGE(err, PROTO_DROP, t, "button", m->button, 1, PROTO_X_BUTTON_MAX);
	return 0;
}

int proto_validate_motion(const struct proto_motion *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_MOTION;
	if (check_pointer(t, m->x, m->y, m->state, err))
		return -1;
	CHECK_BOOL(err, PROTO_DROP, t, "is_hint", m->is_hint);
	return 0;
}

int proto_validate_crossing(const struct proto_crossing *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_CROSSING;
	CHECK_TWO(err, PROTO_DROP, t, "type", m->type, PROTO_X_ENTER_NOTIFY, PROTO_X_LEAVE_NOTIFY);
	if (check_pointer(t, m->x, m->y, m->state, err))
		return -1;
	CHECK_RANGE(err, PROTO_DROP, t, "mode", m->mode, 0, PROTO_X_CROSSING_MODE_MAX);
	CHECK_RANGE(err, PROTO_DROP, t, "detail", m->detail, 0, PROTO_X_CROSSING_DETAIL_MAX);
	CHECK_BOOL(err, PROTO_DROP, t, "focus", m->focus);
	return 0;
}

int proto_validate_focus(const struct proto_focus *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_FOCUS;
	CHECK_TWO(err, PROTO_DROP, t, "type", m->type, PROTO_X_FOCUS_IN, PROTO_X_FOCUS_OUT);
	CHECK_RANGE(err, PROTO_DROP, t, "mode", m->mode, 0, PROTO_X_FOCUS_MODE_MAX);
	CHECK_RANGE(err, PROTO_DROP, t, "detail", m->detail, 0, PROTO_X_FOCUS_DETAIL_MAX);
	return 0;
}

int proto_validate_resize(const struct proto_resize *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_RESIZE;
	CHECK_RANGE(err, PROTO_DROP, t, "width", m->width, 1, PROTO_MAX_WINDOW_WIDTH);
	CHECK_RANGE(err, PROTO_DROP, t, "height", m->height, 1, PROTO_MAX_WINDOW_HEIGHT);
	return 0;
}

/* A value clamped into [lo, hi], noted if it moved. */
static int64_t clamp_field(struct proto_error *err, uint32_t t, const char *field, int64_t v,
			   int64_t lo, int64_t hi)
{
	int64_t c = v < lo ? lo : v > hi ? hi : v;
	if (c != v)
		proto_note(err, t, field, "%lld clamped to %lld", (long long)v, (long long)c);
	return c;
}

/* 0 or 1 from any value: Qubes' peers treat every non-zero override_redirect as set. */
static uint32_t normalize_bool(struct proto_error *err, uint32_t t, const char *field, uint32_t v)
{
	if (v > 1)
		proto_note(err, t, field, "%u taken as 1", v);
	return v != 0;
}

/* Geometry shared by CREATE and CONFIGURE: clamped, as Qubes' daemon does, so that a window X
 * allows (up to 32767 wide) still appears; its buffers stay bounded by the dump checks. A width
 * of 0 or one past 2^31 ("negative") becomes 1 or the maximum: never a refusal that would strand
 * the window's later messages. */
static void clamp_geometry(uint32_t t, int32_t *x, int32_t *y, uint32_t *w, uint32_t *h,
			   struct proto_error *err)
{
	*x = (int32_t)clamp_field(err, t, "x", *x, PROTO_COORD_MIN, PROTO_COORD_MAX);
	*y = (int32_t)clamp_field(err, t, "y", *y, PROTO_COORD_MIN, PROTO_COORD_MAX);
	*w = (uint32_t)clamp_field(err, t, "width", *w, 1, PROTO_MAX_WINDOW_WIDTH);
	*h = (uint32_t)clamp_field(err, t, "height", *h, 1, PROTO_MAX_WINDOW_HEIGHT);
}

int proto_validate_create(struct proto_create *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_CREATE;
	clamp_geometry(t, &m->x, &m->y, &m->width, &m->height, err);
	m->override_redirect = normalize_bool(err, t, "override_redirect", m->override_redirect);
	/* Only top-level windows travel; the parent is meaningless and never used. */
	m->parent = 0;
	return 0;
}

int proto_validate_map(struct proto_map_info *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_MAP;
	/* Qubes' daemon sends MAP with transient_for never initialized, and an id no window has
	 * means "none" to a receiver anyway. */
	if (m->transient_for > PROTO_WINDOW_ID_MAX) {
		proto_note(err, t, "transient_for", "0x%x is no window id: taken as none",
			   m->transient_for);
		m->transient_for = 0;
	}
	m->override_redirect = normalize_bool(err, t, "override_redirect", m->override_redirect);
	return 0;
}

int proto_validate_configure(struct proto_configure *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_CONFIGURE;
	clamp_geometry(t, &m->x, &m->y, &m->width, &m->height, err);
	m->override_redirect = normalize_bool(err, t, "override_redirect", m->override_redirect);
	return 0;
}

int proto_validate_mfndump(const struct proto_shm_cmd *m, uint32_t mfn_bytes,
			   struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_MFNDUMP;
	CHECK_RANGE(err, PROTO_FATAL, t, "width", m->width, 1, PROTO_MAX_WINDOW_WIDTH);
	CHECK_RANGE(err, PROTO_FATAL, t, "height", m->height, 1, PROTO_MAX_WINDOW_HEIGHT);
	CHECK_RANGE(err, PROTO_FATAL, t, "bpp", m->bpp, PROTO_BPP, PROTO_BPP);
	CHECK_RANGE(err, PROTO_FATAL, t, "off", m->off, 0, PROTO_PAGE_SIZE - 1);
	CHECK_RANGE(err, PROTO_FATAL, t, "num_mfn", m->num_mfn, 1, PROTO_MAX_MFN_COUNT);
	if ((uint64_t)m->num_mfn * 4u != mfn_bytes)
		return proto_fail(err, PROTO_FATAL, t, "num_mfn",
				  "%u MFNs declared, %u bytes follow", m->num_mfn, mfn_bytes);
	uint64_t need = (uint64_t)m->width * m->height * 4u + m->off;
	if ((uint64_t)m->num_mfn * PROTO_PAGE_SIZE < need)
		return proto_fail(err, PROTO_FATAL, t, "num_mfn",
				  "%u pages cannot hold %ux%u at offset %u", m->num_mfn, m->width,
				  m->height, m->off);
	return 0;
}

int proto_validate_shmimage(const struct proto_shmimage *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SHMIMAGE;
	CHECK_RANGE(err, PROTO_DROP, t, "x", m->x, 0, PROTO_MAX_WINDOW_WIDTH);
	CHECK_RANGE(err, PROTO_DROP, t, "y", m->y, 0, PROTO_MAX_WINDOW_HEIGHT);
	CHECK_RANGE(err, PROTO_DROP, t, "width", m->width, 0,
		    PROTO_MAX_WINDOW_WIDTH - (uint32_t)m->x);
	CHECK_RANGE(err, PROTO_DROP, t, "height", m->height, 0,
		    PROTO_MAX_WINDOW_HEIGHT - (uint32_t)m->y);
	return 0;
}

int proto_validate_execute(const struct proto_execute *m, struct proto_error *err)
{
	if (!nul_terminated(m->cmd, sizeof(m->cmd)))
		return proto_fail(err, PROTO_DROP, PROTO_MSG_EXECUTE, "cmd", "not NUL-terminated");
	return 0;
}

uint32_t proto_clipboard_max(uint32_t version)
{
	return version >= PROTO_VERSION(1, 8) ? PROTO_CLIPBOARD_OVERSIZE_MARK
					      : PROTO_CLIPBOARD_MAX_PRE_1_8;
}

int proto_validate_clipboard_data(const struct proto_peer *peer, uint32_t len,
				  struct proto_error *err)
{
	uint32_t max = proto_clipboard_max(peer->version);
	CHECK_RANGE(err, PROTO_FATAL, PROTO_MSG_CLIPBOARD_DATA, "untrusted_len", len, 0, max);
	return 0;
}

int proto_validate_wmname(const struct proto_wmname *m, struct proto_error *err)
{
	if (!nul_terminated(m->data, sizeof(m->data)))
		return proto_fail(err, PROTO_DROP, PROTO_MSG_WMNAME, "data", "not NUL-terminated");
	return 0;
}

int proto_validate_keymap_notify(const struct proto_keymap_notify *m, struct proto_error *err)
{
	/* X keycodes start at 8: the bits of keycodes 0-7 cannot be set by a real keymap. */
	if (m->keys[0] != 0)
		return proto_fail(err, PROTO_DROP, PROTO_MSG_KEYMAP_NOTIFY, "keys",
				  "bits set for keycodes below 8 (0x%02x)", m->keys[0]);
	return 0;
}

/* One hint's pair of values: kept if both are in range, else the hint is dropped (its flag cleared
 * and noted). Unflagged values are zeroed, as they carry no meaning. */
static void hint_pair(struct proto_error *err, struct proto_window_hints *m, uint32_t flag,
		      const char *fw, uint32_t *w, uint32_t lo_w, uint32_t hi_w, const char *fh,
		      uint32_t *h, uint32_t lo_h, uint32_t hi_h)
{
	const uint32_t t = PROTO_MSG_WINDOW_HINTS;
	if ((m->flags & flag) && (*w < lo_w || *w > hi_w)) {
		proto_note(err, t, fw, "%u not in [%u, %u]: hint dropped", *w, lo_w, hi_w);
		m->flags &= ~flag;
	} else if ((m->flags & flag) && (*h < lo_h || *h > hi_h)) {
		proto_note(err, t, fh, "%u not in [%u, %u]: hint dropped", *h, lo_h, hi_h);
		m->flags &= ~flag;
	}
	if (!(m->flags & flag))
		*w = *h = 0;
}

/* Each hint stands alone, as in Qubes' daemon: Qt sends 32767 for an unbounded maximum, which
 * drops the maximum and keeps the minimum, base and increments. */
int proto_validate_window_hints(struct proto_window_hints *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_WINDOW_HINTS;
	const uint32_t W = PROTO_MAX_WINDOW_WIDTH, H = PROTO_MAX_WINDOW_HEIGHT;
	if (m->flags & ~PROTO_HINT_ALL) {
		proto_note(err, t, "flags", "unknown bits 0x%x ignored",
			   m->flags & ~PROTO_HINT_ALL);
		m->flags &= PROTO_HINT_ALL;
	}
	hint_pair(err, m, PROTO_HINT_PMINSIZE, "min_width", &m->min_width, 0, W, "min_height",
		  &m->min_height, 0, H);
	hint_pair(err, m, PROTO_HINT_PMAXSIZE, "max_width", &m->max_width, 1, W, "max_height",
		  &m->max_height, 1, H);
	hint_pair(err, m, PROTO_HINT_PRESIZEINC, "width_inc", &m->width_inc, 0, W - 1, "height_inc",
		  &m->height_inc, 0, H - 1);
	hint_pair(err, m, PROTO_HINT_PBASESIZE, "base_width", &m->base_width, 0, W, "base_height",
		  &m->base_height, 0, H);
	return 0;
}

/* Unknown bits are ignored rather than refused, and a guest's "unset MINIMIZE" (Qubes' agent sends
 * it when a window is restored) is ignored too: a guest may not ask to be un-minimized, but the
 * rest of its message (a fullscreen change, say) still counts. Setting and unsetting one bit at
 * once is contradictory: dropped. */
int proto_validate_window_flags(struct proto_window_flags *m, enum proto_dir from,
				struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_WINDOW_FLAGS;
	/* The daemon may acknowledge any state it applied. */
	uint32_t unset_ok =
	    from == PROTO_FROM_DAEMON ? PROTO_FLAGS_SET_ALLOWED : PROTO_FLAGS_UNSET_ALLOWED;
	if (m->flags_set & m->flags_unset)
		return proto_fail(err, PROTO_DROP, t, "flags_unset", "bits 0x%x both set and unset",
				  m->flags_set & m->flags_unset);
	if (m->flags_set & ~PROTO_FLAGS_SET_ALLOWED) {
		proto_note(err, t, "flags_set", "unknown bits 0x%x ignored",
			   m->flags_set & ~PROTO_FLAGS_SET_ALLOWED);
		m->flags_set &= PROTO_FLAGS_SET_ALLOWED;
	}
	if (m->flags_unset & ~unset_ok) {
		proto_note(err, t, "flags_unset", "bits 0x%x ignored", m->flags_unset & ~unset_ok);
		m->flags_unset &= unset_ok;
	}
	return 0;
}

int proto_validate_wmclass(const struct proto_wmclass *m, struct proto_error *err)
{
	if (!nul_terminated(m->res_class, sizeof(m->res_class)))
		return proto_fail(err, PROTO_DROP, PROTO_MSG_WMCLASS, "res_class",
				  "not NUL-terminated");
	if (!nul_terminated(m->res_name, sizeof(m->res_name)))
		return proto_fail(err, PROTO_DROP, PROTO_MSG_WMCLASS, "res_name",
				  "not NUL-terminated");
	return 0;
}

int proto_validate_window_dump(const struct proto_window_dump_hdr *m, uint32_t refs_bytes,
			       struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_WINDOW_DUMP;
	CHECK_RANGE(err, PROTO_FATAL, t, "type", m->type, PROTO_WINDOW_DUMP_TYPE_GRANT_REFS,
		    PROTO_WINDOW_DUMP_TYPE_GRANT_REFS);
	CHECK_RANGE(err, PROTO_FATAL, t, "width", m->width, 1, PROTO_MAX_WINDOW_WIDTH);
	CHECK_RANGE(err, PROTO_FATAL, t, "height", m->height, 1, PROTO_MAX_WINDOW_HEIGHT);
	CHECK_RANGE(err, PROTO_FATAL, t, "bpp", m->bpp, PROTO_BPP, PROTO_BPP);
	/* Exactly the pages the buffer needs: more would make the host map memory for nothing. */
	uint64_t pages = PROTO_NUM_PAGES((uint64_t)m->width * m->height * 4u);
	if (refs_bytes != pages * 4u)
		return proto_fail(err, PROTO_FATAL, t, "refs",
				  "%u refs for %ux%u, which needs %llu", refs_bytes / 4u, m->width,
				  m->height, (unsigned long long)pages);
	return 0;
}

int proto_validate_cursor(const struct proto_cursor *m, struct proto_error *err)
{
	uint32_t c = m->cursor;
	if (c == PROTO_CURSOR_DEFAULT)
		return 0;
	CHECK_RANGE(err, PROTO_DROP, PROTO_MSG_CURSOR, "cursor", c, PROTO_CURSOR_X11,
		    PROTO_CURSOR_X11_MAX - 1);
	/* X font cursors come in shape/mask pairs: only the even glyphs are shapes. */
	if ((c - PROTO_CURSOR_X11) & 1u)
		return proto_fail(err, PROTO_DROP, PROTO_MSG_CURSOR, "cursor",
				  "0x%x is a mask glyph, not a cursor shape", c);
	return 0;
}

int proto_validate_seam_hello(const struct proto_seam_hello *m, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_HELLO;
	if (m->magic != PROTO_SEAM_MAGIC)
		return proto_fail(err, PROTO_FATAL, t, "magic", "0x%08x is not 0x%08x", m->magic,
				  PROTO_SEAM_MAGIC);
	CHECK_RANGE(err, PROTO_FATAL, t, "version", m->version, 1, UINT32_MAX);
	return 0;
}

/* An XKB name list as setxkbmap takes it: the agent passes it as one argument, so it must not
 * look like an option, and it holds nothing a shell or a path could make use of. */
static int check_xkb_names(const char *v, size_t size, const char *field, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_KEYBOARD;
	if (!nul_terminated(v, size))
		return proto_fail(err, PROTO_DROP, t, field, "not NUL-terminated");
	if (v[0] == '-')
		return proto_fail(err, PROTO_DROP, t, field, "starts with '-'");
	for (const char *p = v; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || strchr("_+-,:().", c);
		if (!ok)
			return proto_fail(err, PROTO_DROP, t, field, "byte 0x%02x not allowed",
					  (unsigned char)c);
	}
	return 0;
}

int proto_validate_seam_keyboard(const struct proto_seam_keyboard *m, struct proto_error *err)
{
	if (check_xkb_names(m->rules, sizeof(m->rules), "rules", err) ||
	    check_xkb_names(m->model, sizeof(m->model), "model", err) ||
	    check_xkb_names(m->layout, sizeof(m->layout), "layout", err) ||
	    check_xkb_names(m->variant, sizeof(m->variant), "variant", err) ||
	    check_xkb_names(m->options, sizeof(m->options), "options", err))
		return -1;
	if (!m->layout[0])
		return proto_fail(err, PROTO_DROP, PROTO_MSG_SEAM_KEYBOARD, "layout", "empty");
	return 0;
}

int proto_validate_seam_keysyms(const struct proto_seam_keysyms *m, uint32_t keysym_bytes,
				struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_KEYSYMS;
	CHECK_RANGE(err, PROTO_DROP, t, "first_keycode", m->first_keycode, 8, 255);
	CHECK_RANGE(err, PROTO_DROP, t, "count", m->count, 1, 256 - m->first_keycode);
	CHECK_RANGE(err, PROTO_DROP, t, "keysyms_per_keycode", m->keysyms_per_keycode, 1,
		    PROTO_KEYSYMS_PER_KEYCODE_MAX);
	if ((uint64_t)m->count * m->keysyms_per_keycode * 4u != keysym_bytes)
		return proto_fail(err, PROTO_DROP, t, "count",
				  "%u keycodes of %u keysyms, but %u bytes of keysyms", m->count,
				  m->keysyms_per_keycode, keysym_bytes);
	return 0;
}

int proto_validate_seam_display_settings(const struct proto_seam_display_settings *m,
					 struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_DISPLAY_SETTINGS;
	if (m->dpi_1024) /* 0: the host does not say */
		CHECK_RANGE(err, PROTO_DROP, t, "dpi_1024", m->dpi_1024, PROTO_DPI_MIN * 1024u,
			    PROTO_DPI_MAX * 1024u);
	CHECK_RANGE(err, PROTO_DROP, t, "scale", m->scale, 0, PROTO_DISPLAY_SCALE_MAX);
	return 0;
}

int proto_validate_seam_monitor_layout(const struct proto_seam_monitor_layout *m,
				       struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_MONITOR_LAYOUT;
	CHECK_RANGE(err, PROTO_DROP, t, "width", m->width, 1, PROTO_SCREEN_MAX_DIM);
	CHECK_RANGE(err, PROTO_DROP, t, "height", m->height, 1, PROTO_SCREEN_MAX_DIM);
	CHECK_RANGE(err, PROTO_DROP, t, "count", m->count, 1, PROTO_MONITORS_MAX);
	CHECK_RANGE(err, PROTO_DROP, t, "primary", m->primary, 0, m->count - 1);
	for (uint32_t i = 0; i < PROTO_MONITORS_MAX; i++) {
		const struct proto_seam_monitor *mon = &m->monitors[i];
		if (i >= m->count) {
			/* One encoding per layout: what a receiver compares is what it uses. */
			if (mon->x | mon->y | mon->width | mon->height | mon->mm_width |
			    mon->mm_height)
				return proto_fail(err, PROTO_DROP, t, "monitors",
						  "monitor %u is past count %u but not empty", i,
						  m->count);
			continue;
		}
		/* Each monitor lies within the screen (64-bit sums: no wrap). */
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.width", mon->width, 1, m->width);
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.height", mon->height, 1, m->height);
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.x", mon->x, 0, m->width - mon->width);
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.y", mon->y, 0, m->height - mon->height);
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.mm_width", mon->mm_width, 0,
			    PROTO_MONITOR_MM_MAX);
		CHECK_RANGE(err, PROTO_DROP, t, "monitor.mm_height", mon->mm_height, 0,
			    PROTO_MONITOR_MM_MAX);
	}
	return 0;
}

static uint32_t fit_dim(uint32_t v)
{
	return v < 1 ? 1 : v > PROTO_SCREEN_MAX_DIM ? PROTO_SCREEN_MAX_DIM : v;
}

void proto_monitor_layout_fit(struct proto_seam_monitor_layout *l, uint32_t width, uint32_t height)
{
	struct proto_seam_monitor_layout in = *l;
	*l = (struct proto_seam_monitor_layout){.width = fit_dim(width), .height = fit_dim(height)};
	uint32_t n = in.count < PROTO_MONITORS_MAX ? in.count : PROTO_MONITORS_MAX;
	for (uint32_t i = 0; i < n; i++) {
		const struct proto_seam_monitor *m = &in.monitors[i];
		uint64_t x2 = (uint64_t)m->x + m->width, y2 = (uint64_t)m->y + m->height;
		if (x2 > l->width)
			x2 = l->width;
		if (y2 > l->height)
			y2 = l->height;
		if (x2 <= m->x || y2 <= m->y)
			continue;
		if (i == in.primary)
			l->primary = l->count;
		l->monitors[l->count++] = (struct proto_seam_monitor){
		    m->x,
		    m->y,
		    (uint32_t)(x2 - m->x),
		    (uint32_t)(y2 - m->y),
		    m->mm_width <= PROTO_MONITOR_MM_MAX ? m->mm_width : 0,
		    m->mm_height <= PROTO_MONITOR_MM_MAX ? m->mm_height : 0};
	}
	if (!l->count) {
		l->count = 1;
		l->monitors[0] = (struct proto_seam_monitor){0, 0, l->width, l->height, 0, 0};
	}
}

int proto_validate_seam_window_dump_fd(const struct proto_seam_window_dump_fd *m,
				       struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_WINDOW_DUMP_FD;
	CHECK_RANGE(err, PROTO_FATAL, t, "width", m->width, 1, PROTO_MAX_WINDOW_WIDTH);
	CHECK_RANGE(err, PROTO_FATAL, t, "height", m->height, 1, PROTO_MAX_WINDOW_HEIGHT);
	CHECK_RANGE(err, PROTO_FATAL, t, "stride", m->stride, m->width * 4u, m->width * 4u);
	CHECK_RANGE(err, PROTO_FATAL, t, "format", m->format, PROTO_SEAM_FORMAT_XRGB8888,
		    PROTO_SEAM_FORMAT_XRGB8888);
	return 0;
}

int proto_validate_seam_icon(const struct proto_seam_icon *m, uint32_t pixel_bytes,
			     struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_ICON;
	CHECK_RANGE(err, PROTO_DROP, t, "count", m->count, 0, PROTO_ICON_MAX_IMAGES);
	uint64_t pixels = 0;
	for (uint32_t i = 0; i < PROTO_ICON_MAX_IMAGES; i++) {
		const struct proto_seam_icon_size *s = &m->sizes[i];
		if (i >= m->count) {
			if (s->width || s->height)
				return proto_fail(err, PROTO_DROP, t, "sizes",
						  "unused image %u is %ux%u, not 0x0", i, s->width,
						  s->height);
			continue;
		}
		CHECK_RANGE(err, PROTO_DROP, t, "width", s->width, 1, PROTO_ICON_MAX_SIZE);
		CHECK_RANGE(err, PROTO_DROP, t, "height", s->height, 1, PROTO_ICON_MAX_SIZE);
		pixels += (uint64_t)s->width * s->height;
	}
	/* The table bounds the body to PROTO_ICON_MAX_PIXELS pixels: sizes beyond it cannot match.
	 */
	if (pixels * 4u != pixel_bytes)
		return proto_fail(err, PROTO_DROP, t, "pixels", "%u bytes for %llu pixels",
				  pixel_bytes, (unsigned long long)pixels);
	return 0;
}

/* One text of a notification: well-formed UTF-8 without NUL (a receiver passes it on as a C
 * string). */
static int check_notify_text(const uint8_t *s, uint32_t len, const char *field,
			     struct proto_error *err)
{
	for (uint32_t i = 0; i < len;) {
		int32_t cp;
		size_t n = proto_utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			return proto_fail(err, PROTO_DROP, PROTO_MSG_SEAM_NOTIFY, field,
					  "ill-formed UTF-8 at byte %u", i);
		if (cp == 0)
			return proto_fail(err, PROTO_DROP, PROTO_MSG_SEAM_NOTIFY, field,
					  "NUL at byte %u", i);
		i += (uint32_t)n;
	}
	return 0;
}

int proto_validate_seam_notify(const struct proto_seam_notify *m, const uint8_t *text,
			       uint32_t text_len, struct proto_error *err)
{
	const uint32_t t = PROTO_MSG_SEAM_NOTIFY;
	CHECK_RANGE(err, PROTO_DROP, t, "app_len", m->app_len, 0, PROTO_NOTIFY_MAX_APP);
	CHECK_RANGE(err, PROTO_DROP, t, "summary_len", m->summary_len, 0, PROTO_NOTIFY_MAX_SUMMARY);
	CHECK_RANGE(err, PROTO_DROP, t, "body_len", m->body_len, 0, PROTO_NOTIFY_MAX_BODY);
	/* Each is bounded above, so the sum cannot wrap. */
	if (m->app_len + m->summary_len + m->body_len != text_len)
		return proto_fail(err, PROTO_DROP, t, "body_len",
				  "%u + %u + %u bytes of text, %u in the message", m->app_len,
				  m->summary_len, m->body_len, text_len);
	if (text_len == 0)
		return 0; /* no texts: text may be NULL, with nothing to add to it */
	if (check_notify_text(text, m->app_len, "app", err) ||
	    check_notify_text(text + m->app_len, m->summary_len, "summary", err) ||
	    check_notify_text(text + m->app_len + m->summary_len, m->body_len, "body", err))
		return -1;
	return 0;
}
