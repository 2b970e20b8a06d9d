/* The start and the end of an audio program (audio/program.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "audio/program.h"
#include "common/log.h"

static void exit_signal(pa_mainloop_api *api, pa_signal_event *e, int sig, void *userdata)
{
	(void)api;
	(void)e;
	log_info("signal %d: exiting", sig);
	audio_loop_quit(userdata, 0);
}

int audio_program_open(const struct audio_program *p, struct audio_loop **loop,
		       pa_mainloop_api **api, struct chan **chan, struct audio_pulse *pulse)
{
	int rc = audio_loop_create(loop);
	if (rc) {
		log_error("out of memory");
		return rc;
	}
	*api = audio_loop_api(*loop);
	rc = chan_open(p->channel, p->side, p->cfg, chan);
	if (rc) {
		fprintf(stderr, "%s: cannot open the channel '%s': %s\n", p->name, p->channel,
			strerror(-rc));
		audio_loop_destroy(*loop);
		*loop = NULL;
		return rc;
	}
	audio_loop_watch(*loop, *chan, p->on_chan, p->user);
	if (pa_signal_init(*api) < 0) {
		log_error("cannot set up signal handling");
		chan_close(*chan);
		*chan = NULL;
		audio_loop_destroy(*loop);
		*loop = NULL;
		return -EIO;
	}
	static const int exits[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
		pa_signal_new(exits[i], exit_signal, *loop);
	for (size_t i = 0; i < p->nsignals; i++)
		pa_signal_new(p->signals[i], p->on_signal, p->user);
	*pulse = (struct audio_pulse){.api = *api,
				      .app_name = p->app_name,
				      .app_id = p->app_id,
				      .retry_ms = p->retry_ms,
				      .on_ready = p->on_ready,
				      .on_drop = p->on_drop,
				      .user = p->user};
	audio_pulse_connect(pulse);
	char why[160];
	rc = sysfilter_install(p->filter, why, sizeof(why));
	if (rc) {
		fprintf(stderr, "%s: %s\n", p->name, why);
		audio_program_close(*loop, *chan, pulse);
		*loop = NULL;
		*chan = NULL;
		return rc;
	}
	return 0;
}

void audio_program_close(struct audio_loop *loop, struct chan *chan, struct audio_pulse *pulse)
{
	audio_pulse_close(pulse);
	chan_close(chan);
	pa_signal_done();
	audio_loop_destroy(loop);
}
