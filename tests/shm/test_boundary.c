/* Two real processes across the boundary: a guest and a host exchange the handshake, messages and a
 * sealed window buffer over unix:, the way the agent and the daemon will. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shm/chan.h"
#include "shm/shmbuf.h"
#include "suites.h"

#define W 64
#define H 48
#define WIN 0x400001u

/* One turn of a poll loop over a single channel, at most 10 ms. */
static void step(struct chan *c)
{
	struct pollfd pfd;
	chan_pollfd(c, &pfd);
	int t = chan_timeout_ms(c);
	poll(&pfd, 1, t >= 0 && t < 10 ? t : 10);
	chan_dispatch(c, pfd.revents);
}

/* Up to 5 s for a message. */
static int wait_msg(struct chan *c, struct chan_msg *m)
{
	int r = 0;
	for (int i = 0; i < 500 && (r = chan_recv(c, m)) == 0; i++)
		step(c);
	return r;
}

/* Up to 5 s for n raw bytes. */
static int wait_raw(struct chan *c, void *buf, size_t n)
{
	int r = 0;
	for (int i = 0; i < 500 && (r = chan_recv_raw(c, buf, n)) == 0; i++)
		step(c);
	return r;
}

static bool wait_connected(struct chan *c)
{
	for (int i = 0; i < 500 && chan_state(c) != CHAN_CONNECTED; i++)
		step(c);
	return chan_state(c) == CHAN_CONNECTED;
}

/* Until what is queued has been written (the guest sends, then waits). */
static void flush(struct chan *c)
{
	for (int i = 0; i < 100 && chan_queued(c); i++)
		step(c);
}

/* The guest process: exit status 0 when everything it expected happened. */
static int guest(const char *addr)
{
	struct chan *c;
	if (chan_open(addr, CHAN_GUEST, NULL, &c) || !wait_connected(c))
		return 10;
	uint32_t version = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf xconf;
	if (chan_send(c, &version, 4, NULL, 0) || wait_raw(c, &answer, 4) != 1 ||
	    wait_raw(c, &xconf, sizeof(xconf)) != 1 || proto_negotiate_agent(answer, NULL) ||
	    proto_validate_xconf(&xconf, NULL))
		return 11;

	struct shmbuf *b;
	if (shmbuf_create(SHMBUF_MEMFD, W, H, 0, &b))
		return 12;
	uint32_t *px = shmbuf_data(b);
	for (uint32_t i = 0; i < W * H; i++)
		px[i] = 0x00102030u + i;
	struct shmbuf_export ex;
	shmbuf_export(b, &ex);

	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = WIN};
	m.u.create = (struct proto_create){10, 20, W, H, 0, 0};
	if (chan_send_msg(c, &m, NULL, 0))
		return 13;
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_SEAM_WINDOW_DUMP_FD, m.window = WIN;
	m.u.dump_fd = (struct proto_seam_window_dump_fd){ex.width, ex.height, ex.stride, 0};
	if (chan_send_msg(c, &m, &ex.fd, 1))
		return 14;
	flush(c);

	struct chan_msg in;
	if (wait_msg(c, &in) != 1 || in.hdr.type != PROTO_MSG_WINDOW_DUMP_ACK || in.hdr.window != WIN)
		return 15;
	/* Draw after the host mapped it: the host must see it without any copy. */
	px[5 * W + 7] = 0x00abcdefu;
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_SHMIMAGE, m.window = WIN;
	m.u.shmimage = (struct proto_shmimage){7, 5, 1, 1};
	if (chan_send_msg(c, &m, NULL, 0))
		return 16;
	flush(c);
	if (wait_msg(c, &in) != 1 || in.hdr.type != PROTO_MSG_DESTROY)
		return 17;
	shmbuf_release(b);
	chan_close(c);
	return 0;
}

START_TEST(test_boundary_two_processes_exchange_messages_and_a_buffer)
{
	char dir[] = "/tmp/seam-boundary-XXXXXX", addr[128];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(addr, sizeof(addr), "unix:%s/gui.sock", dir);
	struct chan *h;
	ck_assert_int_eq(chan_open(addr, CHAN_HOST, NULL, &h), 0);
	fflush(stdout);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(guest(addr));

	ck_assert(wait_connected(h));
	uint32_t version, negotiated;
	ck_assert_int_eq(wait_raw(h, &version, 4), 1);
	ck_assert_int_eq(proto_negotiate_daemon(version, &negotiated, NULL), 0);
	struct proto_xconf xconf;
	proto_xconf_make(1024, 768, 24, &xconf);
	ck_assert_int_eq(chan_send(h, &negotiated, 4, NULL, 0), 0);
	ck_assert_int_eq(chan_send(h, &xconf, sizeof(xconf), NULL, 0), 0);
	struct proto_peer peer = {.version = negotiated, .seam = true,
				  .seam_features = PROTO_SEAM_FEATURE_MEMFD};

	struct shmbuf_pool *pool;
	ck_assert_int_eq(shmbuf_pool_create(NULL, 0, &pool), 0);
	struct chan_msg in;
	struct proto_msg m;
	struct proto_error err;
	ck_assert_int_eq(wait_msg(h, &in), 1);
	ck_assert_int_eq(proto_decode(&peer, PROTO_FROM_AGENT, &in.hdr, in.body,
				      in.hdr.untrusted_len, in.nfds, &m, &err),
			 PROTO_OK);
	ck_assert_uint_eq(m.type, PROTO_MSG_CREATE);

	ck_assert_int_eq(wait_msg(h, &in), 1);
	ck_assert_int_eq(proto_decode(&peer, PROTO_FROM_AGENT, &in.hdr, in.body,
				      in.hdr.untrusted_len, in.nfds, &m, &err),
			 PROTO_OK);
	ck_assert_uint_eq(m.type, PROTO_MSG_SEAM_WINDOW_DUMP_FD);
	ck_assert_uint_eq(in.nfds, 1);
	struct shmbuf *b;
	char why[160];
	ck_assert_int_eq(shmbuf_import_memfd(pool, in.fds[0], m.u.dump_fd.width, m.u.dump_fd.height,
					     m.u.dump_fd.stride, &b, why, sizeof(why)),
			 0);
	ck_assert_int_eq(shmbuf_map(b), 0);
	const uint32_t *px = shmbuf_data(b);
	for (uint32_t i = 0; i < W * H; i++)
		ck_assert_uint_eq(px[i], 0x00102030u + i);
	struct proto_msg ack = {.type = PROTO_MSG_WINDOW_DUMP_ACK, .window = WIN};
	ck_assert_int_eq(chan_send_msg(h, &ack, NULL, 0), 0);

	ck_assert_int_eq(wait_msg(h, &in), 1);
	ck_assert_int_eq(proto_decode(&peer, PROTO_FROM_AGENT, &in.hdr, in.body,
				      in.hdr.untrusted_len, in.nfds, &m, &err),
			 PROTO_OK);
	ck_assert_uint_eq(m.type, PROTO_MSG_SHMIMAGE);
	ck_assert_uint_eq(px[5 * W + 7], 0x00abcdefu); /* the guest's draw, seen through the map */

	struct proto_msg destroy = {.type = PROTO_MSG_DESTROY, .window = WIN};
	ck_assert_int_eq(chan_send_msg(h, &destroy, NULL, 0), 0);
	int status = -1;
	for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; i++)
		step(h);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "guest exit status %d", status);
	shmbuf_pool_destroy(pool); /* releases b */
	chan_close(h);
	rmdir(dir);
}
END_TEST

Suite *suite_boundary(void)
{
	Suite *s = suite_create("boundary");
	TCase *tc = tcase_create("unix");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_boundary_two_processes_exchange_messages_and_a_buffer);
	suite_add_tcase(s, tc);
	return s;
}
