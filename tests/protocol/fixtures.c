/* Valid template messages for every type, and the encode -> check -> decode path a receiver takes.
 */
#include <string.h>

#include "fixtures.h"

const struct fixture_type fixture_types[] = {
    {PROTO_MSG_KEYPRESS, PROTO_FROM_DAEMON},
    {PROTO_MSG_BUTTON, PROTO_FROM_DAEMON},
    {PROTO_MSG_MOTION, PROTO_FROM_DAEMON},
    {PROTO_MSG_CROSSING, PROTO_FROM_DAEMON},
    {PROTO_MSG_FOCUS, PROTO_FROM_DAEMON},
    {PROTO_MSG_RESIZE, PROTO_FROM_DAEMON},
    {PROTO_MSG_CREATE, PROTO_FROM_AGENT},
    {PROTO_MSG_DESTROY, PROTO_FROM_AGENT},
    {PROTO_MSG_DESTROY, PROTO_FROM_DAEMON},
    {PROTO_MSG_MAP, PROTO_FROM_AGENT},
    {PROTO_MSG_MAP, PROTO_FROM_DAEMON},
    {PROTO_MSG_UNMAP, PROTO_FROM_AGENT},
    {PROTO_MSG_CONFIGURE, PROTO_FROM_AGENT},
    {PROTO_MSG_CONFIGURE, PROTO_FROM_DAEMON},
    {PROTO_MSG_MFNDUMP, PROTO_FROM_AGENT},
    {PROTO_MSG_SHMIMAGE, PROTO_FROM_AGENT},
    {PROTO_MSG_CLOSE, PROTO_FROM_DAEMON},
    {PROTO_MSG_EXECUTE, PROTO_FROM_DAEMON},
    {PROTO_MSG_CLIPBOARD_REQ, PROTO_FROM_DAEMON},
    {PROTO_MSG_CLIPBOARD_DATA, PROTO_FROM_AGENT},
    {PROTO_MSG_CLIPBOARD_DATA, PROTO_FROM_DAEMON},
    {PROTO_MSG_WMNAME, PROTO_FROM_AGENT},
    {PROTO_MSG_KEYMAP_NOTIFY, PROTO_FROM_DAEMON},
    {PROTO_MSG_DOCK, PROTO_FROM_AGENT},
    {PROTO_MSG_WINDOW_HINTS, PROTO_FROM_AGENT},
    {PROTO_MSG_WINDOW_FLAGS, PROTO_FROM_AGENT},
    {PROTO_MSG_WINDOW_FLAGS, PROTO_FROM_DAEMON},
    {PROTO_MSG_WMCLASS, PROTO_FROM_AGENT},
    {PROTO_MSG_WINDOW_DUMP, PROTO_FROM_AGENT},
    {PROTO_MSG_CURSOR, PROTO_FROM_AGENT},
    {PROTO_MSG_WINDOW_DUMP_ACK, PROTO_FROM_DAEMON},
    {PROTO_MSG_SEAM_HELLO, PROTO_FROM_AGENT},
    {PROTO_MSG_SEAM_HELLO, PROTO_FROM_DAEMON},
    {PROTO_MSG_SEAM_WINDOW_DUMP_FD, PROTO_FROM_AGENT},
    {PROTO_MSG_SEAM_KEYBOARD, PROTO_FROM_DAEMON},
    {PROTO_MSG_SEAM_KEYSYMS, PROTO_FROM_DAEMON},
    {PROTO_MSG_SEAM_ICON, PROTO_FROM_AGENT},
    {PROTO_MSG_SEAM_DISPLAY_SETTINGS, PROTO_FROM_DAEMON},
    {PROTO_MSG_SEAM_NOTIFY, PROTO_FROM_AGENT},
    {PROTO_MSG_SEAM_MONITOR_LAYOUT, PROTO_FROM_DAEMON},
};
const size_t fixture_types_count = sizeof(fixture_types) / sizeof(fixture_types[0]);

struct proto_peer fixture_peer_seam(void)
{
	return (struct proto_peer){
	    .version = PROTO_VERSION_CURRENT,
	    .seam_hello_sent = true,
	    .seam = true,
	    .seam_features = PROTO_SEAM_FEATURES_KNOWN,
	};
}

struct proto_peer fixture_peer_for(uint32_t type, enum proto_dir from)
{
	struct proto_peer p = fixture_peer_seam();
	if (type == PROTO_MSG_SEAM_HELLO && from == PROTO_FROM_AGENT)
		p.seam = false, p.seam_features = 0;
	return p;
}

struct proto_peer fixture_peer_qubes(void)
{
	return (struct proto_peer){.version = PROTO_VERSION_CURRENT};
}

/* Storage for variable parts: grant refs of a 100x100 window (40000 bytes = 10 pages), MFNs,
 * clipboard text. */
static uint32_t refs[10];
static uint32_t mfns[10];
static const char clip[] = "clipboard text\twith a tab\n";

void fixture_valid(uint32_t type, enum proto_dir from, struct proto_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->window = 0x400001;
	switch (type) {
	case PROTO_MSG_KEYPRESS:
		m->u.keypress = (struct proto_keypress){PROTO_X_KEY_PRESS, 10, 20, 0x1, 38};
		break;
	case PROTO_MSG_BUTTON:
		m->u.button = (struct proto_button){PROTO_X_BUTTON_RELEASE, 5, 6, 0x100, 1};
		break;
	case PROTO_MSG_MOTION:
		m->u.motion = (struct proto_motion){-3, 400, 0, 0};
		break;
	case PROTO_MSG_CROSSING:
		m->u.crossing = (struct proto_crossing){PROTO_X_ENTER_NOTIFY, 1, 2, 0, 0, 3, 1};
		break;
	case PROTO_MSG_FOCUS:
		m->u.focus = (struct proto_focus){PROTO_X_FOCUS_IN, 0, 3};
		break;
	case PROTO_MSG_RESIZE:
		m->u.resize = (struct proto_resize){640, 480};
		break;
	case PROTO_MSG_CREATE:
		m->u.create = (struct proto_create){-20, 30, 300, 200, 0, 1};
		break;
	case PROTO_MSG_MAP:
		m->u.map = (struct proto_map_info){0x400002, 0};
		break;
	case PROTO_MSG_CONFIGURE:
		m->u.configure = (struct proto_configure){100, 50, 800, 600, 0};
		break;
	case PROTO_MSG_MFNDUMP:
		m->u.shm_cmd = (struct proto_shm_cmd){0, 100, 100, 32, 0, 10, 0};
		for (unsigned i = 0; i < 10; i++)
			mfns[i] = 0x1000 + i;
		m->data = (const uint8_t *)mfns;
		m->data_len = sizeof(mfns);
		break;
	case PROTO_MSG_SHMIMAGE:
		m->u.shmimage = (struct proto_shmimage){0, 0, 0, 0};
		break;
	case PROTO_MSG_EXECUTE:
		strcpy(m->u.execute.cmd, "xterm");
		break;
	case PROTO_MSG_CLIPBOARD_DATA:
		m->window = from == PROTO_FROM_DAEMON ? 0x400001 : 0;
		m->data = (const uint8_t *)clip;
		m->data_len = sizeof(clip) - 1;
		break;
	case PROTO_MSG_WMNAME:
		strcpy(m->u.wmname.data, "Terminal \xe2\x80\x94 bash");
		break;
	case PROTO_MSG_KEYMAP_NOTIFY:
		m->window = 0;
		m->u.keymap.keys[4] = 0x40;
		m->u.keymap.keys[31] = 0x80;
		break;
	case PROTO_MSG_WINDOW_HINTS:
		m->u.hints =
		    (struct proto_window_hints){PROTO_HINT_ALL, 100, 50, 1000, 500, 8, 16, 4, 2};
		break;
	case PROTO_MSG_WINDOW_FLAGS:
		m->u.flags = (struct proto_window_flags){PROTO_FLAG_DEMANDS_ATTENTION,
							 PROTO_FLAG_FULLSCREEN};
		break;
	case PROTO_MSG_WMCLASS:
		strcpy(m->u.wmclass.res_class, "XTerm");
		strcpy(m->u.wmclass.res_name, "xterm");
		break;
	case PROTO_MSG_WINDOW_DUMP:
		m->u.dump =
		    (struct proto_window_dump_hdr){PROTO_WINDOW_DUMP_TYPE_GRANT_REFS, 100, 100, 32};
		for (unsigned i = 0; i < 10; i++)
			refs[i] = 8 + i;
		m->data = (const uint8_t *)refs;
		m->data_len = sizeof(refs);
		break;
	case PROTO_MSG_CURSOR:
		m->u.cursor.cursor = PROTO_CURSOR_X11 + 68; /* XC_left_ptr */
		break;
	case PROTO_MSG_SEAM_HELLO:
		m->window = 0;
		m->u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION,
						       PROTO_SEAM_FEATURE_MEMFD};
		break;
	case PROTO_MSG_SEAM_WINDOW_DUMP_FD:
		m->u.dump_fd =
		    (struct proto_seam_window_dump_fd){300, 200, 1200, PROTO_SEAM_FORMAT_XRGB8888};
		break;
	case PROTO_MSG_SEAM_KEYBOARD:
		m->window = 0;
		strcpy(m->u.keyboard.rules, "evdev");
		strcpy(m->u.keyboard.model, "pc105");
		strcpy(m->u.keyboard.layout, "de,us");
		strcpy(m->u.keyboard.variant, "nodeadkeys,");
		strcpy(m->u.keyboard.options, "grp:alt_shift_toggle,compose:ralt");
		break;
	case PROTO_MSG_SEAM_NOTIFY: {
		static const char text[] = "mailNew mail<b>3</b> messages";
		m->window = 0;
		m->u.notify = (struct proto_seam_notify){4, 8, sizeof(text) - 1 - 12};
		m->data = (const uint8_t *)text;
		m->data_len = sizeof(text) - 1;
		break;
	}
	case PROTO_MSG_SEAM_DISPLAY_SETTINGS:
		m->window = 0;
		m->u.display_settings = (struct proto_seam_display_settings){192u * 1024u, 2};
		break;
	case PROTO_MSG_SEAM_MONITOR_LAYOUT:
		m->window = 0;
		m->u.monitors = (struct proto_seam_monitor_layout){
		    .width = 2000, .height = 1200, .count = 2, .primary = 1};
		m->u.monitors.monitors[0] = (struct proto_seam_monitor){0, 0, 1000, 1200, 0, 0};
		m->u.monitors.monitors[1] =
		    (struct proto_seam_monitor){1000, 0, 1000, 1200, 300, 200};
		break;
	case PROTO_MSG_SEAM_KEYSYMS: {
		static uint32_t syms[2 * 4];
		m->window = 0;
		for (unsigned i = 0; i < 8; i++)
			syms[i] = 0xe4 + i; /* adiaeresis ... */
		m->u.keysyms = (struct proto_seam_keysyms){38, 2, 4};
		m->data = (const uint8_t *)syms;
		m->data_len = sizeof(syms);
		break;
	}
	case PROTO_MSG_SEAM_ICON: {
		/* a 16x16 and a 32x16 image */
		static uint32_t argb[16 * 16 + 32 * 16];
		for (unsigned i = 0; i < sizeof(argb) / 4; i++)
			argb[i] = 0xff000000u | i * 0x010203u;
		m->u.icon = (struct proto_seam_icon){2, {{16, 16}, {32, 16}}};
		m->data = (const uint8_t *)argb;
		m->data_len = sizeof(argb);
		break;
	}
	default:
		break; /* header-only messages */
	}
}

static uint8_t wire[PROTO_HDR_SIZE + PROTO_MAX_BODY_LEN + 1024];

enum proto_verdict fixture_roundtrip(const struct proto_peer *peer, enum proto_dir from,
				     const struct proto_msg *m, unsigned nfds,
				     struct proto_msg *out, struct proto_error *err)
{
	size_t n = proto_encode(m, wire, sizeof(wire));
	ck_assert_uint_eq(n, proto_encoded_len(m));
	ck_assert_uint_ge(n, PROTO_HDR_SIZE);
	struct proto_hdr hdr;
	proto_hdr_decode(wire, &hdr);
	ck_assert_uint_eq(hdr.untrusted_len, n - PROTO_HDR_SIZE);
	uint32_t body_len;
	enum proto_verdict v = proto_check_header(peer, from, &hdr, &body_len, err);
	if (v != PROTO_OK)
		return v;
	ck_assert_uint_eq(body_len, hdr.untrusted_len);
	return proto_decode(peer, from, &hdr, wire + PROTO_HDR_SIZE, body_len, nfds, out, err);
}

enum proto_verdict fixture_agent_header(uint32_t type, uint32_t window, uint32_t len,
					struct proto_error *err)
{
	struct proto_peer peer = fixture_peer_seam();
	struct proto_hdr hdr = {type, window, len};
	uint32_t body_len;
	return proto_check_header(&peer, PROTO_FROM_AGENT, &hdr, &body_len, err);
}

void fixture_assert_agent_feature(uint32_t type, uint32_t feature)
{
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(type, PROTO_FROM_AGENT, &m);
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err), PROTO_OK);
	peer.seam_features &= ~feature; /* a daemon that did not offer it */
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err),
			 PROTO_FATAL);
	struct proto_peer qubes = fixture_peer_qubes();
	ck_assert_int_eq(fixture_roundtrip(&qubes, PROTO_FROM_AGENT, &m, 0, &out, &err),
			 PROTO_FATAL);
	peer = fixture_peer_seam();
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_DAEMON, &m, 0, &out, &err),
			 PROTO_SKIP);
}

void fixture_assert_daemon_feature(uint32_t type, uint32_t feature)
{
	struct proto_msg m, out;
	struct proto_error err;
	fixture_valid(type, PROTO_FROM_DAEMON, &m);
	struct proto_peer peer = fixture_peer_seam();
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_DAEMON, &m, 0, &out, &err), PROTO_OK);
	peer.seam_features = PROTO_SEAM_FEATURES_KNOWN & ~feature;
	ck_assert_int_ne(fixture_roundtrip(&peer, PROTO_FROM_DAEMON, &m, 0, &out, &err), PROTO_OK);
	struct proto_peer qubes = fixture_peer_qubes();
	ck_assert_int_ne(fixture_roundtrip(&qubes, PROTO_FROM_DAEMON, &m, 0, &out, &err), PROTO_OK);
	peer = fixture_peer_seam();
	ck_assert_int_eq(fixture_roundtrip(&peer, PROTO_FROM_AGENT, &m, 0, &out, &err),
			 PROTO_FATAL);
}
