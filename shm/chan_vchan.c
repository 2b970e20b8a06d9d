/* The vchan: channel backend (Xen libxenvchan). The guest is the vchan server, the host the client,
 * so dom0 never grants its own memory to a guest; the path follows the convention Qubes uses:
 * /local/domain/<server>/data/vchan/<client>/<port>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxenvchan.h>
#include <xenstore.h>

#include "chan_internal.h"
#include "common/mono.h"

/* Highest domain id Xen hands out (DOMID_FIRST_RESERVED - 1). */
#define VCHAN_DOMID_MAX 0x7fefu

/* Our own domain id from xenstore: a domU's "domid" key; dom0 may not have one. */
static int own_domid(uint32_t *out)
{
	struct xs_handle *xs = xs_open(XS_OPEN_READONLY);
	if (!xs)
		return -ENODEV;
	unsigned len = 0;
	char *v = xs_read(xs, XBT_NULL, "domid", &len);
	*out = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
	free(v);
	xs_close(xs);
	return 0;
}

/* Host: once connected, delete the guest's offer from xenstore. An agent that dies leaves its keys
 * behind, naming grant refs and an event channel that are gone (or, worse, reused): a later
 * connect must find only a fresh offer, which the next agent (or this one, after a disconnect)
 * writes anew. dom0 may remove any key. */
static void forget_offer(const char *path)
{
	struct xs_handle *xs = xs_open(0);
	if (!xs)
		return;
	xs_rm(xs, XBT_NULL, path);
	xs_close(xs);
}

/* Guest: offer a vchan to the host; the host connects when it is ready. */
static int server_init(struct chan *c)
{
	char path[64];
	snprintf(path, sizeof(path), "data/vchan/%u/%u", c->domid, c->port);
	c->vchan = libxenvchan_server_init(NULL, (int)c->domid, path, CHAN_VCHAN_RING,
					   CHAN_VCHAN_RING);
	if (!c->vchan)
		return errno ? -errno : -ENODEV;
	c->vchan->blocking = 0;
	return 0;
}

int chan_vchan_setup(struct chan *c, const char *spec)
{
	char *end;
	errno = 0;
	unsigned long domid = strtoul(spec, &end, 10);
	if (errno || end == spec || *end != ':' || domid > VCHAN_DOMID_MAX) {
		fprintf(stderr, "channel address vchan:%s: DOMID must be a number in [0, %u]\n", spec,
			VCHAN_DOMID_MAX);
		return -EINVAL;
	}
	const char *p = end + 1;
	unsigned long port = strtoul(p, &end, 10);
	if (errno || end == p || *end || port < 1 || port > 65535) {
		fprintf(stderr, "channel address vchan:%s: PORT must be a number in [1, 65535]\n",
			spec);
		return -EINVAL;
	}
	c->domid = (uint32_t)domid;
	c->port = (uint32_t)port;
	if (c->side == CHAN_GUEST) {
		int rc = server_init(c);
		if (rc)
			fprintf(stderr, "channel vchan:%s: cannot offer a vchan (%s); is this a Xen domain?\n",
				spec, strerror(-rc));
		return rc;
	}
	uint32_t self;
	if (own_domid(&self)) {
		fprintf(stderr, "channel vchan:%s: xenstore is not reachable; is this a Xen domain?\n",
			spec);
		return -ENODEV;
	}
	c->retry_at = mono_ms();
	return 0;
}

static void vchan_poll_waiting(const struct chan *c, struct pollfd *pfd)
{
	if (c->side == CHAN_GUEST && c->vchan) {
		pfd->fd = libxenvchan_fd_for_select(c->vchan);
		pfd->events = POLLIN;
	}
}

static int vchan_try_connect(struct chan *c, short revents)
{
	if (c->side == CHAN_GUEST) {
		if (!c->vchan) {
			/* Re-offering after a disconnect failed once: try again on the timer. */
			if (c->retry_at < 0 || mono_ms() < c->retry_at)
				return 0;
			if (server_init(c)) {
				chan_schedule_retry(c);
				return 0;
			}
			c->retry_at = -1;
		}
		if (revents & POLLIN)
			libxenvchan_wait(c->vchan);
		return libxenvchan_is_open(c->vchan) == 1;
	}
	if (c->retry_at < 0 || mono_ms() < c->retry_at)
		return 0;
	uint32_t self = 0;
	char path[96];
	own_domid(&self);
	snprintf(path, sizeof(path), "/local/domain/%u/data/vchan/%u/%u", c->domid, self, c->port);
	c->vchan = libxenvchan_client_init(NULL, (int)c->domid, path);
	if (!c->vchan) {
		chan_schedule_retry(c); /* the guest has not offered it yet */
		return 0;
	}
	c->vchan->blocking = 0;
	forget_offer(path);
	return 1;
}

static void vchan_poll_connected(const struct chan *c, bool want_write, struct pollfd *pfd)
{
	(void)want_write; /* ring space is signalled on the same event channel */
	pfd->fd = libxenvchan_fd_for_select(c->vchan);
	pfd->events = POLLIN;
}

static int vchan_prepare(struct chan *c, short revents)
{
	if (revents & POLLIN)
		libxenvchan_wait(c->vchan); /* acknowledge the event, or poll keeps waking */
	return libxenvchan_is_open(c->vchan) == 1 || libxenvchan_data_ready(c->vchan) > 0 ? 0 : -1;
}

static ssize_t vchan_recv(struct chan *c, void *buf, size_t n, int *fds, unsigned *nfds)
{
	(void)fds;
	*nfds = 0;
	int got = libxenvchan_read(c->vchan, buf, n);
	if (got < 0)
		return -EIO;
	if (got == 0)
		return libxenvchan_is_open(c->vchan) == 1 ? -EAGAIN : 0;
	return got;
}

static ssize_t vchan_send(struct chan *c, const void *buf, size_t n, const int *fds, unsigned nfds)
{
	(void)fds;
	if (nfds)
		return -EMSGSIZE;
	int put = libxenvchan_write(c->vchan, buf, n);
	if (put < 0)
		return libxenvchan_is_open(c->vchan) == 1 ? -EIO : -EPIPE;
	return put == 0 ? -EAGAIN : put;
}

static enum chan_state vchan_drop(struct chan *c)
{
	if (c->vchan)
		libxenvchan_close(c->vchan);
	c->vchan = NULL;
	if (c->side == CHAN_GUEST) {
		if (server_init(c))
			chan_schedule_retry(c); /* re-offer later */
	} else {
		/* Look for the next offer at once, then back off until the guest makes one (the one
		 * just used was deleted when it was taken). */
		c->backoff_ms = CHAN_RETRY_MIN_MS;
		c->retry_at = mono_ms();
	}
	return CHAN_WAITING;
}

static void vchan_destroy(struct chan *c)
{
	if (c->vchan)
		libxenvchan_close(c->vchan);
	c->vchan = NULL;
}

const struct chan_ops chan_vchan_ops = {
	.name = "vchan",
	.pass_fds = false,
	.poll_waiting = vchan_poll_waiting,
	.try_connect = vchan_try_connect,
	.poll_connected = vchan_poll_connected,
	.poll_exact = false,
	.prepare = vchan_prepare,
	.recv = vchan_recv,
	.send = vchan_send,
	.drop = vchan_drop,
	.destroy = vchan_destroy,
};
