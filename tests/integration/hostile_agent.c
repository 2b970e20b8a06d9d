/* seam-hostile-agent: a malicious agent speaking the protocol directly, one attack per run.
 *
 *   seam-hostile-agent --channel unix:PATH --attack NAME
 *
 * It connects, does the handshake (unless the attack is about the handshake), makes the attack,
 * then probes whether the daemon still talks to it. It prints one line:
 *   "closed"   the daemon closed the connection (the attack was a protocol violation), or
 *   "alive"    the daemon dropped what it had to and kept the connection,
 * and exits 0 either way (the test decides which answer is right); 2 on a usage error.
 * SEAM_HOSTILE_HOLD_MS=N keeps the connection N ms after the attack, so the host can be inspected;
 * the attacks that loop (marked so in the table) loop that long instead, then print what the
 * daemon sent them ("keypress N", "clipboard N", "focus N", "connections N").
 * Attacks: see the table at the end of this file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "protocol/proto.h"
#include "shm/shmbuf.h"

#define WIN 0x300001u

static int sock = -1;
static struct sockaddr_un addr = {.sun_family = AF_UNIX};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long a looping attack loops: SEAM_HOSTILE_HOLD_MS, else 2 s. */
static long loop_ms(void)
{
	const char *hold = getenv("SEAM_HOSTILE_HOLD_MS");
	return hold ? atol(hold) : 2000;
}

static int put(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = send(sock, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static int put_fds(const void *buf, size_t len, const int *fds, unsigned nfds)
{
	char ctl[CMSG_SPACE(sizeof(int) * 16)];
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * nfds)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int msg(struct proto_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + 512];
	size_t n = proto_encode(m, buf, sizeof(buf));
	return n ? put(buf, n) : -1;
}

static int msg_fds(struct proto_msg *m, const int *fds, unsigned nfds)
{
	uint8_t buf[PROTO_HDR_SIZE + 512];
	size_t n = proto_encode(m, buf, sizeof(buf));
	return n ? put_fds(buf, n, fds, nfds) : -1;
}

static int raw_hdr(uint32_t type, uint32_t window, uint32_t len)
{
	struct proto_hdr h = {type, window, len};
	return put(&h, sizeof(h));
}

static int take(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = recv(sock, p, len, 0);
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

/* Version, xconf, the daemon's hello, our hello with these features. */
static int handshake_with(uint32_t features)
{
	uint32_t v = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf x;
	uint8_t hello[PROTO_HDR_SIZE + 12];
	if (put(&v, 4) || take(&answer, 4) || take(&x, 16) || take(hello, sizeof(hello)))
		return -1;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, 1, features};
	return msg(&m);
}

static int handshake(void)
{
	return handshake_with(PROTO_SEAM_FEATURE_MEMFD | PROTO_SEAM_FEATURE_ICONS |
			      PROTO_SEAM_FEATURE_NOTIFY);
}

static void create(uint32_t id, uint32_t w, uint32_t h, bool or)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
	m.u.create = (struct proto_create){100, 100, w, h, 0, or};
	msg(&m);
}

static void simple(uint32_t type, uint32_t id)
{
	struct proto_msg m = {.type = type, .window = id};
	msg(&m);
}

static void title(uint32_t id, const char *t, size_t len)
{
	struct proto_msg m = {.type = PROTO_MSG_WMNAME, .window = id};
	memcpy(m.u.wmname.data, t, len < 128 ? len : 128);
	msg(&m);
}

/* A sealed buffer of a window's size, filled with one color; the fd stays open. */
static int sealed_buffer(uint32_t w, uint32_t h, uint32_t color)
{
	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, w, h, 0, &b))
		return -1;
	uint32_t *px = shmbuf_data(b);
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = color;
	return dup(shmbuf_fd(b)); /* the buffer is left mapped: the process ends soon */
}

static void dump_fd(uint32_t id, uint32_t w, uint32_t h, const int *fds, unsigned nfds)
{
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = id};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){w, h, w * 4, 0};
	msg_fds(&m, fds, nfds);
}

/* A mapped 100x80 window filled with 0xff00ff, for attacks that need a live window. */
static void live_window(void)
{
	create(WIN, 100, 80, false);
	title(WIN, "victim", 6);
	int fd = sealed_buffer(100, 80, 0xff00ff);
	dump_fd(WIN, 100, 80, &fd, 1);
	simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	msg(&m);
}

/* Is the daemon still talking to us? A new window, then wait for anything (or EOF) from it. */
static const char *probe(void)
{
	usleep(300000);
	uint32_t id = 0x3fff01;
	create(id, 10, 10, false);
	int fd = sealed_buffer(10, 10, 0);
	dump_fd(id, 10, 10, &fd, 1); /* answered by WINDOW_DUMP_ACK if the daemon still listens */
	struct timeval tv = {2, 0};
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	uint8_t buf[4096];
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return "closed";
		if (n < 0)
			return "alive"; /* still connected but quiet: nothing was refused */
		for (ssize_t i = 0; i + 12 <= n; i++) {
			struct proto_hdr h;
			memcpy(&h, buf + i, sizeof(h));
			if (h.type == PROTO_MSG_WINDOW_DUMP_ACK && h.window == id)
				return "alive";
		}
	}
}

static void a_oversized(void) { create(WIN, 20000, 20000, false); simple(PROTO_MSG_MAP, WIN); }
static void a_zero_size(void) { create(WIN, 0, 0, false); simple(PROTO_MSG_MAP, WIN); }
static void a_unknown_id(void) { simple(PROTO_MSG_MAP, 0x1234567); simple(PROTO_MSG_DESTROY, 0x42); }
static void a_reused_id(void) { create(WIN, 50, 50, false); create(WIN, 50, 50, false); }
/* 0x200001 is the id the well-behaved guest (seam-fake-agent) uses for its window. */
static void a_other_guest_id(void) { simple(PROTO_MSG_DESTROY, 0x200001); simple(PROTO_MSG_UNMAP, 0x200001); }
static void a_wrong_version(void) { uint32_t v = PROTO_VERSION(2, 0); put(&v, 4); }
static void a_old_version(void) { uint32_t v = PROTO_VERSION(1, 3); put(&v, 4); }
static void a_before_handshake(void) { raw_hdr(PROTO_MSG_CREATE, WIN, 24); }
static void a_truncated(void) { raw_hdr(PROTO_MSG_CREATE, WIN, 24); put("abcdefgh", 8); }
static void a_body_past_limit(void) { raw_hdr(PROTO_MSG_CREATE, WIN, 1000); }
static void a_huge_clipboard(void) { raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, 10u << 20); }
static void a_unknown_type(void) { raw_hdr(0xdead, WIN, 0); }

static void a_titles(void)
{
	live_window();
	/* invalid UTF-8, controls, a bidi override and a forged domain prefix */
	static const char t[] = "[dom0] \xe2\x80\xae" "evil\x1b[31m\n\xff\xfe" "end";
	title(WIN, t, sizeof(t) - 1);
}

/* A title that pushes its own end out of sight and imitates another domain's prefix: a run of
 * no-break spaces, a line separator, a zero-width space, then fullwidth brackets around a name. */
static void a_title_lookalikes(void)
{
	live_window();
	char t[128];
	size_t n = 0;
	memcpy(t + n, "evil", 4), n += 4;
	for (int i = 0; i < 50; i++)
		memcpy(t + n, "\xc2\xa0", 2), n += 2;					  /* U+00A0 */
	memcpy(t + n, "\xe2\x80\xa8\xe2\x80\x8b", 6), n += 6;			  /* U+2028, U+200B */
	memcpy(t + n, "\xef\xbc\xbbgood\xef\xbc\xbd vault", 16), n += 16; /* [good] */
	title(WIN, t, n);
}

static void a_fullscreen_override_redirect(void)
{
	create(WIN, 16384, 6144, true);
	title(WIN, "cover", 5);
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = WIN};
	m.u.map.override_redirect = 1;
	msg(&m);
}

static void a_flood(void)
{
	live_window();
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	for (int i = 0; i < 200000; i++)
		if (msg(&m))
			break;
	for (uint32_t i = 0; i < 3000; i++)
		create(0x310000 + i, 10, 10, false);
}

static void a_damage_outside(void)
{
	live_window();
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, PROTO_MAX_WINDOW_WIDTH, PROTO_MAX_WINDOW_HEIGHT};
	msg(&m);
	m.u.shmimage = (struct proto_shmimage){99, 79, 5000, 5000};
	msg(&m);
}

static void a_unsealed_memfd(void)
{
	create(WIN, 100, 80, false);
	int fd = memfd_create("unsealed", MFD_CLOEXEC);
	if (ftruncate(fd, 100 * 80 * 4) == 0)
		dump_fd(WIN, 100, 80, &fd, 1);
}

static void a_truncated_memfd(void)
{
	/* Sealing is what stops this: an unsealed memfd is shrunk after it was sent. */
	create(WIN, 100, 80, false);
	int fd = memfd_create("shrinking", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (ftruncate(fd, 100 * 80 * 4) == 0) {
		dump_fd(WIN, 100, 80, &fd, 1);
		simple(PROTO_MSG_MAP, WIN);
		usleep(100000);
		if (ftruncate(fd, 0) == 0) {
			struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
			m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
			msg(&m);
		}
	}
}

static void a_small_memfd(void)
{
	create(WIN, 100, 80, false);
	int fd = sealed_buffer(100, 40, 0);
	dump_fd(WIN, 100, 80, &fd, 1);
}

static void a_pipe_fd(void)
{
	create(WIN, 100, 80, false);
	int p[2];
	if (pipe(p) == 0)
		dump_fd(WIN, 100, 80, &p[0], 1);
}

static void a_many_fds(void)
{
	create(WIN, 100, 80, false);
	int fds[8];
	for (int i = 0; i < 8; i++)
		fds[i] = sealed_buffer(100, 80, 0);
	dump_fd(WIN, 100, 80, fds, 8);
}

static void a_fd_on_create(void)
{
	int fd = sealed_buffer(10, 10, 0);
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = WIN};
	m.u.create = (struct proto_create){0, 0, 10, 10, 0, 0};
	msg_fds(&m, &fd, 1);
}

static void a_clipboard_oversize(void)
{
	static uint8_t junk[PROTO_CLIPBOARD_OVERSIZE_MARK + 1];
	memset(junk, 0xff, sizeof(junk));
	raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, sizeof(junk));
	put(junk, sizeof(junk));
}

static void a_clipboard_invalid_utf8(void)
{
	static const uint8_t junk[] = {0xff, 0xfe, 0xc0, 0x80, 'a', 0};
	raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, sizeof(junk));
	put(junk, sizeof(junk));
}

static void a_focus_steal(void)
{
	live_window();
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = WIN};
	m.u.flags = (struct proto_window_flags){PROTO_FLAG_DEMANDS_ATTENTION | PROTO_FLAG_FULLSCREEN,
						0};
	msg(&m);
	simple(PROTO_MSG_MAP, WIN);
}

/* A sealed memfd for a 100x80 window whose file is `size` bytes: the host X server would map all of
 * it. The file is sparse: it costs the guest nothing. */
static void huge_memfd(off_t size)
{
	create(WIN, 100, 80, false);
	title(WIN, "huge", 4);
	int fd = memfd_create("huge", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, size) || fcntl(fd, F_ADD_SEALS, SHMBUF_REQUIRED_SEALS))
		return;
	dump_fd(WIN, 100, 80, &fd, 1);
	simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	msg(&m);
}

static void a_huge_memfd_30(void) { huge_memfd((off_t)1 << 30); }
static void a_huge_memfd_40(void) { huge_memfd((off_t)1 << 40); }
static void a_huge_memfd_46(void) { huge_memfd((off_t)1 << 46); }

/* Two popups of 49% of a 1024x768 screen each, one above the other: together they cover it. */
static void a_override_redirect_tiling(void)
{
	const uint32_t b = 3, w = 1024 - 2 * b, h = 768 * 49 / 100 - 2 * b;
	for (uint32_t i = 0; i < 2; i++) {
		uint32_t id = WIN + i;
		struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
		m.u.create = (struct proto_create){(int32_t)b, (int32_t)(b + i * 384), w, h, 0, 1};
		msg(&m);
		title(id, i ? "tile2" : "tile1", 5);
		int fd = sealed_buffer(w, h, 0x202020);
		dump_fd(id, w, h, &fd, 1);
		m = (struct proto_msg){.type = PROTO_MSG_MAP, .window = id};
		m.u.map.override_redirect = 1;
		msg(&m);
		m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = id};
		m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
		msg(&m);
	}
}

/* ---- Tray icons: DOCK where the daemon must refuse it or bound it ---- */

/* A small window, docked (never mapped, as Qubes' agent does), with pixels if asked. */
static void docked_window(uint32_t id, uint32_t w, uint32_t h, const char *name, bool pixels)
{
	create(id, w, h, false);
	title(id, name, strlen(name));
	if (pixels) {
		int fd = sealed_buffer(w, h, 0x00c000);
		dump_fd(id, w, h, &fd, 1);
	}
	simple(PROTO_MSG_DOCK, id);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = id};
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	msg(&m);
}

/* DOCK of a window already shown: it must stay a framed window. */
static void a_dock_mapped(void)
{
	live_window();
	simple(PROTO_MSG_DOCK, WIN);
}

/* A dock window as large as a screen: a picture with no frame on the host's panel. */
static void a_dock_huge(void)
{
	docked_window(WIN, 2000, 2000, "dockhuge", true);
}

/* Far more tray icons than a desktop has. */
static void a_dock_many(void)
{
	for (uint32_t i = 0; i < 64; i++)
		docked_window(WIN + i, 24, 24, "dockmany", false);
}

/* A docked window that asks to grow to the size of the screen. */
static void a_dock_resize(void)
{
	docked_window(WIN, 24, 24, "dockresize", true);
	struct proto_msg m = {.type = PROTO_MSG_CONFIGURE, .window = WIN};
	m.u.configure = (struct proto_configure){0, 0, 3000, 3000, 0};
	msg(&m);
	m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 3000, 3000};
	msg(&m);
}

/* MAP (and UNMAP, MAP) of a docked window: a tray icon must not become a window of its own. */
static void a_dock_map(void)
{
	docked_window(WIN, 24, 24, "dockmap", true);
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = WIN};
	m.u.map.override_redirect = 1;
	msg(&m);
	simple(PROTO_MSG_UNMAP, WIN);
	msg(&m);
}

/* What the daemon sent since the last call, counted by type (messages split across reads are
 * put back together). */
static struct {
	uint8_t buf[1 << 16];
	size_t len;
	unsigned keys, clipboards, focus_ins;
} in;

static void drain(void)
{
	for (;;) {
		ssize_t n = recv(sock, in.buf + in.len, sizeof(in.buf) - in.len, MSG_DONTWAIT);
		if (n <= 0)
			return;
		in.len += (size_t)n;
		size_t off = 0;
		while (in.len - off >= PROTO_HDR_SIZE) {
			struct proto_hdr h;
			memcpy(&h, in.buf + off, sizeof(h));
			if (in.len - off < PROTO_HDR_SIZE + (size_t)h.untrusted_len)
				break;
			if (h.type == PROTO_MSG_KEYPRESS)
				in.keys++;
			else if (h.type == PROTO_MSG_CLIPBOARD_DATA)
				in.clipboards++;
			else if (h.type == PROTO_MSG_FOCUS && h.untrusted_len >= 4 &&
				 in.buf[off + PROTO_HDR_SIZE] == PROTO_X_FOCUS_IN)
				in.focus_ins++;
			off += PROTO_HDR_SIZE + h.untrusted_len;
		}
		memmove(in.buf, in.buf + off, in.len - off);
		in.len -= off;
		if (in.len == sizeof(in.buf))
			in.len = 0; /* a body larger than the buffer: not one this attack counts */
	}
}

/* A phishing prompt that wants the user's keys: new windows, managed and override-redirect in
 * turn, mapped in a loop while the user types elsewhere, each window in front of the last. */
static void a_window_loop(void)
{
	long end = now_ms() + loop_ms();
	for (uint32_t i = 0; now_ms() < end; i++) {
		uint32_t id = 0x320000 + i % 8;
		if (i >= 8)
			simple(PROTO_MSG_DESTROY, id);
		bool or = i % 2;
		struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
		m.u.create = (struct proto_create){300, 250, 300, 120, 0, or};
		msg(&m);
		title(id, "[good] Unlock vault", 19);
		int fd = sealed_buffer(300, 120, 0xeeeeee);
		dump_fd(id, 300, 120, &fd, 1);
		close(fd);
		m = (struct proto_msg){.type = PROTO_MSG_MAP, .window = id};
		m.u.map.override_redirect = or;
		msg(&m);
		m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = id};
		m.u.shmimage = (struct proto_shmimage){0, 0, 300, 120};
		msg(&m);
		drain();
		usleep(60000);
	}
	usleep(200000);
	drain();
	printf("keypress %u\nclipboard %u\nfocus %u\n", in.keys, in.clipboards, in.focus_ins);
	fflush(stdout);
}

/* Full-window damage of a large window as fast as the socket takes it, then one last frame of
 * another color that must be the one shown. */
static void a_paint_flood(void)
{
	const uint32_t w = 1000, h = 700;
	create(WIN, w, h, false);
	title(WIN, "painter", 7);
	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, w, h, 0, &b))
		return;
	uint32_t *px = shmbuf_data(b);
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = 0x800000;
	int fd = dup(shmbuf_fd(b));
	dump_fd(WIN, w, h, &fd, 1);
	simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	long end = now_ms() + loop_ms();
	unsigned long sent = 0;
	while (now_ms() < end && !msg(&m)) {
		sent++;
		if (sent % 1024 == 0)
			drain();
	}
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = 0x00c000;
	msg(&m);
	printf("damages %lu\n", sent);
	fflush(stdout);
	usleep(1500000); /* the last frame, on show */
}

/* ---- Icons (SEAM_ICON) ---------------------------------------------------------------------- */

/* An icon for WIN claiming count images of these sizes, with npixels pixels of color after them
 * (whatever the sizes say). */
static void icon_raw(uint32_t count, const uint32_t (*sizes)[2], unsigned nsizes, size_t npixels,
		     uint32_t color)
{
	size_t len = sizeof(struct proto_seam_icon) + npixels * 4u;
	uint8_t *buf = calloc(1, PROTO_HDR_SIZE + len);
	if (!buf)
		return;
	struct proto_hdr h = {PROTO_MSG_SEAM_ICON, WIN, (uint32_t)len};
	memcpy(buf, &h, sizeof(h));
	struct proto_seam_icon icon = {.count = count};
	for (unsigned i = 0; i < nsizes && i < PROTO_ICON_MAX_IMAGES; i++)
		icon.sizes[i] = (struct proto_seam_icon_size){sizes[i][0], sizes[i][1]};
	memcpy(buf + PROTO_HDR_SIZE, &icon, sizeof(icon));
	for (size_t i = 0; i < npixels; i++)
		memcpy(buf + PROTO_HDR_SIZE + sizeof(icon) + i * 4u, &color, 4);
	put(buf, PROTO_HDR_SIZE + len);
	free(buf);
}

/* Each: the victim window, then icons the validator refuses (its frame keeps the plain icon). */
static void a_icon_wrong_length(void)
{
	static const uint32_t s[][2] = {{16, 16}, {32, 32}};
	live_window();
	icon_raw(2, s, 2, 16 * 16 + 32 * 32 - 1, 0xff00c000); /* one pixel short */
	icon_raw(2, s, 2, 16 * 16 + 32 * 32 + 1, 0xff00c000); /* one pixel more */
	icon_raw(1, s, 1, 0, 0);			       /* sizes without pixels */
}
static void a_icon_huge_size(void)
{
	static const uint32_t s[][2] = {{65536, 65536}, {257, 1}, {0xffffffffu, 0xffffffffu}};
	live_window();
	icon_raw(1, s, 1, 64, 0xff00c000);
	icon_raw(1, s + 1, 1, 257, 0xff00c000);
	icon_raw(1, s + 2, 1, 64, 0xff00c000);
	/* four of the largest: 1 MiB of pixels claimed, the body's bound is 256 KiB */
	static const uint32_t big[][2] = {{256, 256}, {256, 256}, {256, 256}, {256, 256}};
	icon_raw(4, big, 4, PROTO_ICON_MAX_PIXELS, 0xff00c000);
}
static void a_icon_zero_size(void)
{
	static const uint32_t s[][2] = {{0, 16}, {16, 0}, {0, 0}};
	live_window();
	icon_raw(1, s, 1, 0, 0);
	icon_raw(1, s + 1, 1, 0, 0);
	icon_raw(1, s + 2, 1, 0, 0);
}
static void a_icon_many_images(void)
{
	static const uint32_t s[][2] = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
	live_window();
	icon_raw(5, s, 4, 5, 0xff00c000);
	icon_raw(1000000, s, 4, 4, 0xff00c000);
	icon_raw(0, s, 1, 1, 0xff00c000); /* "no icon" with a size and a pixel */
}
/* A length past the table's bound: refused from the header, before the body. */
static void a_icon_past_limit(void)
{
	live_window();
	raw_hdr(PROTO_MSG_SEAM_ICON, WIN, (uint32_t)PROTO_ICON_MAX_LEN + 4u);
}
/* The largest icon, as fast as the socket takes it, for a window shown: the daemon tints at most
 * ICON_PIXELS_PER_SECOND pixels a second of it and keeps serving. */
static void a_icon_flood(void)
{
	static const uint32_t s[][2] = {{256, 256}};
	live_window();
	long end = now_ms() + loop_ms();
	unsigned long sent = 0;
	while (now_ms() < end) {
		icon_raw(1, s, 1, PROTO_ICON_MAX_PIXELS, 0xff00c000);
		sent++;
		drain();
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
	put(buf, PROTO_HDR_SIZE + sizeof(n) + len);
}
/* Lengths that do not add up to the message's, or wrap when added. */
static void a_notify_wrong_lengths(void)
{
	notify_raw(4, 8, 16, 27, "", 0);
	notify_raw(4, 8, 16, 29, "", 0);
	notify_raw(0, 0, 16, 0, "", 0);
	notify_raw(0xffffffffu, 1, 0, 0, "", 0);
	notify_raw(0x80000000u, 0x80000000u, 16, 16, "", 0);
}
/* Each text one byte past its bound, with a body that matches. */
static void a_notify_past_bounds(void)
{
	notify_raw(PROTO_NOTIFY_MAX_APP + 1, 0, 0, PROTO_NOTIFY_MAX_APP + 1, "", 0);
	notify_raw(0, PROTO_NOTIFY_MAX_SUMMARY + 1, 0, PROTO_NOTIFY_MAX_SUMMARY + 1, "", 0);
	notify_raw(0, 0, PROTO_NOTIFY_MAX_BODY + 1, PROTO_NOTIFY_MAX_BODY + 1, "", 0);
}
static void a_notify_invalid_utf8(void)
{
	notify_raw(4, 4, 4, 12, "app\xff", 4);
	notify_raw(4, 4, 4, 12, "appsum\xc0\xaf", 8);
	notify_raw(4, 4, 4, 12, "appsumm\0body", 12);
}
/* A length past the table's bound: refused from the header, before the body. */
static void a_notify_past_limit(void)
{
	raw_hdr(PROTO_MSG_SEAM_NOTIFY, 0, (uint32_t)PROTO_NOTIFY_MAX_LEN + 1u);
}
/* A well-formed notification after a hello that did not ask for notifications. */
static void a_notify_not_agreed(void)
{
	if (handshake_with(PROTO_SEAM_FEATURE_MEMFD))
		return;
	notify_raw(4, 5, 4, 13, "evilhellobody", 13);
}
/* Well-formed notifications as fast as the socket takes them: the daemon shows a few and counts
 * the rest. */
static void a_notify_flood(void)
{
	long end = now_ms() + loop_ms();
	unsigned long sent = 0;
	while (now_ms() < end) {
		notify_raw(4, 5, 4, 13, "evilhellobody", 13);
		sent++;
		drain();
	}
	printf("notifications %lu\n", sent);
	fflush(stdout);
}

/* Connections opened and closed as fast as the daemon's socket takes them, then a well-behaved
 * connection (the probe's). */
static void a_reconnect_flood(void)
{
	close(sock);
	long end = now_ms() + loop_ms();
	unsigned tries = 0, connected = 0;
	while (now_ms() < end) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		tries++;
		if (s >= 0 && connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
			connected++;
			uint32_t v = PROTO_VERSION_CURRENT; /* and a handshake, half the time */
			if (connected % 2)
				send(s, &v, 4, MSG_NOSIGNAL);
		}
		if (s >= 0)
			close(s);
	}
	printf("connections %u of %u\n", connected, tries);
	fflush(stdout);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int t = 0; t < 200 && connect(sock, (struct sockaddr *)&addr, sizeof(addr)); t++)
		usleep(50000);
	if (handshake())
		printf("handshake failed\n");
}

static const struct {
	const char *name;
	void (*run)(void);
	bool handshake; /* done before the attack */
	bool loops;	/* loops for SEAM_HOSTILE_HOLD_MS itself (no hold after it) */
} attacks[] = {
	{"oversized-window", a_oversized, true},
	{"zero-size-window", a_zero_size, true},
	{"unknown-window-id", a_unknown_id, true},
	{"reused-window-id", a_reused_id, true},
	{"other-guest-window-id", a_other_guest_id, true},
	{"wrong-version", a_wrong_version, false},
	{"old-version", a_old_version, false},
	{"message-before-handshake", a_before_handshake, false},
	{"truncated-then-disconnect", a_truncated, true},
	{"body-past-limit", a_body_past_limit, true},
	{"huge-clipboard-length", a_huge_clipboard, true},
	{"unknown-type", a_unknown_type, true},
	{"hostile-titles", a_titles, true},
	{"title-lookalikes", a_title_lookalikes, true},
	{"fullscreen-override-redirect", a_fullscreen_override_redirect, true},
	{"flood", a_flood, true},
	{"damage-outside-window", a_damage_outside, true},
	{"unsealed-memfd", a_unsealed_memfd, true},
	{"truncated-memfd", a_truncated_memfd, true},
	{"too-small-memfd", a_small_memfd, true},
	{"pipe-instead-of-memfd", a_pipe_fd, true},
	{"many-fds", a_many_fds, true},
	{"fd-on-create", a_fd_on_create, true},
	{"clipboard-past-limit", a_clipboard_oversize, true},
	{"clipboard-invalid-utf8", a_clipboard_invalid_utf8, true},
	{"focus-steal", a_focus_steal, true},
	{"huge-memfd-2^30", a_huge_memfd_30, true},
	{"huge-memfd-2^40", a_huge_memfd_40, true},
	{"huge-memfd-2^46", a_huge_memfd_46, true},
	{"override-redirect-tiling", a_override_redirect_tiling, true},
	/* The same loop: the host side types in one, pastes in the other. */
	{"focus-theft-loop", a_window_loop, true, true},
	{"paste-theft-loop", a_window_loop, true, true},
	{"paint-flood", a_paint_flood, true, true},
	{"reconnect-flood", a_reconnect_flood, false, true},
	{"icon-wrong-length", a_icon_wrong_length, true},
	{"icon-huge-size", a_icon_huge_size, true},
	{"icon-zero-size", a_icon_zero_size, true},
	{"icon-many-images", a_icon_many_images, true},
	{"icon-past-limit", a_icon_past_limit, true},
	{"icon-flood", a_icon_flood, true, true},
	{"notify-wrong-lengths", a_notify_wrong_lengths, true},
	{"notify-past-bounds", a_notify_past_bounds, true},
	{"notify-invalid-utf8", a_notify_invalid_utf8, true},
	{"notify-past-limit", a_notify_past_limit, true},
	{"notify-not-agreed", a_notify_not_agreed, false},
	{"notify-flood", a_notify_flood, true, true},
	{"dock-mapped", a_dock_mapped, true},
	{"dock-huge", a_dock_huge, true},
	{"dock-many", a_dock_many, true},
	{"dock-resize", a_dock_resize, true},
	{"dock-map", a_dock_map, true},
};

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
			printf("%s\n", attacks[i].name);
		return 0;
	}
	if (argc != 5 || strcmp(argv[1], "--channel") || strncmp(argv[2], "unix:", 5) ||
	    strcmp(argv[3], "--attack")) {
		fprintf(stderr, "usage: seam-hostile-agent --channel unix:PATH --attack NAME | --list\n");
		return 2;
	}
	size_t i;
	for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++)
		if (!strcmp(attacks[i].name, argv[4]))
			break;
	if (i == sizeof(attacks) / sizeof(attacks[0])) {
		fprintf(stderr, "hostile-agent: unknown attack '%s'\n", argv[4]);
		return 2;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[2] + 5);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int t = 0; connect(sock, (struct sockaddr *)&addr, sizeof(addr)); t++) {
		if (t == 100) {
			fprintf(stderr, "hostile-agent: cannot connect to %s\n", addr.sun_path);
			return 1;
		}
		usleep(50000);
	}
	if (attacks[i].handshake && handshake()) {
		printf("closed\n");
		return 0;
	}
	attacks[i].run();
	const char *hold = getenv("SEAM_HOSTILE_HOLD_MS");
	if (hold && !attacks[i].loops)
		usleep((useconds_t)atoi(hold) * 1000u);
	if (!strcmp(attacks[i].name, "truncated-then-disconnect")) {
		printf("closed\n"); /* we leave mid-message ourselves */
		return 0;
	}
	printf("%s\n", probe());
	return 0;
}
