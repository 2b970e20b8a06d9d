/* seam-bench: the window-latency benchmark. Shared types of its parts: child processes (proc.c),
 * the peers under test and how each is started (peers.c), the X probe (probe.c), the measurements
 * (measure.c), statistics (stats.c) and the report (report.c). */
#ifndef SEAM_BENCH_H
#define SEAM_BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <xcb/xcb.h>
#include <xcb/damage.h>
#include <xcb/shm.h>

/* ---- time ---- */
void bench_sleep_ms(int ms);
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bench_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int bench_verbose;

/* ---- child processes (proc.c) ---- */
struct proc {
	pid_t pid; /* also the process group: everything it forks is stopped with it */
	char name[32];
};

struct proc_usage {
	uint64_t cpu_ns;   /* on-CPU time of every thread, user and system */
	uint64_t switches; /* voluntary + involuntary context switches: one per wake-up, about */
};

/* Start argv[0] (found on PATH) in a process group of its own, stdout and stderr appended to
 * LOGDIR/NAME.log, with env ("K=V" strings, NULL-terminated, may be NULL) added. keep_fd, if
 * not -1, stays open in the child. The child dies with the benchmark (PR_SET_PDEATHSIG). */
int proc_start(struct proc *p, const char *name, const char *logdir, char *const argv[],
	       char *const env[], int keep_fd);
/* SIGTERM to the group, then SIGKILL after a grace period; reaps the leader. Idempotent. */
void proc_stop(struct proc *p);
bool proc_alive(struct proc *p);
/* Kill (SIGKILL) every group still running: the exit and signal path. Async-signal-safe. */
void proc_kill_all(void);
int proc_usage(pid_t pid, struct proc_usage *u);
/* A display number in [first, last] with no lock file and not handed out already; -1 if none. */
int proc_display_reserve(int first, int last);
void proc_display_release(int n);

/* ---- peers (peers.c) ---- */
/* PEER_SEAM_B: Seam again with the programs of --compare DIR, to compare two builds in one run.
 * PEER_SEAM_DRV: Seam with the guest on Xorg and seam_drv (the capture path without ShmGetImage),
 * where PEER_SEAM's guest is Xvfb (the ShmGetImage path). */
enum peer_kind {
	PEER_FLOOR,
	PEER_SEAM,
	PEER_XPRA,
	PEER_NXAGENT,
	PEER_SEAM_B,
	PEER_SEAM_DRV,
	PEER_COUNT
};

#define PEER_MAX_PROCS 8

struct bench;

struct peer {
	enum peer_kind kind;
	char name[16];	    /* guest name; Seam titles its windows "[name] title" */
	char host[16];	    /* host display ":N" */
	char guest[16];	    /* where guest applications connect */
	char title_pre[40]; /* what the host puts before a guest window's title */
	char title_post[40];
	struct proc procs[PEER_MAX_PROCS]; /* stopped in reverse order */
	unsigned nprocs;
	int fwd[4]; /* indexes into procs: the forwarder's processes */
	unsigned nfwd;
	int xsrv[4]; /* indexes into procs: X servers started for this peer */
	unsigned nxsrv;
	int host_display, guest_display; /* reserved numbers, -1 if none */
	bool own_host;
};

const char *peer_label(enum peer_kind k);
/* Whether the peer's programs are installed; if not, why (for the report). */
bool peer_available(struct bench *b, enum peer_kind k, char *why, size_t len);
/* Start a peer. host: an existing host display to use, or NULL to start a host Xvfb for it. */
int peer_start(struct bench *b, struct peer *pe, enum peer_kind k, const char *name,
	       const char *host);
void peer_stop(struct peer *pe);
/* Sum of usage of the forwarder's (fwd) or X servers' (xsrv) processes. */
void peer_usage(const struct peer *pe, bool fwd, struct proc_usage *u);
/* The title a guest window called `title` has on the host. */
void peer_host_title(const struct peer *pe, const char *title, char *out, size_t len);

/* ---- the X probe (probe.c) ---- */
struct probe {
	xcb_connection_t *g, *h; /* guest and host connections (the same display for the floor) */
	xcb_screen_t *gscreen, *hscreen;
	uint8_t damage_event; /* the host's first DAMAGE event */
	xcb_atom_t g_net_wm_name, g_utf8, h_net_wm_name;
	xcb_gcontext_t gc;
	/* Two full-window pictures in one SysV segment attached to the guest server, for frames. */
	bool shm;
	int shmid;
	xcb_shm_seg_t seg;
	uint8_t *img;
	uint16_t img_w, img_h;
};

struct pwin {
	xcb_window_t gw;	 /* the guest window */
	xcb_window_t hw;	 /* the host window that shows its content */
	xcb_damage_damage_t dmg; /* on hw, report level non-empty */
	uint16_t w, h;
	/* The pixel read on each damage notification. */
	int16_t px, py;
	bool dirty, pending;
	unsigned seq;
};

int probe_open(struct probe *p, const char *guest, const char *host);
void probe_close(struct probe *p);
/* Create and map a guest window filled with `color`. */
int probe_window(struct probe *p, struct pwin *w, const char *title, int16_t x, int16_t y,
		 uint16_t width, uint16_t height, uint32_t color);
void probe_window_destroy(struct probe *p, struct pwin *w);
/* Wait (event-driven) for the viewable host window titled host_title ("*SUFFIX": whose title
 * ends with SUFFIX), find the window that shows the content (w->w x w->h), and watch it with
 * Damage. 0, or -ETIMEDOUT. */
int probe_find(struct probe *p, struct pwin *w, const char *host_title, int64_t deadline);
/* Wait until no viewable host window is titled host_title. 0, or -ETIMEDOUT. */
int probe_gone(struct probe *p, const char *host_title, int64_t deadline);
void probe_watch(struct pwin *w, int16_t px, int16_t py);
/* Fill a rectangle of the guest window and flush. */
void probe_fill(struct probe *p, struct pwin *w, int16_t x, int16_t y, uint16_t width,
		uint16_t height, uint32_t color);
/* Full-window frames: the pictures (once per size), then picture k % 2 with a 16x16 marker of
 * color `marker` in the bottom-right corner, drawn last. */
int probe_pictures(struct probe *p, uint16_t width, uint16_t height);
void probe_frame(struct probe *p, struct pwin *w, unsigned k, uint32_t marker);
#define PROBE_MARKER 16
/* Sleep in the event loop until the next reading of the watched pixel (after a damage
 * notification): 1 with the pixel and the time it arrived, 0 at the deadline, -1 on error. */
int probe_next(struct probe *p, struct pwin *w, int64_t deadline, uint32_t *pixel, int64_t *t);
/* Make sure every request reached the guest server (a round trip). */
void probe_guest_sync(struct probe *p);

/* ---- statistics (stats.c) ---- */
struct dist {
	double *ms; /* samples, sorted by dist_finish */
	unsigned n, cap, missed;
	double p50, p90, p99, max, mean;
};

void dist_add(struct dist *d, double ms);
void dist_finish(struct dist *d);
void dist_free(struct dist *d);
/* A fresh 24-bit color for sample i, never 0 (0 is the pictures' marker area). */
uint32_t bench_color(uint32_t i);

/* ---- results ---- */
enum metric {
	M_LAT64,
	M_LAT256,
	M_STARTUP,
	M_FPS720,
	M_FPS1080,
	M_PACED60,
	M_IDLE,
	M_LAT_WIN10,
	M_LAT_WIN50,
	M_LAT_FLOOD,
	M_OPEN720,
	M_FPS2160,
	M_OPEN_DISPOSABLE,
	M_COUNT
};

struct rate {
	double seconds, fps;
	unsigned seen, sent;
	double fwd_total_ms, xsrv_total_ms; /* CPU over the runs */
	double fwd_ms, xsrv_ms;		    /* CPU per frame that reached the host */
};

struct idle {
	double seconds, cpu_ms;
	uint64_t wakeups;
};

struct value {
	bool ok;     /* measured (set when the run ends) */
	bool failed; /* a run went wrong: note says how */
	char note[120];
	struct dist d;
	struct rate r;
	struct idle i;
};

/* What to measure (--metrics), bits of options.metrics. */
#define MEASURE_LATENCY 1u
#define MEASURE_STARTUP 2u
#define MEASURE_FRAMES	4u
#define MEASURE_IDLE	8u
#define MEASURE_SCALING 16u
#define MEASURE_ALL	31u

struct options {
	unsigned peers;	  /* bit per enum peer_kind */
	unsigned metrics; /* MEASURE_* */
	unsigned samples, scale_samples, startup_samples, inflight;
	double idle_s, fps_s, gap_ms;
	const char *host, *guest; /* given displays, or NULL */
	const char *json, *plot, *bindir, *compare;
	const char *max_fps; /* the Seam daemons' --max-fps, or NULL for their default */
	int first_display, last_display;
	bool keep, quick;
};

struct bench {
	struct options o;
	char rundir[64];
	char self[PATH_MAX];
	char bindir[PATH_MAX];
	struct value v[M_COUNT][PEER_COUNT];
	bool ran[PEER_COUNT];
	char skipped[PEER_COUNT][160];
	double load_start, other_load; /* 1-minute load average; others' share of the CPUs */
	int64_t t_start, t_end;
};

/* ---- measurements (measure.c) ---- */
/* Each figure is gathered in this many rounds, taking turns between the peers. */
#define BENCH_ROUNDS  3
#define SESSION_EXTRA 49

/* A peer under test with the probe connected to it and its probe window on the host. */
struct session {
	struct peer pe;
	struct probe p;
	struct pwin w;
	struct pwin extra[SESSION_EXTRA]; /* the scaling runs' windows */
	bool up;
};

/* Start the peer and its probe window; -1 (with b->skipped[k] saying why) if that failed. */
int session_open(struct bench *b, struct session *s, enum peer_kind k);
void session_close(struct session *s);
/* Every measurement, taking turns between the n sessions. */
void measure_all(struct bench *b, struct session *ss, unsigned n);

/* ---- report (report.c) ---- */
void report_table(struct bench *b);
int report_json(struct bench *b, const char *path);
int report_plot(struct bench *b, const char *png);
const char *metric_name(enum metric m);
/* Whether a metric is counted in frames (struct rate) rather than samples (struct dist). */
bool metric_is_rate(enum metric m);

/* ---- applications run in the guest (main.c: seam-bench --app / --flood) ---- */
int bench_app_main(int argc, char **argv);

#endif
