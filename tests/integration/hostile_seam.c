/* seam-hostile-agent's attacks on Seam's desktop messages: tray icons (DOCK), window icons
 * (SEAM_ICON) and notifications (SEAM_NOTIFY). The connection and helpers are hostile_agent.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/hostile_agent.h"

/* ---- Tray icons: DOCK where the daemon must refuse it or bound it ---- */

/* A small window, docked (never mapped, as Qubes' agent does), with pixels if asked. */
static void docked_window(uint32_t id, uint32_t w, uint32_t h, const char *name, bool pixels)
{
	hostile_create(id, w, h, false);
	hostile_title(id, name, strlen(name));
	if (pixels) {
		int fd = hostile_sealed_buffer(w, h, 0x00c000);
		hostile_dump_fd(id, w, h, &fd, 1);
	}
	hostile_simple(PROTO_MSG_DOCK, id);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = id};
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	hostile_msg(&m);
}

/* DOCK of a window already shown: it must stay a framed window. */
void hostile_dock_mapped(void)
{
	hostile_live_window();
	hostile_simple(PROTO_MSG_DOCK, HOSTILE_WIN);
}

/* A dock window as large as a screen: a picture with no frame on the host's panel. */
void hostile_dock_huge(void)
{
	docked_window(HOSTILE_WIN, 2000, 2000, "dockhuge", true);
}

/* Far more tray icons than a desktop has. */
void hostile_dock_many(void)
{
	for (uint32_t i = 0; i < 64; i++)
		docked_window(HOSTILE_WIN + i, 24, 24, "dockmany", false);
}

/* A docked window that asks to grow to the size of the screen. */
void hostile_dock_resize(void)
{
	docked_window(HOSTILE_WIN, 24, 24, "dockresize", true);
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = HOSTILE_WIN};
	m.u.configure = (struct proto_configure){0, 0, 3000, 3000, 0};
	hostile_msg(&m);
	m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = HOSTILE_WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 3000, 3000};
	hostile_msg(&m);
}

/* MAP (and UNMAP, MAP) of a docked window: a tray icon must not become a window of its own. */
void hostile_dock_map(void)
{
	docked_window(HOSTILE_WIN, 24, 24, "dockmap", true);
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = HOSTILE_WIN};
	m.u.map.override_redirect = 1;
	hostile_msg(&m);
	hostile_simple(PROTO_MSG_UNMAP, HOSTILE_WIN);
	hostile_msg(&m);
}

/* ---- Icons (SEAM_ICON) ---------------------------------------------------------------------- */

/* An icon for HOSTILE_WIN claiming count images of these sizes, with npixels pixels of color after
 * them (whatever the sizes say). */
static void icon_raw(uint32_t count, const uint32_t (*sizes)[2], unsigned nsizes, size_t npixels,
		     uint32_t color)
{
	size_t len = sizeof(struct proto_seam_icon) + npixels * 4u;
	uint8_t *buf = calloc(1, PROTO_HDR_SIZE + len);
	if (!buf)
		return;
	struct proto_hdr h = {PROTO_MSG_SEAM_ICON, HOSTILE_WIN, (uint32_t)len};
	memcpy(buf, &h, sizeof(h));
	struct proto_seam_icon icon = {.count = count};
	for (unsigned i = 0; i < nsizes && i < PROTO_ICON_MAX_IMAGES; i++)
		icon.sizes[i] = (struct proto_seam_icon_size){sizes[i][0], sizes[i][1]};
	memcpy(buf + PROTO_HDR_SIZE, &icon, sizeof(icon));
	for (size_t i = 0; i < npixels; i++)
		memcpy(buf + PROTO_HDR_SIZE + sizeof(icon) + i * 4u, &color, 4);
	hostile_put(buf, PROTO_HDR_SIZE + len);
	free(buf);
}

/* Each: the victim window, then icons the validator refuses (its frame keeps the plain icon). */
void hostile_icon_wrong_length(void)
{
	static const uint32_t s[][2] = {{16, 16}, {32, 32}};
	hostile_live_window();
	icon_raw(2, s, 2, 16 * 16 + 32 * 32 - 1, 0xff00c000); /* one pixel short */
	icon_raw(2, s, 2, 16 * 16 + 32 * 32 + 1, 0xff00c000); /* one pixel more */
	icon_raw(1, s, 1, 0, 0);			      /* sizes without pixels */
}
void hostile_icon_huge_size(void)
{
	static const uint32_t s[][2] = {{65536, 65536}, {257, 1}, {0xffffffffu, 0xffffffffu}};
	hostile_live_window();
	icon_raw(1, s, 1, 64, 0xff00c000);
	icon_raw(1, s + 1, 1, 257, 0xff00c000);
	icon_raw(1, s + 2, 1, 64, 0xff00c000);
	/* four of the largest: 1 MiB of pixels claimed, the body's bound is 256 KiB */
	static const uint32_t big[][2] = {{256, 256}, {256, 256}, {256, 256}, {256, 256}};
	icon_raw(4, big, 4, PROTO_ICON_MAX_PIXELS, 0xff00c000);
}
void hostile_icon_zero_size(void)
{
	static const uint32_t s[][2] = {{0, 16}, {16, 0}, {0, 0}};
	hostile_live_window();
	icon_raw(1, s, 1, 0, 0);
	icon_raw(1, s + 1, 1, 0, 0);
	icon_raw(1, s + 2, 1, 0, 0);
}
void hostile_icon_many_images(void)
{
	static const uint32_t s[][2] = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
	hostile_live_window();
	icon_raw(5, s, 4, 5, 0xff00c000);
	icon_raw(1000000, s, 4, 4, 0xff00c000);
	icon_raw(0, s, 1, 1, 0xff00c000); /* "no icon" with a size and a pixel */
}
/* A length past the table's bound: refused from the header, before the body. */
void hostile_icon_past_limit(void)
{
	hostile_live_window();
	hostile_raw_hdr(PROTO_MSG_SEAM_ICON, HOSTILE_WIN, (uint32_t)PROTO_ICON_MAX_LEN + 4u);
}
/* The largest icon, as fast as the socket takes it, for a window shown: the daemon tints at most
 * ICON_PIXELS_PER_SECOND pixels a second of it and keeps serving. Half the time; then one last
 * icon, 255x255 and light grey (as large as the flood's: past the budget), and the connection
 * held the other half: the frame must end up showing that icon (tinted), not one of the flood's.
 */
void hostile_icon_flood(void)
{
	static const uint32_t s[][2] = {{256, 256}};
	hostile_live_window();
	long end = hostile_now_ms() + hostile_loop_ms() / 2;
	unsigned long sent = 0;
	while (hostile_now_ms() < end) {
		icon_raw(1, s, 1, PROTO_ICON_MAX_PIXELS, 0xff00c000);
		sent++;
		hostile_drain();
	}
	static const uint32_t last[][2] = {{255, 255}};
	icon_raw(1, last, 1, 255 * 255, 0xffe0e0e0);
	for (end = hostile_now_ms() + hostile_loop_ms() / 2; hostile_now_ms() < end;) {
		hostile_drain();
		usleep(20000);
	}
	printf("icons %lu\n", sent);
	fflush(stdout);
}

/* ---- Notifications (SEAM_NOTIFY) ---------------------------------------------------------- */

/* A notification whose header claims these lengths, with len bytes of text (text_len bytes of text,
 * then 'a's). */
static void notify_raw(uint32_t app, uint32_t summary, uint32_t body, uint32_t len,
		       const char *text, size_t text_len)
{
	uint8_t buf[PROTO_HDR_SIZE + PROTO_NOTIFY_MAX_LEN];
	len = len > PROTO_NOTIFY_MAX_LEN - sizeof(struct proto_seam_notify)
		  ? PROTO_NOTIFY_MAX_LEN - (uint32_t)sizeof(struct proto_seam_notify)
		  : len;
	struct proto_hdr h = {PROTO_MSG_SEAM_NOTIFY, 0,
			      (uint32_t)sizeof(struct proto_seam_notify) + len};
	struct proto_seam_notify n = {app, summary, body};
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + PROTO_HDR_SIZE, &n, sizeof(n));
	uint8_t *t = buf + PROTO_HDR_SIZE + sizeof(n);
	memset(t, 'a', len);
	memcpy(t, text, text_len < len ? text_len : len);
	hostile_put(buf, PROTO_HDR_SIZE + sizeof(n) + len);
}
/* Lengths that do not add up to the message's, or wrap when added. */
void hostile_notify_wrong_lengths(void)
{
	notify_raw(4, 8, 16, 27, "", 0);
	notify_raw(4, 8, 16, 29, "", 0);
	notify_raw(0, 0, 16, 0, "", 0);
	notify_raw(0xffffffffu, 1, 0, 0, "", 0);
	notify_raw(0x80000000u, 0x80000000u, 16, 16, "", 0);
}
/* Each text one byte past its bound, with a body that matches. */
void hostile_notify_past_bounds(void)
{
	notify_raw(PROTO_NOTIFY_MAX_APP + 1, 0, 0, PROTO_NOTIFY_MAX_APP + 1, "", 0);
	notify_raw(0, PROTO_NOTIFY_MAX_SUMMARY + 1, 0, PROTO_NOTIFY_MAX_SUMMARY + 1, "", 0);
	notify_raw(0, 0, PROTO_NOTIFY_MAX_BODY + 1, PROTO_NOTIFY_MAX_BODY + 1, "", 0);
}
void hostile_notify_invalid_utf8(void)
{
	notify_raw(4, 4, 4, 12, "app\xff", 4);
	notify_raw(4, 4, 4, 12, "appsum\xc0\xaf", 8);
	notify_raw(4, 4, 4, 12, "appsumm\0body", 12);
}
/* A length past the table's bound: refused from the header, before the body. */
void hostile_notify_past_limit(void)
{
	hostile_raw_hdr(PROTO_MSG_SEAM_NOTIFY, 0, (uint32_t)PROTO_NOTIFY_MAX_LEN + 1u);
}
/* A well-formed notification after a hello that did not ask for notifications. */
void hostile_notify_not_agreed(void)
{
	if (hostile_handshake_with(PROTO_SEAM_FEATURE_MEMFD))
		return;
	notify_raw(4, 5, 4, 13, "evilhellobody", 13);
}
/* Well-formed notifications as fast as the socket takes them: the daemon shows a few and counts
 * the rest. */
void hostile_notify_flood(void)
{
	long end = hostile_now_ms() + hostile_loop_ms();
	unsigned long sent = 0;
	while (hostile_now_ms() < end) {
		notify_raw(4, 5, 4, 13, "evilhellobody", 13);
		sent++;
		hostile_drain();
	}
	printf("notifications %lu\n", sent);
	fflush(stdout);
}
