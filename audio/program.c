/* The start and the end of an audio program (audio/program.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audio/program.h"
#include "common/log.h"

int audio_program_open(const struct audio_program *p, struct audio_loop **loop,
		       pa_mainloop_api **api, struct chan **chan)
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
	for (size_t i = 0; i < p->nsignals; i++)
		pa_signal_new(p->signals[i], p->on_signal, p->user);
	return 0;
}

void audio_program_close(struct audio_loop *loop, struct chan *chan, struct audio_pulse *pulse)
{
	audio_pulse_close(pulse);
	chan_close(chan);
	pa_signal_done();
	audio_loop_destroy(loop);
}
