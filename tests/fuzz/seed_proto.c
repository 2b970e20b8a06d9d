/* Writes the seed corpus of fuzz_proto: one file per message kind (flags byte + encoded message),
 * and a few streams and handshakes. Usage: seed-proto DIR (run through `make fuzz-seeds`). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "protocol/proto.h"

static const char *dir;
static int count;

static void put(const char *name, uint8_t flags, const uint8_t *bytes, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%02d-%s", dir, count++, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(&flags, 1, 1, f) != 1 || (len && fwrite(bytes, 1, len, f) != len) ||
	    fclose(f) != 0) {
		perror(path);
		_exit(1);
	}
}

static void msg(const char *name, uint8_t flags, struct proto_msg *m)
{
	static uint8_t buf[PROTO_HDR_SIZE + 4096];
	size_t n = proto_encode(m, buf, sizeof(buf));
	put(name, flags, buf, n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	const uint8_t D = 1, SEAM = 4 | 8 | 16;
	struct proto_msg m;
	uint32_t refs[10] = {8, 9, 10, 11, 12, 13, 14, 15, 16, 17};

#define NEW(t, w) (memset(&m, 0, sizeof(m)), m.type = (t), m.window = (w))
	NEW(PROTO_MSG_CREATE, 0x400001);
	m.u.create = (struct proto_create){10, 20, 300, 200, 0, 0};
	msg("create", 0, &m);
	NEW(PROTO_MSG_CONFIGURE, 0x400001);
	m.u.configure = (struct proto_configure){-5, 7, 640, 480, 1};
	msg("configure", 0, &m);
	NEW(PROTO_MSG_MAP, 0x400001);
	m.u.map = (struct proto_map_info){0x400002, 1};
	msg("map", 0, &m);
	NEW(PROTO_MSG_SHMIMAGE, 0x400001);
	m.u.shmimage = (struct proto_shmimage){1, 2, 30, 40};
	msg("shmimage", 0, &m);
	NEW(PROTO_MSG_WMNAME, 0x400001);
	strcpy(m.u.wmname.data, "title \xe2\x80\xae bidi");
	msg("wmname", 0, &m);
	NEW(PROTO_MSG_WMCLASS, 0x400001);
	strcpy(m.u.wmclass.res_class, "XTerm");
	strcpy(m.u.wmclass.res_name, "xterm");
	msg("wmclass", 0, &m);
	NEW(PROTO_MSG_WINDOW_HINTS, 0x400001);
	m.u.hints = (struct proto_window_hints){PROTO_HINT_ALL, 1, 2, 300, 400, 5, 6, 7, 8};
	msg("hints", 0, &m);
	NEW(PROTO_MSG_WINDOW_FLAGS, 0x400001);
	m.u.flags =
	    (struct proto_window_flags){PROTO_FLAG_FULLSCREEN, PROTO_FLAG_DEMANDS_ATTENTION};
	msg("flags", 0, &m);
	NEW(PROTO_MSG_CURSOR, 0x400001);
	m.u.cursor.cursor = PROTO_CURSOR_X11 + 68;
	msg("cursor", 0, &m);
	NEW(PROTO_MSG_WINDOW_DUMP, 0x400001);
	m.u.dump = (struct proto_window_dump_hdr){0, 100, 100, 32};
	m.data = (const uint8_t *)refs, m.data_len = sizeof(refs);
	msg("window-dump", 0, &m);
	NEW(PROTO_MSG_MFNDUMP, 0x400001);
	m.u.shm_cmd = (struct proto_shm_cmd){0, 100, 100, 32, 0, 10, 0};
	m.data = (const uint8_t *)refs, m.data_len = sizeof(refs);
	msg("mfndump", 0, &m);
	NEW(PROTO_MSG_CLIPBOARD_DATA, 0);
	m.data = (const uint8_t *)"hello\n", m.data_len = 6;
	msg("clipboard", 0, &m);
	NEW(PROTO_MSG_DESTROY, 0x400001);
	msg("destroy", 0, &m);
	NEW(PROTO_MSG_SEAM_HELLO, 0);
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, 1, PROTO_SEAM_FEATURE_MEMFD};
	msg("seam-hello", 4, &m);
	NEW(PROTO_MSG_SEAM_WINDOW_DUMP_FD, 0x400001);
	m.u.dump_fd = (struct proto_seam_window_dump_fd){300, 200, 1200, 0};
	msg("seam-dump-fd", SEAM, &m);

	NEW(PROTO_MSG_KEYPRESS, 0x400001);
	m.u.keypress = (struct proto_keypress){2, 10, 20, 1, 38};
	msg("keypress", D, &m);
	NEW(PROTO_MSG_BUTTON, 0x400001);
	m.u.button = (struct proto_button){4, 10, 20, 0, 1};
	msg("button", D, &m);
	NEW(PROTO_MSG_MOTION, 0x400001);
	m.u.motion = (struct proto_motion){10, 20, 0, 0};
	msg("motion", D, &m);
	NEW(PROTO_MSG_CROSSING, 0x400001);
	m.u.crossing = (struct proto_crossing){7, 1, 2, 0, 0, 3, 1};
	msg("crossing", D, &m);
	NEW(PROTO_MSG_FOCUS, 0x400001);
	m.u.focus = (struct proto_focus){9, 0, 3};
	msg("focus", D, &m);
	NEW(PROTO_MSG_KEYMAP_NOTIFY, 0);
	m.u.keymap.keys[5] = 0x10;
	msg("keymap", D, &m);
	NEW(PROTO_MSG_WINDOW_DUMP_ACK, 0x400001);
	msg("dump-ack", D, &m);
	NEW(200, 0);
	msg("unknown-from-daemon", D, &m);

	/* A stream: create, name, dump, map, damage, unmap, destroy. */
	static uint8_t stream[8192];
	size_t used = 0;
	const uint32_t order[] = {PROTO_MSG_CREATE, PROTO_MSG_WMNAME,	PROTO_MSG_WINDOW_DUMP,
				  PROTO_MSG_MAP,    PROTO_MSG_SHMIMAGE, PROTO_MSG_UNMAP,
				  PROTO_MSG_DESTROY};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		NEW(order[i], 0x400001);
		if (order[i] == PROTO_MSG_CREATE)
			m.u.create = (struct proto_create){0, 0, 100, 100, 0, 0};
		if (order[i] == PROTO_MSG_WINDOW_DUMP) {
			m.u.dump = (struct proto_window_dump_hdr){0, 100, 100, 32};
			m.data = (const uint8_t *)refs, m.data_len = sizeof(refs);
		}
		if (order[i] == PROTO_MSG_SHMIMAGE)
			m.u.shmimage = (struct proto_shmimage){0, 0, 100, 100};
		if (order[i] == PROTO_MSG_WMNAME)
			strcpy(m.u.wmname.data, "xterm");
		used += proto_encode(&m, stream + used, sizeof(stream) - used);
	}
	put("stream", 0, stream, used);

	/* Handshake material: a version, an xconf. */
	uint32_t v = PROTO_VERSION_CURRENT;
	put("version", 0, (const uint8_t *)&v, sizeof(v));
	struct proto_xconf x;
	proto_xconf_make(1920, 1080, 24, &x);
	put("xconf", 0, (const uint8_t *)&x, sizeof(x));

	/* An icon of two images (a 4x4 and an 8x2) for a window, once icons were agreed. */
	uint32_t argb[4 * 4 + 8 * 2];
	for (unsigned i = 0; i < sizeof(argb) / 4; i++)
		argb[i] = 0x80000000u | i * 0x050403u;
	NEW(PROTO_MSG_SEAM_ICON, 0x400001);
	m.u.icon = (struct proto_seam_icon){2, {{4, 4}, {8, 2}}};
	m.data = (const uint8_t *)argb, m.data_len = sizeof(argb);
	msg("seam-icon", SEAM, &m);

	/* Seam extensions added later: at the end, so that earlier seeds keep their numbers. */
	NEW(PROTO_MSG_SEAM_DISPLAY_SETTINGS, 0);
	m.u.display_settings = (struct proto_seam_display_settings){144u * 1024u, 1};
	msg("seam-display-settings", SEAM | D, &m);
	/* A notification with markup, an entity and a newline (the fuzzer's flags agree every
	 * known feature). */
	static const char note[] = "mailNew mail<b>3</b> &amp; more\nmessages";
	NEW(PROTO_MSG_SEAM_NOTIFY, 0);
	m.u.notify = (struct proto_seam_notify){4, 8, sizeof(note) - 1 - 12};
	m.data = (const uint8_t *)note, m.data_len = sizeof(note) - 1;
	msg("seam-notify", SEAM, &m);
	/* A notification without texts: nothing after the lengths. */
	NEW(PROTO_MSG_SEAM_NOTIFY, 0);
	msg("seam-notify-empty", SEAM, &m);
	NEW(PROTO_MSG_SEAM_MONITOR_LAYOUT, 0);
	m.u.monitors =
	    (struct proto_seam_monitor_layout){.width = 3840, .height = 1080, .count = 2};
	m.u.monitors.monitors[0] = (struct proto_seam_monitor){0, 0, 1920, 1080, 527, 296};
	m.u.monitors.monitors[1] = (struct proto_seam_monitor){1920, 0, 1920, 1080, 0, 0};
	msg("seam-monitor-layout", SEAM | D, &m);
	printf("wrote %d seeds to %s\n", count, dir);
	return 0;
}
