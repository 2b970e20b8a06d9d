/* seam-gui-daemon: start-up and the one poll loop. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <xcb/shm.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

static void x_event(struct daemon *d, xcb_generic_event_t *ev)
{
	if (ev->response_type == 0) {
		/* An X error caused by a guest-driven request never ends the daemon. */
		xcb_generic_error_t *e = (xcb_generic_error_t *)ev;
		log_debug("X error %u on request %u.%u (resource 0x%x)", e->error_code,
			  e->major_code, e->minor_code, e->resource_id);
	} else {
		daemon_input_event(d, ev);
	}
	free(ev);
}

static void handle_x(struct daemon *d)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(d->x)))
		x_event(d, ev);
}

int main(int argc, char **argv)
{
	static struct daemon d;
	int rc = daemon_options(argc, argv, &d.opts);
	if (rc)
		return rc < 0 ? 0 : rc;
	log_init("seam-gui-daemon", d.opts.name,
		 d.opts.verbose >= 2 ? LOG_DEBUG : d.opts.verbose ? LOG_INFO : LOG_WARN);
	if (daemon_connect_x(&d))
		return 1;

	struct chan_config cfg;
	daemon_conn_config(&d, &cfg);
	if (chan_open(d.opts.channel, CHAN_HOST, &cfg, &d.chan)) {
		fprintf(stderr, "seam-gui-daemon: cannot open the channel '%s'\n", d.opts.channel);
		return 1;
	}
	/* Grant refs are looked up in the channel's domain: the guest's word never names one. */
	struct shmbuf_limits lim = {d.opts.max_shm_bytes, SHMBUF_DEFAULT_MAX_BUFFERS};
	if (shmbuf_pool_create(&lim, chan_peer_domid(d.chan), &d.pool)) {
		log_error("out of memory");
		return 1;
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* notify-send children are never waited for */
	daemon_clipboard_init(&d);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	daemon_restrict(&d);
	log_info("serving guest '%s' (label %s) on %s", d.opts.name, d.opts.label.name,
		 d.opts.channel);

	while (!d.quit) {
		struct pollfd pfd[3];
		pfd[0] = (struct pollfd){.fd = xcb_get_file_descriptor(d.x), .events = POLLIN};
		chan_pollfd(d.chan, &pfd[1]);
		pfd[2] = (struct pollfd){.fd = sfd, .events = POLLIN};
		int timeout = d.backlog ? 0 : chan_timeout_ms(d.chan);
		/* A round trip or a flush that had to wait may have read events into xcb's queue,
		 * where poll() cannot see them: handle them now and do not sleep this turn. */
		xcb_generic_event_t *queued = xcb_poll_for_queued_event(d.x);
		if (queued) {
			x_event(&d, queued);
			timeout = 0;
		}
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		if (pfd[2].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				log_info("signal %u: exiting", si.ssi_signo);
			break;
		}
		/* Host input first: a guest flooding messages cannot starve the user's events. */
		handle_x(&d);
		daemon_conn_event(&d, chan_dispatch(d.chan, pfd[1].revents));
		handle_x(&d);
		if (xcb_connection_has_error(d.x)) {
			log_error("lost the connection to the host X server");
			rc = 1;
			break;
		}
		xcb_flush(d.x);
	}
	daemon_window_destroy_all(&d);
	daemon_clipboard_fini(&d);
	shmbuf_pool_destroy(d.pool);
	chan_close(d.chan);
	xcb_disconnect(d.x);
	return rc;
}
