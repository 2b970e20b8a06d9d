/* The inter-domain clipboard: text moves between domains only when the user presses the copy keys
 * in one domain's window and the paste keys in another's. It is kept in one file under the runtime
 * directory, shared by every daemon (one per guest) and validated again by whoever reads it. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

#define CLIP_MAGIC "SEAM-CLIPBOARD 1\n"
/* Longest header: magic, "source " + a 31-byte name, "size " + digits, and a blank line. */
#define CLIP_HEADER_MAX 96u
/* An agent that does not answer a copy within this long gets its late answer dropped. */
#define CLIP_REQUEST_TIMEOUT_MS 5000

extern char **environ;

/* X modifier bits that count in a key sequence (NumLock and CapsLock never do). */
#define MOD_MASK (XCB_MOD_MASK_SHIFT | XCB_MOD_MASK_CONTROL | XCB_MOD_MASK_1 | XCB_MOD_MASK_4)

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Tell the user: a log line, and a desktop notification where notify-send exists. */
static void notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void notify(const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_warn("clipboard: %s", text);
	char *argv[] = {"notify-send", "--app-name=Seam", "Seam clipboard", text, NULL};
	pid_t pid;
	posix_spawnp(&pid, "notify-send", NULL, NULL, argv, environ); /* SIGCHLD is ignored */
}

int daemon_clipboard_parse_keys(const char *spec, struct daemon_keyseq *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(spec, "none") || !strcmp(spec, "disable"))
		return 0;
	char buf[64];
	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	char *save = NULL, *part = strtok_r(buf, "-", &save), *next;
	for (; part; part = next) {
		next = strtok_r(NULL, "-", &save);
		if (!next) {
			/* The key itself: one letter or digit. */
			if (strlen(part) != 1 || !((part[0] >= 'a' && part[0] <= 'z') ||
						   (part[0] >= '0' && part[0] <= '9')))
				return -1;
			out->keysym = (uint32_t)part[0];
		} else if (!strcasecmp(part, "ctrl") || !strcasecmp(part, "control")) {
			out->mods |= XCB_MOD_MASK_CONTROL;
		} else if (!strcasecmp(part, "shift")) {
			out->mods |= XCB_MOD_MASK_SHIFT;
		} else if (!strcasecmp(part, "alt") || !strcasecmp(part, "mod1")) {
			out->mods |= XCB_MOD_MASK_1;
		} else if (!strcasecmp(part, "super") || !strcasecmp(part, "mod4")) {
			out->mods |= XCB_MOD_MASK_4;
		} else {
			return -1;
		}
	}
	/* A plain key would take the key away from every guest: a modifier is required. */
	return out->keysym && out->mods ? 0 : -1;
}

/* The keycodes whose keysyms include the sequence's key, from the host keyboard mapping. */
static void find_keycodes(struct daemon *d, struct daemon_keyseq *k)
{
	k->nkeycodes = 0;
	if (!k->keysym)
		return;
	const xcb_setup_t *setup = xcb_get_setup(d->x);
	uint8_t first = setup->min_keycode, count = (uint8_t)(setup->max_keycode - first + 1);
	xcb_get_keyboard_mapping_reply_t *r = xcb_get_keyboard_mapping_reply(
		d->x, xcb_get_keyboard_mapping(d->x, first, count), NULL);
	if (!r)
		return;
	xcb_keysym_t *syms = xcb_get_keyboard_mapping_keysyms(r);
	for (unsigned i = 0; i < count && k->nkeycodes < DAEMON_KEYSEQ_KEYCODES; i++)
		for (unsigned j = 0; j < r->keysyms_per_keycode; j++)
			if (syms[i * r->keysyms_per_keycode + j] == k->keysym) {
				k->keycodes[k->nkeycodes++] = (uint8_t)(first + i);
				break;
			}
	free(r);
}

static bool matches(const struct daemon_keyseq *k, uint8_t keycode, uint16_t state)
{
	if (!k->nkeycodes || (state & MOD_MASK) != k->mods)
		return false;
	for (unsigned i = 0; i < k->nkeycodes; i++)
		if (k->keycodes[i] == keycode)
			return true;
	return false;
}

/* The runtime directory: created private, and refused if someone else could write into it. */
static int open_dir(struct daemon *d)
{
	if (d->clip_dirfd >= 0)
		return d->clip_dirfd;
	mkdir(d->opts.clipboard_dir, 0700);
	int fd = open(d->opts.clipboard_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 0077)) {
		log_error("clipboard: %s must be a directory of ours with mode 0700",
			  d->opts.clipboard_dir);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	d->clip_dirfd = fd;
	return fd;
}

/* Serialize the daemons' reads and writes of the clipboard. Returns the lock's fd, or -1. */
static int lock(int dirfd)
{
	int fd = openat(dirfd, "clipboard.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int store(struct daemon *d, const uint8_t *text, size_t len)
{
	int dirfd = open_dir(d);
	if (dirfd < 0)
		return -1;
	char header[CLIP_HEADER_MAX];
	int hlen = snprintf(header, sizeof(header), CLIP_MAGIC "source %s\nsize %zu\n\n",
			    d->opts.name, len);
	int lk = lock(dirfd);
	if (lk < 0 || hlen < 0 || (size_t)hlen >= sizeof(header))
		goto fail;
	/* Write a new file and rename it over the old one: a reader sees all or nothing. */
	int fd = openat(dirfd, "clipboard.new", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
			0600);
	if (fd < 0)
		goto fail;
	bool ok = write(fd, header, (size_t)hlen) == hlen &&
		  (len == 0 || write(fd, text, len) == (ssize_t)len) && fsync(fd) == 0;
	close(fd);
	if (!ok || renameat(dirfd, "clipboard.new", dirfd, "clipboard") || fsync(dirfd))
		goto fail;
	close(lk);
	return 0;
fail:
	log_error("clipboard: cannot write %s/clipboard: %s", d->opts.clipboard_dir, strerror(errno));
	if (lk >= 0)
		close(lk);
	return -1;
}

/* The header a daemon writes, parsed strictly: CLIP_MAGIC, "source NAME\n", "size N\n", "\n".
 * Returns the offset of the text, or 0 if the header is not exactly that. */
static size_t parse_header(const char *p, size_t avail, char name[DOMAIN_NAME_MAX + 1], size_t *size)
{
	size_t m = strlen(CLIP_MAGIC), i = m + 7, n = 0;
	if (avail < i || memcmp(p, CLIP_MAGIC, m) || memcmp(p + m, "source ", 7))
		return 0;
	while (i < avail && p[i] != '\n' && n < DOMAIN_NAME_MAX)
		name[n++] = p[i++];
	name[n] = '\0';
	if (i >= avail || p[i] != '\n' || !domain_name_valid(name))
		return 0;
	i++;
	if (avail < i + 5 || memcmp(p + i, "size ", 5))
		return 0;
	i += 5;
	size_t v = 0, digits = 0;
	for (; i < avail && p[i] >= '0' && p[i] <= '9' && digits < 9; i++, digits++)
		v = v * 10 + (size_t)(p[i] - '0');
	if (!digits || avail < i + 2 || p[i] != '\n' || p[i + 1] != '\n')
		return 0;
	*size = v;
	return i + 2;
}

/* Read and check the clipboard file, then empty it (a paste consumes it). Returns the text's length
 * (its bytes in *text, malloc'd; the source's name in source) or -1 when there is nothing usable. */
static long take(struct daemon *d, uint8_t **text, char source[DOMAIN_NAME_MAX + 1])
{
	int dirfd = open_dir(d);
	int lk = dirfd >= 0 ? lock(dirfd) : -1;
	if (lk < 0)
		return -1;
	long result = -1;
	uint8_t *buf = NULL;
	int fd = openat(dirfd, "clipboard", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0) {
		close(lk);
		return -1;
	}
	size_t max = CLIP_HEADER_MAX + d->opts.clipboard_limit;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		goto out;
	buf[st.st_size] = '\0';
	/* Never trusted: the header must be exactly what a daemon writes, the text must be clean. */
	char name[DOMAIN_NAME_MAX + 1];
	size_t size = 0;
	size_t off = parse_header((const char *)buf, (size_t)st.st_size, name, &size);
	if (!off || size > d->opts.clipboard_limit || off + size != (size_t)st.st_size ||
	    proto_clipboard_sanitize(buf + off, size, buf + off) != (long)size)
		goto out;
	memmove(buf, buf + off, size);
	snprintf(source, DOMAIN_NAME_MAX + 1, "%s", name);
	*text = buf;
	buf = NULL;
	result = (long)size;
out:
	if (result < 0 && fd >= 0)
		log_warn("clipboard: %s/clipboard is not a valid clipboard file: ignored",
			 d->opts.clipboard_dir);
	close(fd);
	unlinkat(dirfd, "clipboard", 0); /* pasted, or unusable: either way it is gone */
	free(buf);
	close(lk);
	return result;
}

void daemon_clipboard_init(struct daemon *d)
{
	d->clip_dirfd = -1;
	find_keycodes(d, &d->opts.copy_keys);
	find_keycodes(d, &d->opts.paste_keys);
}

bool daemon_clipboard_key(struct daemon *d, struct dwin *w, uint8_t keycode, uint16_t state,
			  bool press)
{
	if (!press) {
		/* The release of a key whose press was ours is ours too. */
		if (d->clip_swallowed != keycode)
			return false;
		d->clip_swallowed = 0;
		return true;
	}
	if (matches(&d->opts.copy_keys, keycode, state)) {
		d->clip_swallowed = keycode;
		d->clip_requested_at = now_ms();
		struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_REQ, .window = w->id};
		daemon_send(d, &m);
		return true;
	}
	if (matches(&d->opts.paste_keys, keycode, state)) {
		d->clip_swallowed = keycode;
		uint8_t *text = NULL;
		char source[DOMAIN_NAME_MAX + 1];
		long n = take(d, &text, source);
		if (n < 0) {
			notify("nothing to paste: the inter-domain clipboard is empty");
			return true;
		}
		struct proto_msg m = {.type = PROTO_MSG_CLIPBOARD_DATA, .window = w->id};
		m.data = text;
		m.data_len = (uint32_t)n;
		daemon_send(d, &m);
		notify("pasted %ld bytes copied in '%s' into '%s'", n, source, d->opts.name);
		free(text);
		return true;
	}
	return false;
}

void daemon_clipboard_data(struct daemon *d, const uint8_t *data, uint32_t len)
{
	int64_t asked = d->clip_requested_at;
	d->clip_requested_at = 0;
	if (!asked || now_ms() - asked > CLIP_REQUEST_TIMEOUT_MS) {
		log_info("clipboard: dropped %u bytes nobody asked for", len);
		return;
	}
	if (len == 0) {
		notify("nothing to copy: '%s' has no clipboard text", d->opts.name);
		return;
	}
	if (len > d->opts.clipboard_limit) {
		if (len == PROTO_CLIPBOARD_OVERSIZE_MARK)
			notify("copy from '%s' refused: more than %u bytes (the limit is %u)",
			       d->opts.name, PROTO_CLIPBOARD_MAX, d->opts.clipboard_limit);
		else
			notify("copy from '%s' refused: %u bytes, more than the limit of %u",
			       d->opts.name, len, d->opts.clipboard_limit);
		return;
	}
	uint8_t *text = malloc(len);
	if (!text)
		return;
	long n = proto_clipboard_sanitize(data, len, text);
	if (n < 0)
		notify("copy from '%s' refused: it is not UTF-8 text", d->opts.name);
	else if (store(d, text, (size_t)n) == 0)
		notify("copied %ld bytes from '%s'", n, d->opts.name);
	free(text);
}

void daemon_clipboard_fini(struct daemon *d)
{
	if (d->clip_dirfd >= 0)
		close(d->clip_dirfd);
	d->clip_dirfd = -1;
}
