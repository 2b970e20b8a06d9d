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
#include "tests/integration/hostile_agent.h"

#define WIN HOSTILE_WIN

int hostile_sock = -1;
struct sockaddr_un hostile_addr = {.sun_family = AF_UNIX};

long hostile_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long a looping attack loops: SEAM_HOSTILE_HOLD_MS, else 2 s. */
long hostile_loop_ms(void)
{
	const char *hold = getenv("SEAM_HOSTILE_HOLD_MS");
	return hold ? atol(hold) : 2000;
}

int hostile_put(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = send(hostile_sock, p, len, MSG_NOSIGNAL);
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
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * nfds)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	return sendmsg(hostile_sock, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

int hostile_msg(struct proto_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + 512];
	size_t n = proto_encode(m, buf, sizeof(buf));
	return n ? hostile_put(buf, n) : -1;
}

static int msg_fds(struct proto_msg *m, const int *fds, unsigned nfds)
{
	uint8_t buf[PROTO_HDR_SIZE + 512];
	size_t n = proto_encode(m, buf, sizeof(buf));
	return n ? put_fds(buf, n, fds, nfds) : -1;
}

int hostile_raw_hdr(uint32_t type, uint32_t window, uint32_t len)
{
	struct proto_hdr h = {type, window, len};
	return hostile_put(&h, sizeof(h));
}

static int take(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = recv(hostile_sock, p, len, 0);
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

/* Version, xconf, the daemon's hello, our hello with these features. */
int hostile_handshake_with(uint32_t features)
{
	uint32_t v = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf x;
	uint8_t hello[PROTO_HDR_SIZE + 12];
	if (hostile_put(&v, 4) || take(&answer, 4) || take(&x, 16) || take(hello, sizeof(hello)))
		return -1;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, 1, features};
	return hostile_msg(&m);
}

static int handshake(void)
{
	return hostile_handshake_with(PROTO_SEAM_FEATURE_MEMFD | PROTO_SEAM_FEATURE_ICONS |
				      PROTO_SEAM_FEATURE_NOTIFY);
}

void hostile_create(uint32_t id, uint32_t w, uint32_t h, bool or)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
	m.u.create = (struct proto_create){100, 100, w, h, 0, or };
	hostile_msg(&m);
}

void hostile_simple(uint32_t type, uint32_t id)
{
	struct proto_msg m = {.type = type, .window = id};
	hostile_msg(&m);
}

void hostile_title(uint32_t id, const char *t, size_t len)
{
	struct proto_msg m = {.type = PROTO_MSG_WMNAME, .window = id};
	memcpy(m.u.wmname.data, t, len < 128 ? len : 128);
	hostile_msg(&m);
}

/* A sealed buffer of a window's size, filled with one color; the fd stays open. */
int hostile_sealed_buffer(uint32_t w, uint32_t h, uint32_t color)
{
	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, w, h, 0, &b))
		return -1;
	uint32_t *px = shmbuf_data(b);
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = color;
	return dup(shmbuf_fd(b)); /* the buffer is left mapped: the process ends soon */
}

void hostile_dump_fd(uint32_t id, uint32_t w, uint32_t h, const int *fds, unsigned nfds)
{
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = id};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){w, h, w * 4, 0};
	msg_fds(&m, fds, nfds);
}

/* A mapped 100x80 window filled with 0xff00ff, for attacks that need a live window. */
void hostile_live_window(void)
{
	hostile_create(WIN, 100, 80, false);
	hostile_title(WIN, "victim", 6);
	int fd = hostile_sealed_buffer(100, 80, 0xff00ff);
	hostile_dump_fd(WIN, 100, 80, &fd, 1);
	hostile_simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	hostile_msg(&m);
}

/* Is the daemon still talking to us? A new window, then wait for anything (or EOF) from it. */
static const char *probe(void)
{
	usleep(300000);
	uint32_t id = 0x3fff01;
	hostile_create(id, 10, 10, false);
	int fd = hostile_sealed_buffer(10, 10, 0);
	hostile_dump_fd(id, 10, 10, &fd,
			1); /* answered by WINDOW_DUMP_ACK if the daemon still listens */
	struct timeval tv = {2, 0};
	setsockopt(hostile_sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	uint8_t buf[4096];
	for (;;) {
		ssize_t n = recv(hostile_sock, buf, sizeof(buf), 0);
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

static void a_oversized(void)
{
	hostile_create(WIN, 20000, 20000, false);
	hostile_simple(PROTO_MSG_MAP, WIN);
}
static void a_zero_size(void)
{
	hostile_create(WIN, 0, 0, false);
	hostile_simple(PROTO_MSG_MAP, WIN);
}
static void a_unknown_id(void)
{
	hostile_simple(PROTO_MSG_MAP, 0x1234567);
	hostile_simple(PROTO_MSG_DESTROY, 0x42);
}
static void a_reused_id(void)
{
	hostile_create(WIN, 50, 50, false);
	hostile_create(WIN, 50, 50, false);
}
/* 0x200001 is the id the well-behaved guest (seam-fake-agent) uses for its window. */
static void a_other_guest_id(void)
{
	hostile_simple(PROTO_MSG_DESTROY, 0x200001);
	hostile_simple(PROTO_MSG_UNMAP, 0x200001);
}
static void a_wrong_version(void)
{
	uint32_t v = PROTO_VERSION(2, 0);
	hostile_put(&v, 4);
}
static void a_old_version(void)
{
	uint32_t v = PROTO_VERSION(1, 3);
	hostile_put(&v, 4);
}
static void a_before_handshake(void)
{
	hostile_raw_hdr(PROTO_MSG_CREATE, WIN, 24);
}
static void a_truncated(void)
{
	hostile_raw_hdr(PROTO_MSG_CREATE, WIN, 24);
	hostile_put("abcdefgh", 8);
}
static void a_body_past_limit(void)
{
	hostile_raw_hdr(PROTO_MSG_CREATE, WIN, 1000);
}
static void a_huge_clipboard(void)
{
	hostile_raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, 10u << 20);
}
static void a_unknown_type(void)
{
	hostile_raw_hdr(0xdead, WIN, 0);
}

static void a_titles(void)
{
	hostile_live_window();
	/* invalid UTF-8, controls, a bidi override and a forged domain prefix */
	static const char t[] = "[dom0] \xe2\x80\xae"
				"evil\x1b[31m\n\xff\xfe"
				"end";
	hostile_title(WIN, t, sizeof(t) - 1);
}

/* A title that pushes its own end out of sight and imitates another domain's prefix: a run of
 * no-break spaces, a line separator, a zero-width space, then fullwidth brackets around a name. */
static void a_title_lookalikes(void)
{
	hostile_live_window();
	char t[128];
	size_t n = 0;
	memcpy(t + n, "evil", 4), n += 4;
	for (int i = 0; i < 50; i++)
		memcpy(t + n, "\xc2\xa0", 2), n += 2;			  /* U+00A0 */
	memcpy(t + n, "\xe2\x80\xa8\xe2\x80\x8b", 6), n += 6;		  /* U+2028, U+200B */
	memcpy(t + n, "\xef\xbc\xbbgood\xef\xbc\xbd vault", 16), n += 16; /* [good] */
	hostile_title(WIN, t, n);
}

static void a_fullscreen_override_redirect(void)
{
	hostile_create(WIN, 16384, 6144, true);
	hostile_title(WIN, "cover", 5);
	struct proto_msg m = {.type = PROTO_MSG_MAP, .window = WIN};
	m.u.map.override_redirect = 1;
	hostile_msg(&m);
}

static void a_flood(void)
{
	hostile_live_window();
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	for (int i = 0; i < 200000; i++)
		if (hostile_msg(&m))
			break;
	for (uint32_t i = 0; i < 3000; i++)
		hostile_create(0x310000 + i, 10, 10, false);
}

static void a_damage_outside(void)
{
	hostile_live_window();
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage =
	    (struct proto_shmimage){0, 0, PROTO_MAX_WINDOW_WIDTH, PROTO_MAX_WINDOW_HEIGHT};
	hostile_msg(&m);
	m.u.shmimage = (struct proto_shmimage){99, 79, 5000, 5000};
	hostile_msg(&m);
}

static void a_unsealed_memfd(void)
{
	hostile_create(WIN, 100, 80, false);
	int fd = memfd_create("unsealed", MFD_CLOEXEC);
	if (ftruncate(fd, 100 * 80 * 4) == 0)
		hostile_dump_fd(WIN, 100, 80, &fd, 1);
}

static void a_truncated_memfd(void)
{
	/* Sealing is what stops this: an unsealed memfd is shrunk after it was sent. */
	hostile_create(WIN, 100, 80, false);
	int fd = memfd_create("shrinking", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (ftruncate(fd, 100 * 80 * 4) == 0) {
		hostile_dump_fd(WIN, 100, 80, &fd, 1);
		hostile_simple(PROTO_MSG_MAP, WIN);
		usleep(100000);
		if (ftruncate(fd, 0) == 0) {
			struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
			m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
			hostile_msg(&m);
		}
	}
}

static void a_small_memfd(void)
{
	hostile_create(WIN, 100, 80, false);
	int fd = hostile_sealed_buffer(100, 40, 0);
	hostile_dump_fd(WIN, 100, 80, &fd, 1);
}

static void a_pipe_fd(void)
{
	hostile_create(WIN, 100, 80, false);
	int p[2];
	if (pipe(p) == 0)
		hostile_dump_fd(WIN, 100, 80, &p[0], 1);
}

static void a_many_fds(void)
{
	hostile_create(WIN, 100, 80, false);
	int fds[8];
	for (int i = 0; i < 8; i++)
		fds[i] = hostile_sealed_buffer(100, 80, 0);
	hostile_dump_fd(WIN, 100, 80, fds, 8);
}

static void a_fd_on_create(void)
{
	int fd = hostile_sealed_buffer(10, 10, 0);
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = WIN};
	m.u.create = (struct proto_create){0, 0, 10, 10, 0, 0};
	msg_fds(&m, &fd, 1);
}

static void a_clipboard_oversize(void)
{
	static uint8_t junk[PROTO_CLIPBOARD_OVERSIZE_MARK + 1];
	memset(junk, 0xff, sizeof(junk));
	hostile_raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, sizeof(junk));
	hostile_put(junk, sizeof(junk));
}

static void a_clipboard_invalid_utf8(void)
{
	static const uint8_t junk[] = {0xff, 0xfe, 0xc0, 0x80, 'a', 0};
	hostile_raw_hdr(PROTO_MSG_CLIPBOARD_DATA, 0, sizeof(junk));
	hostile_put(junk, sizeof(junk));
}

static void a_focus_steal(void)
{
	hostile_live_window();
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_FLAGS, .window = WIN};
	m.u.flags =
	    (struct proto_window_flags){PROTO_FLAG_DEMANDS_ATTENTION | PROTO_FLAG_FULLSCREEN, 0};
	hostile_msg(&m);
	hostile_simple(PROTO_MSG_MAP, WIN);
}

/* A sealed memfd for a 100x80 window whose file is `size` bytes: the host X server would map all of
 * it. The file is sparse: it costs the guest nothing. */
static void huge_memfd(off_t size)
{
	hostile_create(WIN, 100, 80, false);
	hostile_title(WIN, "huge", 4);
	int fd = memfd_create("huge", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, size) || fcntl(fd, F_ADD_SEALS, SHMBUF_REQUIRED_SEALS))
		return;
	hostile_dump_fd(WIN, 100, 80, &fd, 1);
	hostile_simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, 100, 80};
	hostile_msg(&m);
}

static void a_huge_memfd_30(void)
{
	huge_memfd((off_t)1 << 30);
}
static void a_huge_memfd_40(void)
{
	huge_memfd((off_t)1 << 40);
}
static void a_huge_memfd_46(void)
{
	huge_memfd((off_t)1 << 46);
}

/* Two popups of 49% of a 1024x768 screen each, one above the other: together they cover it. */
static void a_override_redirect_tiling(void)
{
	const uint32_t b = 3, w = 1024 - 2 * b, h = 768 * 49 / 100 - 2 * b;
	for (uint32_t i = 0; i < 2; i++) {
		uint32_t id = WIN + i;
		struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
		m.u.create = (struct proto_create){(int32_t)b, (int32_t)(b + i * 384), w, h, 0, 1};
		hostile_msg(&m);
		hostile_title(id, i ? "tile2" : "tile1", 5);
		int fd = hostile_sealed_buffer(w, h, 0x202020);
		hostile_dump_fd(id, w, h, &fd, 1);
		m = (struct proto_msg){.type = PROTO_MSG_MAP, .window = id};
		m.u.map.override_redirect = 1;
		hostile_msg(&m);
		m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = id};
		m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
		hostile_msg(&m);
	}
}

/* What the daemon sent since the last call, counted by type (messages split across reads are
 * put back together). */
static struct {
	uint8_t buf[1 << 16];
	size_t len;
	unsigned keys, clipboards, focus_ins;
} in;

void hostile_drain(void)
{
	for (;;) {
		ssize_t n =
		    recv(hostile_sock, in.buf + in.len, sizeof(in.buf) - in.len, MSG_DONTWAIT);
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
	long end = hostile_now_ms() + hostile_loop_ms();
	for (uint32_t i = 0; hostile_now_ms() < end; i++) {
		uint32_t id = 0x320000 + i % 8;
		if (i >= 8)
			hostile_simple(PROTO_MSG_DESTROY, id);
		bool or = i % 2;
		struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
		m.u.create = (struct proto_create){300, 250, 300, 120, 0, or };
		hostile_msg(&m);
		hostile_title(id, "[good] Unlock vault", 19);
		int fd = hostile_sealed_buffer(300, 120, 0xeeeeee);
		hostile_dump_fd(id, 300, 120, &fd, 1);
		close(fd);
		m = (struct proto_msg){.type = PROTO_MSG_MAP, .window = id};
		m.u.map.override_redirect = or ;
		hostile_msg(&m);
		m = (struct proto_msg){.type = PROTO_MSG_SHMIMAGE, .window = id};
		m.u.shmimage = (struct proto_shmimage){0, 0, 300, 120};
		hostile_msg(&m);
		hostile_drain();
		usleep(60000);
	}
	usleep(200000);
	hostile_drain();
	printf("keypress %u\nclipboard %u\nfocus %u\n", in.keys, in.clipboards, in.focus_ins);
	fflush(stdout);
}

/* Full-window damage of a large window as fast as the socket takes it, then one last frame of
 * another color that must be the one shown. */
static void a_paint_flood(void)
{
	const uint32_t w = 1000, h = 700;
	hostile_create(WIN, w, h, false);
	hostile_title(WIN, "painter", 7);
	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, w, h, 0, &b))
		return;
	uint32_t *px = shmbuf_data(b);
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = 0x800000;
	int fd = dup(shmbuf_fd(b));
	hostile_dump_fd(WIN, w, h, &fd, 1);
	hostile_simple(PROTO_MSG_MAP, WIN);
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = WIN};
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	long end = hostile_now_ms() + hostile_loop_ms();
	unsigned long sent = 0;
	while (hostile_now_ms() < end && !hostile_msg(&m)) {
		sent++;
		if (sent % 1024 == 0)
			hostile_drain();
	}
	for (size_t i = 0; i < (size_t)w * h; i++)
		px[i] = 0x00c000;
	hostile_msg(&m);
	printf("damages %lu\n", sent);
	fflush(stdout);
	usleep(1500000); /* the last frame, on show */
}

/* Connections opened and closed as fast as the daemon's socket takes them, then a well-behaved
 * connection (the probe's). */
static void a_reconnect_flood(void)
{
	close(hostile_sock);
	long end = hostile_now_ms() + hostile_loop_ms();
	unsigned tries = 0, connected = 0;
	while (hostile_now_ms() < end) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		tries++;
		if (s >= 0 &&
		    connect(s, (struct sockaddr *)&hostile_addr, sizeof(hostile_addr)) == 0) {
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
	hostile_sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int t = 0; t < 200 && connect(hostile_sock, (struct sockaddr *)&hostile_addr,
					   sizeof(hostile_addr));
	     t++)
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
    {"icon-wrong-length", hostile_icon_wrong_length, true},
    {"icon-huge-size", hostile_icon_huge_size, true},
    {"icon-zero-size", hostile_icon_zero_size, true},
    {"icon-many-images", hostile_icon_many_images, true},
    {"icon-past-limit", hostile_icon_past_limit, true},
    {"icon-flood", hostile_icon_flood, true, true},
    {"notify-wrong-lengths", hostile_notify_wrong_lengths, true},
    {"notify-past-bounds", hostile_notify_past_bounds, true},
    {"notify-invalid-utf8", hostile_notify_invalid_utf8, true},
    {"notify-past-limit", hostile_notify_past_limit, true},
    {"notify-not-agreed", hostile_notify_not_agreed, false},
    {"notify-flood", hostile_notify_flood, true, true},
    {"dock-mapped", hostile_dock_mapped, true},
    {"dock-huge", hostile_dock_huge, true},
    {"dock-many", hostile_dock_many, true},
    {"dock-resize", hostile_dock_resize, true},
    {"dock-map", hostile_dock_map, true},
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
		fprintf(stderr,
			"usage: seam-hostile-agent --channel unix:PATH --attack NAME | --list\n");
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
	snprintf(hostile_addr.sun_path, sizeof(hostile_addr.sun_path), "%s", argv[2] + 5);
	hostile_sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int t = 0;
	     connect(hostile_sock, (struct sockaddr *)&hostile_addr, sizeof(hostile_addr)); t++) {
		if (t == 100) {
			fprintf(stderr, "hostile-agent: cannot connect to %s\n",
				hostile_addr.sun_path);
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
