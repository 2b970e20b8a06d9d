/* seam-audio-agent: options, the guest PulseAudio connection (kept up across server restarts),
 * signals, and the one loop. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/agent.h"
#include "audio/program.h"
#include "common/cli.h"
#include "common/log.h"

#define PROG "seam-audio-agent"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-audio-agent --channel ADDRESS [--rate 44100|48000] [-v]\n"
	    "Gives the guest's PulseAudio a default sink (\"%s\") whose sound plays on the host,\n"
	    "and a default source (\"%s\") that carries the host's microphone when the host\n"
	    "allows it.\n"
	    "\n"
	    "  --channel ADDRESS  unix:PATH (connect there) or vchan:DOMID:PORT (Xen)\n"
	    "  --rate RATE        the sample rate of the guest sink and the stream (default %u)\n"
	    "  -v                 more log output (twice: debug)\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "The PulseAudio server is $PULSE_SERVER, or libpulse's default.\n",
	    AGENT_SINK, AGENT_MIC, AUDIO_RATE_DEFAULT);
}

static int parse_args(int argc, char **argv, struct agent_opts *o)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"rate", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	o->rate = AUDIO_RATE_DEFAULT;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->channel = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "44100") == 0)
				o->rate = AUDIO_RATE_44100;
			else if (strcmp(optarg, "48000") == 0)
				o->rate = AUDIO_RATE_48000;
			else
				return cli_usage_error(PROG, "--rate '%s': expected 44100 or 48000",
						       optarg);
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
	if (!o->channel)
		return cli_usage_error(PROG, "--channel is required");
	return 0;
}

/* ---- The PulseAudio context (audio/pulse.c reconnects it) ---------------------------------------
 */

static void pulse_ready(void *user)
{
	agent_devices_setup(user);
}

/* Every stream and device on the context goes with it. */
static void pulse_drop(void *user)
{
	struct agent *a = user;
	agent_play_close(a);
	agent_mic_close(a);
	a->devices_ready = false;
	a->guest_playing = false;
	a->guest_recording = false;
	a->scan_running = a->scan_again = false;
	for (size_t i = 0; i < sizeof(a->owned_modules) / sizeof(a->owned_modules[0]); i++)
		a->owned_modules[i] = PA_INVALID_INDEX;
	/* The host hears silence, not the last chunk again. */
	agent_play_update(a);
	agent_mic_update(a);
}

int main(int argc, char **argv)
{
	struct agent *a = calloc(1, sizeof(*a));
	if (!a) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	int rc = parse_args(argc, argv, &a->opts);
	if (rc) {
		free(a);
		return rc;
	}
	log_init(PROG, NULL, log_level_for_verbosity(a->opts.verbose));
	signal(SIGPIPE, SIG_IGN);
	a->conn = AGENT_CONN_WAITING;
	for (size_t i = 0; i < sizeof(a->owned_modules) / sizeof(a->owned_modules[0]); i++)
		a->owned_modules[i] = PA_INVALID_INDEX;

	struct chan_config cfg;
	agent_conn_config(a, &cfg);
	const struct audio_program prog = {.name = PROG,
					   .channel = a->opts.channel,
					   .side = CHAN_GUEST,
					   .cfg = &cfg,
					   .on_chan = agent_conn_event,
					   .app_name = "Seam audio agent",
					   .app_id = "org.seam.audio-agent",
					   .retry_ms = AGENT_PULSE_RETRY_MS,
					   .on_ready = pulse_ready,
					   .on_drop = pulse_drop,
					   .user = a,
					   .filter = SYSFILTER_AUDIO_AGENT};
	if (audio_program_open(&prog, &a->loop, &a->api, &a->chan, &a->pulse)) {
		free(a);
		return 1;
	}
	log_info("serving the guest's audio on %s (s16le %u Hz stereo)", a->opts.channel,
		 a->opts.rate);

	rc = audio_loop_run(a->loop);

	agent_play_close(a);
	agent_mic_close(a);
	agent_devices_unload(a);
	audio_program_close(a->loop, a->chan, &a->pulse);
	free(a);
	return rc;
}
