/* seam-rogue-grants: a malicious domU agent that attacks the daemon with grant references, under
 * real Xen (tests/xen/). One attack per run:
 *
 *   seam-rogue-grants --channel vchan:0:PORT --attack NAME [--hold-ms N]
 *
 * It offers the vchan (the guest is the vchan server), does the handshake as an agent would, makes
 * the attack, then probes whether the daemon still serves it: a small window with honest grants,
 * whose WINDOW_DUMP_ACK must come back. It prints one line:
 *   "alive"   the daemon refused or absorbed the attack and answered the probe, or
 *   "closed"  the daemon ended the connection (the attack was a protocol violation),
 * and exits 0 either way (the test decides which answer is right); 1 when it could not even
 * connect or share pages, 2 on a usage error.
 *
 * Attacks:
 *   foreign-refs        refs this domain never granted (in range of its table, and past its end)
 *   unshared-refs       refs of pages shared, then unshared before the dump is sent
 *   unshare-after-map   a good dump, mapped by dom0; then the pages are unshared and redrawn
 *   count-mismatch      4 refs for a 100x80 buffer that needs 8
 *   count-past-limit    PROTO_MAX_GRANT_REFS + 1 refs in one dump
 *   over-cap            three 1024x1024 windows (4 MiB each) with honest grants, past a daemon
 *                       started with --max-shm 8
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xengnttab.h>

#include "common/mono.h"
#include "protocol/proto.h"
#include "shm/chan.h"

#define WIN 0x300001u
#define PROBE_WIN 0x3fff01u

static struct chan *ch;
static xengntshr_handle *xgs;

/* One round of the channel's event loop, waiting at most ms. Returns the CHAN_EV_* bits. */
static unsigned pump(int ms)
{
	struct pollfd pfd = {.fd = -1};
	chan_pollfd(ch, &pfd);
	int t = chan_timeout_ms(ch);
	if (t < 0 || t > ms)
		t = ms;
	int n = poll(&pfd, pfd.fd >= 0 ? 1 : 0, t);
	return chan_dispatch(ch, n > 0 ? pfd.revents : 0);
}

static bool connected(void) { return chan_state(ch) == CHAN_CONNECTED; }

/* Write out everything queued; false if the connection ended. */
static bool flush(int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	while (chan_queued(ch) && connected() && mono_ms() < end)
		pump(50);
	return connected() && !chan_queued(ch);
}

static bool raw_in(void *buf, size_t n, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	while (mono_ms() < end) {
		int r = chan_recv_raw(ch, buf, n);
		if (r == 1)
			return true;
		if (r < 0)
			return false;
		pump(50);
	}
	return false;
}

static void send_msg(const struct proto_msg *m)
{
	if (chan_send_msg(ch, m, NULL, 0) == 0)
		flush(10000);
}

/* A WINDOW_DUMP built by hand: the encoder would refuse the lies some attacks tell. */
static void send_dump(uint32_t id, uint32_t w, uint32_t h, const uint32_t *refs, uint32_t nrefs)
{
	size_t len = PROTO_HDR_SIZE + 16u + (size_t)nrefs * 4u;
	uint8_t *buf = calloc(1, len);
	if (!buf)
		return;
	struct proto_hdr hdr = {PROTO_MSG_WINDOW_DUMP, id, (uint32_t)(len - PROTO_HDR_SIZE)};
	struct proto_window_dump_hdr d = {PROTO_WINDOW_DUMP_TYPE_GRANT_REFS, w, h, PROTO_BPP};
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + PROTO_HDR_SIZE, &d, sizeof(d));
	if (refs)
		memcpy(buf + PROTO_HDR_SIZE + 16u, refs, (size_t)nrefs * 4u);
	if (chan_send(ch, buf, len, NULL, 0) == 0)
		flush(60000);
	free(buf);
}

static void create(uint32_t id, uint32_t w, uint32_t h)
{
	struct proto_msg m = {.type = PROTO_MSG_CREATE, .window = id};
	m.u.create = (struct proto_create){10, 10, w, h, 0, 0};
	send_msg(&m);
	struct proto_msg t = {.type = PROTO_MSG_WMNAME, .window = id};
	snprintf(t.u.wmname.data, sizeof(t.u.wmname.data), "rogue-%x", id);
	send_msg(&t);
}

static void simple(uint32_t type, uint32_t id)
{
	struct proto_msg m = {.type = type, .window = id};
	send_msg(&m);
}

static void shmimage(uint32_t id, uint32_t w, uint32_t h)
{
	struct proto_msg m = {.type = PROTO_MSG_SHMIMAGE, .window = id};
	m.u.shmimage = (struct proto_shmimage){0, 0, w, h};
	send_msg(&m);
}

static uint32_t pages_for(uint32_t w, uint32_t h) { return (uint32_t)PROTO_NUM_PAGES((uint64_t)w * h * 4u); }

/* Share n fresh pages with dom0, filled with color; refs filled in. NULL on failure. */
static uint32_t *share(uint32_t n, uint32_t *refs, uint32_t color)
{
	uint32_t *p = xengntshr_share_pages(xgs, 0, (int)n, refs, 1);
	if (!p) {
		fprintf(stderr, "rogue: cannot share %u pages: %s\n", n, strerror(errno));
		return NULL;
	}
	for (size_t i = 0; i < (size_t)n * 1024u; i++)
		p[i] = color;
	return p;
}

/* An honest, mapped window of w x h in one color. */
static uint32_t *honest_window(uint32_t id, uint32_t w, uint32_t h, uint32_t color)
{
	uint32_t n = pages_for(w, h);
	uint32_t *refs = calloc(n, sizeof(*refs));
	uint32_t *p = refs ? share(n, refs, color) : NULL;
	create(id, w, h);
	if (p)
		send_dump(id, w, h, refs, n);
	simple(PROTO_MSG_MAP, id);
	shmimage(id, w, h);
	free(refs);
	return p;
}

/* Is the daemon still serving us? An honest window, then wait for its WINDOW_DUMP_ACK. */
static const char *probe(void)
{
	if (!connected())
		return "closed";
	uint32_t refs[1];
	if (!share(1, refs, 0x00ff00))
		return "no-probe";
	create(PROBE_WIN, 16, 16);
	send_dump(PROBE_WIN, 16, 16, refs, 1);
	int64_t end = mono_ms() + 15000;
	while (mono_ms() < end) {
		struct chan_msg m;
		int r;
		while ((r = chan_recv(ch, &m)) == 1)
			if (m.hdr.type == PROTO_MSG_WINDOW_DUMP_ACK && m.hdr.window == PROBE_WIN)
				return "alive";
		if (r < 0 || !connected())
			return "closed";
		pump(100);
	}
	return connected() ? "alive-but-silent" : "closed";
}

static void a_foreign_refs(void)
{
	create(WIN, 100, 80);
	uint32_t refs[8];
	/* Unused entries of this domain's own table, then refs past its end. */
	for (uint32_t i = 0; i < 4; i++)
		refs[i] = 20000 + i;
	for (uint32_t i = 4; i < 8; i++)
		refs[i] = 0x7ffffff0u + i;
	send_dump(WIN, 100, 80, refs, 8);
	simple(PROTO_MSG_MAP, WIN);
	shmimage(WIN, 100, 80);
}

static void a_unshared_refs(void)
{
	create(WIN, 100, 80);
	uint32_t refs[8];
	void *p = share(8, refs, 0xff00ff);
	if (!p)
		return;
	xengntshr_unshare(xgs, p, 8);
	send_dump(WIN, 100, 80, refs, 8);
	simple(PROTO_MSG_MAP, WIN);
	shmimage(WIN, 100, 80);
}

static void a_unshare_after_map(void)
{
	void *p = honest_window(WIN, 100, 80, 0xff00ff);
	if (!p)
		return;
	usleep(1500000); /* let dom0 map and draw it */
	/* gntalloc cannot end a grant dom0 still maps: the page stays with dom0 until it unmaps. */
	xengntshr_unshare(xgs, p, 8);
	shmimage(WIN, 100, 80);
	usleep(500000);
	shmimage(WIN, 100, 80);
}

static void a_count_mismatch(void)
{
	create(WIN, 100, 80);
	uint32_t refs[4];
	if (share(4, refs, 0xff00ff))
		send_dump(WIN, 100, 80, refs, 4);
}

static void a_count_past_limit(void)
{
	create(WIN, PROTO_MAX_WINDOW_WIDTH, PROTO_MAX_WINDOW_HEIGHT);
	/* The refs are zeros: the daemon must refuse the count before it looks at any. */
	send_dump(WIN, PROTO_MAX_WINDOW_WIDTH, PROTO_MAX_WINDOW_HEIGHT, NULL,
		  PROTO_MAX_GRANT_REFS + 1u);
}

static void a_over_cap(void)
{
	for (uint32_t i = 0; i < 3; i++)
		if (!honest_window(WIN + i, 1024, 1024, 0x0000ff))
			return;
}

static const struct {
	const char *name;
	void (*run)(void);
} attacks[] = {
	{"foreign-refs", a_foreign_refs},
	{"unshared-refs", a_unshared_refs},
	{"unshare-after-map", a_unshare_after_map},
	{"count-mismatch", a_count_mismatch},
	{"count-past-limit", a_count_past_limit},
	{"over-cap", a_over_cap},
};
#define NATTACKS (sizeof(attacks) / sizeof(attacks[0]))

static int usage(void)
{
	fprintf(stderr, "usage: seam-rogue-grants --channel vchan:0:PORT --attack NAME [--hold-ms N] | --list\n");
	return 2;
}

/* The agent's side of the handshake: version, the daemon's xconf and hello, our hello. */
static bool handshake(void)
{
	uint32_t v = PROTO_VERSION_CURRENT, answer;
	struct proto_xconf x;
	uint8_t hello[PROTO_HDR_SIZE + 12];
	if (chan_send(ch, &v, 4, NULL, 0) || !flush(10000))
		return false;
	if (!raw_in(&answer, 4, 20000) || !raw_in(&x, sizeof(x), 20000) ||
	    !raw_in(hello, sizeof(hello), 20000))
		return false;
	struct proto_msg m = {.type = PROTO_MSG_SEAM_HELLO};
	m.u.hello = (struct proto_seam_hello){PROTO_SEAM_MAGIC, 1, 0};
	send_msg(&m);
	return connected();
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < NATTACKS; i++)
			printf("%s\n", attacks[i].name);
		return 0;
	}
	if ((argc != 5 && argc != 7) || strcmp(argv[1], "--channel") ||
	    strncmp(argv[2], "vchan:", 6) || strcmp(argv[3], "--attack"))
		return usage();
	int hold_ms = 0;
	if (argc == 7) {
		if (strcmp(argv[5], "--hold-ms"))
			return usage();
		hold_ms = atoi(argv[6]);
	}
	size_t i;
	for (i = 0; i < NATTACKS; i++)
		if (!strcmp(attacks[i].name, argv[4]))
			break;
	if (i == NATTACKS) {
		fprintf(stderr, "rogue: unknown attack '%s'\n", argv[4]);
		return 2;
	}
	xgs = xengntshr_open(NULL, 0);
	if (!xgs) {
		fprintf(stderr, "rogue: cannot open gntalloc: %s\n", strerror(errno));
		return 1;
	}
	if (chan_open(argv[2], CHAN_GUEST, NULL, &ch)) {
		fprintf(stderr, "rogue: cannot offer %s\n", argv[2]);
		return 1;
	}
	int64_t end = mono_ms() + 30000;
	while (!connected() && mono_ms() < end)
		pump(100);
	if (!connected()) {
		fprintf(stderr, "rogue: the daemon did not connect to %s\n", argv[2]);
		return 1;
	}
	fprintf(stderr, "rogue: the daemon connected\n");
	if (!handshake()) {
		printf("closed\n");
		return 0;
	}
	fprintf(stderr, "rogue: handshake done; attack %s\n", attacks[i].name);
	attacks[i].run();
	fprintf(stderr, "rogue: attack made; %s\n", connected() ? "still connected" : "disconnected");
	if (hold_ms > 0) {
		int64_t h = mono_ms() + hold_ms;
		while (mono_ms() < h && connected())
			pump(100);
	}
	printf("%s\n", probe());
	fflush(stdout);
	chan_close(ch);
	/* Pages still shared are unshared when the process exits (gntalloc's release). */
	return 0;
}
