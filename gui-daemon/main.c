/* seam-gui-daemon: options, the host display, signals, least privilege, then the daemon's loop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/log.h"
#include "common/sysfilter.h"
#include "common/xconn.h"
#include "gui-daemon/daemon.h"
#include "gui-daemon/restrict.h"

#define PROG "seam-gui-daemon"
/* Xvfb (21.1) can drop a client that connects just as another leaves: try a few times. */
#define X_CONNECT_TRIES 3u

int main(int argc, char **argv)
{
	struct options opts;
	int rc = options_parse(argc, argv, &opts);
	if (rc)
		return rc > 0 ? 0 : CLI_USAGE_STATUS;
	log_init(PROG, opts.name,
		 opts.verbose >= 2 ? LOG_DEBUG
		 : opts.verbose	   ? LOG_INFO
				   : LOG_WARN);
	char why[256];
	xcb_connection_t *x;
	xcb_screen_t *screen;
	if (xconn_open(opts.display, X_CONNECT_TRIES, &x, &screen, why, sizeof(why))) {
		fprintf(stderr, PROG ": %s\n", why);
		return 1;
	}
	struct daemon *d;
	if (daemon_create(&opts, x, screen, &d, why, sizeof(why))) {
		fprintf(stderr, PROG ": %s\n", why);
		xcb_disconnect(x);
		return 1;
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		daemon_destroy(d);
		xcb_disconnect(x);
		return 1;
	}
	restrict_writes(opts.runtime_dir, session_socket_path(daemon_session(d)));
	if (sysfilter_install(SYSFILTER_GUI_DAEMON, why, sizeof(why))) {
		log_error("%s", why);
		daemon_destroy(d);
		close(sfd);
		xcb_disconnect(x);
		return 1;
	}
	log_info("serving guest '%s' (label %s) on %s", opts.name, opts.label.name, opts.channel);

	rc = daemon_run(d, sfd);
	daemon_destroy(d);
	close(sfd);
	xcb_disconnect(x);
	return rc > 0 ? 0 : 1;
}
