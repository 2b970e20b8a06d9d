/* seam-audio-probe: the integration test's ears. Plays tones into and records from PulseAudio
 * servers given by address, finds a tone by frequency (Goertzel) and measures latency.
 *
 *   latency --guest SRV --guest-monitor DEV --host SRV --host-monitor DEV [--freq F] [--bursts N]
 *           [--max-ms MS]
 *       Plays N tone bursts (150 ms every 600 ms, in one stream) into the guest's default sink,
 *       records the guest sink's monitor and the host sink's monitor at once, and for each burst
 *       prints the time from its start on the guest sink to its start on the host sink. Both
 *       times come from the same kind of clock (a record stream's capture time), so the figure is
 *       "guest sink plays it" to "host sink plays it". Also checks the host's copy by frequency.
 *       Exit 0 if most bursts arrived (and the median is <= MS when given).
 *   detect --server SRV --device DEV [--freq F] [--secs S] [--expect tone|none] [--min-ms MS]
 *       Records S seconds (from the first chunk on) and says whether a tone of F Hz was in it, for
 *       at least MS milliseconds (default 100). Fails if the recording yields no samples at all.
 *   play --server SRV [--device DEV] [--freq F] [--secs S]
 *       Plays a continuous tone.
 *
 * Holes in a recording (a late reader) would shift sample positions, so every chunk keeps its own
 * capture time and positions are timed from the chunk they are in.
 */
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pulse/pulseaudio.h>

#include "common/mono.h"

#define RATE	   44100u
#define BLOCK	   (RATE / 200u) /* 5 ms: 1 kHz is exactly bin 5 */
#define AMP	   0.5
#define BURST_MS   150u
#define PERIOD_MS  600u
#define MAX_CHUNKS 400000u

struct chunk {
	size_t first; /* index of its first sample */
	double t_us;  /* capture time of that sample (monotonic), or < 0 if unknown */
};

struct rec {
	const char *what;
	pa_stream *s;
	int16_t *x; /* left channel */
	size_t n, cap;
	struct chunk *chunks;
	size_t nchunks;
};

struct play {
	pa_stream *s;
	uint64_t pos; /* frames written */
	double freq;
	bool bursts;  /* burst pattern, else continuous */
	uint64_t end; /* frames to write in all */
};

static pa_mainloop *ml;
static int contexts_ready, contexts_wanted;
static bool failed;

static void die(const char *what, pa_context *c)
{
	fprintf(stderr, "seam-audio-probe: %s: %s\n", what,
		c ? pa_strerror(pa_context_errno(c)) : "");
	exit(2);
}

static void ctx_state_cb(pa_context *c, void *userdata)
{
	(void)userdata;
	pa_context_state_t st = pa_context_get_state(c);
	if (st == PA_CONTEXT_READY)
		contexts_ready++;
	else if (st == PA_CONTEXT_FAILED)
		die("context failed", c);
}

static pa_context *connect_to(const char *server)
{
	pa_context *c = pa_context_new(pa_mainloop_get_api(ml), "seam-audio-probe");
	pa_context_set_state_callback(c, ctx_state_cb, NULL);
	if (pa_context_connect(c, server, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0)
		die("cannot connect", c);
	contexts_wanted++;
	return c;
}

static void wait_contexts(void)
{
	while (contexts_ready < contexts_wanted)
		if (pa_mainloop_iterate(ml, 1, NULL) < 0)
			die("mainloop", NULL);
}

static const pa_sample_spec spec = {PA_SAMPLE_S16LE, RATE, 2};

/* ---- Recording
 * ----------------------------------------------------------------------------------- */

static void rec_read_cb(pa_stream *s, size_t nbytes, void *userdata)
{
	(void)nbytes;
	struct rec *r = userdata;
	const void *data;
	size_t len;
	while (pa_stream_peek(s, &data, &len) == 0 && len > 0) {
		pa_usec_t lat = 0;
		int neg = 0;
		double t = -1;
		if (pa_stream_get_latency(s, &lat, &neg) == 0)
			t = (mono_ns() / 1e3) - (neg ? -(double)lat : (double)lat);
		size_t frames = len / 4;
		if (r->n + frames > r->cap) {
			r->cap = (r->n + frames) * 2;
			r->x = realloc(r->x, r->cap * sizeof(*r->x));
		}
		if (r->nchunks < MAX_CHUNKS)
			r->chunks[r->nchunks++] = (struct chunk){r->n, t};
		for (size_t i = 0; i < frames; i++) {
			int16_t v = 0;
			if (data)
				memcpy(&v, (const uint8_t *)data + i * 4, 2);
			r->x[r->n++] = v;
		}
		pa_stream_drop(s);
	}
}

static void rec_start(struct rec *r, pa_context *c, const char *dev)
{
	r->chunks = calloc(MAX_CHUNKS, sizeof(*r->chunks));
	r->s = pa_stream_new(c, "seam-audio-probe recording", &spec, NULL);
	pa_buffer_attr a = {(uint32_t)-1, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1, 4 * BLOCK};
	pa_stream_set_read_callback(r->s, rec_read_cb, r);
	if (pa_stream_connect_record(r->s, dev, &a,
				     PA_STREAM_ADJUST_LATENCY | PA_STREAM_INTERPOLATE_TIMING |
					 PA_STREAM_AUTO_TIMING_UPDATE) < 0)
		die("cannot record", c);
}

/* An idle null sink renders up to 2 s ahead, so a new recording of its monitor may wait that long
 * for its first chunk: wait for it (at most 5 s) before anything is measured. */
static void wait_data(struct rec *r)
{
	double end = (mono_ns() / 1e3) + 5e6;
	while (r->n == 0 && (mono_ns() / 1e3) < end)
		pa_mainloop_iterate(ml, 1, NULL);
	if (r->n == 0) {
		fprintf(stderr, "seam-audio-probe: no data from the %s recording in 5 s\n",
			r->what);
		exit(1);
	}
}

/* Capture time of sample k, from the chunk holding it (or the nearest timed one before). */
static double rec_time(const struct rec *r, size_t k)
{
	for (size_t i = r->nchunks; i-- > 0;) {
		if (r->chunks[i].first <= k && r->chunks[i].t_us >= 0)
			return r->chunks[i].t_us + (double)(k - r->chunks[i].first) * 1e6 / RATE;
	}
	return -1;
}

/* ---- Analysis
 * ------------------------------------------------------------------------------------ */

/* Share of a block's energy at freq (1.0: a pure tone at freq), and its RMS (full scale 1.0). */
static double goertzel_ratio(const int16_t *x, size_t n, double freq, double *rms)
{
	double w = 2 * M_PI * freq / RATE, coeff = 2 * cos(w), s1 = 0, s2 = 0, energy = 0;
	for (size_t i = 0; i < n; i++) {
		double v = x[i] / 32768.0;
		double s0 = v + coeff * s1 - s2;
		s2 = s1;
		s1 = s0;
		energy += v * v;
	}
	double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
	*rms = sqrt(energy / n);
	return energy > 0 ? 2 * power / (n * energy) : 0;
}

static bool block_has_tone(const int16_t *x, double freq)
{
	double rms;
	return goertzel_ratio(x, BLOCK, freq, &rms) > 0.5 && rms > 0.05;
}

/* Frequency from zero crossings over n samples. */
static double zero_cross_freq(const int16_t *x, size_t n)
{
	size_t crossings = 0;
	for (size_t i = 1; i < n; i++)
		crossings += (x[i - 1] < 0) != (x[i] < 0);
	return crossings / 2.0 * RATE / n;
}

/* Onsets: sample indexes where the tone starts (first sample past a quarter of its amplitude in
 * the block before the first toned block, or in that block). Returns how many. */
static size_t find_onsets(const struct rec *r, double freq, size_t *out, size_t max)
{
	size_t count = 0;
	bool in_tone = false;
	for (size_t b = 0; b + BLOCK <= r->n && count < max; b += BLOCK) {
		bool tone = block_has_tone(r->x + b, freq);
		if (tone && !in_tone) {
			size_t from = b >= BLOCK ? b - BLOCK : 0, k = from;
			while (k < b + BLOCK && abs(r->x[k]) < (int)(AMP * 32768 / 4))
				k++;
			out[count++] = k;
		}
		in_tone = tone;
	}
	return count;
}

/* Total milliseconds of blocks holding the tone. */
static unsigned tone_ms(const struct rec *r, double freq, double *best_ratio)
{
	unsigned blocks = 0;
	*best_ratio = 0;
	for (size_t b = 0; b + BLOCK <= r->n; b += BLOCK) {
		double rms, ratio = goertzel_ratio(r->x + b, BLOCK, freq, &rms);
		if (rms > 0.05 && ratio > *best_ratio)
			*best_ratio = ratio;
		blocks += block_has_tone(r->x + b, freq);
	}
	return blocks * 5;
}

/* ---- Playing
 * ------------------------------------------------------------------------------------- */

static bool tone_at(const struct play *p, uint64_t frame)
{
	if (!p->bursts)
		return true;
	uint64_t ms = frame * 1000 / RATE;
	return ms >= PERIOD_MS && ms % PERIOD_MS < BURST_MS;
}

static void play_write_cb(pa_stream *s, size_t nbytes, void *userdata)
{
	struct play *p = userdata;
	int16_t buf[4096];
	while (nbytes >= 4 && p->pos < p->end) {
		size_t frames = nbytes / 4 > 2048 ? 2048 : nbytes / 4;
		if (frames > p->end - p->pos)
			frames = (size_t)(p->end - p->pos);
		for (size_t i = 0; i < frames; i++, p->pos++) {
			int16_t v = 0;
			if (tone_at(p, p->pos))
				v = (int16_t)(AMP * 32767 *
					      sin(2 * M_PI * p->freq * p->pos / RATE));
			buf[2 * i] = buf[2 * i + 1] = v;
		}
		pa_stream_write(s, buf, frames * 4, NULL, 0, PA_SEEK_RELATIVE);
		nbytes -= frames * 4;
	}
}

static void play_start(struct play *p, pa_context *c, const char *dev)
{
	p->s = pa_stream_new(c, "seam-audio-probe tone", &spec, NULL);
	pa_buffer_attr a = {(uint32_t)-1, 4 * RATE / 50, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1};
	pa_stream_set_write_callback(p->s, play_write_cb, p);
	if (pa_stream_connect_playback(p->s, dev, &a, PA_STREAM_ADJUST_LATENCY, NULL, NULL) < 0)
		die("cannot play", c);
}

static void run_for(double secs)
{
	double end = (mono_ns() / 1e3) + secs * 1e6;
	while ((mono_ns() / 1e3) < end && !failed)
		if (pa_mainloop_iterate(ml, 1, NULL) < 0)
			die("mainloop", NULL);
}

/* ---- Commands
 * ------------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmd_latency(const char *guest, const char *guest_mon, const char *host,
		       const char *host_mon, double freq, unsigned bursts, double max_ms)
{
	pa_context *gc = connect_to(guest), *hc = connect_to(host);
	wait_contexts();
	struct rec rg = {.what = "guest"}, rh = {.what = "host"};
	rec_start(&rg, gc, guest_mon);
	rec_start(&rh, hc, host_mon);
	wait_data(&rg);
	wait_data(&rh);
	/* The first chunks of a recording are timed roughly: let the timing settle. */
	run_for(0.5);
	struct play p = {.freq = freq,
			 .bursts = true,
			 .end = (uint64_t)RATE * (PERIOD_MS * (bursts + 1)) / 1000};
	play_start(&p, gc, NULL);
	run_for(PERIOD_MS * (bursts + 1) / 1000.0 + 0.5);

	size_t *og = calloc(bursts + 8, sizeof(size_t)), *oh = calloc(bursts + 8, sizeof(size_t));
	size_t ng = find_onsets(&rg, freq, og, bursts + 8),
	       nh = find_onsets(&rh, freq, oh, bursts + 8);
	double *lat = calloc(ng + 1, sizeof(double));
	size_t nl = 0, j = 0;
	for (size_t i = 0; i < ng; i++) {
		double tg = rec_time(&rg, og[i]);
		for (; j < nh; j++) {
			double th = rec_time(&rh, oh[j]);
			if (tg < 0 || th < 0 || th < tg - 5000)
				continue;
			if (th - tg < 500000) {
				lat[nl++] = (th - tg) / 1000.0;
				printf("burst %zu: %.1f ms\n", i + 1, (th - tg) / 1000.0);
				j++;
			}
			break;
		}
	}
	double ratio;
	unsigned ms = tone_ms(&rh, freq, &ratio);
	double other;
	unsigned other_ms = tone_ms(&rh, freq * 1.5, &other);
	double zf = nh ? zero_cross_freq(rh.x + oh[0] + BLOCK, RATE * BURST_MS / 2000) : 0;
	printf("host recording: %u ms of %.0f Hz (Goertzel share %.2f; at %.0f Hz: %u ms), "
	       "zero-crossing frequency %.1f Hz\n",
	       ms, freq, ratio, freq * 1.5, other_ms, zf);
	printf("guest onsets %zu, host onsets %zu, matched %zu of %u bursts\n", ng, nh, nl, bursts);
	if (nl == 0) {
		printf("latency: no burst arrived\n");
		return 1;
	}
	qsort(lat, nl, sizeof(double), cmp_double);
	printf("latency guest sink -> host sink: median %.1f ms, min %.1f ms, max %.1f ms "
	       "(%zu bursts)\n",
	       lat[nl / 2], lat[0], lat[nl - 1], nl);
	bool ok = nl * 4 >= (size_t)bursts * 3 && fabs(zf - freq) < freq * 0.02 && other_ms == 0;
	if (max_ms > 0 && lat[nl / 2] > max_ms) {
		printf("latency: median %.1f ms is over %.1f ms\n", lat[nl / 2], max_ms);
		ok = false;
	}
	return ok ? 0 : 1;
}

static int cmd_detect(const char *server, const char *dev, double freq, double secs,
		      bool expect_tone, unsigned min_ms)
{
	pa_context *c = connect_to(server);
	wait_contexts();
	struct rec r = {.what = "recording"};
	rec_start(&r, c, dev);
	wait_data(&r);
	run_for(secs);
	double ratio;
	unsigned ms = tone_ms(&r, freq, &ratio);
	double rms_all = 0;
	for (size_t i = 0; i < r.n; i++)
		rms_all += (r.x[i] / 32768.0) * (r.x[i] / 32768.0);
	rms_all = r.n ? sqrt(rms_all / r.n) : 0;
	printf("%s: %zu samples, rms %.4f, %u ms of %.0f Hz (best Goertzel share %.2f)\n", dev, r.n,
	       rms_all, ms, freq, ratio);
	bool tone = ms >= min_ms;
	return tone == expect_tone && r.n > 0 ? 0 : 1;
}

static int cmd_play(const char *server, const char *dev, double freq, double secs)
{
	pa_context *c = connect_to(server);
	wait_contexts();
	struct play p = {.freq = freq, .bursts = false, .end = (uint64_t)(RATE * secs)};
	play_start(&p, c, dev);
	run_for(secs + 0.2);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"guest", required_argument, NULL, 'g'},
	    {"guest-monitor", required_argument, NULL, 'G'},
	    {"host", required_argument, NULL, 'h'},
	    {"host-monitor", required_argument, NULL, 'H'},
	    {"server", required_argument, NULL, 's'},
	    {"device", required_argument, NULL, 'd'},
	    {"freq", required_argument, NULL, 'f'},
	    {"bursts", required_argument, NULL, 'b'},
	    {"secs", required_argument, NULL, 't'},
	    {"max-ms", required_argument, NULL, 'm'},
	    {"expect", required_argument, NULL, 'e'},
	    {"min-ms", required_argument, NULL, 'M'},
	    {NULL, 0, NULL, 0},
	};
	const char *guest = NULL, *guest_mon = NULL, *host = NULL, *host_mon = NULL, *server = NULL,
		   *dev = NULL;
	double freq = 1000, secs = 2, max_ms = 0;
	unsigned bursts = 5, min_ms = 100;
	bool expect_tone = true;
	if (argc < 2) {
		fprintf(stderr,
			"usage: seam-audio-probe latency|detect|play [options] (see the source)\n");
		return 2;
	}
	const char *cmd = argv[1];
	optind = 2;
	int ch;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			guest = optarg;
			break;
		case 'G':
			guest_mon = optarg;
			break;
		case 'h':
			host = optarg;
			break;
		case 'H':
			host_mon = optarg;
			break;
		case 's':
			server = optarg;
			break;
		case 'd':
			dev = optarg;
			break;
		case 'f':
			freq = atof(optarg);
			break;
		case 'b':
			bursts = (unsigned)atoi(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'm':
			max_ms = atof(optarg);
			break;
		case 'e':
			expect_tone = strcmp(optarg, "none") != 0;
			break;
		case 'M':
			min_ms = (unsigned)atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ml = pa_mainloop_new();
	if (strcmp(cmd, "latency") == 0 && guest && guest_mon && host && host_mon && bursts > 0)
		return cmd_latency(guest, guest_mon, host, host_mon, freq, bursts, max_ms);
	if (strcmp(cmd, "detect") == 0 && server && dev)
		return cmd_detect(server, dev, freq, secs, expect_tone, min_ms);
	if (strcmp(cmd, "play") == 0 && server)
		return cmd_play(server, dev, freq, secs);
	fprintf(stderr, "seam-audio-probe: bad command or missing options\n");
	return 2;
}
