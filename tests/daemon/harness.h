/* Shared by the daemon's unit tests and tests/fuzz/fuzz_daemon.c: a private Xvfb, a daemon made
 * through libseam-daemon's public interface, and a fake agent on the daemon's real socket. */
#ifndef SEAM_TEST_DAEMON_HARNESS_H
#define SEAM_TEST_DAEMON_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gui-daemon/daemon.h"

/* The private X server's screen. */
#define HARNESS_SCREEN_W 1024u
#define HARNESS_SCREEN_H 768u

/* Start an Xvfb that picks a free display itself (-displayfd) and dies with this process; set
 * DISPLAY to it. Its pid, or -1 after a line on stderr. */
pid_t harness_xvfb_start(void);
void harness_xvfb_stop(pid_t pid);

#define HARNESS_ARGS 24

struct harness {
	char dir[64]; /* private: the socket, the runtime directory ("run"), files of the test */
	char args[HARNESS_ARGS][160];
	char *argv[HARNESS_ARGS + 1];
	struct options opts;
	xcb_connection_t *x; /* the daemon's host connection */
	struct daemon *d;
	int agent;		/* the fake agent's socket, or -1 */
	struct proto_peer peer; /* the agent's view, to decode what the daemon sends */
	uint8_t *buf;		/* the last message read by harness_recv() */
};

/* Parse options for guest name ("--label purple", the channel and runtime directory in a fresh
 * directory, "--config /dev/null", then extra: NULL-terminated, may be NULL) and create a daemon
 * on $DISPLAY. 0, or -1 after a line on stderr. */
int harness_start(struct harness *h, const char *name, const char *const *extra);
/* Connect the fake agent, answer the handshake and agree Seam with memfd buffers. 0 or -1. */
int harness_connect(struct harness *h);
/* Hand the daemon one message from the agent through conn_handle() (fds pass to it). */
void harness_send(struct harness *h, const struct proto_msg *m, int *fds, unsigned nfds);
/* Run the daemon's turns and take the next message it sent to the agent: 1 with *m (its data in
 * h->buf), 0 if none came within timeout_ms, -1 if the connection broke. */
int harness_recv(struct harness *h, struct proto_msg *m, int timeout_ms);
/* The next message of this type (and window, if window is not 0) the daemon sent, skipping
 * others: 1 with *m, 0 if none came within timeout_ms, -1 if the connection broke. */
int harness_expect(struct harness *h, uint32_t type, uint32_t window, struct proto_msg *m,
		   int timeout_ms);

/* Run the daemon's loop for ms milliseconds, as its program does (waiting in poll). */
void harness_run_for(struct harness *h, int ms);

/* The agent's common messages, through harness_send(). */
void harness_create(struct harness *h, uint32_t id, int32_t x, int32_t y, uint32_t width,
		    uint32_t height, bool override_redirect);
/* MAP with the window's current override_redirect, as an agent sends it. */
void harness_map(struct harness *h, uint32_t id);
/* MAP as an agent sends it for an override-redirect window (a popup). */
void harness_map_override_redirect(struct harness *h, uint32_t id);
void harness_configure(struct harness *h, uint32_t id, int32_t x, int32_t y, uint32_t width,
		       uint32_t height);
void harness_destroy(struct harness *h, uint32_t id);

/* Close the agent's socket and run the daemon until it has let the agent go. 0 or -1. */
int harness_disconnect(struct harness *h);
/* Remove a directory and everything in it. 0 or -1. */
int harness_rmtree(const char *dir);
/* Destroy the daemon, disconnect from X, remove the directory. */
void harness_stop(struct harness *h);

#endif
