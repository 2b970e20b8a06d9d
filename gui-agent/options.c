/* seam-gui-agent's options (gui-agent/options.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cli.h"
#include "gui-agent/options.h"

static const char prog[] = "seam-gui-agent";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-gui-agent --channel unix:PATH|vchan:DOMID:PORT [--display D]\n"
	    "                      [--close-timeout SECONDS] [--notifications]\n"
	    "                      [--driver-socket PATH|none] [-v [-v]] [-h]\n"
	    "The guest side of Seam: the window manager of the guest X server ($DISPLAY or\n"
	    "--display), forwarding its windows to the host daemon on the channel.\n"
	    "  --close-timeout S  after the host closes a window, kill its client if the window\n"
	    "                     still exists S seconds after WM_DELETE_WINDOW (default %d)\n"
	    "  --notifications    serve the guest's desktop notifications on its session bus\n"
	    "                     (DBUS_SESSION_BUS_ADDRESS) and send them to the host, while\n"
	    "                     the daemon takes them\n"
	    "  --driver-socket P  the guest X driver seam_drv's socket (default:\n"
	    "                     $XDG_RUNTIME_DIR/seam-drv-N for display :N); where it answers,\n"
	    "                     windows are passed without ShmGetImage; none: never ask\n"
	    "  -v                 log more (-v: info, -v -v: debug)\n",
	    OPTIONS_CLOSE_TIMEOUT_S);
}

int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"display", required_argument, NULL, 'd'},
	    {"close-timeout", required_argument, NULL, 't'},
	    {"notifications", no_argument, NULL, 'N'},
	    {"driver-socket", required_argument, NULL, 's'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	*o = (struct options){.close_timeout_s = OPTIONS_CLOSE_TIMEOUT_S};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->channel = optarg;
			break;
		case 'd':
			o->display = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 ||
			    v > OPTIONS_MAX_CLOSE_TIMEOUT_S)
				return cli_usage_error(
				    prog, "--close-timeout '%s': expected whole seconds 0..%d",
				    optarg, OPTIONS_MAX_CLOSE_TIMEOUT_S);
			o->close_timeout_s = (int)v;
			break;
		}
		case 'N':
			o->notifications = true;
			break;
		case 's':
			o->driver_socket = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return cli_usage_error(prog, "%s needs an argument", argv[optind - 1]);
		default:
			return cli_usage_error(prog, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(prog, "unexpected argument '%s'", argv[optind]);
	if (!o->channel)
		return cli_usage_error(prog, "--channel unix:PATH or vchan:DOMID:PORT is required");
	return 0;
}
