/* seam-bench: options, the run (the peers started side by side, measured in turns, stopped),
 * clean-up on every exit path, and the report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/mono.h"
#include "bench/bench.h"

int bench_verbose;

void bench_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void vnote(const char *fmt, va_list ap)
{
	fprintf(stderr, "seam-bench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void bench_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
}

void bench_debug(const char *fmt, ...)
{
	if (!bench_verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-bench [options]\n"
	    "Measures how fast a guest's drawing reaches the host through Seam, and through\n"
	    "xpra and nxagent, in one run between Xvfb servers it starts (or given displays).\n"
	    "\n"
	    "  --peers LIST        which to run, of floor,seam,xpra,nxagent,seam-b,seam-drv\n"
	    "                      (default: all but seam-b; seam-drv: the guest on Xorg with\n"
	    "                      Seam's driver, where seam's guest is Xvfb)\n"
	    "  --compare DIR       also run Seam with the agent and daemon found in DIR, as\n"
	    "                      peer seam-b: two builds side by side in one run\n"
	    "  --metrics LIST      which to measure, of latency,startup,frames,idle,scaling\n"
	    "                      (default: all)\n"
	    "  --samples N         latency samples per figure (default 300)\n"
	    "  --scale-samples N   samples with 10/50 windows and a flooding guest (default 150)\n"
	    "  --startup-samples N application launches (default 10)\n"
	    "  --frames-seconds S  seconds of continuous frames per size (default 3)\n"
	    "  --idle-seconds S    idle period (default 10)\n"
	    "  --inflight N        frames on their way at once in the frames run (default 1)\n"
	    "  --gap MS            pause between latency samples: MS to 2 x MS (default 10)\n"
	    "  --quick             fewer samples and shorter runs (a smoke test)\n"
	    "  --host DISPLAY      use this host display for every peer instead of an Xvfb\n"
	    "  --guest DISPLAY     use this guest display for Seam instead of an Xvfb\n"
	    "  --displays A-B      X display numbers the run may use (default 80-89)\n"
	    "  --bin DIR           where seam-gui-agent and seam-gui-daemon are (default: beside\n"
	    "                      seam-bench)\n"
	    "  --json FILE         one JSON line per metric (- for stdout)\n"
	    "  --plot FILE.png     a plot of the latency distributions (gnuplot)\n"
	    "  --keep              keep the run's directory (logs of every program)\n"
	    "  --max-fps N         pass --max-fps N to Seam's daemons (default: theirs, 60/s\n"
	    "                      per window), e.g. 1000 to measure the path without pacing\n"
	    "  -v                  say what happens\n");
}

static int parse_peers(const char *s, unsigned *out)
{
	*out = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		for (k = 0; k < PEER_COUNT && strcmp(t, peer_label(k)); k++)
			;
		if (k == PEER_COUNT)
			return -1;
		*out |= 1u << k;
	}
	return *out ? 0 : -1;
}

static int parse_metrics(const char *s, unsigned *out)
{
	static const char *const names[] = {"latency", "startup", "frames", "idle", "scaling"};
	*out = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned i;
		for (i = 0; i < 5 && strcmp(t, names[i]); i++)
			;
		if (i == 5)
			return -1;
		*out |= 1u << i;
	}
	return *out ? 0 : -1;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum {
		O_PEERS = 256,
		O_SAMPLES,
		O_SCALE,
		O_STARTUP,
		O_FPS_S,
		O_IDLE_S,
		O_INFLIGHT,
		O_QUICK,
		O_HOST,
		O_GAP,
		O_METRICS,
		O_COMPARE,
		O_GUEST,
		O_DISPLAYS,
		O_BIN,
		O_JSON,
		O_PLOT,
		O_KEEP,
		O_MAX_FPS
	};
	static const struct option longopts[] = {
	    {"peers", required_argument, NULL, O_PEERS},
	    {"samples", required_argument, NULL, O_SAMPLES},
	    {"scale-samples", required_argument, NULL, O_SCALE},
	    {"startup-samples", required_argument, NULL, O_STARTUP},
	    {"frames-seconds", required_argument, NULL, O_FPS_S},
	    {"idle-seconds", required_argument, NULL, O_IDLE_S},
	    {"inflight", required_argument, NULL, O_INFLIGHT},
	    {"quick", no_argument, NULL, O_QUICK},
	    {"gap", required_argument, NULL, O_GAP},
	    {"metrics", required_argument, NULL, O_METRICS},
	    {"compare", required_argument, NULL, O_COMPARE},
	    {"host", required_argument, NULL, O_HOST},
	    {"guest", required_argument, NULL, O_GUEST},
	    {"displays", required_argument, NULL, O_DISPLAYS},
	    {"bin", required_argument, NULL, O_BIN},
	    {"json", required_argument, NULL, O_JSON},
	    {"plot", required_argument, NULL, O_PLOT},
	    {"keep", no_argument, NULL, O_KEEP},
	    {"max-fps", required_argument, NULL, O_MAX_FPS},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	*o = (struct options){.peers = ((1u << PEER_COUNT) - 1) & ~(1u << PEER_SEAM_B),
			      .metrics = MEASURE_ALL,
			      .samples = 300,
			      .scale_samples = 150,
			      .startup_samples = 10,
			      .inflight = 1,
			      .idle_s = 10,
			      .fps_s = 3,
			      .gap_ms = 10,
			      .first_display = 80,
			      .last_display = 89};
	bool quick = false, peers_given = false;
	unsigned set = 0; /* options given explicitly win over --quick */
	double v;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		const char *bad = NULL;
		switch (c) {
		case O_PEERS:
			if (parse_peers(optarg, &o->peers))
				bad = "expected a list of floor, seam, xpra, nxagent, seam-b, "
				      "seam-drv";
			peers_given = true;
			break;
		case O_COMPARE:
			o->compare = optarg;
			break;
		case O_SAMPLES:
		case O_SCALE:
		case O_STARTUP:
		case O_INFLIGHT:
			if (parse_num(optarg, 1, 100000, &v) || v != (unsigned)v) {
				bad = "expected a whole number from 1 to 100000";
				break;
			}
			*(c == O_SAMPLES   ? &o->samples
			  : c == O_SCALE   ? &o->scale_samples
			  : c == O_STARTUP ? &o->startup_samples
					   : &o->inflight) = (unsigned)v;
			set |= 1u << (c - O_PEERS);
			break;
		case O_FPS_S:
		case O_IDLE_S:
			if (parse_num(optarg, 0.5, 3600, &v)) {
				bad = "expected seconds from 0.5 to 3600";
				break;
			}
			*(c == O_FPS_S ? &o->fps_s : &o->idle_s) = v;
			set |= 1u << (c - O_PEERS);
			break;
		case O_QUICK:
			quick = true;
			break;
		case O_METRICS:
			if (parse_metrics(optarg, &o->metrics))
				bad = "expected a list of latency, startup, frames, idle, scaling";
			break;
		case O_GAP:
			if (parse_num(optarg, 0, 1000, &o->gap_ms))
				bad = "expected milliseconds from 0 to 1000";
			break;
		case O_HOST:
			o->host = optarg;
			break;
		case O_GUEST:
			o->guest = optarg;
			break;
		case O_DISPLAYS:
			if (sscanf(optarg, "%d-%d", &o->first_display, &o->last_display) != 2 ||
			    o->first_display < 1 || o->last_display < o->first_display ||
			    o->last_display > 999)
				bad = "expected FIRST-LAST, e.g. 80-89";
			break;
		case O_BIN:
			o->bindir = optarg;
			break;
		case O_JSON:
			o->json = optarg;
			break;
		case O_PLOT:
			o->plot = optarg;
			break;
		case O_KEEP:
			o->keep = true;
			break;
		case O_MAX_FPS: {
			char *end;
			long fps = strtol(optarg, &end, 10);
			if (end == optarg || *end || fps < 1 || fps > 1000)
				bad = "expected frames a second, 1 to 1000";
			o->max_fps = optarg;
			break;
		}
		case 'v':
			bench_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return cli_usage_error("seam-bench", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
		if (bad)
			return cli_usage_error("seam-bench", "%s '%s': %s", argv[optind - 1],
					       optarg, bad);
	}
	if (optind < argc)
		return cli_usage_error("seam-bench", "unexpected argument '%s'", argv[optind]);
	if (o->compare && !peers_given)
		o->peers |= 1u << PEER_SEAM_B;
	if (quick) {
		const struct {
			int opt;
			void *field;
			double value;
			bool is_double;
		} q[] = {{O_SAMPLES, &o->samples, 100, false},
			 {O_SCALE, &o->scale_samples, 50, false},
			 {O_STARTUP, &o->startup_samples, 3, false},
			 {O_FPS_S, &o->fps_s, 1, true},
			 {O_IDLE_S, &o->idle_s, 2, true}};
		for (unsigned i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
			if (set & (1u << (q[i].opt - O_PEERS)))
				continue;
			if (q[i].is_double)
				*(double *)q[i].field = q[i].value;
			else
				*(unsigned *)q[i].field = (unsigned)q[i].value;
		}
		o->quick = true;
	}
	return 0;
}

static struct bench bench;

static void on_signal(int sig)
{
	proc_kill_all();
	/* The run's directory too, unless asked to keep it (fork, exec and waitpid are
	 * async-signal-safe). */
	if (!bench.o.keep && bench.rundir[0]) {
		pid_t pid = fork();
		if (pid == 0) {
			execl("/bin/rm", "rm", "-rf", bench.rundir, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Busy and total jiffies of the whole machine. */
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "re");
	if (f) {
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
			memset(v, 0, sizeof(v));
		fclose(f);
	}
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*total = *busy + v[3] + v[4];
}

static double our_cpu_s(void)
{
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec +
			kids.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec +
			kids.ru_stime.tv_usec) /
		   1e6;
}

static void remove_rundir(struct bench *b)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->rundir);
	if (system(cmd))
		bench_note("could not remove %s", b->rundir);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--app") == 0 || strcmp(argv[1], "--flood") == 0))
		return bench_app_main(argc, argv);
	struct bench *b = &bench;
	int rc = parse_args(argc, argv, &b->o);
	if (rc)
		return rc;
	ssize_t len = readlink("/proc/self/exe", b->self, sizeof(b->self) - 1);
	if (len <= 0) {
		bench_note("cannot find my own executable");
		return 1;
	}
	b->self[len] = '\0';
	if (b->o.bindir) {
		snprintf(b->bindir, sizeof(b->bindir), "%.4000s", b->o.bindir);
	} else {
		memcpy(b->bindir, b->self, sizeof(b->bindir));
		char *slash = strrchr(b->bindir, '/');
		if (slash)
			*slash = '\0';
	}
	snprintf(b->rundir, sizeof(b->rundir), "/tmp/seam-bench-XXXXXX");
	if (!mkdtemp(b->rundir)) {
		bench_note("cannot make a directory in /tmp: %s", strerror(errno));
		return 1;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)getpid());

	double load[1] = {0};
	if (getloadavg(load, 1) == 1)
		b->load_start = load[0];
	unsigned long long busy0, total0, busy1, total1;
	cpu_jiffies(&busy0, &total0);
	double ours0 = our_cpu_s();
	b->t_start = mono_ns();
	if (b->load_start > 0.5 * (double)sysconf(_SC_NPROCESSORS_ONLN))
		bench_note("note: load average %.2f at the start: figures will be noisy",
			   b->load_start);

	/* Each peer has X servers of its own, so they run side by side and take turns; on one
	 * given host display their windows would overlap, so there they run one after another. */
	struct session *sessions = calloc(PEER_COUNT, sizeof(*sessions));
	if (!sessions) {
		bench_note("out of memory");
		return 1;
	}
	unsigned n = 0;
	for (int k = 0; k < PEER_COUNT; k++) {
		if (!(b->o.peers & (1u << k)))
			continue;
		char why[120];
		if (!peer_available(b, k, why, sizeof(why))) {
			snprintf(b->skipped[k], sizeof(b->skipped[k]), "skipped: %.110s", why);
			bench_note("%s: %s", peer_label(k), b->skipped[k]);
			continue;
		}
		bench_note("%s: starting", peer_label(k));
		if (session_open(b, &sessions[n], k))
			continue;
		if (b->o.host) {
			measure_all(b, &sessions[n], 1);
			session_close(&sessions[n]);
		} else {
			n++;
		}
	}
	if (n)
		measure_all(b, sessions, n);
	for (unsigned i = 0; i < n; i++)
		session_close(&sessions[i]);
	free(sessions);

	b->t_end = mono_ns();
	cpu_jiffies(&busy1, &total1);
	double hz = (double)sysconf(_SC_CLK_TCK);
	double others = (double)(busy1 - busy0) / hz - (our_cpu_s() - ours0);
	b->other_load = total1 > total0 ? others / ((double)(total1 - total0) / hz) : -1;
	if (b->other_load < 0 && total1 > total0)
		b->other_load = 0;

	report_table(b);
	if (b->o.json)
		report_json(b, b->o.json);
	if (b->o.plot && report_plot(b, b->o.plot) == 0)
		printf("\nplot: %s\n", b->o.plot);
	if (b->o.keep)
		printf("logs: %s\n", b->rundir);
	else
		remove_rundir(b);
	for (int m = 0; m < M_COUNT; m++)
		for (int k = 0; k < PEER_COUNT; k++)
			dist_free(&b->v[m][k].d);
	bool any = false;
	for (int k = 0; k < PEER_COUNT; k++)
		any |= b->ran[k];
	return any ? 0 : 1;
}
