/* seam-gui-agent's command line. */
#ifndef SEAM_AGENT_OPTIONS_H
#define SEAM_AGENT_OPTIONS_H

#include <stdbool.h>

/* Default --close-timeout: long enough for a client to ask "save changes?", short enough that a
 * hung client does not keep a window the user closed. */
#define OPTIONS_CLOSE_TIMEOUT_S	    5
#define OPTIONS_MAX_CLOSE_TIMEOUT_S 3600

struct options {
	const char *channel; /* unix:PATH or vchan:DOMID:PORT (points into argv) */
	const char *display; /* NULL: $DISPLAY */
	int close_timeout_s;
	bool notifications; /* serve org.freedesktop.Notifications on the guest's session bus */
	/* the guest driver's socket (gui-agent/capture.h); NULL: the default; "none": never */
	const char *driver_socket;
	int verbose; /* how many -v */
};

/* Fill o from argv. 0: run; 1: -h was answered on stdout; CLI_USAGE_STATUS: a usage error was
 * printed on stderr (common/cli.h). */
int options_parse(int argc, char **argv, struct options *o);

#endif
