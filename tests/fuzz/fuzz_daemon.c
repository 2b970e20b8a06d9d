/* libFuzzer target: the daemon's message handler itself (windows, frames, buffers, cursors, the
 * clipboard) against a real host X server, not only the decoder. The host is $DISPLAY, or an Xvfb
 * this process starts. The daemon is libseam-daemon's, made with daemon_create(); a fake agent
 * connects to its socket and does the real handshake, then each input is a stream of agent
 * messages given to conn_handle(); each SEAM_WINDOW_DUMP_FD gets a real memfd whose size and seals
 * come from one byte of the input. Between messages the daemon runs its loop (X events, replies).
 * Invariants: the window count never passes its limit, and when the agent leaves after each input
 * no window and no shared memory of it remain. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "tests/daemon/harness.h"

#define MAX_WINDOWS 64u

static struct harness h;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!getenv("DISPLAY") && harness_xvfb_start() < 0)
		exit(1);
	log_init("fuzz-daemon", "fuzz", LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	static const char *const extra[] = {"--max-windows", "64", "--max-shm", "64", NULL};
	if (harness_start(&h, "fuzz", extra))
		exit(1);
	return 0;
}

/* A memfd for a dump: byte b picks a fitting, short, or unsealed one. */
static int make_fd(uint8_t b, const uint8_t *body)
{
	uint32_t w, hgt;
	memcpy(&w, body, 4);
	memcpy(&hgt, body + 4, 4);
	uint64_t size = (uint64_t)w * hgt * 4u;
	if (size > (4u << 20))
		size = 4096; /* the daemon must refuse it as too small */
	if (b & 1)
		size /= 2;
	int fd = memfd_create("fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, (off_t)size))
		abort();
	if (!(b & 2))
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	return fd;
}

/* Run the daemon's loop once and throw away what it sent the agent. */
static void turn(void)
{
	if (daemon_turn(h.d, -1, 0) < 0)
		abort(); /* the X connection is gone */
	char buf[65536];
	while (h.agent >= 0 && recv(h.agent, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session *s = daemon_session(h.d);
	if (harness_connect(&h))
		abort();
	/* At most 64 messages an input: enough to build and tear down windows, bounded in time. */
	for (int n = 0;
	     n < 64 && size >= PROTO_HDR_SIZE + 1 && session_running(s) && session_connected(s);
	     n++) {
		uint8_t fdbyte = data[0];
		struct proto_hdr hdr;
		proto_hdr_decode(data + 1, &hdr);
		data += PROTO_HDR_SIZE + 1, size -= PROTO_HDR_SIZE + 1;
		uint32_t body_len;
		unsigned nfds;
		if (session_frame(s, &hdr, &body_len, &nfds) || body_len > size)
			break;
		int fds[1];
		nfds = 0;
		if (hdr.type == PROTO_MSG_SEAM_WINDOW_DUMP_FD && body_len >= 8)
			fds[nfds++] = make_fd(fdbyte, data);
		conn_handle(daemon_conn(h.d), &hdr, data, fds, nfds);
		if (window_count(daemon_windows(h.d)) > MAX_WINDOWS)
			abort();
		data += body_len, size -= body_len;
		turn();
	}
	/* The guest leaves: nothing of it may remain. */
	if (harness_disconnect(&h))
		abort();
	struct paint *p = daemon_paint(h.d);
	if (window_count(daemon_windows(h.d)) != 0 || paint_shm_bytes(p) != 0 ||
	    paint_shm_buffers(p) != 0)
		abort();
	return 0;
}
