/* The measurements, the same for every peer: latency of small fills, start-up of an
 * application, continuous full-window frames (in lock-step with the host, in open loop, and paced
 * at 60/s), idle cost, and latency again with 10 and 50 windows open and with a second guest
 * flooding updates.
 *
 * The machine is shared and its load drifts, while the targets are ratios between peers. So the
 * peers run side by side (each between X servers of its own) and every figure is gathered in
 * BENCH_ROUNDS rounds that take turns between the peers: a burst of load from elsewhere hits them
 * all alike instead of whichever was being measured then. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/mono.h"
#include "bench/bench.h"

/* The probe window: where the latency fills happen. Frames windows cover it while they run. */
#define PROBE_TITLE "seam-bench-probe"
#define PROBE_X	    40
#define PROBE_Y	    40
#define PROBE_W	    640
#define PROBE_H	    480
#define FILL_AT	    32
/* Where applications started for the start-up figure put their window (below the probe); the
 * same numbers are in app.c. */
#define APP_W 320
#define APP_H 200
/* The extra windows of the scaling runs: a grid right of the probe window. */
#define EXTRA_X	   720
#define EXTRA_Y	   40
#define EXTRA_W	   160
#define EXTRA_H	   120
#define EXTRA_COLS 7
/* A sample that takes longer than this is counted as missed. */
#define SAMPLE_TIMEOUT_NS 2000000000LL
/* Windows appear within this (xpra's client takes a while for its first window). */
#define FIND_TIMEOUT_NS 30000000000LL
#define MS		1000000LL
/* Not counted at the start of each batch: caches, first paints, a forwarder's own start. */
#define WARM_SAMPLES 5
#define WARM_FRAMES  5

static uint32_t color_counter;

/* A color that differs from the previous one. */
static uint32_t fresh_color(uint32_t prev)
{
	uint32_t c = bench_color(++color_counter);
	return c == prev ? c ^ 0x800000u : c;
}

static uint32_t marker(uint32_t frame)
{
	return bench_color(frame | 0x40000000u);
}

static void fail(struct value *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct value *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->note, sizeof(v->note), fmt, ap);
	va_end(ap);
	v->failed = true;
	bench_note("%s", v->note);
}

/* Stay in the event loop until the deadline, readings ignored (a pause between samples that
 * still takes the host's events). */
static int idle_until(struct probe *p, struct pwin *w, int64_t deadline)
{
	uint32_t px;
	int64_t t;
	int r;
	while ((r = probe_next(p, w, deadline, &px, &t)) == 1)
		;
	return r;
}

static int find(struct session *s, struct pwin *w, const char *title)
{
	char host_title[160];
	peer_host_title(&s->pe, title, host_title, sizeof(host_title));
	return probe_find(&s->p, w, host_title, mono_ns() + FIND_TIMEOUT_NS);
}

int session_open(struct bench *b, struct session *s, enum peer_kind k)
{
	memset(s, 0, sizeof(*s));
	const char *why = NULL;
	if (peer_start(b, &s->pe, k, "bench", b->o.host))
		why = "did not start (run with --keep and -v for its logs)";
	else if (probe_open(&s->p, s->pe.guest, s->pe.host))
		why = "the probe could not connect to its displays";
	else if (probe_window(&s->p, &s->w, PROBE_TITLE, PROBE_X, PROBE_Y, PROBE_W, PROBE_H,
			      0x202020) ||
		 find(s, &s->w, PROBE_TITLE))
		why = "the probe window did not reach the host";
	if (why) {
		snprintf(b->skipped[k], sizeof(b->skipped[k]), "%s", why);
		bench_note("%s: %s", peer_label(k), why);
		session_close(s);
		return -1;
	}
	s->up = true;
	b->ran[k] = true;
	return 0;
}

void session_close(struct session *s)
{
	if (s->p.g) {
		for (unsigned i = 0; i < SESSION_EXTRA; i++)
			if (s->extra[i].gw)
				probe_window_destroy(&s->p, &s->extra[i]);
		if (s->w.gw)
			probe_window_destroy(&s->p, &s->w);
	}
	probe_close(&s->p);
	peer_stop(&s->pe);
	s->up = false;
}

/* n samples of the latency of `size` x `size` fills: draw in the guest, wait for the color on
 * the host. Added to what v has. */
static void latency(struct bench *b, struct session *s, uint16_t size, unsigned n, struct value *v)
{
	struct probe *p = &s->p;
	struct pwin *w = &s->w;
	if (v->failed)
		return;
	probe_watch(w, FILL_AT + size - 1, FILL_AT + size - 1);
	uint32_t color = 0;
	idle_until(p, w, mono_ns() + 20 * MS);
	int64_t gap = (int64_t)(b->o.gap_ms * 1000) * 1000;
	for (unsigned i = 0; i < n + WARM_SAMPLES; i++) {
		color = fresh_color(color);
		int64_t t0 = mono_ns(), t;
		probe_fill(p, w, FILL_AT, FILL_AT, size, size, color);
		uint32_t px = ~0u;
		int r;
		while ((r = probe_next(p, w, t0 + SAMPLE_TIMEOUT_NS, &px, &t)) == 1 && px != color)
			;
		if (r < 0) {
			fail(v, "the host window went away");
			return;
		}
		if (i >= WARM_SAMPLES && r == 1)
			dist_add(&v->d, (double)(t - t0) / MS);
		else if (i >= WARM_SAMPLES)
			v->d.missed++;
		/* A random pause of gap to 2 x gap, so that samples are not in step with any
		 * timer of the forwarder. */
		idle_until(p, w, mono_ns() + gap + (gap ? rand() % gap : 0));
	}
}

/* One launch: from starting an application in the guest to its first picture on the host. */
static void startup(struct bench *b, struct session *s, unsigned i, struct value *v)
{
	if (v->failed)
		return;
	char title[64], col[16], dpy[32], name[32];
	snprintf(title, sizeof(title), "seam-bench-app-%u", i);
	uint32_t color = fresh_color(0);
	snprintf(col, sizeof(col), "0x%06x", color);
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", s->pe.guest);
	snprintf(name, sizeof(name), "%s-%s-app", peer_label(s->pe.kind), s->pe.name);
	char *argv[] = {b->self, "--app", title, col, NULL};
	char *env[] = {dpy, NULL};
	struct proc app = {0};
	struct pwin w = {.w = APP_W, .h = APP_H};
	int64_t t0 = mono_ns(), t = 0;
	if (proc_start(&app, name, b->rundir, argv, env, -1)) {
		fail(v, "cannot start the application");
		return;
	}
	int r = find(s, &w, title);
	if (r == 0) {
		probe_watch(&w, APP_W / 2, APP_H / 2);
		uint32_t px = ~0u;
		while ((r = probe_next(&s->p, &w, t0 + FIND_TIMEOUT_NS, &px, &t)) == 1 &&
		       px != color)
			;
		r = r == 1 ? 0 : -ETIMEDOUT;
	}
	proc_stop(&app);
	w.gw = XCB_NONE; /* the application's own: gone with it */
	probe_window_destroy(&s->p, &w);
	if (r)
		fail(v, "an application's window did not reach the host");
	else
		dist_add(&v->d, (double)(t - t0) / MS);
}

/* `seam-open --disposable` on Seam's host, as a file manager runs it: a copy of a text file opened
 * in a new disposable domain (seam-run: bubblewrap, the domain's own X server, agent and daemon)
 * by the domain's default viewer for text, xmessage, set in a template made here. Measured from
 * the command to the viewer's window shown on the host. */
#define OPEN_VIEWER_TITLE "*] xmessage"
static int open_template(struct bench *b, char *dir, size_t len)
{
	snprintf(dir, len, "%s/open-template", b->rundir);
	char path[PATH_MAX];
	static const char *const files[][2] = {
	    {"applications/seam-bench-view.desktop",
	     "[Desktop Entry]\nType=Application\nName=Viewer\nExec=xmessage -file %f\n"
	     "MimeType=text/plain;\n"},
	    {"applications/mimeapps.list",
	     "[Default Applications]\ntext/plain=seam-bench-view.desktop\n"},
	    {"doc.txt", "A document opened in a disposable domain.\n"},
	};
	snprintf(path, sizeof(path), "%s/applications", dir);
	if ((mkdir(dir, 0700) && errno != EEXIST) || (mkdir(path, 0700) && errno != EEXIST))
		return -errno;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
		FILE *f = fopen(path, "we");
		if (!f || fputs(files[i][1], f) < 0 || fclose(f))
			return -EIO;
	}
	return 0;
}

static void startup_open(struct bench *b, struct session *s, unsigned i, struct value *v)
{
	char dir[PATH_MAX - 64], prog[PATH_MAX + 16], doc[PATH_MAX], dpy[32], dirs[PATH_MAX + 32],
	    name[32];
	if (v->failed)
		return;
	snprintf(prog, sizeof(prog), "%s/seam-open", b->bindir);
	if (access(prog, X_OK)) {
		fail(v, "%s is not built", prog);
		return;
	}
	if (open_template(b, dir, sizeof(dir))) {
		fail(v, "cannot write the viewer's template in %s", b->rundir);
		return;
	}
	snprintf(doc, sizeof(doc), "%s/doc.txt", dir);
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", s->pe.host);
	snprintf(dirs, sizeof(dirs), "SEAM_LAUNCH_DATA_DIRS=%s:/usr/share", dir);
	snprintf(name, sizeof(name), "seam-open-%u", i);
	char *argv[] = {prog, "--disposable", doc, NULL};
	char *env[] = {dpy, dirs, NULL};
	struct proc app = {0};
	struct pwin w = {0};
	int64_t t0 = mono_ns();
	if (proc_start(&app, name, b->rundir, argv, env, -1)) {
		fail(v, "cannot start seam-open");
		return;
	}
	int r = probe_find(&s->p, &w, OPEN_VIEWER_TITLE, t0 + FIND_TIMEOUT_NS);
	int64_t t = mono_ns();
	if (!r) {
		xcb_damage_destroy(s->p.h, w.dmg);
		xcb_flush(s->p.h);
	}
	proc_stop(&app); /* seam-open's disposable ends with it */
	if (r) {
		fail(v, "the viewer's window did not reach the host (see seam-open-%u.log)", i);
		return;
	}
	dist_add(&v->d, (double)(t - t0) / MS);
	if (probe_gone(&s->p, OPEN_VIEWER_TITLE, mono_ns() + FIND_TIMEOUT_NS))
		fail(v, "the disposable's window stayed after seam-open ended");
}

/* The newest frame in (last, sent] whose marker is px, or 0. */
static uint32_t which_frame(uint32_t px, uint32_t last, uint32_t sent)
{
	for (uint32_t j = sent; j > last; j--)
		if (marker(j) == px)
			return j;
	return 0;
}

static void add_cpu(struct peer *pe, const struct proc_usage *f0, const struct proc_usage *x0,
		    struct rate *r)
{
	struct proc_usage f1, x1;
	peer_usage(pe, true, &f1);
	peer_usage(pe, false, &x1);
	r->fwd_total_ms += (double)(f1.cpu_ns - f0->cpu_ns) / 1e6;
	r->xsrv_total_ms += (double)(x1.cpu_ns - x0->cpu_ns) / 1e6;
}

/* Frames as fast as they reach the host: a new full-window picture whenever fewer than
 * `inflight` frames are on their way; counted when its marker is read on the host. A forwarder
 * that loses an update (xpra drops damage that comes before its client shows the window) gets
 * one more frame after NUDGE_NS without progress; STALL_NS without any ends the run. */
#define NUDGE_NS (500 * MS)
#define STALL_NS (10000 * MS)
/* A run of frames: its counts and, after the first WARM_FRAMES seen, its clock and CPU. */
struct frame_run {
	uint32_t sent, last, seen, sent0;
	int64_t warm, t0, end, progress;
	struct proc_usage f0, x0;
};

static void run_start(struct frame_run *r)
{
	*r = (struct frame_run){.warm = mono_ns() + 100 * MS, .progress = mono_ns()};
}

/* Starts the clock once warm; whether the run's seconds are over. */
static bool run_over(struct session *s, struct frame_run *r, double seconds, int64_t now)
{
	if (!r->t0 && now >= r->warm && r->seen >= WARM_FRAMES) {
		peer_usage(&s->pe, true, &r->f0);
		peer_usage(&s->pe, false, &r->x0);
		r->t0 = mono_ns();
		r->end = r->t0 + (int64_t)(seconds * 1e9);
		r->seen = 0;
		r->sent0 = r->sent;
	}
	return r->t0 && now >= r->end;
}

/* The host showed pixel px (at t): one more frame seen if it is a newer frame's marker. */
static void run_saw(struct frame_run *r, uint32_t px, int64_t t)
{
	uint32_t j = which_frame(px, r->last, r->sent);
	if (j) {
		r->last = j;
		r->seen++;
		r->progress = t;
	}
}

static void run_finish(struct session *s, const struct frame_run *r, struct value *v)
{
	v->r.seconds += (double)(mono_ns() - r->t0) / 1e9;
	v->r.seen += r->seen;
	v->r.sent += r->sent - r->sent0;
	add_cpu(&s->pe, &r->f0, &r->x0, &v->r);
}

static void frames_fast(struct bench *b, struct session *s, struct pwin *w, double seconds,
			struct value *v)
{
	struct probe *p = &s->p;
	struct frame_run r;
	run_start(&r);
	int64_t t;
	while (!run_over(s, &r, seconds, mono_ns())) {
		while (r.sent - r.last < b->o.inflight) {
			r.sent++;
			probe_frame(p, w, r.sent, marker(r.sent));
		}
		uint32_t px;
		int got = probe_next(p, w, mono_ns() + NUDGE_NS, &px, &t);
		if (got < 0) {
			fail(v, "the host window went away");
			return;
		}
		if (got == 0) {
			if (mono_ns() - r.progress > STALL_NS) {
				fail(v, "stalled: no frame reached the host in %lld ms",
				     STALL_NS / MS);
				return;
			}
			bench_debug("%s: no frame in %lld ms: one more", peer_label(s->pe.kind),
				    NUDGE_NS / MS);
			r.sent++;
			probe_frame(p, w, r.sent, marker(r.sent));
			continue;
		}
		run_saw(&r, px, t);
	}
	run_finish(s, &r, v);
	/* Let the frames still on their way land before the next test. */
	idle_until(p, w, mono_ns() + 100 * MS);
}

/* Frames in open loop, as an animation or a video player draws: a new full-window picture as soon
 * as the guest's own X server has taken the last one, never waiting for the host. Counted are the
 * distinct frames the host shows (a forwarder may skip frames that were overwritten before it got
 * to them: that is what a user sees). */
static void frames_open(struct session *s, struct pwin *w, double seconds, struct value *v)
{
	struct probe *p = &s->p;
	struct frame_run r;
	run_start(&r);
	int64_t t;
	while (!run_over(s, &r, seconds, mono_ns())) {
		if (mono_ns() - r.progress > STALL_NS) {
			fail(v, "stalled: no frame reached the host in %lld ms", STALL_NS / MS);
			return;
		}
		r.sent++;
		probe_frame(p, w, r.sent, marker(r.sent));
		probe_guest_sync(p); /* the application keeps pace with its own server only */
		uint32_t px;
		int got;
		while ((got = probe_next(p, w, 0, &px, &t)) == 1)
			run_saw(&r, px, t);
		if (got < 0) {
			fail(v, "the host window went away");
			return;
		}
	}
	run_finish(s, &r, v);
	/* The forwarder's backlog, if any, lands before the next test. */
	idle_until(p, w, mono_ns() + 300 * MS);
}

/* 60 frames a second for 2 s: does every one of them reach the host? */
#define PACED_FRAMES 120
static void frames_paced(struct session *s, struct pwin *w, struct value *v)
{
	struct probe *p = &s->p;
	bool seen[PACED_FRAMES + 1] = {false};
	const uint32_t base = 0x100000; /* frame numbers unlike the fast run's */
	int64_t period = 1000000000LL / 60, next = mono_ns(), t;
	struct proc_usage f0, x0;
	peer_usage(&s->pe, true, &f0);
	peer_usage(&s->pe, false, &x0);
	int64_t t0 = next;
	/* 30 periods more at the end for the last frames to land. */
	for (uint32_t k = 1; k <= PACED_FRAMES + 30; k++) {
		if (k <= PACED_FRAMES)
			probe_frame(p, w, k, marker(base + k));
		next += period;
		uint32_t px;
		int r;
		while ((r = probe_next(p, w, next, &px, &t)) == 1) {
			uint32_t top = k < PACED_FRAMES ? k : PACED_FRAMES;
			uint32_t j = which_frame(px, base + (top > 30 ? top - 30 : 0), base + top);
			if (j)
				seen[j - base] = true;
		}
		if (r < 0) {
			fail(v, "the host window went away");
			return;
		}
	}
	for (unsigned k = 1; k <= PACED_FRAMES; k++)
		v->r.seen += seen[k];
	v->r.sent += PACED_FRAMES;
	v->r.seconds += (double)(mono_ns() - t0) / 1e9;
	add_cpu(&s->pe, &f0, &x0, &v->r);
	if (v->r.seen < v->r.sent)
		snprintf(v->note, sizeof(v->note), "%u of %u frames never seen on the host",
			 v->r.sent - v->r.seen, v->r.sent);
}

/* A window of that size for a while of continuous frames (lock-step, or open loop if asked),
 * and the paced run if asked. */
static void frames(struct bench *b, struct session *s, uint16_t width, uint16_t height,
		   double seconds, struct value *fast, struct value *open, struct value *paced)
{
	if (fast->failed)
		return;
	char title[64];
	snprintf(title, sizeof(title), "seam-bench-frames-%ux%u", width, height);
	struct pwin w;
	if (probe_window(&s->p, &w, title, PROBE_X, PROBE_Y, width, height, 0) ||
	    find(s, &w, title)) {
		fail(fast, "the %ux%u window did not reach the host", width, height);
	} else if (probe_pictures(&s->p, width, height)) {
		fail(fast, "out of memory for %ux%u pictures", width, height);
	} else {
		probe_watch(&w, (int16_t)(width - PROBE_MARKER / 2),
			    (int16_t)(height - PROBE_MARKER / 2));
		frames_fast(b, s, &w, seconds, fast);
		if (open && !open->failed && !fast->failed)
			frames_open(s, &w, seconds, open);
		if (paced && !fast->failed)
			frames_paced(s, &w, paced);
	}
	probe_window_destroy(&s->p, &w);
}

/* Every session's forwarder over the same idle period. */
static void idle(struct bench *b, struct session *ss, unsigned n)
{
	bool any = false;
	for (unsigned i = 0; i < n; i++)
		any |= ss[i].pe.kind != PEER_FLOOR;
	if (!any)
		return;
	/* Let everything settle (xpra refreshes a while after the last change). */
	for (unsigned i = 0; i < n; i++)
		idle_until(&ss[i].p, &ss[i].w, mono_ns() + 1000 * MS / n);
	struct proc_usage u0[PEER_COUNT], u1;
	for (unsigned i = 0; i < n; i++)
		peer_usage(&ss[i].pe, true, &u0[i]);
	int64_t t0 = mono_ns();
	bench_sleep_ms((int)(b->o.idle_s * 1000));
	double seconds = (double)(mono_ns() - t0) / 1e9;
	for (unsigned i = 0; i < n; i++) {
		if (ss[i].pe.kind == PEER_FLOOR)
			continue;
		struct value *v = &b->v[M_IDLE][ss[i].pe.kind];
		peer_usage(&ss[i].pe, true, &u1);
		v->i.seconds = seconds;
		v->i.cpu_ms = (double)(u1.cpu_ns - u0[i].cpu_ns) / 1e6;
		v->i.wakeups = u1.switches - u0[i].switches;
		v->ok = true;
	}
}

static int extra_windows(struct session *s, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		char title[64];
		snprintf(title, sizeof(title), "seam-bench-extra-%02u", i);
		int16_t x = (int16_t)(EXTRA_X + (i % EXTRA_COLS) * (EXTRA_W + 10));
		int16_t y = (int16_t)(EXTRA_Y + (i / EXTRA_COLS) * (EXTRA_H + 10));
		if (probe_window(&s->p, &s->extra[i], title, x, y, EXTRA_W, EXTRA_H,
				 bench_color(i + 77)))
			return -EIO;
	}
	for (unsigned i = from; i < to; i++) {
		char title[64];
		snprintf(title, sizeof(title), "seam-bench-extra-%02u", i);
		if (find(s, &s->extra[i], title))
			return -ETIMEDOUT;
		/* Only the probe window is watched. */
		xcb_damage_destroy(s->p.h, s->extra[i].dmg);
		s->extra[i].dmg = 0;
	}
	return 0;
}

/* A second guest of the same kind, on the same host, repainting a 1280x720 window as fast as
 * its server takes it; the probe's latency is measured meanwhile. */
static void flood(struct bench *b, struct session *s, struct value *v)
{
	struct peer fl;
	struct proc app = {0};
	if (s->pe.kind == PEER_FLOOR) {
		fl = (struct peer){.kind = PEER_FLOOR, .host_display = -1, .guest_display = -1};
		snprintf(fl.guest, sizeof(fl.guest), "%s", s->pe.host);
	} else if (peer_start(b, &fl, s->pe.kind, "flood", s->pe.host)) {
		fail(v, "the second guest did not start");
		peer_stop(&fl);
		return;
	}
	char dpy[32], name[48];
	snprintf(dpy, sizeof(dpy), "DISPLAY=%s", fl.guest);
	snprintf(name, sizeof(name), "%s-flood-app", peer_label(s->pe.kind));
	char *argv[] = {b->self, "--flood", NULL};
	char *env[] = {dpy, NULL};
	struct pwin fw = {.w = 1280, .h = 720};
	char host_title[160];
	peer_host_title(&fl, "seam-bench-flood", host_title, sizeof(host_title));
	if (proc_start(&app, name, b->rundir, argv, env, -1) ||
	    probe_find(&s->p, &fw, host_title, mono_ns() + FIND_TIMEOUT_NS)) {
		fail(v, "the flooding window did not reach the host");
	} else {
		xcb_damage_destroy(s->p.h, fw.dmg);
		latency(b, s, 64, b->o.scale_samples, v);
	}
	proc_stop(&app);
	peer_stop(&fl);
}

static unsigned share(unsigned n)
{
	return (n + BENCH_ROUNDS - 1) / BENCH_ROUNDS;
}

/* The latency of 64x64 fills in rounds, with extra windows open on every session. */
static void scaling_windows(struct bench *b, struct session *ss, unsigned n, unsigned count,
			    enum metric m)
{
	bool ok[PEER_COUNT];
	for (unsigned i = 0; i < n; i++) {
		ok[i] = extra_windows(&ss[i], count == 10 ? 0 : 9, count - 1) == 0;
		if (!ok[i])
			fail(&b->v[m][ss[i].pe.kind], "%u windows did not all reach the host",
			     count);
	}
	for (unsigned r = 0; r < BENCH_ROUNDS; r++)
		for (unsigned i = 0; i < n; i++)
			if (ok[i])
				latency(b, &ss[i], 64, share(b->o.scale_samples),
					&b->v[m][ss[i].pe.kind]);
}

static void finish(struct bench *b)
{
	for (unsigned m = 0; m < M_COUNT; m++) {
		for (unsigned k = 0; k < PEER_COUNT; k++) {
			struct value *v = &b->v[m][k];
			if (m == M_IDLE)
				continue;
			if (metric_is_rate((enum metric)m)) {
				struct rate *r = &v->r;
				v->ok = !v->failed && r->seen > 0;
				if (v->ok) {
					r->fps = m == M_PACED60 ? 60 : r->seen / r->seconds;
					r->fwd_ms = r->fwd_total_ms / r->seen;
					r->xsrv_ms = r->xsrv_total_ms / r->seen;
				}
				continue;
			}
			dist_finish(&v->d);
			v->ok = !v->failed && v->d.n > 0;
			if (v->ok && v->d.missed && !v->note[0])
				snprintf(v->note, sizeof(v->note),
					 "%u of %u samples missed (> %lld ms)", v->d.missed,
					 v->d.missed + v->d.n, SAMPLE_TIMEOUT_NS / MS);
		}
	}
}

void measure_all(struct bench *b, struct session *ss, unsigned n)
{
	struct value(*v)[PEER_COUNT] = b->v;
	unsigned want = b->o.metrics;
	char who[64] = "";
	for (unsigned i = 0; i < n; i++)
		snprintf(who + strlen(who), sizeof(who) - strlen(who), "%s%s", i ? ", " : "",
			 peer_label(ss[i].pe.kind));
	for (unsigned r = 0; r < BENCH_ROUNDS; r++) {
		if (want & MEASURE_LATENCY) {
			bench_note("%s: latency, round %u of %u", who, r + 1, BENCH_ROUNDS);
			for (unsigned i = 0; i < n; i++)
				latency(b, &ss[i], 64, share(b->o.samples),
					&v[M_LAT64][ss[i].pe.kind]);
			for (unsigned i = 0; i < n; i++)
				latency(b, &ss[i], 256, share(b->o.samples),
					&v[M_LAT256][ss[i].pe.kind]);
		}
		if (want & MEASURE_FRAMES) {
			bench_note("%s: frames, round %u of %u", who, r + 1, BENCH_ROUNDS);
			double sec = b->o.fps_s / BENCH_ROUNDS;
			for (unsigned i = 0; i < n; i++) {
				enum peer_kind k = ss[i].pe.kind;
				frames(b, &ss[i], 1280, 720, sec, &v[M_FPS720][k], &v[M_OPEN720][k],
				       r == 0 ? &v[M_PACED60][k] : NULL);
			}
			for (unsigned i = 0; i < n; i++)
				frames(b, &ss[i], 1920, 1080, sec, &v[M_FPS1080][ss[i].pe.kind],
				       NULL, NULL);
			for (unsigned i = 0; i < n; i++)
				frames(b, &ss[i], 3840, 2160, sec, &v[M_FPS2160][ss[i].pe.kind],
				       NULL, NULL);
		}
	}
	if (want & MEASURE_STARTUP) {
		bench_note("%s: start-up", who);
		for (unsigned k = 0; k < b->o.startup_samples; k++)
			for (unsigned i = 0; i < n; i++)
				startup(b, &ss[i], k, &v[M_STARTUP][ss[i].pe.kind]);
		for (unsigned i = 0; i < n; i++) {
			if (ss[i].pe.kind != PEER_SEAM)
				continue;
			bench_note("seam: seam-open --disposable");
			for (unsigned k = 0; k < b->o.startup_samples; k++)
				startup_open(b, &ss[i], k, &v[M_OPEN_DISPOSABLE][PEER_SEAM]);
		}
	}
	if (want & MEASURE_IDLE) {
		bench_note("%s: idle for %.0f s", who, b->o.idle_s);
		idle(b, ss, n);
	}
	if (want & MEASURE_SCALING) {
		bench_note("%s: 10 and 50 windows", who);
		scaling_windows(b, ss, n, 10, M_LAT_WIN10);
		scaling_windows(b, ss, n, 50, M_LAT_WIN50);
		for (unsigned i = 0; i < n; i++) {
			for (unsigned e = 0; e < SESSION_EXTRA; e++)
				if (ss[i].extra[e].gw)
					probe_window_destroy(&ss[i].p, &ss[i].extra[e]);
			probe_guest_sync(&ss[i].p);
		}
		for (unsigned i = 0; i < n; i++) {
			bench_note("%s: a second guest flooding", peer_label(ss[i].pe.kind));
			flood(b, &ss[i], &v[M_LAT_FLOOD][ss[i].pe.kind]);
		}
	}
	finish(b);
}
