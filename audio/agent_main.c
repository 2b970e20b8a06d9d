/* seam-audio-agent: options, the guest PulseAudio connection (kept up across server restarts),
 * signals, and the one loop. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pulse/mainloop-signal.h>

#include "audio/agent.h"
#include "common/log.h"

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

static int bad_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_arg(const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "seam-audio-agent: %s (see seam-audio-agent -h)\n", what);
	return 2;
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
				return bad_arg("--rate '%s': expected 44100 or 48000", optarg);
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
	if (!o->channel)
		return bad_arg("%s", "--channel is required");
	return 0;
}

/* ---- The PulseAudio context: connect, and reconnect when the server goes away -------------------
 */

static void pulse_connect(struct agent *a);

static void pulse_retry_cb(pa_mainloop_api *api, pa_time_event *e, const struct timeval *tv,
			   void *userdata)
{
	(void)tv;
	struct agent *a = userdata;
	api->time_free(e);
	a->pa_retry = NULL;
	pulse_connect(a);
}

static void pulse_drop(struct agent *a)
{
	agent_play_close(a);
	agent_mic_close(a);
	if (a->pa) {
		pa_context_set_state_callback(a->pa, NULL, NULL);
		pa_context_set_subscribe_callback(a->pa, NULL, NULL);
		pa_context_disconnect(a->pa);
		pa_context_unref(a->pa);
		a->pa = NULL;
	}
	a->pa_ready = false;
	a->devices_ready = false;
	a->guest_playing = false;
	a->guest_recording = false;
	a->scan_running = a->scan_again = false;
	for (size_t i = 0; i < sizeof(a->owned_modules) / sizeof(a->owned_modules[0]); i++)
		a->owned_modules[i] = PA_INVALID_INDEX;
}

void agent_pulse_lost(struct agent *a, const char *why)
{
	log_warn("lost PulseAudio (%s): retrying every %d ms", why, AGENT_PULSE_RETRY_MS);
	pulse_drop(a);
	/* The host hears silence, not the last chunk again. */
	agent_play_update(a);
	agent_mic_update(a);
	if (a->pa_retry)
		return;
	struct timeval tv;
	pa_timeval_add(pa_gettimeofday(&tv), (pa_usec_t)AGENT_PULSE_RETRY_MS * 1000u);
	a->pa_retry = a->api->time_new(a->api, &tv, pulse_retry_cb, a);
}

static void pulse_state_cb(pa_context *c, void *userdata)
{
	struct agent *a = userdata;
	switch (pa_context_get_state(c)) {
	case PA_CONTEXT_READY:
		a->pa_ready = true;
		log_info("connected to PulseAudio at %s", pa_context_get_server(c));
		agent_devices_setup(a);
		break;
	case PA_CONTEXT_FAILED:
	case PA_CONTEXT_TERMINATED:
		agent_pulse_lost(a, pa_strerror(pa_context_errno(c)));
		break;
	default:
		break;
	}
}

static void pulse_connect(struct agent *a)
{
	pa_proplist *pl = pa_proplist_new();
	pa_proplist_sets(pl, PA_PROP_APPLICATION_NAME, "Seam audio agent");
	pa_proplist_sets(pl, PA_PROP_APPLICATION_ID, "org.seam.audio-agent");
	a->pa = pa_context_new_with_proplist(a->api, "Seam audio agent", pl);
	pa_proplist_free(pl);
	if (!a->pa) {
		agent_pulse_lost(a, "cannot create a context");
		return;
	}
	pa_context_set_state_callback(a->pa, pulse_state_cb, a);
	/* NULL server: $PULSE_SERVER or libpulse's default. Never spawn a server of our own. */
	if (pa_context_connect(a->pa, NULL, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0)
		agent_pulse_lost(a, pa_strerror(pa_context_errno(a->pa)));
}

static void signal_cb(pa_mainloop_api *api, pa_signal_event *e, int sig, void *userdata)
{
	(void)api;
	(void)e;
	struct agent *a = userdata;
	log_info("signal %d: exiting", sig);
	audio_loop_quit(a->loop, 0);
}

int main(int argc, char **argv)
{
	static struct agent a;
	int rc = parse_args(argc, argv, &a.opts);
	if (rc)
		return rc;
	log_init("seam-audio-agent", NULL,
		 a.opts.verbose >= 2 ? LOG_DEBUG
		 : a.opts.verbose    ? LOG_INFO
				     : LOG_WARN);
	signal(SIGPIPE, SIG_IGN);
	a.conn = AGENT_CONN_WAITING;
	for (size_t i = 0; i < sizeof(a.owned_modules) / sizeof(a.owned_modules[0]); i++)
		a.owned_modules[i] = PA_INVALID_INDEX;

	if (audio_loop_create(&a.loop)) {
		log_error("out of memory");
		return 1;
	}
	a.api = audio_loop_api(a.loop);
	struct chan_config cfg;
	agent_conn_config(&a, &cfg);
	if ((rc = chan_open(a.opts.channel, CHAN_GUEST, &cfg, &a.chan))) {
		fprintf(stderr, "seam-audio-agent: cannot open the channel '%s': %s\n",
			a.opts.channel, strerror(-rc));
		return 1;
	}
	audio_loop_watch(a.loop, a.chan, agent_conn_event, &a);
	if (pa_signal_init(a.api) < 0) {
		log_error("cannot set up signal handling");
		return 1;
	}
	const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		pa_signal_new(sigs[i], signal_cb, &a);
	pulse_connect(&a);
	log_info("serving the guest's audio on %s (s16le %u Hz stereo)", a.opts.channel,
		 a.opts.rate);

	rc = audio_loop_run(a.loop);

	agent_play_close(&a);
	agent_mic_close(&a);
	agent_devices_unload(&a);
	pulse_drop(&a);
	if (a.pa_retry)
		a.api->time_free(a.pa_retry);
	chan_close(a.chan);
	pa_signal_done();
	audio_loop_destroy(a.loop);
	return rc;
}
