/* seam-gui-daemon's options: defaults, then the guest's configuration file, then the command line,
 * which wins. The policy defaults live here, each with the reason for its number. */
#ifndef SEAM_DAEMON_OPTIONS_H
#define SEAM_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "gui-daemon/keyseq.h"
#include "protocol/proto.h"
#include "common/domain.h"

/* A guest with more windows than this is hostile (a desktop session has a few dozen). */
#define OPTIONS_DEFAULT_MAX_WINDOWS 1024u
/* Default copy/paste limit: the protocol's largest clipboard (Qubes 1.8). */
#define OPTIONS_DEFAULT_CLIPBOARD_LIMIT PROTO_CLIPBOARD_MAX
/* Smallest limit: below this even a short paragraph would be refused. */
#define OPTIONS_MIN_CLIPBOARD_LIMIT 256u
/* Most times a second a window's pixels are drawn: a guest that damages its windows faster (a
 * flood of SHMIMAGE) has its rectangles merged into one frame, so the host X server keeps time for
 * other clients; 60 is a common display's refresh rate, more would not be seen. */
#define OPTIONS_DEFAULT_MAX_FPS 60u
#define OPTIONS_MAX_MAX_FPS	1000u
/* Where guests' configuration files are looked for when --config is not given. */
#define OPTIONS_CONFIG_DIR "/etc/seam/guests"

struct options {
	const char *name; /* argv's: the guest's name */
	struct domain_label label;
	const char *channel; /* points into channel_buf */
	const char *display; /* points into display_buf, or NULL for $DISPLAY */
	char channel_buf[128];
	char display_buf[64];
	int verbose; /* 0 warnings, 1 info, 2 debug */
	bool no_mit_shm;
	bool
	    allow_fullscreen; /* frameless full screen (Qubes' allow_fullscreen): see security.md */
	bool notifications;   /* the guest's desktop notifications are shown (default on) */
	uint32_t max_windows;
	uint64_t max_shm_bytes;
	uint32_t max_fps;
	char runtime_dir[256]; /* the directory holding the shared clipboard */
	uint32_t clipboard_limit;
	struct keyseq copy_keys, paste_keys; /* parsed only: keyseq_resolve() is the user's */
};

/* Fill o from the defaults, the configuration file (--config, or OPTIONS_CONFIG_DIR/NAME.conf if it
 * exists) and argv. o->name points into argv, which must outlive o. Returns 0 to run; 1 to exit
 * with status 0 (-h printed the usage, --check-config printed its verdict); or -EINVAL after one
 * line on stderr naming the problem (exit with CLI_USAGE_STATUS). */
int options_parse(int argc, char **argv, struct options *o);

#endif
