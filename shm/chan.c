/* The channel's transport-independent part: state, framing, the bounded output queue, fd bookkeeping. */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chan_internal.h"
#include "common/mono.h"

/* Bytes read per system call: enough to take many small messages at once. */
#define READ_CHUNK 65536u

void chan_schedule_retry(struct chan *c)
{
	c->retry_at = mono_ms() + c->backoff_ms;
	c->backoff_ms = c->backoff_ms * 2 > CHAN_RETRY_MAX_MS ? CHAN_RETRY_MAX_MS : c->backoff_ms * 2;
}

static void close_in_fds(struct chan *c)
{
	for (unsigned i = 0; i < c->in_nfds; i++)
		close(c->in_fds[i].fd);
	c->in_nfds = 0;
}

static void close_out_fds(struct chan *c)
{
	for (size_t i = 0; i < c->out_nfds; i++)
		for (unsigned j = 0; j < c->out_fds[i].nfds; j++)
			close(c->out_fds[i].fds[j]);
	c->out_nfds = 0;
}

static void reset_input(struct chan *c)
{
	close_in_fds(c);
	c->in_base = 0;
	c->in_head = c->in_tail = 0;
	c->hdr_checked = false;
	c->draining = false;
	c->dry = false;
}

static void reset_output(struct chan *c)
{
	close_out_fds(c);
	c->out_base = 0;
	c->out_head = c->out_tail = 0;
}

/* End the connection; `keep_input` leaves what already arrived readable (a clean end of stream). */
static void end_connection(struct chan *c, const char *reason, bool keep_input)
{
	if (c->state != CHAN_CONNECTED)
		return;
	snprintf(c->error, sizeof(c->error), "%s", reason);
	if (keep_input)
		c->draining = true;
	else
		reset_input(c);
	reset_output(c);
	c->state = c->ops->drop(c);
	c->events |= CHAN_EV_DISCONNECTED;
}

void chan_fail(struct chan *c, const char *reason)
{
	end_connection(c, reason, false);
}

static int init_common(struct chan *c, enum chan_side side, const struct chan_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->side = side;
	c->state = CHAN_WAITING;
	c->fd = c->listen_fd = -1;
	c->retry_at = -1;
	c->backoff_ms = CHAN_RETRY_MIN_MS;
	if (cfg)
		c->cfg = *cfg;
	else
		c->cfg.sock_gid = -1;
	if (!c->cfg.max_queue)
		c->cfg.max_queue = CHAN_DEFAULT_MAX_QUEUE;
	if (!c->cfg.max_body || c->cfg.max_body > PROTO_MAX_BODY_LEN)
		c->cfg.max_body = PROTO_MAX_BODY_LEN;
	if (!c->cfg.sock_mode)
		c->cfg.sock_mode = 0600;
	/* The largest message plus room for one more read. */
	c->in_cap = PROTO_HDR_SIZE + (size_t)c->cfg.max_body + READ_CHUNK;
	c->in = malloc(c->in_cap);
	return c->in ? 0 : -ENOMEM;
}

int chan_open(const char *address, enum chan_side side, const struct chan_config *cfg,
	      struct chan **out)
{
	struct chan *c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	int rc = init_common(c, side, cfg);
	if (rc == 0) {
		if (strncmp(address, "unix:", 5) == 0) {
			c->ops = &chan_unix_ops;
			rc = chan_unix_setup(c, address + 5);
		} else if (strncmp(address, "vchan:", 6) == 0) {
			c->ops = &chan_vchan_ops;
			rc = chan_vchan_setup(c, address + 6);
		} else {
			fprintf(stderr, "channel address '%s': expected unix:PATH or vchan:DOMID:PORT\n",
				address);
			rc = -EINVAL;
		}
	}
	if (rc) {
		c->ops = NULL;
		chan_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int chan_open_fd(int fd, enum chan_side side, const struct chan_config *cfg, struct chan **out)
{
	struct chan *c = malloc(sizeof(*c));
	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	int rc = init_common(c, side, cfg);
	c->ops = &chan_unix_ops;
	if (rc == 0)
		rc = chan_unix_setup_fd(c, fd);
	else
		close(fd);
	if (rc) {
		c->ops = NULL;
		chan_close(c);
		return rc;
	}
	c->state = CHAN_CONNECTED;
	c->events = CHAN_EV_CONNECTED;
	*out = c;
	return 0;
}

void chan_close(struct chan *c)
{
	if (!c)
		return;
	reset_input(c);
	reset_output(c);
	if (c->ops)
		c->ops->destroy(c);
	free(c->in);
	free(c->out);
	free(c->out_fds);
	free(c);
}

enum chan_state chan_state(const struct chan *c)
{
	return c->state;
}

bool chan_can_pass_fds(const struct chan *c)
{
	return c->ops->pass_fds;
}

uint32_t chan_peer_domid(const struct chan *c)
{
	return c->domid;
}

const char *chan_error(const struct chan *c)
{
	return c->error;
}

size_t chan_queued(const struct chan *c)
{
	return c->out_tail - c->out_head;
}

void chan_hold_off(struct chan *c, int ms)
{
	c->hold_until = mono_ms() + ms;
}

static bool held_off(const struct chan *c)
{
	return c->state == CHAN_WAITING && c->hold_until && mono_ms() < c->hold_until;
}

void chan_pollfd(const struct chan *c, struct pollfd *pfd)
{
	pfd->fd = -1;
	pfd->events = pfd->revents = 0;
	if (held_off(c))
		return;
	if (c->state == CHAN_WAITING)
		c->ops->poll_waiting(c, pfd);
	else if (c->state == CHAN_CONNECTED)
		c->ops->poll_connected(c, chan_queued(c) > 0, pfd);
}

int chan_timeout_ms(const struct chan *c)
{
	if (c->events)
		return 0;
	if (held_off(c)) {
		int64_t hold = c->hold_until - mono_ms();
		if (c->retry_at < 0 || c->retry_at < c->hold_until)
			return (int)hold;
	}
	if (c->state != CHAN_WAITING || c->retry_at < 0)
		return -1;
	int64_t left = c->retry_at - mono_ms();
	return left < 0 ? 0 : (int)(left > 60000 ? 60000 : left);
}

/* Read what the transport has, up to the free space. Returns bytes read, 0 if none (or no
 * connection), -1 if this read ended the connection (reported through events). */
static ssize_t fill_input(struct chan *c)
{
	if (c->state != CHAN_CONNECTED)
		return 0;
	if (c->in_head > 0 && c->in_tail > c->in_cap / 2) {
		memmove(c->in, c->in + c->in_head, c->in_tail - c->in_head);
		c->in_base += c->in_head;
		c->in_tail -= c->in_head;
		c->in_head = 0;
	}
	size_t room = c->in_cap - c->in_tail;
	if (room == 0)
		return 0;
	if (c->cfg.max_io && room > c->cfg.max_io)
		room = c->cfg.max_io;
	if (room > READ_CHUNK)
		room = READ_CHUNK;
	int fds[CHAN_MAX_FDS];
	unsigned nfds = 0;
	ssize_t n = c->ops->recv(c, c->in + c->in_tail, room, fds, &nfds);
	c->dry = c->ops->poll_exact && (n == -EAGAIN || (n > 0 && (size_t)n < room));
	if (n == -EAGAIN)
		return 0;
	if (n == 0) {
		end_connection(c, "the peer closed the connection", true);
		return -1;
	}
	if (n < 0) {
		char why[96];
		snprintf(why, sizeof(why), "receive failed: %s", strerror((int)-n));
		chan_fail(c, why);
		return -1;
	}
	c->in_tail += (size_t)n;
	/* fds belong to the message holding the last byte of the read that brought them: the kernel
	 * ends a read at the segment that carried fds, and a sender gives each such message a segment
	 * of its own. */
	uint64_t last = c->in_base + c->in_tail - 1;
	for (unsigned i = 0; i < nfds; i++) {
		if (c->in_nfds == CHAN_IN_FDS_MAX) {
			for (unsigned j = i; j < nfds; j++)
				close(fds[j]);
			chan_fail(c, "too many file descriptors from the peer");
			return -1;
		}
		c->in_fds[c->in_nfds++] = (struct chan_in_fd){last, fds[i]};
	}
	return n;
}

/* Write as much queued output as the transport takes. */
static void flush_output(struct chan *c)
{
	while (c->state == CHAN_CONNECTED && c->out_head < c->out_tail) {
		uint64_t head = c->out_base + c->out_head;
		size_t len = c->out_tail - c->out_head;
		struct chan_out_fds *f = c->out_nfds ? &c->out_fds[0] : NULL;
		const int *fds = NULL;
		unsigned nfds = 0;
		if (f && f->off == head) {
			/* The message with fds goes in a segment of its own (see fill_input). */
			len = f->len;
			fds = f->fds;
			nfds = f->nfds;
		} else if (f && f->off - head < len) {
			len = (size_t)(f->off - head);
		}
		if (c->cfg.max_io && len > c->cfg.max_io)
			len = c->cfg.max_io;
		ssize_t n = c->ops->send(c, c->out + c->out_head, len, fds, nfds);
		if (n == -EAGAIN)
			return;
		if (n < 0) {
			char why[96];
			snprintf(why, sizeof(why), "send failed: %s", strerror((int)-n));
			chan_fail(c, why);
			return;
		}
		if (nfds) {
			/* The kernel sent them with the first byte; the rest of the message follows. */
			for (unsigned j = 0; j < nfds; j++)
				close(f->fds[j]);
			f->nfds = 0;
		}
		if (f && f->nfds == 0 && f->off <= head) {
			memmove(c->out_fds, c->out_fds + 1, (c->out_nfds - 1) * sizeof(*c->out_fds));
			c->out_nfds--;
		}
		c->out_head += (size_t)n;
	}
	if (c->out_head == c->out_tail) {
		c->out_base += c->out_head;
		c->out_head = c->out_tail = 0;
	}
}

unsigned chan_dispatch(struct chan *c, short revents)
{
	if (c->state == CHAN_WAITING && !held_off(c)) {
		if (c->ops->try_connect(c, revents) > 0) {
			reset_input(c);
			reset_output(c);
			c->state = CHAN_CONNECTED;
			c->backoff_ms = CHAN_RETRY_MIN_MS;
			c->retry_at = -1;
			c->error[0] = '\0';
			c->events |= CHAN_EV_CONNECTED;
			revents = 0;
		}
	}
	if (c->state == CHAN_CONNECTED) {
		if (c->ops->prepare && c->ops->prepare(c, revents) < 0) {
			end_connection(c, "the peer closed the connection", true);
		} else {
			size_t before = c->in_tail - c->in_head;
			/* A socket is read only when poll says so, and until a read comes back short:
			 * the read that would only say EAGAIN is not made (docs/performance.md). */
			bool readable = !c->ops->poll_exact || (revents & (POLLIN | POLLHUP | POLLERR));
			c->dry = false;
			while (readable && !c->dry && fill_input(c) > 0)
				;
			c->dry = c->dry || !readable;
			if (c->in_tail - c->in_head > before)
				c->events |= CHAN_EV_INPUT;
			flush_output(c);
		}
	}
	unsigned ev = c->events;
	c->events = 0;
	return ev;
}

/* fds that arrived with bytes before `end` (absolute). */
static unsigned count_fds_before(const struct chan *c, uint64_t end)
{
	unsigned n = 0;
	while (n < c->in_nfds && c->in_fds[n].off < end)
		n++;
	return n;
}

static void take_fds(struct chan *c, unsigned n, int *dst)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = c->in_fds[i].fd;
	memmove(c->in_fds, c->in_fds + n, (c->in_nfds - n) * sizeof(c->in_fds[0]));
	c->in_nfds -= n;
}

/* Nothing complete is buffered: 0, or -1 if what is buffered is the unfinishable rest of a
 * connection that ended (discarded now). */
static int drained(struct chan *c)
{
	if (!c->draining)
		return 0;
	reset_input(c);
	return -1;
}

int chan_recv_raw(struct chan *c, void *buf, size_t n)
{
	if (c->in_tail - c->in_head < n && fill_input(c) < 0 && !c->draining)
		return -1;
	if (c->in_tail - c->in_head < n)
		return drained(c);
	if (count_fds_before(c, c->in_base + c->in_head + n)) {
		chan_fail(c, "file descriptors arrived with handshake bytes");
		return -1;
	}
	memcpy(buf, c->in + c->in_head, n);
	c->in_head += n;
	return 1;
}

static int default_frame(const struct chan *c, const struct proto_hdr *hdr, uint32_t *body_len,
			 unsigned *nfds)
{
	if (hdr->untrusted_len > c->cfg.max_body)
		return -1;
	*body_len = hdr->untrusted_len;
	*nfds = proto_fds_for_type(hdr->type);
	return 0;
}

int chan_recv(struct chan *c, struct chan_msg *m)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		size_t avail = c->in_tail - c->in_head;
		if (avail >= PROTO_HDR_SIZE && !c->hdr_checked) {
			struct proto_hdr hdr;
			proto_hdr_decode(c->in + c->in_head, &hdr);
			int rc = c->cfg.frame ? c->cfg.frame(c->cfg.frame_ctx, &hdr, &c->body_len,
							     &c->want_fds)
					      : default_frame(c, &hdr, &c->body_len, &c->want_fds);
			if (rc < 0 || c->body_len > c->cfg.max_body || c->want_fds > CHAN_MAX_FDS) {
				char why[96];
				snprintf(why, sizeof(why), "refused a message header (type %u, %u bytes)",
					 hdr.type, hdr.untrusted_len);
				chan_fail(c, why);
				return -1;
			}
			c->hdr_checked = true;
		}
		if (c->hdr_checked && avail >= PROTO_HDR_SIZE + (size_t)c->body_len) {
			uint64_t start = c->in_base + c->in_head;
			uint64_t end = start + PROTO_HDR_SIZE + c->body_len;
			unsigned n = count_fds_before(c, end);
			bool early = n && c->in_fds[0].off < start;
			if (early || n != c->want_fds) {
				char why[96];
				snprintf(why, sizeof(why),
					 "%u file descriptors came with a message that takes %u", n,
					 c->want_fds);
				chan_fail(c, why);
				return -1;
			}
			proto_hdr_decode(c->in + c->in_head, &m->hdr);
			m->body = c->in + c->in_head + PROTO_HDR_SIZE;
			m->nfds = n;
			take_fds(c, n, m->fds);
			c->in_head += PROTO_HDR_SIZE + c->body_len;
			c->hdr_checked = false;
			return 1;
		}
		/* Not complete: take what the transport has now (a vchan does not wake us again for
		 * data left in its ring), then look once more. */
		ssize_t got = attempt == 0 && !c->dry ? fill_input(c) : 0;
		if (got < 0 && !c->draining)
			return -1;
		if (got <= 0)
			break;
	}
	c->dry = false; /* a caller that reads without chan_dispatch() reads the transport again */
	return drained(c);
}

static int queue_fds(struct chan *c, uint64_t off, size_t len, const int *fds, unsigned nfds)
{
	if (c->out_nfds == c->out_fds_cap) {
		size_t cap = c->out_fds_cap ? c->out_fds_cap * 2 : 8;
		struct chan_out_fds *p = realloc(c->out_fds, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		c->out_fds = p;
		c->out_fds_cap = cap;
	}
	struct chan_out_fds *f = &c->out_fds[c->out_nfds];
	f->off = off;
	f->len = len;
	f->nfds = 0;
	for (unsigned i = 0; i < nfds; i++) {
		int d = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
		if (d < 0) {
			int e = errno;
			for (unsigned j = 0; j < f->nfds; j++)
				close(f->fds[j]);
			return -e;
		}
		f->fds[f->nfds++] = d;
	}
	c->out_nfds++;
	return 0;
}

int chan_send(struct chan *c, const void *buf, size_t len, const int *fds, unsigned nfds)
{
	if (c->state != CHAN_CONNECTED)
		return -ENOTCONN;
	if (nfds > CHAN_MAX_FDS || (nfds && !c->ops->pass_fds))
		return -EMSGSIZE;
	if (chan_queued(c) + len > c->cfg.max_queue) {
		char why[96];
		snprintf(why, sizeof(why), "output queue past %zu bytes: the peer is not reading",
			 c->cfg.max_queue);
		chan_fail(c, why);
		return -ENOBUFS;
	}
	if (c->out_tail + len > c->out_cap) {
		if (c->out_head) {
			memmove(c->out, c->out + c->out_head, c->out_tail - c->out_head);
			c->out_base += c->out_head;
			c->out_tail -= c->out_head;
			c->out_head = 0;
		}
		if (c->out_tail + len > c->out_cap) {
			size_t cap = c->out_cap ? c->out_cap : 4096;
			while (cap < c->out_tail + len)
				cap *= 2;
			uint8_t *p = realloc(c->out, cap);
			if (!p)
				return -ENOMEM;
			c->out = p;
			c->out_cap = cap;
		}
	}
	if (nfds) {
		int rc = queue_fds(c, c->out_base + c->out_tail, len, fds, nfds);
		if (rc)
			return rc;
	}
	memcpy(c->out + c->out_tail, buf, len);
	c->out_tail += len;
	flush_output(c);
	return 0;
}

int chan_send_msg(struct chan *c, const struct proto_msg *msg, const int *fds, unsigned nfds)
{
	uint8_t small[PROTO_HDR_SIZE + 256];
	size_t len = proto_encoded_len(msg);
	if (!len)
		return -EINVAL;
	uint8_t *buf = len <= sizeof(small) ? small : malloc(len);
	if (!buf)
		return -ENOMEM;
	int rc = proto_encode(msg, buf, len) == len ? chan_send(c, buf, len, fds, nfds) : -EINVAL;
	if (buf != small)
		free(buf);
	return rc;
}
