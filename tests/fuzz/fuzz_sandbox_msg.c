/* libFuzzer target: seam-run's message parser (sandbox/msg.h) on real SOCK_SEQPACKET packets, as
 * the owner receives them from the init inside the sandbox.
 *
 * Input: one flags byte, then one packet.
 *   bits 0-2: descriptors sent beside the packet (0-7; a SPAWN takes exactly 3)
 * Invariants checked: an accepted message is the packet (type, id, value, payload) with exactly
 * its type's descriptors, and sends and receives again unchanged; a refused one says why and
 * leaves no descriptor open; a SPAWN payload that parses builds back to the same bytes; no
 * descriptor leaks across inputs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox/msg.h"
#include "tests/fuzz/fds.h"

static int pair[2] = {-1, -1};
static int devnull = -1;
static struct msg m, m2;
static char *argv[MSG_MAX_ARGS];
static char rebuilt[MSG_MAX_PAYLOAD];

static void setup(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair))
		abort();
	/* Room for the largest packet the parser must see refused as truncated. */
	int sz = 4 << 20;
	setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(pair[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		abort();
}

static void check_spawn(const struct msg *got)
{
	const char *cwd = NULL;
	if (msg_spawn_parse((struct msg *)got, &cwd, argv))
		return;
	int argc = got->value - 1;
	if (argc < 1 || argv[argc] != NULL || !argv[0][0] || cwd != got->payload)
		abort();
	/* parse, then build: the same payload */
	long n = msg_spawn_build(rebuilt, sizeof(rebuilt), cwd, argc, argv);
	if (n != (long)got->len || memcmp(rebuilt, got->payload, got->len) != 0)
		abort();
}

static void check_accepted(const uint8_t *data, size_t size)
{
	uint32_t w[4];
	memcpy(w, data, sizeof(w));
	if (m.type != w[0] || m.id != w[1] || m.value != (int32_t)w[2] || m.len != w[3] ||
	    m.len != size - MSG_HDR_SIZE || memcmp(m.payload, data + MSG_HDR_SIZE, m.len) != 0 ||
	    (unsigned)m.nfds != frame_fds(&msg_frames, m.type))
		abort();
	if (m.type == MSG_SPAWN)
		check_spawn(&m);
	/* receive, then send: the same message */
	if (msg_send(pair[0], m.type, m.id, m.value, m.payload, m.len, m.fds, m.nfds) ||
	    msg_recv(pair[1], &m2, NULL, 0) != 0)
		abort();
	if (m2.type != m.type || m2.id != m.id || m2.value != m.value || m2.len != m.len ||
	    m2.nfds != m.nfds || memcmp(m2.payload, m.payload, m.len) != 0)
		abort();
	msg_close_fds(&m2);
	msg_close_fds(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (pair[0] < 0)
		setup();
	if (size < 1)
		return 0;
	/* The descriptor the next open() gets: the same at the end unless one leaked (measured per
	 * input, as libFuzzer opens and closes its own between inputs). */
	const int lowest_free = fds_lowest_free();
	unsigned nfds = data[0] & 7;
	data++, size--;
	if (fds_send(pair[0], data, size, devnull, nfds) != (ssize_t)size)
		return 0; /* larger than the socket takes: nothing to parse */
	char why[FRAME_ERROR_TEXT];
	why[0] = '\0';
	int rc = msg_recv(pair[1], &m, why, sizeof(why));
	if (rc == 0)
		check_accepted(data, size);
	else if (rc == -EPROTO) {
		if (!why[0] || !memchr(why, '\0', sizeof(why)) || m.nfds != 0)
			abort();
	} else if (!(rc == -EPIPE && size == 0 && nfds == 0)) {
		abort(); /* only an empty packet looks like the end of the stream */
	}
	if (fds_lowest_free() != lowest_free)
		abort(); /* a descriptor leaked */
	return 0;
}
