/* pa_mainloop with a poll function that adds the channel's fd and timeout to PulseAudio's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audio/loop.h"
#include "common/mono.h"

struct audio_loop {
	pa_mainloop *ml;
	struct chan *chan;
	audio_loop_chan_fn fn;
	void *ctx;
	struct pollfd *fds; /* PulseAudio's pollfds plus the channel's */
	unsigned long cap;
	short chan_revents;
	bool watch_chan; /* false while settling */
	bool again;
	bool quit;
	int code;
};

static int poll_fn(struct pollfd *ufds, unsigned long nfds, int timeout, void *userdata)
{
	struct audio_loop *l = userdata;
	if (nfds + 1 > l->cap) {
		struct pollfd *p = realloc(l->fds, (nfds + 1) * sizeof(*p));
		if (!p) {
			errno = ENOMEM;
			return -1;
		}
		l->fds = p;
		l->cap = nfds + 1;
	}
	memcpy(l->fds, ufds, nfds * sizeof(*ufds));
	unsigned long n = nfds;
	l->chan_revents = 0;
	if (l->chan && l->watch_chan) {
		chan_pollfd(l->chan, &l->fds[n]);
		if (l->fds[n].fd >= 0)
			n++;
		int t = chan_timeout_ms(l->chan);
		if (t >= 0 && (timeout < 0 || t < timeout))
			timeout = t;
		if (l->again)
			timeout = 0;
	}
	int r = poll(l->fds, n, timeout);
	if (r < 0)
		return r;
	int ready = 0;
	for (unsigned long i = 0; i < nfds; i++) {
		ufds[i].revents = l->fds[i].revents;
		ready += ufds[i].revents != 0;
	}
	if (n > nfds)
		l->chan_revents = l->fds[nfds].revents;
	return ready;
}

int audio_loop_create(struct audio_loop **out)
{
	struct audio_loop *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ml = pa_mainloop_new();
	if (!l->ml) {
		free(l);
		return -ENOMEM;
	}
	l->watch_chan = true;
	pa_mainloop_set_poll_func(l->ml, poll_fn, l);
	*out = l;
	return 0;
}

void audio_loop_destroy(struct audio_loop *l)
{
	if (!l)
		return;
	pa_mainloop_free(l->ml);
	free(l->fds);
	free(l);
}

pa_mainloop_api *audio_loop_api(struct audio_loop *l)
{
	return pa_mainloop_get_api(l->ml);
}

void audio_loop_watch(struct audio_loop *l, struct chan *c, audio_loop_chan_fn fn, void *ctx)
{
	l->chan = c;
	l->fn = fn;
	l->ctx = ctx;
}

void audio_loop_again(struct audio_loop *l)
{
	l->again = true;
}

void audio_loop_quit(struct audio_loop *l, int code)
{
	l->quit = true;
	l->code = code;
	pa_mainloop_wakeup(l->ml);
}

int audio_loop_run(struct audio_loop *l)
{
	while (!l->quit) {
		if (pa_mainloop_iterate(l->ml, 1, NULL) < 0)
			break;
		if (!l->chan || l->quit)
			continue;
		if (l->chan_revents || l->again || chan_timeout_ms(l->chan) == 0) {
			short revents = l->chan_revents;
			l->chan_revents = 0;
			l->again = false;
			l->fn(l->ctx, chan_dispatch(l->chan, revents));
		}
	}
	return l->code;
}

void audio_loop_settle(struct audio_loop *l, const int *done, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	l->watch_chan = false;
	while (!*done && mono_ms() < end) {
		if (pa_mainloop_prepare(l->ml, (int)(end - mono_ms()) * 1000) < 0 ||
		    pa_mainloop_poll(l->ml) < 0 || pa_mainloop_dispatch(l->ml) < 0)
			break;
	}
	l->watch_chan = true;
}
