/* seam-audio-daemon: options, the host PulseAudio connection (kept up across server restarts), the
 * policy signals, and the one loop. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/daemon.h"
#include "audio/program.h"
#include "common/cli.h"
#include "common/config.h"
#include "common/domain.h"
#include "common/log.h"

#define PROG "seam-audio-daemon"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-audio-daemon --name NAME [--channel ADDRESS] [--allow-mic] [-v]\n"
	    "Plays one guest's audio on the host's PulseAudio (a stream named \"[NAME] audio\")\n"
	    "and, when allowed, sends the host's default source to the guest as its microphone.\n"
	    "\n"
	    "  --name NAME        the guest's name (letters, digits, _ . -; at most 32 bytes)\n"
	    "  --channel ADDRESS  unix:PATH (listen there) or vchan:DOMID:PORT (Xen)\n"
	    "  --allow-mic        allow the microphone from the start (default: denied)\n"
	    "  --config FILE      read audio_channel, allow_mic and log_level from FILE (default:\n"
	    "                     /etc/seam/guests/NAME.conf if it exists); options here win\n"
	    "  --check-config     check the configuration and the options, then exit\n"
	    "  -v                 more log output (twice: debug)\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Signals: SIGUSR1 allows the microphone, SIGUSR2 denies it; SIGTERM/SIGINT exit.\n"
	    "The PulseAudio server is $PULSE_SERVER, or libpulse's default.\n");
}

/* The guest's configuration file, shared with seam-gui-daemon: only the audio keys are ours. The
 * channel's address is kept in the options (file_channel), which outlive the parse. */
struct guest_file {
	struct daemon_opts *o;
	bool allow_mic;
	int verbose;
};

static int config_key(void *ctx, const char *key, const char *value, char *why, size_t why_len)
{
	struct guest_file *c = ctx;
	if (!strcmp(key, "audio_channel")) {
		if (strlen(value) >= sizeof(c->o->file_channel)) {
			snprintf(why, why_len, "the address is too long");
			return -1;
		}
		snprintf(c->o->file_channel, sizeof(c->o->file_channel), "%s", value);
	} else if (!strcmp(key, "allow_mic")) {
		return config_bool(value, &c->allow_mic, why, why_len);
	} else if (!strcmp(key, "log_level")) {
		if (!strcmp(value, "warning"))
			c->verbose = 0;
		else if (!strcmp(value, "info"))
			c->verbose = 1;
		else if (!strcmp(value, "debug"))
			c->verbose = 2;
		else {
			snprintf(why, why_len, "'%s': expected warning, info or debug", value);
			return -1;
		}
	}
	/* Every other key belongs to seam-gui-daemon, which checks it. */
	return 0;
}

static int parse_args(int argc, char **argv, struct daemon_opts *o)
{
	static const struct option longopts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"channel", required_argument, NULL, 'c'},
	    {"allow-mic", no_argument, NULL, 'm'},
	    {"config", required_argument, NULL, 'F'},
	    {"check-config", no_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL;
	bool check = false;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o->name = optarg;
			break;
		case 'c':
			o->channel = optarg;
			break;
		case 'm':
			o->allow_mic = true;
			break;
		case 'F':
			config = optarg;
			break;
		case 'K':
			check = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return cli_usage_error(PROG, "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(PROG, "unexpected argument '%s'", argv[optind]);
	if (!o->name)
		return cli_usage_error(PROG, "--name is required");
	if (!domain_name_valid(o->name))
		return cli_usage_error(PROG, "--name '%s': " DOMAIN_NAME_RULE, o->name);
	struct guest_file c = {.o = o};
	char path[256], err[512];
	snprintf(path, sizeof(path), "%s", config ? config : "");
	if (!config)
		snprintf(path, sizeof(path), "/etc/seam/guests/%s.conf", o->name);
	if (config_parse_file(path, config ? 0 : CONFIG_MISSING_OK, config_key, &c, err,
			      sizeof(err)))
		return cli_error(PROG, "%s", err);
	/* The command line wins over the file. */
	if (!o->channel && o->file_channel[0])
		o->channel = o->file_channel;
	if (c.allow_mic)
		o->allow_mic = true;
	if (!o->verbose)
		o->verbose = c.verbose;
	if (!o->channel)
		return cli_usage_error(
		    PROG, "--channel is required (on the command line, or as audio_channel in %s)",
		    path);
	if (check) {
		printf("seam-audio-daemon: configuration of '%s' is valid (channel %s, microphone "
		       "%s)\n",
		       o->name, o->channel, o->allow_mic ? "allowed" : "denied");
		exit(0);
	}
	return 0;
}

/* ---- The PulseAudio context (audio/pulse.c reconnects it) ---------------------------------------
 */

static void pulse_ready(void *user)
{
	daemon_pulse_ready(user);
}

/* Every stream on the context goes with it. */
static void pulse_drop(void *user)
{
	struct daemon *d = user;
	daemon_play_close(d);
	daemon_mic_stop(d);
}

/* ---- Signals ------------------------------------------------------------------------------------
 */

/* The host's microphone policy: SIGUSR1 allows it, SIGUSR2 denies it. */
static void signal_cb(pa_mainloop_api *api, pa_signal_event *e, int sig, void *userdata)
{
	(void)api;
	(void)e;
	daemon_set_mic_allowed(userdata, sig == SIGUSR1, sig == SIGUSR1 ? "SIGUSR1" : "SIGUSR2");
}

int main(int argc, char **argv)
{
	struct daemon *d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	int rc = parse_args(argc, argv, &d->opts);
	if (rc) {
		free(d);
		return rc;
	}
	log_init(PROG, d->opts.name, log_level_for_verbosity(d->opts.verbose));
	snprintf(d->stream_name, sizeof(d->stream_name), "[%s] audio", d->opts.name);
	signal(SIGPIPE, SIG_IGN);
	audio_session_init(&d->session, d->opts.allow_mic);

	struct chan_config cfg;
	daemon_conn_config(d, &cfg);
	static const int sigs[] = {SIGUSR1, SIGUSR2};
	const struct audio_program prog = {.name = PROG,
					   .channel = d->opts.channel,
					   .side = CHAN_HOST,
					   .cfg = &cfg,
					   .on_chan = daemon_conn_event,
					   .signals = sigs,
					   .nsignals = sizeof(sigs) / sizeof(sigs[0]),
					   .on_signal = signal_cb,
					   .app_name = d->stream_name,
					   .app_id = "org.seam.audio-daemon",
					   .retry_ms = DAEMON_PULSE_RETRY_MS,
					   .on_ready = pulse_ready,
					   .on_drop = pulse_drop,
					   .user = d,
					   .filter = SYSFILTER_AUDIO_DAEMON};
	if (audio_program_open(&prog, &d->loop, &d->api, &d->chan, &d->pulse)) {
		free(d);
		return 1;
	}
	log_info("serving guest '%s' on %s; microphone %s", d->opts.name, d->opts.channel,
		 d->opts.allow_mic ? "allowed" : "denied");

	rc = audio_loop_run(d->loop);

	daemon_run_actions(d, audio_session_disconnect(&d->session), NULL);
	audio_program_close(d->loop, d->chan, &d->pulse);
	free(d);
	return rc;
}
