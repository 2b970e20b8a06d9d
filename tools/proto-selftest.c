/* seam-proto-selftest: an agent and a daemon (two processes on a socketpair) run the real handshake,
 * exchange the Seam hello and a window's messages, then the agent turns hostile; the daemon prints
 * what it accepts, drops and refuses. With --bench it measures the cost of encode + check + decode. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/mono.h"
#include "protocol/proto.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static int send_msg(int fd, const struct proto_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + 512];
	size_t n = proto_encode(m, buf, sizeof(buf));
	return n ? write_all(fd, buf, n) : -1;
}

/* The guest side: well-behaved first, then hostile. */
static int agent(int fd)
{
	uint32_t version = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf xconf;
	struct proto_error err;
	if (write_all(fd, &version, 4) || read_all(fd, &answer, 4) || read_all(fd, &xconf, 16))
		return 1;
	if (proto_negotiate_agent(answer, &err) || proto_validate_xconf(&xconf, &err)) {
		fprintf(stderr, "agent: %s\n", err.text);
		return 1;
	}
	uint8_t hdr_buf[PROTO_HDR_SIZE];
	struct proto_hdr hdr;
	struct proto_seam_hello hello;
	if (read_all(fd, hdr_buf, sizeof(hdr_buf)))
		return 1;
	proto_hdr_decode(hdr_buf, &hdr);
	if (hdr.type != PROTO_MSG_SEAM_HELLO || hdr.untrusted_len != sizeof(hello) ||
	    read_all(fd, &hello, sizeof(hello)))
		return 1;
	uint32_t features;
	if (proto_seam_accept_hello(&hello, PROTO_SEAM_FEATURE_MEMFD, &features, &err))
		return 1;

	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION, features};
	int rc = send_msg(fd, &m);
	memset(&m, 0, sizeof(m));
	m.type = PROTO_MSG_CREATE, m.window = 0x400001;
	m.u.create = (struct proto_create){40, 30, 320, 200, 0, 0};
	rc |= send_msg(fd, &m);
	m.type = PROTO_MSG_WMNAME;
	snprintf(m.u.wmname.data, sizeof(m.u.wmname.data), "xlogo");
	rc |= send_msg(fd, &m);
	m.type = PROTO_MSG_MAP;
	m.u.map = (struct proto_map_info){0, 0};
	rc |= send_msg(fd, &m);
	m.type = PROTO_MSG_SHMIMAGE;
	m.u.shmimage = (struct proto_shmimage){0, 0, 320, 200};
	rc |= send_msg(fd, &m);

	/* Hostile from here: a zero-sized window, an unterminated title, an unknown message type. */
	m.type = PROTO_MSG_CREATE, m.window = 0x400002;
	m.u.create = (struct proto_create){0, 0, 0, 100, 0, 0};
	rc |= send_msg(fd, &m);
	m.type = PROTO_MSG_WMNAME, m.window = 0x400001;
	memset(m.u.wmname.data, 'A', sizeof(m.u.wmname.data));
	rc |= send_msg(fd, &m);
	uint32_t bogus[3] = {0xdeadbeef, 0x400001, 4};
	rc |= write_all(fd, bogus, sizeof(bogus));
	return rc ? 1 : 0;
}

/* The host side: validates everything and reports. Returns 0 if it saw exactly what it expected. */
static int daemon_side(int fd)
{
	uint32_t agent_version, negotiated;
	struct proto_error err;
	if (read_all(fd, &agent_version, 4))
		return 1;
	if (proto_negotiate_daemon(agent_version, &negotiated, &err)) {
		printf("daemon: refused: %s\n", err.text);
		return 1;
	}
	struct proto_xconf xconf;
	proto_xconf_make(1920, 1080, 24, &xconf);
	struct proto_peer peer = {.version = negotiated};
	struct proto_msg hello = {.type = PROTO_MSG_SEAM_HELLO};
	hello.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, PROTO_SEAM_VERSION,
						  PROTO_SEAM_FEATURE_MEMFD};
	if (write_all(fd, &negotiated, 4) || write_all(fd, &xconf, sizeof(xconf)) ||
	    send_msg(fd, &hello))
		return 1;
	peer.seam_hello_sent = true;
	printf("daemon: agent speaks %u.%u, negotiated %u.%u, sent xconf %ux%u and the Seam hello\n",
	       PROTO_VERSION_MAJOR(agent_version), PROTO_VERSION_MINOR(agent_version),
	       PROTO_VERSION_MAJOR(negotiated), PROTO_VERSION_MINOR(negotiated), xconf.w, xconf.h);

	unsigned accepted = 0, dropped = 0, fatal = 0;
	uint8_t *body = malloc(PROTO_MAX_BODY_LEN);
	if (!body)
		return 1;
	for (;;) {
		uint8_t hb[PROTO_HDR_SIZE];
		struct proto_hdr hdr;
		struct proto_msg m;
		uint32_t len;
		if (read_all(fd, hb, sizeof(hb)))
			break;
		proto_hdr_decode(hb, &hdr);
		enum proto_verdict v = proto_check_header(&peer, PROTO_FROM_AGENT, &hdr, &len, &err);
		if (v != PROTO_FATAL && read_all(fd, body, len))
			break;
		if (v == PROTO_OK)
			v = proto_decode(&peer, PROTO_FROM_AGENT, &hdr, body, len, 0, &m, &err);
		if (v == PROTO_FATAL) {
			printf("daemon: closing the connection: %s\n", err.text);
			fatal++;
			break;
		}
		if (v != PROTO_OK) {
			printf("daemon: dropped: %s\n", err.text);
			dropped++;
			continue;
		}
		accepted++;
		if (m.type == PROTO_MSG_SEAM_HELLO) {
			peer.seam = true;
			peer.seam_features = m.u.hello.features & PROTO_SEAM_FEATURE_MEMFD;
			printf("daemon: agent is Seam, features 0x%x\n", peer.seam_features);
		} else if (m.type == PROTO_MSG_CREATE) {
			printf("daemon: CREATE 0x%x %ux%u+%d+%d\n", m.window, m.u.create.width,
			       m.u.create.height, m.u.create.x, m.u.create.y);
		} else if (m.type == PROTO_MSG_WMNAME) {
			printf("daemon: WMNAME 0x%x \"%s\"\n", m.window, m.u.wmname.data);
		} else {
			printf("daemon: %s 0x%x\n", proto_type_name(m.type), m.window);
		}
	}
	free(body);
	printf("daemon: %u accepted, %u dropped, %u refused\n", accepted, dropped, fatal);
	return accepted == 5 && dropped == 2 && fatal == 1 ? 0 : 1;
}

static int bench(void)
{
	enum { ROUNDS = 2000000 };
	struct proto_peer peer = {.version = PROTO_VERSION_CURRENT};
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = 0x400001}, out;
	struct proto_error err;
	uint8_t buf[64];
	unsigned ok = 0;
	double t0 = (mono_ns() / 1e9);
	for (unsigned i = 0; i < ROUNDS; i++) {
		m.u.shmimage = (struct proto_shmimage){(int32_t)(i & 1023), 0, 64, 64};
		size_t n = proto_encode(&m, buf, sizeof(buf));
		struct proto_hdr hdr;
		uint32_t len;
		proto_hdr_decode(buf, &hdr);
		if (proto_check_header(&peer, PROTO_FROM_AGENT, &hdr, &len, &err) == PROTO_OK &&
		    proto_decode(&peer, PROTO_FROM_AGENT, &hdr, buf + PROTO_HDR_SIZE,
				 (uint32_t)(n - PROTO_HDR_SIZE), 0, &out, &err) == PROTO_OK)
			ok++;
	}
	double dt = (mono_ns() / 1e9) - t0;
	printf("protocol: encode + check + decode of a SHMIMAGE: %.1f ns per message (%u messages)\n",
	       dt * 1e9 / ROUNDS, ok);
	return ok == ROUNDS ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--bench") == 0)
		return bench();
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--bench]\n", argv[0]);
		return 2;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		perror("socketpair");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		close(sv[0]);
		_exit(agent(sv[1]));
	}
	close(sv[1]);
	int rc = daemon_side(sv[0]);
	close(sv[0]);
	int status;
	waitpid(pid, &status, 0);
	printf("seam-proto-selftest: %s\n", rc == 0 ? "PASS" : "FAIL");
	return rc;
}
