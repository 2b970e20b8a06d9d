/* seam-audio-hostile: a synthetic audio agent, misbehaving or precisely paced, to test the daemon.
 *
 *   flood --channel unix:PATH [--secs S]
 *       HELLO, PLAY_START, then PLAY_DATA of the largest size as fast as the socket takes it.
 *       Prints the bytes sent; exit 0 if the daemon kept the connection.
 *   bad --channel unix:PATH --case NAME
 *       HELLO (unless the case is about it), then one malformed message. Exit 0 if the daemon
 *       closed the connection within 3 s. Cases: oversize, partial-frame, empty-pcm, unknown-type,
 *       daemon-type, second-hello, bad-rate, bad-magic, window.
 *   paced --channel unix:PATH --ppm P [--secs S]
 *       A well-behaved agent whose clock is P ppm off: a 1 kHz tone in 10 ms chunks, paced by
 *       CLOCK_MONOTONIC at 44100 x (1 + P / 1e6) frames per second, as a guest sound card that
 *       runs fast or slow would deliver it. For measuring the daemon's drift handling (its -v -v
 *       log shows the level and the rate it plays at). Plays after 2.5 s of silence.
 *   mic --channel unix:PATH [--secs S]
 *       HELLO and MIC_REQUEST on: prints the MIC_DATA bytes received in S seconds (none unless the
 *       host allows the microphone; a MIC_STATE from the guest is the "bad daemon-type" case).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio_proto.h"
#include "common/mono.h"
#include "shm/chan.h"

static struct chan *chan;

/* One poll + dispatch; returns the events. */
static unsigned pump(int timeout_ms)
{
	struct pollfd pfd;
	chan_pollfd(chan, &pfd);
	int t = chan_timeout_ms(chan);
	if (t >= 0 && t < timeout_ms)
		timeout_ms = t;
	poll(&pfd, pfd.fd >= 0 ? 1 : 0, timeout_ms);
	return chan_dispatch(chan, pfd.revents);
}

static void open_and_connect(const char *address)
{
	struct chan_config cfg = {.sock_gid = -1, .max_queue = 64u << 20};
	if (chan_open(address, CHAN_GUEST, &cfg, &chan)) {
		fprintf(stderr, "seam-audio-hostile: cannot open %s\n", address);
		exit(2);
	}
	double end = (mono_ns() / 1e9) + 5;
	while (chan_state(chan) != CHAN_CONNECTED && (mono_ns() / 1e9) < end)
		pump(50);
	if (chan_state(chan) != CHAN_CONNECTED) {
		fprintf(stderr, "seam-audio-hostile: no daemon at %s\n", address);
		exit(2);
	}
}

static void send_msg(const struct audio_msg *m)
{
	uint8_t buf[PROTO_HDR_SIZE + AUDIO_MAX_BODY_LEN];
	size_t len = audio_encode(m, buf, sizeof(buf));
	if (len)
		chan_send(chan, buf, len, NULL, 0);
}

static void send_raw(uint32_t type, uint32_t window, uint32_t len, const void *body,
		     size_t body_len)
{
	uint8_t buf[PROTO_HDR_SIZE + 64];
	struct proto_hdr h = {type, window, len};
	proto_hdr_encode(&h, buf);
	memcpy(buf + PROTO_HDR_SIZE, body, body_len);
	chan_send(chan, buf, PROTO_HDR_SIZE + body_len, NULL, 0);
}

static void hello(uint32_t rate, uint32_t magic)
{
	struct audio_msg m = {.type = AUDIO_MSG_HELLO};
	m.u.hello =
	    (struct audio_hello){magic, AUDIO_VERSION, AUDIO_FORMAT_S16LE, rate, AUDIO_CHANNELS};
	send_msg(&m);
}

/* Pump for up to secs; true if the daemon closed the connection. Counts MIC_DATA bytes. */
static bool closed_within(double secs, unsigned long long *mic_bytes)
{
	double end = (mono_ns() / 1e9) + secs;
	while ((mono_ns() / 1e9) < end) {
		unsigned ev = pump(50);
		struct chan_msg m;
		while (chan_recv(chan, &m) > 0)
			if (m.hdr.type == AUDIO_MSG_MIC_DATA && mic_bytes)
				*mic_bytes += m.hdr.untrusted_len;
		if (ev & CHAN_EV_DISCONNECTED)
			return true;
	}
	return false;
}

static int cmd_flood(double secs)
{
	hello(AUDIO_RATE_44100, AUDIO_MAGIC);
	struct audio_msg start = {.type = AUDIO_MSG_PLAY_START};
	send_msg(&start);
	uint8_t pcm[AUDIO_MAX_PCM_BYTES] = {0};
	struct audio_msg data = {.type = AUDIO_MSG_PLAY_DATA, .pcm = pcm, .pcm_len = sizeof(pcm)};
	unsigned long long sent = 0;
	double end = (mono_ns() / 1e9) + secs;
	while ((mono_ns() / 1e9) < end && chan_state(chan) == CHAN_CONNECTED) {
		/* Keep the socket full, never the local queue past 1 MiB. */
		while (chan_queued(chan) < (1u << 20)) {
			send_msg(&data);
			sent += sizeof(pcm);
		}
		unsigned ev = pump(10);
		struct chan_msg m;
		while (chan_recv(chan, &m) > 0)
			;
		if (ev & CHAN_EV_DISCONNECTED)
			break;
	}
	printf("flood: %llu bytes offered in %.1f s (%.0f x real time)\n", sent, secs,
	       sent / secs / (AUDIO_RATE_44100 * AUDIO_FRAME_BYTES));
	return chan_state(chan) == CHAN_CONNECTED ? 0 : 1;
}

static int cmd_paced(double ppm, double secs)
{
	hello(AUDIO_RATE_44100, AUDIO_MAGIC);
	/* As a real agent: connected well before anything plays (an idle null sink on the host
	 * needs up to 2 s to take up a new stream's latency). */
	closed_within(2.5, NULL);
	struct audio_msg start = {.type = AUDIO_MSG_PLAY_START};
	send_msg(&start);
	const double rate = AUDIO_RATE_44100 * (1 + ppm / 1e6);
	int16_t pcm[AUDIO_MAX_PCM_BYTES / 2];
	uint64_t sent = 0;
	double t0 = (mono_ns() / 1e9), phase = 0;
	while ((mono_ns() / 1e9) - t0 < secs && chan_state(chan) == CHAN_CONNECTED) {
		uint64_t due = (uint64_t)(((mono_ns() / 1e9) - t0) * rate);
		while (sent < due) {
			uint64_t n = due - sent > 441 ? 441 : due - sent;
			for (uint64_t i = 0; i < n; i++) {
				int16_t v = (int16_t)(0.5 * 32767 * sin(phase));
				phase += 2 * M_PI * 1000 / AUDIO_RATE_44100;
				pcm[2 * i] = pcm[2 * i + 1] = v;
			}
			struct audio_msg m = {.type = AUDIO_MSG_PLAY_DATA,
					      .pcm = (const uint8_t *)pcm,
					      .pcm_len = (uint32_t)n * AUDIO_FRAME_BYTES};
			send_msg(&m);
			sent += n;
		}
		pump(10);
		struct chan_msg in;
		while (chan_recv(chan, &in) > 0)
			;
	}
	struct audio_msg stop = {.type = AUDIO_MSG_PLAY_STOP};
	send_msg(&stop);
	pump(100);
	printf("paced: %llu frames in %.1f s at %.0f ppm\n", (unsigned long long)sent, secs, ppm);
	return chan_state(chan) == CHAN_CONNECTED ? 0 : 1;
}

static int cmd_bad(const char *which)
{
	static const uint8_t zeros[64];
	struct audio_hello h = {AUDIO_MAGIC, AUDIO_VERSION, AUDIO_FORMAT_S16LE, AUDIO_RATE_44100,
				AUDIO_CHANNELS};
	if (strcmp(which, "bad-rate") == 0) {
		h.rate = 22050;
		send_raw(AUDIO_MSG_HELLO, 0, sizeof(h), &h, sizeof(h));
	} else if (strcmp(which, "bad-magic") == 0) {
		h.magic = 0x12345678;
		send_raw(AUDIO_MSG_HELLO, 0, sizeof(h), &h, sizeof(h));
	} else {
		hello(AUDIO_RATE_44100, AUDIO_MAGIC);
		if (strcmp(which, "oversize") == 0)
			send_raw(AUDIO_MSG_PLAY_DATA, 0, 0x7fffff00u, zeros, sizeof(zeros));
		else if (strcmp(which, "partial-frame") == 0)
			send_raw(AUDIO_MSG_PLAY_DATA, 0, 6, zeros, 6);
		else if (strcmp(which, "empty-pcm") == 0)
			send_raw(AUDIO_MSG_PLAY_DATA, 0, 0, zeros, 0);
		else if (strcmp(which, "unknown-type") == 0)
			send_raw(AUDIO_TYPE_LAST + 1, 0, 4, zeros, 4);
		else if (strcmp(which, "daemon-type") == 0)
			send_raw(AUDIO_MSG_MIC_STATE, 0, 4, "\1\0\0\0", 4);
		else if (strcmp(which, "second-hello") == 0)
			send_raw(AUDIO_MSG_HELLO, 0, sizeof(h), &h, sizeof(h));
		else if (strcmp(which, "window") == 0)
			send_raw(AUDIO_MSG_PLAY_START, 7, 0, zeros, 0);
		else {
			fprintf(stderr, "seam-audio-hostile: unknown case %s\n", which);
			return 2;
		}
	}
	bool closed = closed_within(3, NULL);
	printf("bad %s: %s\n", which, closed ? "the daemon closed the connection" : "still open");
	return closed ? 0 : 1;
}

static int cmd_mic(double secs)
{
	hello(AUDIO_RATE_44100, AUDIO_MAGIC);
	struct audio_msg req = {.type = AUDIO_MSG_MIC_REQUEST, .u.sw = {1}};
	send_msg(&req);
	unsigned long long bytes = 0;
	bool closed = closed_within(secs, &bytes);
	printf("mic: %llu bytes of MIC_DATA in %.1f s%s\n", bytes, secs,
	       closed ? " (connection closed)" : "");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"channel", required_argument, NULL, 'c'},
	    {"secs", required_argument, NULL, 's'},
	    {"case", required_argument, NULL, 'k'},
	    {"ppm", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	const char *address = NULL, *which = NULL;
	double secs = 2, ppm = 0;
	if (argc < 2) {
		fprintf(stderr,
			"usage: seam-audio-hostile flood|bad|paced|mic --channel unix:PATH ...\n");
		return 2;
	}
	const char *cmd = argv[1];
	optind = 2;
	int ch;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'c')
			address = optarg;
		else if (ch == 's')
			secs = atof(optarg);
		else if (ch == 'k')
			which = optarg;
		else if (ch == 'p')
			ppm = atof(optarg);
		else
			return 2;
	}
	if (!address)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	open_and_connect(address);
	int rc = 2;
	if (strcmp(cmd, "flood") == 0)
		rc = cmd_flood(secs);
	else if (strcmp(cmd, "bad") == 0 && which)
		rc = cmd_bad(which);
	else if (strcmp(cmd, "paced") == 0)
		rc = cmd_paced(ppm, secs);
	else if (strcmp(cmd, "mic") == 0)
		rc = cmd_mic(secs);
	chan_close(chan);
	return rc;
}
