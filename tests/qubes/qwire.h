/* The Qubes GUI protocol as Qubes' own peers speak it, for the test peers in tests/qubes/. Written
 * from docs/protocol.md and the documented behaviour of qubes-guid and qubes-gui-agent, on purpose
 * without Seam's protocol/ library: these peers must not share Seam's assumptions. Raw structs in
 * host byte order, blocking I/O with a deadline; any failure ends the peer (as Qubes' do). */
#ifndef SEAM_TEST_QWIRE_H
#define SEAM_TEST_QWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	Q_KEYPRESS = 124,
	Q_BUTTON,
	Q_MOTION,
	Q_CROSSING,
	Q_FOCUS,
	Q_RESIZE,
	Q_CREATE,
	Q_DESTROY,
	Q_MAP,
	Q_UNMAP,
	Q_CONFIGURE,
	Q_MFNDUMP,
	Q_SHMIMAGE,
	Q_CLOSE,
	Q_EXECUTE,
	Q_CLIPBOARD_REQ,
	Q_CLIPBOARD_DATA,
	Q_WMNAME,
	Q_KEYMAP_NOTIFY,
	Q_DOCK,
	Q_WINDOW_HINTS,
	Q_WINDOW_FLAGS,
	Q_WMCLASS,
	Q_WINDOW_DUMP,
	Q_CURSOR,
	Q_WINDOW_DUMP_ACK,
	Q_MAX
};

#define Q_VERSION(major, minor) ((uint32_t)(major) << 16 | (uint32_t)(minor))
#define Q_FLAG_FULLSCREEN 1u
#define Q_FLAG_DEMANDS_ATTENTION 2u
#define Q_FLAG_MINIMIZE 4u
#define Q_CLIPBOARD_MAX_17 65000u
#define Q_CLIPBOARD_MAX_18 256001u

struct q_hdr {
	uint32_t type, window, untrusted_len;
};

/* Seconds a peer waits for anything before it gives up. */
#define Q_TIMEOUT_S 20

/* Read exactly n bytes within the deadline (a CLOCK_MONOTONIC ms value, 0: Q_TIMEOUT_S from
 * now). false on end of stream, error or timeout. */
bool q_read(int fd, void *buf, size_t n, int64_t deadline_ms);
/* Write exactly n bytes. */
bool q_write(int fd, const void *buf, size_t n);
/* A header then a body of len bytes. */
bool q_send(int fd, uint32_t type, uint32_t window, const void *body, uint32_t len);
/* Whether a byte can be read within ms milliseconds (or the peer closed). */
bool q_readable(int fd, int ms);
int64_t q_now_ms(void);
/* Print one line on stdout and flush it (the test scripts read these). */
void q_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "fatal: ..." and exit 1, as Qubes' peers exit on a violation. */
void q_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
const char *q_type_name(uint32_t type);

#endif
