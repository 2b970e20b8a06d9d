/* The channel: framing under 1-byte I/O, limits, back-pressure, fd passing, sockets, reconnects. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/mono.h"
#include "shm/chan.h"
#include "suites.h"

static char dir[64];
static char sock_path[128];

static void setup_dir(void)
{
	strcpy(dir, "/tmp/seam-chan-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/gui.sock", dir);
}

static void teardown_dir(void)
{
	unlink(sock_path);
	rmdir(dir);
}

/* One poll + dispatch over a set of channels; returns the OR of their events. */
static unsigned pump(struct chan **cs, unsigned n, int timeout_ms, unsigned *each)
{
	struct pollfd pfd[4];
	int timeout = timeout_ms;
	for (unsigned i = 0; i < n; i++) {
		chan_pollfd(cs[i], &pfd[i]);
		int t = chan_timeout_ms(cs[i]);
		if (t >= 0 && t < timeout)
			timeout = t;
	}
	poll(pfd, n, timeout);
	unsigned all = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned ev = chan_dispatch(cs[i], pfd[i].revents);
		if (each)
			each[i] |= ev;
		all |= ev;
	}
	return all;
}

/* Pump until channel `which` reported `want` (or 3 s passed). */
static bool pump_until(struct chan **cs, unsigned n, unsigned which, unsigned want)
{
	unsigned each[4] = {0};
	for (int i = 0; i < 300; i++) {
		pump(cs, n, 10, each);
		if (each[which] & want)
			return true;
	}
	return false;
}

/* Pump until `rx` yields one complete message. */
static int recv_one(struct chan **cs, unsigned n, struct chan *rx, struct chan_msg *m)
{
	for (int i = 0; i < 300; i++) {
		int r = chan_recv(rx, m);
		if (r != 0)
			return r;
		pump(cs, n, 10, NULL);
	}
	return 0;
}

static void pair(struct chan **host, struct chan **guest, const struct chan_config *hc,
		 const struct chan_config *gc)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(chan_open_fd(sv[0], CHAN_HOST, hc, host), 0);
	ck_assert_int_eq(chan_open_fd(sv[1], CHAN_GUEST, gc, guest), 0);
}

/* A host channel over a socketpair whose other end the test drives by hand. */
static struct chan *host_with_raw_peer(int *raw, const struct chan_config *cfg)
{
	int sv[2];
	struct chan *h;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(chan_open_fd(sv[0], CHAN_HOST, cfg, &h), 0);
	*raw = sv[1];
	return h;
}

static void send_create(struct chan *c, uint32_t window)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = window};
	m.u.create = (struct proto_create){1, 2, 30, 40, 0, 0};
	ck_assert_int_eq(chan_send_msg(c, &m, NULL, 0), 0);
}

static bool fd_is_closed_elsewhere(int read_end)
{
	/* A pipe's read end sees EOF only when every copy of the write end is closed. */
	char b;
	fcntl(read_end, F_SETFL, O_NONBLOCK);
	return read(read_end, &b, 1) == 0;
}

START_TEST(test_chan_one_byte_reads_and_writes)
{
	struct chan_config cfg = {.max_io = 1, .sock_gid = -1};
	struct chan *h, *g;
	pair(&h, &g, &cfg, &cfg);
	struct chan *cs[] = {h, g};
	ck_assert(pump_until(cs, 2, 0, CHAN_EV_CONNECTED) || chan_state(h) == CHAN_CONNECTED);

	uint32_t version = PROTO_VERSION_CURRENT, got_version = 0;
	ck_assert_int_eq(chan_send(g, &version, 4, NULL, 0), 0);
	send_create(g, 0x400001);
	static char text[3000];
	memset(text, 'x', sizeof(text));
	struct proto_msg clip = {.type = PROTO_MSG_CLIPBOARD_DATA};
	clip.data = (const uint8_t *)text, clip.data_len = sizeof(text);
	ck_assert_int_eq(chan_send_msg(g, &clip, NULL, 0), 0);

	for (int i = 0; i < 1000 && chan_recv_raw(h, &got_version, 4) == 0; i++)
		pump(cs, 2, 10, NULL);
	ck_assert_uint_eq(got_version, version);
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 2, h, &m), 1);
	ck_assert_uint_eq(m.hdr.type, PROTO_MSG_CREATE);
	ck_assert_uint_eq(m.hdr.window, 0x400001);
	for (int i = 0; i < 5000; i++) {
		int r = chan_recv(h, &m);
		if (r)
			break;
		pump(cs, 2, 1, NULL);
	}
	ck_assert_uint_eq(m.hdr.type, PROTO_MSG_CLIPBOARD_DATA);
	ck_assert_uint_eq(m.hdr.untrusted_len, sizeof(text));
	ck_assert_mem_eq(m.body, text, sizeof(text));
	chan_close(h);
	chan_close(g);
}
END_TEST

START_TEST(test_chan_largest_message)
{
	static uint32_t refs[PROTO_MAX_GRANT_REFS];
	for (uint32_t i = 0; i < PROTO_MAX_GRANT_REFS; i++)
		refs[i] = i * 7;
	struct chan *h, *g;
	pair(&h, &g, NULL, NULL);
	struct chan *cs[] = {h, g};
	struct proto_msg m = {.type = PROTO_MSG_WINDOW_DUMP, .window = 0x400001};
	m.u.dump =
	    (struct proto_window_dump_hdr){0, PROTO_MAX_WINDOW_WIDTH, PROTO_MAX_WINDOW_HEIGHT, 32};
	m.data = (const uint8_t *)refs, m.data_len = sizeof(refs);
	ck_assert_int_eq(chan_send_msg(g, &m, NULL, 0), 0);
	struct chan_msg got;
	ck_assert_int_eq(recv_one(cs, 2, h, &got), 1);
	ck_assert_uint_eq(got.hdr.untrusted_len, PROTO_WINDOW_DUMP_MAX_LEN);
	ck_assert_mem_eq(got.body + 16, refs, sizeof(refs));
	chan_close(h);
	chan_close(g);
}
END_TEST

START_TEST(test_chan_message_past_limit_fails_connection)
{
	int raw;
	struct chan *h = host_with_raw_peer(&raw, NULL);
	struct proto_hdr hdr = {PROTO_MSG_CLIPBOARD_DATA, 0, PROTO_MAX_BODY_LEN + 1};
	ck_assert_int_eq(write(raw, &hdr, sizeof(hdr)), sizeof(hdr));
	struct chan *cs[] = {h};
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 1, h, &m), -1);
	ck_assert_ptr_nonnull(strstr(chan_error(h), "refused"));
	ck_assert(pump_until(cs, 1, 0, CHAN_EV_DISCONNECTED));
	ck_assert_int_eq(chan_state(h), CHAN_CLOSED);
	close(raw);
	chan_close(h);
}
END_TEST

/* A frame check that applies the protocol's own header rules, as the daemon does. */
static int proto_frame(void *ctx, const struct proto_hdr *hdr, uint32_t *body_len, unsigned *nfds)
{
	const struct proto_peer *peer = ctx;
	if (proto_check_header(peer, PROTO_FROM_AGENT, hdr, body_len, NULL) == PROTO_FATAL)
		return -1;
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

START_TEST(test_chan_frame_check_sees_header_before_body)
{
	struct proto_peer peer = {.version = PROTO_VERSION_CURRENT};
	struct chan_config cfg = {.frame = proto_frame, .frame_ctx = &peer, .sock_gid = -1};
	int raw;
	struct chan *h = host_with_raw_peer(&raw, &cfg);
	/* A CREATE that claims 25 bytes: refused from the header alone, no body sent at all. */
	struct proto_hdr hdr = {PROTO_MSG_CREATE, 0x400001, 25};
	ck_assert_int_eq(write(raw, &hdr, sizeof(hdr)), sizeof(hdr));
	struct chan *cs[] = {h};
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 1, h, &m), -1);
	close(raw);
	chan_close(h);
}
END_TEST

START_TEST(test_chan_peer_closes_mid_message)
{
	int raw;
	struct chan *h = host_with_raw_peer(&raw, NULL);
	struct chan *cs[] = {h};
	/* One whole message, then half of the next. */
	struct proto_hdr unmap = {PROTO_MSG_UNMAP, 0x400001, 0};
	struct proto_hdr create = {PROTO_MSG_CREATE, 0x400001, 24};
	uint8_t half[8] = {0};
	ck_assert_int_eq(write(raw, &unmap, 12), 12);
	ck_assert_int_eq(write(raw, &create, 12), 12);
	ck_assert_int_eq(write(raw, half, sizeof(half)), sizeof(half));
	close(raw);
	ck_assert(pump_until(cs, 1, 0, CHAN_EV_DISCONNECTED));
	struct chan_msg m;
	ck_assert_int_eq(chan_recv(h, &m), 1); /* what arrived whole is still delivered */
	ck_assert_uint_eq(m.hdr.type, PROTO_MSG_UNMAP);
	ck_assert_int_eq(chan_recv(h, &m), -1); /* the half message never is */
	ck_assert_ptr_nonnull(strstr(chan_error(h), "closed"));
	chan_close(h);
}
END_TEST

START_TEST(test_chan_backpressure_peer_not_reading)
{
	struct chan_config cfg = {.max_queue = 1 << 20, .sock_gid = -1};
	int raw;
	struct chan *h = host_with_raw_peer(&raw, &cfg);
	static uint8_t blob[PROTO_HDR_SIZE + 60000];
	struct proto_hdr hdr = {PROTO_MSG_CLIPBOARD_DATA, 1, 60000};
	memcpy(blob, &hdr, sizeof(hdr));
	int rc = 0, sent = 0;
	while (sent < 1000 && (rc = chan_send(h, blob, sizeof(blob), NULL, 0)) == 0) {
		ck_assert_uint_le(chan_queued(h), cfg.max_queue);
		sent++;
	}
	ck_assert_int_eq(rc, -ENOBUFS);
	ck_assert_int_gt(sent, 1); /* the socket buffer took some first */
	ck_assert_int_eq(chan_state(h), CHAN_CLOSED);
	ck_assert_uint_eq(chan_queued(h), 0);
	ck_assert_ptr_nonnull(strstr(chan_error(h), "not reading"));
	struct chan *cs[] = {h};
	ck_assert_uint_eq(pump(cs, 1, 0, NULL) & CHAN_EV_DISCONNECTED, CHAN_EV_DISCONNECTED);
	ck_assert_int_eq(chan_send(h, blob, sizeof(blob), NULL, 0), -ENOTCONN);
	close(raw);
	chan_close(h);
}
END_TEST

START_TEST(test_chan_passes_fds_with_their_message)
{
	struct chan *h, *g;
	pair(&h, &g, NULL, NULL);
	struct chan *cs[] = {h, g};
	int mfd = memfd_create("test", MFD_CLOEXEC);
	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(write(mfd, "pixels", 6), 6);

	send_create(g, 0x400001);
	struct proto_msg m = {.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, .window = 0x400001};
	m.u.dump_fd = (struct proto_seam_window_dump_fd){30, 40, 120, 0};
	ck_assert_int_eq(chan_send_msg(g, &m, &mfd, 1), 0);
	send_create(g, 0x400002);
	close(mfd); /* the channel keeps its own copy until sent */

	struct chan_msg got;
	ck_assert_int_eq(recv_one(cs, 2, h, &got), 1);
	ck_assert_uint_eq(got.nfds, 0);
	ck_assert_int_eq(recv_one(cs, 2, h, &got), 1);
	ck_assert_uint_eq(got.hdr.type, PROTO_MSG_SEAM_WINDOW_DUMP_FD);
	ck_assert_uint_eq(got.nfds, 1);
	ck_assert_int_eq(fcntl(got.fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	char buf[6];
	ck_assert_int_eq(pread(got.fds[0], buf, 6, 0), 6);
	ck_assert_mem_eq(buf, "pixels", 6);
	close(got.fds[0]);
	ck_assert_int_eq(recv_one(cs, 2, h, &got), 1);
	ck_assert_uint_eq(got.hdr.window, 0x400002);
	ck_assert_uint_eq(got.nfds, 0);
	chan_close(h);
	chan_close(g);
}
END_TEST

/* sendmsg one message with fds attached, bypassing the channel. */
static void raw_send_with_fds(int s, const void *buf, size_t len, const int *fds, unsigned n)
{
	char ctl[CMSG_SPACE(sizeof(int) * 8)];
	struct iovec iov = {(void *)buf, len};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	ck_assert_int_eq(sendmsg(s, &mh, 0), (ssize_t)len);
}

/* Send `type` with `n` pipe write ends; check the host fails and closed every one of them. */
static void check_fds_refused(uint32_t type, uint32_t len, unsigned n)
{
	int raw;
	struct chan *h = host_with_raw_peer(&raw, NULL);
	struct chan *cs[] = {h};
	int rd[8], wr[8];
	for (unsigned i = 0; i < n; i++) {
		int p[2];
		ck_assert_int_eq(pipe(p), 0);
		rd[i] = p[0], wr[i] = p[1];
	}
	uint8_t msg[PROTO_HDR_SIZE + 64] = {0};
	struct proto_hdr hdr = {type, 0x400001, len};
	memcpy(msg, &hdr, sizeof(hdr));
	raw_send_with_fds(raw, msg, PROTO_HDR_SIZE + len, wr, n);
	for (unsigned i = 0; i < n; i++)
		close(wr[i]);
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 1, h, &m), -1);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_msg(fd_is_closed_elsewhere(rd[i]), "fd %u of %u was kept open", i, n);
		close(rd[i]);
	}
	close(raw);
	chan_close(h);
}

START_TEST(test_chan_unexpected_fd_is_closed_and_fails)
{
	check_fds_refused(PROTO_MSG_CREATE, 24, 1);
}
END_TEST

START_TEST(test_chan_too_many_fds_are_closed_and_fail)
{
	check_fds_refused(PROTO_MSG_SEAM_WINDOW_DUMP_FD, 16, 2);
	check_fds_refused(PROTO_MSG_SEAM_WINDOW_DUMP_FD, 16, CHAN_MAX_FDS + 1);
}
END_TEST

START_TEST(test_chan_fds_with_handshake_bytes_fail)
{
	int raw;
	struct chan *h = host_with_raw_peer(&raw, NULL);
	struct chan *cs[] = {h};
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	uint32_t version = PROTO_VERSION_CURRENT, got;
	raw_send_with_fds(raw, &version, 4, &p[1], 1);
	close(p[1]);
	pump(cs, 1, 100, NULL);
	ck_assert_int_eq(chan_recv_raw(h, &got, 4), -1);
	ck_assert(fd_is_closed_elsewhere(p[0]));
	close(p[0]);
	close(raw);
	chan_close(h);
}
END_TEST

/* A socket is read when poll says it is readable, not at every wake-up (each read that finds
 * nothing is a wasted syscall per update); a caller that asks chan_recv() without dispatching
 * still gets what arrived. */
START_TEST(test_chan_socket_read_only_when_poll_says_so)
{
	struct chan *h, *g;
	pair(&h, &g, NULL, NULL);
	send_create(g, 0x400001);
	chan_dispatch(g, POLLOUT); /* flushed to the socket */
	struct chan_msg m;
	ck_assert_uint_eq(chan_dispatch(h, 0) & CHAN_EV_INPUT, 0);
	ck_assert_int_eq(chan_recv(h, &m), 0); /* poll said nothing: not read */
	ck_assert(chan_dispatch(h, POLLIN) & CHAN_EV_INPUT);
	ck_assert_int_eq(chan_recv(h, &m), 1);
	ck_assert_uint_eq(m.hdr.window, 0x400001);
	ck_assert_int_eq(chan_recv(h, &m), 0); /* the socket was drained by the short read */
	send_create(g, 0x400002);
	chan_dispatch(g, POLLOUT);
	ck_assert_int_eq(chan_recv(h, &m), 1); /* no dispatch in between: chan_recv reads */
	ck_assert_uint_eq(m.hdr.window, 0x400002);
	chan_close(g);
	chan_close(h);
}
END_TEST

START_TEST(test_chan_unix_socket_mode_and_exchange)
{
	struct chan *h, *g;
	ck_assert_int_eq(chan_open(sock_path, CHAN_HOST, NULL, &h), -EINVAL); /* no "unix:" */
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	struct stat st;
	ck_assert_int_eq(lstat(sock_path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(chan_state(h), CHAN_WAITING);
	ck_assert_uint_eq(chan_peer_domid(h), 0); /* unix: has no domain; vchan: is the lab's */

	ck_assert_int_eq(chan_open(addr, CHAN_GUEST, NULL, &g), 0);
	struct chan *cs[] = {h, g};
	ck_assert(pump_until(cs, 2, 0, CHAN_EV_CONNECTED));
	ck_assert_int_eq(chan_state(g), CHAN_CONNECTED);
	send_create(g, 0x400003);
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 2, h, &m), 1);
	ck_assert_uint_eq(m.hdr.window, 0x400003);
	struct proto_msg close_msg = {.type = PROTO_MSG_CLOSE, .window = 0x400003};
	ck_assert_int_eq(chan_send_msg(h, &close_msg, NULL, 0), 0);
	ck_assert_int_eq(recv_one(cs, 2, g, &m), 1);
	ck_assert_uint_eq(m.hdr.type, PROTO_MSG_CLOSE);
	chan_close(g);
	chan_close(h);
	ck_assert_int_ne(access(sock_path, F_OK), 0); /* the host removed its socket */
}
END_TEST

START_TEST(test_chan_unix_socket_group_and_mode_option)
{
	struct chan_config cfg = {.sock_mode = 0660, .sock_gid = (int)getgid()};
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	struct chan *h;
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, &cfg, &h), 0);
	struct stat st;
	ck_assert_int_eq(lstat(sock_path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0660);
	ck_assert_uint_eq(st.st_gid, getgid());
	chan_close(h);
}
END_TEST

START_TEST(test_chan_unix_stale_socket_replaced_live_one_kept)
{
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	/* A stale socket file: bound, then its listener went away. */
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, sock_path);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
	struct chan *h, *h2;
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	/* A live one is not taken over. */
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h2), -EADDRINUSE);
	chan_close(h);
	/* Nor is a file that is not a socket. */
	int f = open(sock_path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(f, 0);
	close(f);
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), -EEXIST);
	ck_assert_int_eq(access(sock_path, F_OK), 0);
}
END_TEST

START_TEST(test_chan_reconnect_after_listener_restarts)
{
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	struct chan *h, *g;
	ck_assert_int_eq(chan_open(addr, CHAN_GUEST, NULL, &g), 0); /* before the host: retries */
	struct chan *gs[] = {g};
	pump(gs, 1, 120, NULL);
	ck_assert_int_eq(chan_state(g), CHAN_WAITING);
	ck_assert_int_ge(chan_timeout_ms(g), 0);

	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	struct chan *cs[] = {h, g};
	ck_assert(pump_until(cs, 2, 1, CHAN_EV_CONNECTED));

	chan_close(h); /* the daemon restarts */
	ck_assert(pump_until(gs, 1, 0, CHAN_EV_DISCONNECTED));
	ck_assert_int_eq(chan_state(g), CHAN_WAITING);
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	cs[0] = h;
	ck_assert(pump_until(cs, 2, 1, CHAN_EV_CONNECTED));
	send_create(g, 0x400004);
	struct chan_msg m;
	ck_assert_int_eq(recv_one(cs, 2, h, &m), 1);
	ck_assert_uint_eq(m.hdr.window, 0x400004);
	chan_close(g);
	chan_close(h);
}
END_TEST

START_TEST(test_chan_host_serves_the_next_guest)
{
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	struct chan *h, *g1, *g2;
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	ck_assert_int_eq(chan_open(addr, CHAN_GUEST, NULL, &g1), 0);
	struct chan *cs[] = {h, g1};
	ck_assert(pump_until(cs, 2, 0, CHAN_EV_CONNECTED));
	chan_close(g1); /* the agent crashes */
	struct chan *hs[] = {h};
	ck_assert(pump_until(hs, 1, 0, CHAN_EV_DISCONNECTED));
	ck_assert_int_eq(chan_state(h), CHAN_WAITING);
	ck_assert_int_eq(chan_open(addr, CHAN_GUEST, NULL, &g2), 0);
	cs[1] = g2;
	ck_assert(pump_until(cs, 2, 0, CHAN_EV_CONNECTED));
	ck_assert_int_eq(chan_state(h), CHAN_CONNECTED);
	chan_close(g2);
	chan_close(h);
}
END_TEST

/* A host held off takes no new peer until the time is up, without blocking: it polls nothing and
 * says when to look again; the guest that came meanwhile is served then. */
START_TEST(test_chan_host_held_off_takes_no_peer_until_the_time_is_up)
{
	char addr[160];
	snprintf(addr, sizeof(addr), "unix:%s", sock_path);
	struct chan *h, *g;
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	int64_t start = mono_ms();
	chan_hold_off(h, 300);
	struct pollfd pfd;
	chan_pollfd(h, &pfd);
	ck_assert_int_eq(pfd.fd, -1);
	int t = chan_timeout_ms(h);
	ck_assert_int_gt(t, 0);
	ck_assert_int_le(t, 300);
	ck_assert_int_eq(chan_open(addr, CHAN_GUEST, NULL, &g), 0);
	struct chan *cs[] = {h, g};
	unsigned each[2] = {0};
	while (mono_ms() - start < 150)
		pump(cs, 2, 10, each);
	ck_assert_int_eq(chan_state(h), CHAN_WAITING);
	ck_assert(!(each[0] & CHAN_EV_CONNECTED));
	ck_assert(pump_until(cs, 2, 0, CHAN_EV_CONNECTED));
	ck_assert_int_ge(mono_ms() - start, 300);
	ck_assert_int_eq(chan_state(h), CHAN_CONNECTED);
	chan_close(g);
	chan_close(h);
}
END_TEST

START_TEST(test_chan_fail_reports_disconnect_and_reason)
{
	struct chan *h, *g;
	pair(&h, &g, NULL, NULL);
	struct chan *cs[] = {h, g};
	pump(cs, 2, 0, NULL);
	chan_fail(h, "WINDOW_DUMP.refs: 9 refs for 100x100");
	ck_assert_int_eq(chan_timeout_ms(h), 0);
	unsigned each[2] = {0};
	pump(cs, 2, 0, each);
	ck_assert_uint_eq(each[0] & CHAN_EV_DISCONNECTED, CHAN_EV_DISCONNECTED);
	ck_assert_str_eq(chan_error(h), "WINDOW_DUMP.refs: 9 refs for 100x100");
	/* the guest sees it too */
	ck_assert(each[1] & CHAN_EV_DISCONNECTED || pump_until(cs, 2, 1, CHAN_EV_DISCONNECTED));
	chan_close(h);
	chan_close(g);
}
END_TEST

START_TEST(test_chan_bad_addresses)
{
	struct chan *c;
	static const char *bad[] = {"tcp:1.2.3.4",	"unix:",	 "vchan:",
				    "vchan:x:6000",	"vchan:1:0",	 "vchan:1:65536",
				    "vchan:32752:6000", "vchan:1:6000x", "vchan:1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(chan_open(bad[i], CHAN_HOST, NULL, &c) == -EINVAL, "%s accepted",
			      bad[i]);
	char longp[200];
	memset(longp, 'a', sizeof(longp));
	memcpy(longp, "unix:/", 6);
	longp[sizeof(longp) - 1] = '\0';
	ck_assert_int_eq(chan_open(longp, CHAN_HOST, NULL, &c), -EINVAL);
}
END_TEST

START_TEST(test_chan_vchan_needs_xen)
{
	struct chan *c;
	if (access("/dev/xen/evtchn", F_OK) == 0) {
		printf("chan: vchan connection tests run in the Xen lab (tests/xen), not here\n");
		return;
	}
	printf("chan: vchan tests skipped: /dev/xen/evtchn not present (no Xen hypervisor on this "
	       "machine); checking that opening fails cleanly\n");
	ck_assert_int_lt(chan_open("vchan:0:6000", CHAN_GUEST, NULL, &c), 0);
	ck_assert_int_lt(chan_open("vchan:5:6000", CHAN_HOST, NULL, &c), 0);
}
END_TEST

Suite *suite_chan(void)
{
	Suite *s = suite_create("chan");
	TCase *tc = tcase_create("socketpair");
	tcase_add_test(tc, test_chan_one_byte_reads_and_writes);
	tcase_add_test(tc, test_chan_socket_read_only_when_poll_says_so);
	tcase_add_test(tc, test_chan_largest_message);
	tcase_add_test(tc, test_chan_message_past_limit_fails_connection);
	tcase_add_test(tc, test_chan_frame_check_sees_header_before_body);
	tcase_add_test(tc, test_chan_peer_closes_mid_message);
	tcase_add_test(tc, test_chan_backpressure_peer_not_reading);
	tcase_add_test(tc, test_chan_passes_fds_with_their_message);
	tcase_add_test(tc, test_chan_unexpected_fd_is_closed_and_fails);
	tcase_add_test(tc, test_chan_too_many_fds_are_closed_and_fail);
	tcase_add_test(tc, test_chan_fds_with_handshake_bytes_fail);
	tcase_add_test(tc, test_chan_fail_reports_disconnect_and_reason);
	tcase_add_test(tc, test_chan_bad_addresses);
	tcase_add_test(tc, test_chan_vchan_needs_xen);
	suite_add_tcase(s, tc);
	TCase *tu = tcase_create("unix-path");
	tcase_add_checked_fixture(tu, setup_dir, teardown_dir);
	tcase_add_test(tu, test_chan_unix_socket_mode_and_exchange);
	tcase_add_test(tu, test_chan_unix_socket_group_and_mode_option);
	tcase_add_test(tu, test_chan_unix_stale_socket_replaced_live_one_kept);
	tcase_add_test(tu, test_chan_reconnect_after_listener_restarts);
	tcase_add_test(tu, test_chan_host_serves_the_next_guest);
	tcase_add_test(tu, test_chan_host_held_off_takes_no_peer_until_the_time_is_up);
	suite_add_tcase(s, tu);
	return s;
}
