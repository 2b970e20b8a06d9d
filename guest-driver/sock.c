/* seam_drv's socket: the agent asks which memfd or grant pages hold a window's pixels
 * (docs/protocol.md, "The guest driver's socket"). Served from the X server's main loop: every
 * descriptor is non-blocking, a request is read at most 8 bytes at a time and answered at once;
 * a reply of grant refs the socket cannot take whole waits in the client's slot and goes out as
 * the socket drains (no request is read meanwhile). A client that sends a malformed request,
 * hangs up, or cannot take a memfd reply is dropped. */
#include <xorg-server.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <dix.h>
#include <os.h>
#include <pixmapstr.h>
#include <scrnintstr.h>
#include <windowstr.h>
#include <xf86.h>

#include "guest-driver/seamdrv.h"
#include "protocol/drvsock.h"
#include "protocol/proto.h"

static void client_ready(int fd, int ready, void *data);

static void drop(struct seamdrv_client *c)
{
	RemoveNotifyFd(c->fd);
	close(c->fd);
	free(c->out);
	*c = (struct seamdrv_client){.fd = -1};
}

/* What the window's pixmap is: one of ours (its memfd in *fd, or its record's grant refs in
 * *grants), or not. */
static struct proto_drv_reply lookup(uint32_t id, int *fd, const struct seamdrv_pixmap **grants)
{
	struct proto_drv_reply r = {.status = PROTO_DRV_NOT_MINE};
	WindowPtr win;
	*fd = -1;
	*grants = NULL;
	if (dixLookupWindow(&win, id, serverClient, DixGetAttrAccess) != Success)
		return r;
	ScreenPtr screen = win->drawable.pScreen;
	PixmapPtr pix = screen->GetWindowPixmap(win);
	const struct seamdrv_pixmap *m = pix ? seamdrv_pixmap_of(pix) : NULL;
	if (!m)
		return r;
	if (m->refs)
		*grants = m;
	else
		*fd = m->fd;
	return (struct proto_drv_reply){m->refs ? PROTO_DRV_OK_GRANTS : PROTO_DRV_OK,
					pix->drawable.width,
					pix->drawable.height,
					(uint32_t)pix->devKind,
					PROTO_SEAM_FORMAT_XRGB8888,
					m->serial};
}

/* Send what is left of the client's pending reply; false if the client must go. */
static bool flush(struct seamdrv_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		/* Writable only: a client that sends more meanwhile must not wake the server
		 * again and again (its requests wait in the socket). */
		if (n < 0 && errno == EAGAIN) {
			LogMessageVerb(X_INFO, 3, "seam: %zu bytes of a reply wait for the socket\n",
				       c->out_len - c->out_off);
			return SetNotifyFd(c->fd, client_ready, X_NOTIFY_WRITE, c);
		}
		if (n <= 0)
			return false;
		c->out_off += (size_t)n;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return SetNotifyFd(c->fd, client_ready, X_NOTIFY_READ, c);
}

/* An OK_GRANTS reply and its refs, through the client's pending buffer. */
static bool reply_grants(struct seamdrv *drv, struct seamdrv_client *c,
			 const struct proto_drv_reply *r, const struct seamdrv_pixmap *m)
{
	size_t body = proto_drv_grants_size(m->nrefs);
	c->out = malloc(PROTO_DRV_REPLY_SIZE + body);
	if (!c->out)
		return false;
	proto_drv_encode_reply(r, c->out);
	proto_drv_encode_grants((uint32_t)drv->grant_domid, m->refs, m->nrefs,
				c->out + PROTO_DRV_REPLY_SIZE);
	c->out_len = PROTO_DRV_REPLY_SIZE + body;
	c->out_off = 0;
	return flush(c);
}

/* One reply, with the memfd beside it when there is one; false if it did not go out whole. */
static bool reply(int sock, const struct proto_drv_reply *r, int fd)
{
	uint8_t buf[PROTO_DRV_REPLY_SIZE];
	proto_drv_encode_reply(r, buf);
	struct iovec iov = {buf, sizeof(buf)};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.space;
		msg.msg_controllen = sizeof(ctl.space);
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(buf);
}

static void client_ready(int fd, int ready, void *data)
{
	struct seamdrv_client *c = data;
	(void)ready; /* writable when a reply waits (flush), readable otherwise */
	if (c->out) {
		if (!flush(c))
			drop(c);
		return;
	}
	ssize_t n = recv(fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c);
		return;
	}
	c->len += (unsigned)n;
	if (c->len < sizeof(c->buf))
		return;
	c->len = 0;
	struct proto_drv_request req;
	char why[128];
	if (proto_drv_decode_request(c->buf, sizeof(c->buf), &req, why, sizeof(why))) {
		LogMessageVerb(X_WARNING, 1, "seam: dropping a socket client: %s\n", why);
		reply(fd, &(struct proto_drv_reply){.status = PROTO_DRV_BAD_REQUEST}, -1);
		drop(c);
		return;
	}
	int memfd;
	const struct seamdrv_pixmap *grants;
	struct proto_drv_reply r = lookup(req.window, &memfd, &grants);
	if (grants ? !reply_grants(c->drv, c, &r, grants) : !reply(fd, &r, memfd))
		drop(c);
}

/* Only the server's own user may ask (the socket's mode says so too). */
static bool same_user(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid == geteuid();
}

static void listener_readable(int fd, int ready, void *data)
{
	struct seamdrv *drv = data;
	(void)ready;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0)
		return;
	struct seamdrv_client *slot = NULL;
	for (unsigned i = 0; i < SEAMDRV_MAX_CLIENTS && !slot; i++)
		if (drv->clients[i].fd < 0)
			slot = &drv->clients[i];
	if (!slot || !same_user(c)) {
		close(c);
		return;
	}
	*slot = (struct seamdrv_client){.fd = c, .drv = drv};
	if (!SetNotifyFd(c, client_ready, X_NOTIFY_READ, slot)) {
		close(c);
		slot->fd = -1;
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);	  /* a server that ended without cleaning up */
	mode_t old = umask(0177); /* the socket: 0600 */
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc == 0)
		rc = listen(fd, SEAMDRV_MAX_CLIENTS);
	if (rc < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

void seamdrv_sock_open(ScrnInfoPtr scrn, struct seamdrv *drv, const char *path)
{
	int fd = listen_on(path);
	if (fd < 0) {
		xf86DrvMsg(scrn->scrnIndex, X_ERROR,
			   "cannot listen on %s: %s; the agent will use ShmGetImage\n", path,
			   strerror(-fd));
		return;
	}
	if (!SetNotifyFd(fd, listener_readable, X_NOTIFY_READ, drv)) {
		close(fd);
		unlink(path);
		return;
	}
	drv->listen_fd = fd;
	snprintf(drv->path, sizeof(drv->path), "%s", path);
	xf86DrvMsg(scrn->scrnIndex, X_INFO, "window pixmaps in %s; agent socket %s\n",
		   drv->grant_domid >= 0 ? "grant pages" : "memfds", path);
}

void seamdrv_sock_close(struct seamdrv *drv)
{
	for (unsigned i = 0; i < SEAMDRV_MAX_CLIENTS; i++)
		if (drv->clients[i].fd >= 0)
			drop(&drv->clients[i]);
	if (drv->listen_fd < 0)
		return;
	RemoveNotifyFd(drv->listen_fd);
	close(drv->listen_fd);
	unlink(drv->path);
	drv->listen_fd = -1;
}
