/* The messages between seam-run's processes: a joining seam-run and the domain's owner (over the
 * domain's join socket), and the owner and the init inside the sandbox (over a socketpair bwrap
 * passes in). Unix SOCK_SEQPACKET: one message per packet, file descriptors beside it.
 *
 * Everything the owner receives from the init comes from inside the sandbox and is untrusted: each
 * message is checked here (size, fds, strings) before the caller sees it. */
#ifndef SEAM_SANDBOX_MSG_H
#define SEAM_SANDBOX_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/frame.h"

/* The header: {type, id, value, len}, 32-bit words in host order. */
#define MSG_HDR_SIZE 16u
/* Largest payload: a command line with its working directory. Fits a default socket buffer. */
#define MSG_MAX_PAYLOAD (64 * 1024)
/* A SPAWN carries exactly stdin, stdout and stderr; nothing else carries descriptors. */
#define MSG_SPAWN_FDS 3
/* Arguments of one command (cwd and argv[0] included). */
#define MSG_MAX_ARGS 4096

enum msg_type {
	MSG_SPAWN = 1, /* run a command: payload "cwd\0argv0\0argv1\0..."; value = argc; 3 fds */
	MSG_STARTED,   /* the command id runs; value = its pid inside */
	MSG_FAILED,    /* the command id could not start; value = errno (ENOENT: not found) */
	MSG_EXITED,    /* the command id ended; value = exit status (128 + signal if killed) */
	MSG_SIGNAL,    /* send signal value to the command id */
	MSG_WINDOWS,   /* value = mapped top-level windows of the guest X server now */
	MSG_READY,     /* the guest X server and the agent run: commands may start */
	MSG_STOP,      /* end the domain: every process in it */
	MSG_UP,	       /* the init runs: bwrap has set the sandbox up (pasta may configure it) */
	MSG_LIST, /* --list asks the owner; the answer's payload: its commands, space-separated */
	MSG_TYPE_MAX = MSG_LIST,
};

struct msg {
	uint32_t type;
	uint32_t id; /* the command, numbered by the owner; 0 where none applies */
	int32_t value;
	uint32_t len; /* payload bytes */
	int fds[MSG_SPAWN_FDS];
	int nfds;
	char payload[MSG_MAX_PAYLOAD];
};

/* seam-run's table for the framing kit (protocol/frame.h): the payload each type may carry
 * (SPAWN and LIST a bounded one, the others none) and the fds beside it (SPAWN's three). Either
 * end may send any type: the kit's sender is 0. */
extern const struct frame_proto msg_frames;

/* Sends one message; fds (exactly the type's: MSG_SPAWN_FDS for a SPAWN, else none) are
 * duplicated into the receiver, the caller keeps its own. Returns 0, -EINVAL for a message the
 * table refuses (its payload or fds), or -errno. */
int msg_send(int sock, uint32_t type, uint32_t id, int32_t value, const void *payload, size_t len,
	     const int *fds, int nfds);

/* Receives one message into m (the packet lands in m itself: no other buffer), checked: a known
 * type, the payload within its bounds, exactly the descriptors its type carries (received
 * close-on-exec; the caller owns them). Returns 0 for a message, -EPIPE at end of stream, -EAGAIN
 * if none waits, -EPROTO for a malformed one (its descriptors already closed; why, if not NULL,
 * says which field), or -errno. */
int msg_recv(int sock, struct msg *m, char *why, size_t why_len);

/* Splits a SPAWN payload into cwd and a NULL-terminated argv (pointers into m->payload, at most
 * MSG_MAX_ARGS - 1 arguments; argv must have room for that many plus the NULL). Checks that there
 * are exactly m->value NUL-terminated strings, argv[0] not empty. Returns 0 or -EPROTO. */
int msg_spawn_parse(struct msg *m, const char **cwd, char **argv);

/* Builds a SPAWN payload from cwd and argv into buf. Returns its length, or -E2BIG. */
long msg_spawn_build(char *buf, size_t cap, const char *cwd, int argc, char *const *argv);

void msg_close_fds(struct msg *m);

#endif
