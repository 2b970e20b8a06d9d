/* The agent's client of the driver's socket (gui-agent/capture.h) against a scripted driver: it
 * takes a good memfd, refuses replies that break the wire rules (and closes what came with
 * them), stops asking once the socket misbehaved, and gives up on a silent driver. Also the
 * checks of an adopted memfd (shmbuf_adopt_memfd), the same as the daemon's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gui-agent/capture.h"
#include "protocol/proto.h"
#include "shm/shmbuf.h"
#include "suites.h"

#define MAX_STEPS 4

/* One answer of the scripted driver: a reply with nfds copies of a memfd, or silence; for
 * OK_GRANTS the body follows, with nrefs refs (the right count when 0) granted to domid. */
struct step {
	struct proto_drv_reply reply;
	unsigned nfds;
	bool silent;
	uint32_t domid, nrefs;
};

struct fake {
	char dir[64], path[96];
	int listen_fd;
	struct step steps[MAX_STEPS];
	unsigned nsteps;
	pthread_t thread;
};

static int sealed_memfd(size_t size)
{
	int fd = memfd_create("test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, SHMBUF_REQUIRED_SEALS), 0);
	return fd;
}

static void send_reply(int sock, const struct step *s)
{
	uint8_t buf[PROTO_DRV_REPLY_SIZE];
	proto_drv_encode_reply(&s->reply, buf);
	struct iovec iov = {buf, sizeof(buf)};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(2 * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	int fds[2] = {-1, -1};
	if (s->nfds) {
		memset(&ctl, 0, sizeof(ctl));
		for (unsigned i = 0; i < s->nfds; i++)
			fds[i] = sealed_memfd((size_t)s->reply.width * 4 * s->reply.height + 1);
		msg.msg_control = ctl.space;
		msg.msg_controllen = CMSG_SPACE(s->nfds * sizeof(int));
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(s->nfds * sizeof(int));
		memcpy(CMSG_DATA(h), fds, s->nfds * sizeof(int));
	}
	sendmsg(sock, &msg, MSG_NOSIGNAL);
	for (unsigned i = 0; i < s->nfds; i++)
		close(fds[i]);
	if (s->reply.status != PROTO_DRV_OK_GRANTS)
		return;
	uint32_t n = s->nrefs ? s->nrefs : proto_drv_grant_count(&s->reply);
	uint32_t *refs = malloc(n * sizeof(uint32_t));
	uint8_t *body = malloc(proto_drv_grants_size(n));
	for (uint32_t i = 0; i < n; i++)
		refs[i] = 1000 + i;
	proto_drv_encode_grants(s->domid, refs, n, body);
	/* In two parts, as a driver whose socket was full sends it. */
	size_t len = proto_drv_grants_size(n);
	send(sock, body, len / 2, MSG_NOSIGNAL);
	usleep(20000);
	send(sock, body + len / 2, len - len / 2, MSG_NOSIGNAL);
	free(refs);
	free(body);
}

static void *serve(void *arg)
{
	struct fake *f = arg;
	int c = accept(f->listen_fd, NULL, NULL);
	if (c < 0)
		return NULL;
	for (unsigned i = 0; i < f->nsteps; i++) {
		uint8_t req[PROTO_DRV_REQUEST_SIZE];
		if (recv(c, req, sizeof(req), MSG_WAITALL) != (ssize_t)sizeof(req))
			break;
		if (f->steps[i].silent) {
			/* Until the client hangs up. */
			while (recv(c, req, sizeof(req), 0) > 0)
				;
			break;
		}
		send_reply(c, &f->steps[i]);
	}
	close(c);
	return NULL;
}

static void fake_start(struct fake *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/seam-capture-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/drv", f->dir);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, f->path);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(f->listen_fd, 0);
	ck_assert_int_eq(bind(f->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(f->listen_fd, 1), 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, serve, f), 0);
}

static void fake_stop(struct fake *f)
{
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	unlink(f->path);
	rmdir(f->dir);
}

static const struct step not_mine = {{.status = PROTO_DRV_NOT_MINE}, 0, false};

static struct step ok_step(unsigned nfds)
{
	return (struct step){
	    {PROTO_DRV_OK, 64, 32, 256, PROTO_SEAM_FORMAT_XRGB8888, 7}, nfds, false};
}

static unsigned open_fds(void)
{
	unsigned n = 0;
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Open against a driver that answers the probe, then ask about window 0x400001. */
static int ask(struct fake *f, struct step second, struct capture_buf *b, struct capture **c)
{
	f->steps[0] = not_mine;
	f->steps[1] = second;
	f->nsteps = 2;
	fake_start(f);
	char why[256];
	ck_assert_int_eq(capture_open(f->path, NULL, 0x2a5, c, why, sizeof(why)), 0);
	return capture_window(*c, 0x400001, b, why, sizeof(why));
}

START_TEST(test_capture_takes_a_memfd)
{
	struct fake f;
	struct capture *c;
	struct capture_buf b;
	ck_assert_int_eq(ask(&f, ok_step(1), &b, &c), 0);
	ck_assert_int_ge(b.fd, 0);
	ck_assert_ptr_null(b.refs);
	ck_assert_uint_eq(b.r.width, 64);
	ck_assert_uint_eq(b.r.height, 32);
	ck_assert_uint_eq(b.r.serial, 7);
	ck_assert_int_ne(fcntl(b.fd, F_GETFD) & FD_CLOEXEC, 0);
	capture_buf_clear(&b);
	ck_assert_int_eq(b.fd, -1);
	capture_close(c);
	fake_stop(&f);
}
END_TEST

START_TEST(test_capture_not_mine)
{
	struct fake f;
	struct capture *c;
	struct capture_buf b;
	ck_assert_int_eq(ask(&f, not_mine, &b, &c), -ENOENT);
	ck_assert_int_eq(b.fd, -1);
	capture_close(c);
	fake_stop(&f);
}
END_TEST

/* An OK without its memfd, or with two: refused, nothing leaks, and the socket is given up. */
START_TEST(test_capture_refuses_bad_fds)
{
	for (unsigned nfds = 0; nfds <= 2; nfds += 2) {
		unsigned before = open_fds();
		struct fake f;
		struct capture *c;
		struct capture_buf b;
		ck_assert_int_eq(ask(&f, ok_step(nfds), &b, &c), -EINVAL);
		ck_assert_int_eq(b.fd, -1);
		char why[128];
		ck_assert_int_eq(capture_window(c, 0x400001, &b, why, sizeof(why)), -ENOTCONN);
		capture_close(c);
		fake_stop(&f);
		ck_assert_uint_eq(open_fds(), before);
	}
}
END_TEST

START_TEST(test_capture_bad_request_reply)
{
	struct fake f;
	struct capture *c;
	struct capture_buf b;
	struct step bad = {{.status = PROTO_DRV_BAD_REQUEST}, 0, false};
	ck_assert_int_eq(ask(&f, bad, &b, &c), -EPROTO);
	capture_close(c);
	fake_stop(&f);
}
END_TEST

START_TEST(test_capture_silent_driver)
{
	struct fake f;
	struct capture *c;
	struct capture_buf b;
	struct step silent = {.silent = true};
	ck_assert_int_eq(ask(&f, silent, &b, &c), -ETIMEDOUT);
	capture_close(c); /* the fake sees the hang-up and ends */
	fake_stop(&f);
}
END_TEST

/* An OK_GRANTS reply: the refs arrive whole even in two parts, with the domain they are granted
 * to; a count that does not fit the size is refused and the socket given up. */
START_TEST(test_capture_takes_grants)
{
	struct fake f;
	struct capture *c;
	struct capture_buf b;
	struct step g = ok_step(0);
	g.reply.status = PROTO_DRV_OK_GRANTS;
	g.domid = 0;
	ck_assert_int_eq(ask(&f, g, &b, &c), 0);
	ck_assert_int_eq(b.fd, -1);
	ck_assert_uint_eq(b.r.status, PROTO_DRV_OK_GRANTS);
	ck_assert_uint_eq(b.domid, 0);
	ck_assert_uint_eq(b.nrefs, 2); /* 64 x 32 x 4 = 8192 bytes */
	ck_assert_uint_eq(b.refs[0], 1000);
	ck_assert_uint_eq(b.refs[1], 1001);
	capture_buf_clear(&b);
	ck_assert_ptr_null(b.refs);
	capture_close(c);
	fake_stop(&f);

	g.nrefs = 3;
	ck_assert_int_eq(ask(&f, g, &b, &c), -EINVAL);
	ck_assert_ptr_null(b.refs);
	char why[128];
	ck_assert_int_eq(capture_window(c, 0x400001, &b, why, sizeof(why)), -ENOTCONN);
	capture_close(c);
	fake_stop(&f);
}
END_TEST

START_TEST(test_capture_no_driver)
{
	struct capture *c;
	char why[256];
	ck_assert_int_eq(capture_open("/nonexistent/seam-drv-9", NULL, 1, &c, why, sizeof(why)),
			 -ENOENT);
	ck_assert_ptr_null(c);
	ck_assert_ptr_nonnull(strstr(why, "/nonexistent/seam-drv-9"));
	/* No path and no runtime directory: no default either. */
	unsetenv("XDG_RUNTIME_DIR");
	ck_assert_int_eq(capture_open(NULL, ":7", 1, &c, why, sizeof(why)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(why, "XDG_RUNTIME_DIR"));
}
END_TEST

/* The agent sends the driver's memfd only if the daemon would take it. */
START_TEST(test_adopt_checks_like_the_daemon)
{
	struct shmbuf *b;
	char why[192];
	ck_assert_int_eq(
	    shmbuf_adopt_memfd(sealed_memfd(64 * 4 * 32), 64, 32, 256, &b, why, sizeof(why)), 0);
	ck_assert_int_eq(shmbuf_fd(b) >= 0, 1);
	ck_assert_ptr_null(shmbuf_data(b));
	shmbuf_release(b);
	ck_assert_int_eq(
	    shmbuf_adopt_memfd(sealed_memfd(64 * 4 * 32), 64, 32, 260, &b, why, sizeof(why)),
	    -EINVAL); /* padded stride */
	ck_assert_int_eq(shmbuf_adopt_memfd(sealed_memfd(100), 64, 32, 256, &b, why, sizeof(why)),
			 -EINVAL); /* too small */
	int fd = memfd_create("unsealed", MFD_CLOEXEC);
	ck_assert_int_eq(ftruncate(fd, 64 * 4 * 32), 0);
	ck_assert_int_eq(shmbuf_adopt_memfd(fd, 64, 32, 256, &b, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "seals"));
}
END_TEST

/* The driver's grant refs are sent only in the count the daemon takes for the size; the pages
 * are not the agent's to map or unshare. */
START_TEST(test_adopt_grants_checks_like_the_daemon)
{
	struct shmbuf *b;
	char why[192];
	uint32_t refs[3] = {8, 9, 10};
	ck_assert_int_eq(shmbuf_adopt_grants(refs, 2, 64, 32, &b, why, sizeof(why)), 0);
	struct shmbuf_export ex;
	shmbuf_export(b, &ex);
	ck_assert_int_eq(ex.kind, SHMBUF_GRANT);
	ck_assert_uint_eq(ex.nrefs, 2);
	ck_assert_uint_eq(ex.refs[1], 9);
	ck_assert_ptr_null(shmbuf_data(b));
	shmbuf_release(b); /* nothing to unshare: the driver owns them */
	ck_assert_int_eq(shmbuf_adopt_grants(refs, 3, 64, 32, &b, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "needs exactly 2"));
	ck_assert_int_eq(shmbuf_adopt_grants(refs, 1, 64, 32, &b, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(shmbuf_adopt_grants(refs, 0, 0, 32, &b, why, sizeof(why)), -EINVAL);
}
END_TEST

Suite *suite_capture(void)
{
	Suite *s = suite_create("capture");
	TCase *t = tcase_create("client");
	tcase_set_timeout(t, 10);
	tcase_add_test(t, test_capture_takes_a_memfd);
	tcase_add_test(t, test_capture_not_mine);
	tcase_add_test(t, test_capture_refuses_bad_fds);
	tcase_add_test(t, test_capture_bad_request_reply);
	tcase_add_test(t, test_capture_silent_driver);
	tcase_add_test(t, test_capture_takes_grants);
	tcase_add_test(t, test_capture_no_driver);
	tcase_add_test(t, test_adopt_checks_like_the_daemon);
	tcase_add_test(t, test_adopt_grants_checks_like_the_daemon);
	suite_add_tcase(s, t);
	return s;
}
