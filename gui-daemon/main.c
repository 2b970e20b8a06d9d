/* seam-gui-daemon: options, the host X connection, and the one poll loop. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <xcb/shm.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: seam-gui-daemon --name NAME --label LABEL --channel ADDRESS [options]\n"
		"Shows one guest's windows on the host display, framed in the guest's label color.\n"
		"\n"
		"  --name NAME        the guest's name (letters, digits, _ . -; at most 31 bytes)\n"
		"  --label LABEL      red, orange, yellow, green, gray, blue, purple, black or 0xRRGGBB\n"
		"  --channel ADDRESS  unix:PATH (listen there) or vchan:DOMID:PORT (Xen)\n"
		"  --display DISPLAY  the host X display (default: $DISPLAY)\n"
		"  --max-windows N    most windows the guest may have (default %u)\n"
		"  --max-shm MIB      most shared memory the guest may have mapped (default %llu)\n"
		"  --copy-keys KEYS   copy the guest's clipboard (default Ctrl-Shift-c; none)\n"
		"  --paste-keys KEYS  paste the inter-domain clipboard (default Ctrl-Shift-v; none)\n"
		"  --clipboard-limit BYTES  largest copy (%u to %u, default %u)\n"
		"  --runtime-dir DIR  where the inter-domain clipboard lives (default\n"
		"                     $XDG_RUNTIME_DIR/seam, else /run/user/UID/seam or /tmp/seam-UID)\n"
		"  --no-mit-shm       draw through the X socket, not shared memory (e.g. for a\n"
		"                     display forwarded over ssh, where MIT-SHM cannot work)\n"
		"  -v                 more log output (twice: debug)\n"
		"  -h, --help         this text\n",
		DAEMON_DEFAULT_MAX_WINDOWS, SHMBUF_DEFAULT_MAX_BYTES >> 20, DAEMON_MIN_CLIPBOARD_LIMIT,
		PROTO_CLIPBOARD_MAX, DAEMON_DEFAULT_CLIPBOARD_LIMIT);
}

/* One line on stderr naming the bad argument, and the usage exit status. */
static int bad_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_arg(const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seam-gui-daemon: %s (see seam-gui-daemon -h)\n", what);
	return 2;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > max || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct daemon_opts *o)
{
	static const struct option longopts[] = {
		{"name", required_argument, NULL, 'n'},	   {"label", required_argument, NULL, 'l'},
		{"channel", required_argument, NULL, 'c'}, {"display", required_argument, NULL, 'd'},
		{"max-windows", required_argument, NULL, 'W'},
		{"max-shm", required_argument, NULL, 'M'}, {"help", no_argument, NULL, 'h'},
		{"no-mit-shm", no_argument, NULL, 'S'},
		{"copy-keys", required_argument, NULL, 'C'},
		{"paste-keys", required_argument, NULL, 'P'},
		{"clipboard-limit", required_argument, NULL, 'L'},
		{"runtime-dir", required_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	const char *label = NULL;
	uint64_t v;
	o->max_windows = DAEMON_DEFAULT_MAX_WINDOWS;
	o->clipboard_limit = DAEMON_DEFAULT_CLIPBOARD_LIMIT;
	daemon_clipboard_parse_keys("Ctrl-Shift-c", &o->copy_keys);
	daemon_clipboard_parse_keys("Ctrl-Shift-v", &o->paste_keys);
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char userdir[64];
	snprintf(userdir, sizeof(userdir), "/run/user/%u", (unsigned)getuid());
	if (runtime && *runtime)
		snprintf(o->clipboard_dir, sizeof(o->clipboard_dir), "%s/seam", runtime);
	else if (access(userdir, W_OK) == 0)
		snprintf(o->clipboard_dir, sizeof(o->clipboard_dir), "%s/seam", userdir);
	else
		snprintf(o->clipboard_dir, sizeof(o->clipboard_dir), "/tmp/seam-%u",
			 (unsigned)getuid());
	o->max_shm_bytes = SHMBUF_DEFAULT_MAX_BYTES;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o->name = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'c':
			o->channel = optarg;
			break;
		case 'd':
			o->display = optarg;
			break;
		case 'W':
			if (parse_uint(optarg, 65536, &v))
				return bad_arg("--max-windows '%s': expected a number from 1 to 65536",
					       optarg);
			o->max_windows = (uint32_t)v;
			break;
		case 'M':
			if (parse_uint(optarg, 1u << 20, &v))
				return bad_arg("--max-shm '%s': expected MiB from 1 to 1048576", optarg);
			o->max_shm_bytes = v << 20;
			break;
		case 'S':
			o->no_mit_shm = true;
			break;
		case 'C':
		case 'P':
			if (daemon_clipboard_parse_keys(optarg,
							ch == 'C' ? &o->copy_keys : &o->paste_keys))
				return bad_arg("%s '%s': expected e.g. Ctrl-Shift-c (modifiers Ctrl, "
					       "Shift, Alt, Super and a letter or digit) or none",
					       ch == 'C' ? "--copy-keys" : "--paste-keys", optarg);
			break;
		case 'L':
			if (parse_uint(optarg, PROTO_CLIPBOARD_MAX, &v) ||
			    v < DAEMON_MIN_CLIPBOARD_LIMIT)
				return bad_arg("--clipboard-limit '%s': expected bytes from %u to %u",
					       optarg, DAEMON_MIN_CLIPBOARD_LIMIT, PROTO_CLIPBOARD_MAX);
			o->clipboard_limit = (uint32_t)v;
			break;
		case 'R':
			if (strlen(optarg) >= sizeof(o->clipboard_dir) || optarg[0] != '/')
				return bad_arg("--runtime-dir '%s': expected an absolute path", optarg);
			snprintf(o->clipboard_dir, sizeof(o->clipboard_dir), "%s", optarg);
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return bad_arg("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_arg("unexpected argument '%s'", argv[optind]);
	if (!o->name)
		return bad_arg("%s", "--name is required");
	if (!decor_name_valid(o->name))
		return bad_arg("--name '%s': 1 to 31 letters, digits, _ . -, starting with a letter",
			       o->name);
	if (!label)
		return bad_arg("%s", "--label is required");
	if (decor_label_parse(label, &o->label))
		return bad_arg("--label '%s': expected red, orange, yellow, green, gray, blue, "
			       "purple, black or 0xRRGGBB",
			       label);
	if (!o->channel)
		return bad_arg("%s", "--channel is required");
	return 0;
}

static void handle_x(struct daemon *d)
{
	xcb_generic_event_t *ev;
	while ((ev = xcb_poll_for_event(d->x))) {
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
}

int main(int argc, char **argv)
{
	static struct daemon d;
	int rc = parse_args(argc, argv, &d.opts);
	if (rc)
		return rc;
	log_init("seam-gui-daemon", d.opts.name,
		 d.opts.verbose >= 2 ? LOG_DEBUG : d.opts.verbose ? LOG_INFO : LOG_WARN);
	if (daemon_connect_x(&d))
		return 1;

	struct shmbuf_limits lim = {d.opts.max_shm_bytes, SHMBUF_DEFAULT_MAX_BUFFERS};
	if (shmbuf_pool_create(&lim, 0, &d.pool)) {
		log_error("out of memory");
		return 1;
	}
	struct chan_config cfg;
	daemon_conn_config(&d, &cfg);
	if (chan_open(d.opts.channel, CHAN_HOST, &cfg, &d.chan)) {
		fprintf(stderr, "seam-gui-daemon: cannot open the channel '%s'\n", d.opts.channel);
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
		if (poll(pfd, 3, d.backlog ? 0 : chan_timeout_ms(d.chan)) < 0 && errno != EINTR) {
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
