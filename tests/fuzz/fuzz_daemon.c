/* libFuzzer target: the daemon's message handler itself (windows, frames, buffers, cursors, the
 * clipboard) against a real host X server, not only the decoder. The host is $DISPLAY, or an Xvfb
 * this process starts. The input: a stream of agent messages; each SEAM_WINDOW_DUMP_FD gets a real
 * memfd whose size and seals come from one byte of the input.
 * Invariants after each input: the daemon's window count never passes its limit, and tearing the
 * guest down leaves no window and no shared memory behind. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

#define MAX_WINDOWS 64u

static struct daemon d;
static int peer_fd = -1; /* the agent's end of the channel: drained and discarded */

static void start_xvfb(void)
{
	static char display[16];
	for (int n = 140; n < 160; n++) {
		char lock[32];
		snprintf(lock, sizeof(lock), "/tmp/.X%d-lock", n);
		if (access(lock, F_OK) == 0)
			continue;
		snprintf(display, sizeof(display), ":%d", n);
		if (fork() == 0) {
			/* It goes when the fuzzer goes, and keeps none of its output channels. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			int null = open("/dev/null", O_RDWR);
			dup2(null, 0), dup2(null, 1), dup2(null, 2);
			execlp("Xvfb", "Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten",
			       "tcp", (char *)NULL);
			_exit(127);
		}
		for (int i = 0; i < 100; i++) {
			char sock[32];
			snprintf(sock, sizeof(sock), "/tmp/.X11-unix/X%d", n);
			if (access(sock, F_OK) == 0) {
				setenv("DISPLAY", display, 1);
				usleep(100000);
				return;
			}
			usleep(50000);
		}
	}
	fprintf(stderr, "fuzz-daemon: cannot start Xvfb\n");
	exit(1);
}

static void new_channel(void)
{
	int sv[2];
	if (d.chan)
		chan_close(d.chan);
	if (peer_fd >= 0)
		close(peer_fd);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    chan_open_fd(sv[0], CHAN_HOST, NULL, &d.chan))
		abort();
	peer_fd = sv[1];
	chan_dispatch(d.chan, 0); /* takes the CONNECTED event */
	d.state = CONN_RUNNING;
	d.peer = (struct proto_peer){.version = PROTO_VERSION_CURRENT, .seam_hello_sent = true,
				     .seam = true, .seam_features = PROTO_SEAM_FEATURE_MEMFD};
	d.memfd_offered = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!getenv("DISPLAY"))
		start_xvfb();
	log_init("fuzz-daemon", "fuzz", LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	d.opts.name = "fuzz";
	domain_label_parse("purple", &d.opts.label);
	d.opts.channel = "unix:/nonexistent/fuzz.sock";
	d.opts.max_windows = MAX_WINDOWS;
	d.opts.max_shm_bytes = 64u << 20;
	d.opts.clipboard_limit = DAEMON_DEFAULT_CLIPBOARD_LIMIT;
	snprintf(d.opts.clipboard_dir, sizeof(d.opts.clipboard_dir), "/tmp/seam-fuzz-%d", getpid());
	daemon_clipboard_parse_keys("Ctrl-Shift-c", &d.opts.copy_keys);
	daemon_clipboard_parse_keys("Ctrl-Shift-v", &d.opts.paste_keys);
	if (daemon_connect_x(&d))
		exit(1);
	struct shmbuf_limits lim = {d.opts.max_shm_bytes, 256};
	if (shmbuf_pool_create(&lim, 0, &d.pool))
		abort();
	daemon_clipboard_init(&d);
	new_channel();
	return 0;
}

/* A memfd for a dump: byte b picks a fitting, short, or unsealed one. */
static int make_fd(uint8_t b, const uint8_t *body)
{
	uint32_t w, h;
	memcpy(&w, body, 4);
	memcpy(&h, body + 4, 4);
	uint64_t size = (uint64_t)w * h * 4u;
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

static void drain(void)
{
	char buf[65536];
	while (recv(peer_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(d.x)))
		free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* At most 64 messages an input: enough to build and tear down windows, bounded in time. */
	for (int n = 0; n < 64 && size >= PROTO_HDR_SIZE + 1 && chan_state(d.chan) == CHAN_CONNECTED;
	     n++) {
		uint8_t fdbyte = data[0];
		struct proto_hdr hdr;
		memcpy(&hdr, data + 1, sizeof(hdr));
		data += PROTO_HDR_SIZE + 1, size -= PROTO_HDR_SIZE + 1;
		uint32_t body_len;
		if (proto_check_header(&d.peer, PROTO_FROM_AGENT, &hdr, &body_len, NULL) ==
			    PROTO_FATAL ||
		    body_len > size)
			break;
		int fds[1];
		unsigned nfds = 0;
		if (hdr.type == PROTO_MSG_SEAM_WINDOW_DUMP_FD && body_len >= 8)
			fds[nfds++] = make_fd(fdbyte, data);
		daemon_conn_handle(&d, &hdr, data, fds, nfds);
		if (d.nwindows > MAX_WINDOWS)
			abort();
		data += body_len, size -= body_len;
		xcb_flush(d.x);
		drain();
	}
	/* The guest leaves: nothing of it may remain. */
	daemon_window_destroy_all(&d);
	if (d.nwindows != 0 || shmbuf_pool_bytes(d.pool) != 0 || shmbuf_pool_count(d.pool) != 0)
		abort();
	free(xcb_get_input_focus_reply(d.x, xcb_get_input_focus(d.x), NULL)); /* round trip */
	drain();
	if (d.state != CONN_RUNNING || chan_state(d.chan) != CHAN_CONNECTED)
		new_channel();
	return 0;
}
