/* Raw wire I/O for the Qubes-behaviour test peers (qwire.h). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "qwire.h"

int64_t q_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool q_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, ms) > 0;
}

bool q_read(int fd, void *buf, size_t n, int64_t deadline_ms)
{
	if (!deadline_ms)
		deadline_ms = q_now_ms() + Q_TIMEOUT_S * 1000;
	uint8_t *p = buf;
	while (n) {
		int64_t left = deadline_ms - q_now_ms();
		if (left <= 0 || !q_readable(fd, (int)left))
			return false;
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

bool q_write(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

bool q_send(int fd, uint32_t type, uint32_t window, const void *body, uint32_t len)
{
	struct q_hdr h = {type, window, len};
	return q_write(fd, &h, sizeof(h)) && (!len || q_write(fd, body, len));
}

void q_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void q_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("fatal: ");
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

const char *q_type_name(uint32_t type)
{
	static const char *const names[] = {
	    "KEYPRESS",	      "BUTTON",		"MOTION",   "CROSSING",	     "FOCUS",
	    "RESIZE",	      "CREATE",		"DESTROY",  "MAP",	     "UNMAP",
	    "CONFIGURE",      "MFNDUMP",	"SHMIMAGE", "CLOSE",	     "EXECUTE",
	    "CLIPBOARD_REQ",  "CLIPBOARD_DATA", "WMNAME",   "KEYMAP_NOTIFY", "DOCK",
	    "WINDOW_HINTS",   "WINDOW_FLAGS",	"WMCLASS",  "WINDOW_DUMP",   "CURSOR",
	    "WINDOW_DUMP_ACK"};
	if (type >= Q_KEYPRESS && type < Q_MAX)
		return names[type - Q_KEYPRESS];
	return "UNKNOWN";
}
