/* The inter-domain clipboard (gui-daemon/clipboard.h): the keys, the user's notices, and the shared
 * file's I/O under a lock all daemons take. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-daemon/clipboard.h"
#include "gui-daemon/notify.h"

struct clipboard {
	struct clipboard_config cfg;
	struct session *session;
	int dirfd;	      /* the runtime directory, opened on first use (-1 until then) */
	uint8_t swallowed;    /* keycode whose release is ours too */
	int64_t requested_at; /* when the user asked to copy (0: no copy pending) */
	struct log_limit
	    unasked_limit; /* a guest can send clipboard data nobody asked for at will */
};

/* Tell the user: a log line at level (info for what the user asked for and got, a warning for a
 * refusal), and a desktop notification when a session bus is known (notify_send). */
static void notify(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void notify(enum log_level level, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_msg(level, "clipboard: %s", text);
	notify_send("Seam", "Seam clipboard", text);
}

int clipboard_create(const struct clipboard_config *cfg, struct display *dp, struct session *s,
		     struct clipboard **out)
{
	struct clipboard *c = calloc(1, sizeof(*c));
	*out = c;
	if (!c)
		return -ENOMEM;
	c->cfg = *cfg;
	c->session = s;
	c->dirfd = -1;
	if (keyseq_resolve(&c->cfg.copy_keys, display_x(dp)) ||
	    keyseq_resolve(&c->cfg.paste_keys, display_x(dp)))
		log_warn(
		    "clipboard: cannot read the host's keyboard mapping: copy and paste are off");
	return 0;
}

void clipboard_destroy(struct clipboard *c)
{
	if (!c)
		return;
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c);
}

/* The runtime directory: created private, and refused if someone else could write into it. */
static int open_dir(struct clipboard *c)
{
	if (c->dirfd >= 0)
		return c->dirfd;
	mkdir(c->cfg.runtime_dir, 0700);
	int fd = open(c->cfg.runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 0077)) {
		log_error("clipboard: %s must be a directory of ours with mode 0700",
			  c->cfg.runtime_dir);
		if (fd >= 0)
			close(fd);
		return -EPERM;
	}
	c->dirfd = fd;
	return fd;
}

/* Serialize the daemons' reads and writes of the clipboard. Returns the lock's fd, or -errno. */
static int lock(int dirfd)
{
	int fd = openat(dirfd, "clipboard.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static int store(struct clipboard *c, const uint8_t *text, size_t len)
{
	int dirfd = open_dir(c);
	if (dirfd < 0)
		return dirfd;
	char header[CLIPBOARD_FILE_HEADER_MAX];
	int hlen = clipboard_file_header(c->cfg.name, len, header, sizeof(header));
	int lk = lock(dirfd);
	int rc = lk < 0 ? lk : hlen;
	if (rc < 0)
		goto fail;
	/* Write a new file and rename it over the old one: a reader sees all or nothing. */
	int fd = openat(dirfd, "clipboard.new",
			O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	bool ok = write(fd, header, (size_t)hlen) == hlen &&
		  (len == 0 || write(fd, text, len) == (ssize_t)len) && fsync(fd) == 0;
	rc = ok ? 0 : -(errno ? errno : EIO);
	close(fd);
	if (ok && (renameat(dirfd, "clipboard.new", dirfd, "clipboard") || fsync(dirfd)))
		rc = -errno;
	if (rc)
		goto fail;
	close(lk);
	return 0;
fail:
	log_error("clipboard: cannot write %s/clipboard: %s", c->cfg.runtime_dir, strerror(-rc));
	if (lk >= 0)
		close(lk);
	return rc;
}

/* Read and check the clipboard file, then empty it (a paste consumes it). Returns the text's length
 * (its bytes in *text, malloc'd; the source's name in source) or -errno when there is nothing
 * usable: -ENOENT no file, -EINVAL a file that is not a clipboard file (logged). */
static long take(struct clipboard *c, uint8_t **text, char source[DOMAIN_NAME_MAX + 1])
{
	int dirfd = open_dir(c);
	int lk = dirfd >= 0 ? lock(dirfd) : dirfd;
	if (lk < 0)
		return lk;
	long result = -EINVAL;
	uint8_t *buf = NULL;
	int fd = openat(dirfd, "clipboard", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0) {
		close(lk);
		return -ENOENT;
	}
	size_t max = CLIPBOARD_FILE_HEADER_MAX + c->cfg.limit;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		goto out;
	size_t off, size;
	if (clipboard_file_parse(buf, (size_t)st.st_size, c->cfg.limit, source, &off, &size))
		goto out;
	memmove(buf, buf + off, size);
	*text = buf;
	buf = NULL;
	result = (long)size;
out:
	if (result < 0)
		log_warn("clipboard: %s/clipboard is not a valid clipboard file: ignored",
			 c->cfg.runtime_dir);
	close(fd);
	unlinkat(dirfd, "clipboard", 0); /* pasted, or unusable: either way it is gone */
	free(buf);
	close(lk);
	return result;
}

/* Empty the inter-domain clipboard (a missing file is empty already). */
static void clear(struct clipboard *c)
{
	int dirfd = open_dir(c);
	int lk = dirfd >= 0 ? lock(dirfd) : dirfd;
	if (lk < 0)
		return;
	if (unlinkat(dirfd, "clipboard", 0) && errno != ENOENT)
		log_error("clipboard: cannot remove %s/clipboard: %s", c->cfg.runtime_dir,
			  strerror(errno));
	close(lk);
}

/* A copy the user asked for that brought no text: the inter-domain clipboard is emptied (as Qubes
 * does), so that an older copy is not pasted by mistake, and the notice says so. */
static void copy_failed(struct clipboard *c, enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void copy_failed(struct clipboard *c, enum log_level level, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	clear(c);
	notify(level, "%s; the inter-domain clipboard is now empty", why);
}

static void paste(struct clipboard *c, uint32_t window_id)
{
	uint8_t *text = NULL;
	char source[DOMAIN_NAME_MAX + 1];
	long n = take(c, &text, source);
	if (n < 0) {
		notify(LOG_INFO, "nothing to paste: the inter-domain clipboard is empty");
		return;
	}
	struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_DATA, .window = window_id};
	m.data = text;
	m.data_len = (uint32_t)n;
	session_send(c->session, &m);
	notify(LOG_INFO, "pasted %ld bytes copied in '%s' into '%s'", n, source, c->cfg.name);
	free(text);
}

bool clipboard_key(struct clipboard *c, uint32_t window_id, uint8_t keycode, uint16_t state,
		   bool press)
{
	if (!press) {
		/* The release of a key whose press was ours is ours too. */
		if (c->swallowed != keycode)
			return false;
		c->swallowed = 0;
		return true;
	}
	if (keyseq_match(&c->cfg.copy_keys, keycode, state)) {
		c->swallowed = keycode;
		c->requested_at = mono_ms();
		struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_REQ, .window = window_id};
		session_send(c->session, &m);
		return true;
	}
	if (keyseq_match(&c->cfg.paste_keys, keycode, state)) {
		c->swallowed = keycode;
		paste(c, window_id);
		return true;
	}
	return false;
}

void clipboard_data(struct clipboard *c, const uint8_t *data, uint32_t len)
{
	int64_t asked = c->requested_at;
	c->requested_at = 0;
	if (!asked || mono_ms() - asked > CLIPBOARD_REQUEST_TIMEOUT_MS) {
		log_limited(&c->unasked_limit, LOG_INFO,
			    "clipboard: dropped %u bytes nobody asked for", len);
		return;
	}
	const char *name = c->cfg.name;
	if (len == 0) {
		copy_failed(c, LOG_INFO, "nothing copied: '%s' has no clipboard text", name);
		return;
	}
	if (len > c->cfg.limit) {
		if (len == PROTO_CLIPBOARD_OVERSIZE_MARK)
			copy_failed(c, LOG_WARN,
				    "copy from '%s' refused: more than %u bytes (the limit is %u)",
				    name, PROTO_CLIPBOARD_MAX, c->cfg.limit);
		else
			copy_failed(c, LOG_WARN,
				    "copy from '%s' refused: %u bytes, more than the limit of %u",
				    name, len, c->cfg.limit);
		return;
	}
	uint8_t *text = malloc(len);
	if (!text) {
		copy_failed(c, LOG_WARN, "copy from '%s' refused: out of memory", name);
		return;
	}
	long n = proto_clipboard_sanitize(data, len, text);
	if (n < 0)
		copy_failed(c, LOG_WARN, "copy from '%s' refused: it is not UTF-8 text", name);
	else if (n == 0)
		copy_failed(c, LOG_INFO, "nothing copied: '%s' has only control characters", name);
	else if (store(c, text, (size_t)n) == 0)
		notify(LOG_INFO, "copied %ld bytes from '%s'", n, name);
	free(text);
}
