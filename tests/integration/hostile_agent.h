/* seam-hostile-agent's parts (tests/integration/hostile_agent.c: the connection, the helpers, the
 * core protocol's attacks, the table and main; hostile_seam.c: the attacks on Seam's desktop
 * messages, DOCK, SEAM_ICON and SEAM_NOTIFY). */
#ifndef SEAM_TEST_HOSTILE_AGENT_H
#define SEAM_TEST_HOSTILE_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "protocol/proto.h"

/* The attacker's window id. */
#define HOSTILE_WIN 0x300001u

/* The connection to the daemon, and its address (for attacks that reconnect). */
extern int hostile_sock;
extern struct sockaddr_un hostile_addr;

long hostile_now_ms(void);
/* How long a looping attack loops: SEAM_HOSTILE_HOLD_MS, else 2 s. */
long hostile_loop_ms(void);
/* Raw bytes, an encoded message, a header claiming len bytes: 0 or -1. */
int hostile_put(const void *buf, size_t len);
int hostile_msg(struct proto_msg *m);
int hostile_raw_hdr(uint32_t type, uint32_t window, uint32_t len);
/* Version, xconf, the daemon's hello, our hello with these features: 0 or -1. */
int hostile_handshake_with(uint32_t features);
void hostile_create(uint32_t id, uint32_t w, uint32_t h, bool or);
/* A message with no body. */
void hostile_simple(uint32_t type, uint32_t id);
void hostile_title(uint32_t id, const char *t, size_t len);
/* A sealed buffer of a window's size, filled with one color; the fd stays open. */
int hostile_sealed_buffer(uint32_t w, uint32_t h, uint32_t color);
void hostile_dump_fd(uint32_t id, uint32_t w, uint32_t h, const int *fds, unsigned nfds);
/* A mapped 100x80 window filled with 0xff00ff, for attacks that need a live window. */
void hostile_live_window(void);
/* Reads what the daemon sent since the last call (a loop's attacks keep its socket drained). */
void hostile_drain(void);

/* hostile_seam.c */
void hostile_dock_mapped(void);
void hostile_dock_huge(void);
void hostile_dock_many(void);
void hostile_dock_resize(void);
void hostile_dock_map(void);
void hostile_icon_wrong_length(void);
void hostile_icon_huge_size(void);
void hostile_icon_zero_size(void);
void hostile_icon_many_images(void);
void hostile_icon_past_limit(void);
void hostile_icon_flood(void);
void hostile_notify_wrong_lengths(void);
void hostile_notify_past_bounds(void);
void hostile_notify_invalid_utf8(void);
void hostile_notify_past_limit(void);
void hostile_notify_not_agreed(void);
void hostile_notify_flood(void);

#endif
