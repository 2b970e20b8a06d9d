/* The results: a table with the peers side by side and Seam's ratio to each, the targets of
 * DESIGN.md section 9 checked, one JSON line per metric, and a plot of the latency
 * distributions (gnuplot). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

static const char *const metric_names[M_COUNT] = {
    [M_LAT64] = "latency_64x64",
    [M_LAT256] = "latency_256x256",
    [M_STARTUP] = "startup",
    [M_FPS720] = "frames_1280x720",
    [M_FPS1080] = "frames_1920x1080",
    [M_PACED60] = "paced_60fps_1280x720",
    [M_IDLE] = "idle",
    [M_LAT_WIN10] = "latency_64x64_10_windows",
    [M_LAT_WIN50] = "latency_64x64_50_windows",
    [M_LAT_FLOOD] = "latency_64x64_flooding_guest",
    [M_OPEN720] = "open_loop_1280x720",
    [M_FPS2160] = "frames_3840x2160",
    [M_OPEN_DISPOSABLE] = "seam_open_disposable",
};

const char *metric_name(enum metric m)
{
	return metric_names[m];
}

bool metric_is_rate(enum metric m)
{
	return m == M_FPS720 || m == M_FPS1080 || m == M_FPS2160 || m == M_OPEN720 ||
	       m == M_PACED60;
}

/* F_VS_UNLOADED: a latency figure's p50 over the same peer's unloaded 64x64 p50. */
enum field {
	F_P50,
	F_P90,
	F_P99,
	F_MAX,
	F_FPS,
	F_FWD,
	F_XSRV,
	F_SEEN,
	F_CPU,
	F_WAKE,
	F_VS_UNLOADED
};

static double get(const struct value *v, enum field f)
{
	if (!v->ok)
		return NAN;
	switch (f) {
	case F_P50:
		return v->d.p50;
	case F_P90:
		return v->d.p90;
	case F_P99:
		return v->d.p99;
	case F_MAX:
		return v->d.max;
	case F_FPS:
		return v->r.fps;
	case F_FWD:
		return v->r.fwd_ms;
	case F_XSRV:
		return v->r.xsrv_ms;
	case F_SEEN:
		return v->r.seen;
	case F_CPU:
		return v->i.cpu_ms;
	case F_WAKE:
		return (double)v->i.wakeups;
	case F_VS_UNLOADED: /* needs two values: see field() */
		return NAN;
	}
	return NAN;
}

/* Field f of metric m for peer k. */
static double field(const struct bench *b, enum metric m, int k, enum field f)
{
	if (f != F_VS_UNLOADED)
		return get(&b->v[m][k], f);
	double unloaded = get(&b->v[M_LAT64][k], F_P50);
	return unloaded > 0 ? get(&b->v[m][k], F_P50) / unloaded : NAN;
}

struct row {
	enum metric m;
	enum field f;
	const char *label;
	bool ratio; /* print Seam's ratio to the peers */
};

static const struct row rows[] = {
    {M_LAT64, F_P50, "latency, 64x64 fill (ms)      p50", true},
    {M_LAT64, F_P90, "                              p90", true},
    {M_LAT64, F_P99, "                              p99", true},
    {M_LAT64, F_MAX, "                              max", true},
    {M_LAT256, F_P50, "latency, 256x256 fill (ms)    p50", true},
    {M_LAT256, F_P90, "                              p90", true},
    {M_LAT256, F_P99, "                              p99", true},
    {M_LAT256, F_MAX, "                              max", true},
    {M_FPS720, F_FPS, "1280x720 frames/s at the host", true},
    {M_FPS720, F_FWD, "  CPU ms per frame: forwarder", true},
    {M_FPS720, F_XSRV, "  CPU ms per frame: X servers", true},
    {M_PACED60, F_SEEN, "  at 60/s: frames seen of 120", false},
    {M_FPS1080, F_FPS, "1920x1080 frames/s at the host", true},
    {M_FPS1080, F_FWD, "  CPU ms per frame: forwarder", true},
    {M_FPS1080, F_XSRV, "  CPU ms per frame: X servers", true},
    {M_FPS2160, F_FPS, "3840x2160 frames/s at the host", true},
    {M_FPS2160, F_FWD, "  CPU ms per frame: forwarder", true},
    {M_FPS2160, F_XSRV, "  CPU ms per frame: X servers", true},
    {M_OPEN720, F_FPS, "open loop 1280x720: distinct frames/s", true},
    {M_OPEN720, F_FWD, "  CPU ms per frame: forwarder", true},
    {M_OPEN720, F_XSRV, "  CPU ms per frame: X servers", true},
    {M_IDLE, F_CPU, "idle: forwarder CPU ms", false},
    {M_IDLE, F_WAKE, "idle: forwarder wake-ups", false},
    {M_LAT_WIN10, F_P50, "64x64, 10 windows open    p50", true},
    {M_LAT_WIN10, F_P99, "                          p99", true},
    {M_LAT_WIN50, F_P50, "64x64, 50 windows open    p50", true},
    {M_LAT_WIN50, F_P99, "                          p99", true},
    {M_LAT_FLOOD, F_P50, "64x64, 2nd guest flooding p50", true},
    {M_LAT_FLOOD, F_P99, "                          p99", true},
    {M_LAT_FLOOD, F_VS_UNLOADED, "  p50 / its own unloaded p50", true},
    {M_STARTUP, F_P50, "start-up to first picture (ms) p50", true},
    {M_STARTUP, F_MAX, "                               max", true},
    {M_OPEN_DISPOSABLE, F_P50, "seam-open --disposable, to the window p50", false},
    {M_OPEN_DISPOSABLE, F_MAX, "                                      max", false},
};

static void cell(double x, char *out, size_t len)
{
	if (isnan(x))
		snprintf(out, len, "-");
	else if (x >= 1000)
		snprintf(out, len, "%.0f", x);
	else if (x >= 100)
		snprintf(out, len, "%.1f", x);
	else if (x >= 10)
		snprintf(out, len, "%.2f", x);
	else
		snprintf(out, len, "%.3f", x);
}

static void ratio_cell(double seam, double peer, char *out, size_t len)
{
	if (isnan(seam) || isnan(peer) || peer == 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.2fx", seam / peer);
}

/* ---- targets ---- */
enum verdict { T_UNKNOWN, T_MET, T_MISSED };

struct target {
	const char *text;
	char measured[96];
	enum verdict v;
};

#define N_TARGETS 13

static void target_ratio(struct target *t, const char *text, double seam, double ref, double factor,
			 bool at_most)
{
	t->text = text;
	if (isnan(seam) || isnan(ref) || ref == 0) {
		snprintf(t->measured, sizeof(t->measured), "not measured");
		t->v = T_UNKNOWN;
		return;
	}
	double r = seam / ref;
	snprintf(t->measured, sizeof(t->measured), "%.2fx (Seam %.3g, reference %.3g)", r, seam,
		 ref);
	t->v = (at_most ? r <= factor : r >= factor) ? T_MET : T_MISSED;
}

static void targets(struct bench *b, struct target *t)
{
	const int S = PEER_SEAM, N = PEER_NXAGENT, F = PEER_FLOOR;
	struct value(*v)[PEER_COUNT] = b->v;
	target_ratio(&t[0], "64x64 fill p50 <= 0.6x nxagent's", get(&v[M_LAT64][S], F_P50),
		     get(&v[M_LAT64][N], F_P50), 0.6, true);
	target_ratio(&t[1], "256x256 fill p50 <= 0.6x nxagent's", get(&v[M_LAT256][S], F_P50),
		     get(&v[M_LAT256][N], F_P50), 0.6, true);
	target_ratio(&t[2], "64x64 fill p99 <= nxagent's", get(&v[M_LAT64][S], F_P99),
		     get(&v[M_LAT64][N], F_P99), 1.0, true);
	target_ratio(&t[3], "256x256 fill p99 <= nxagent's", get(&v[M_LAT256][S], F_P99),
		     get(&v[M_LAT256][N], F_P99), 1.0, true);
	target_ratio(&t[4], "1280x720 frames/s >= 3x nxagent's", get(&v[M_FPS720][S], F_FPS),
		     get(&v[M_FPS720][N], F_FPS), 3.0, false);
	target_ratio(&t[5], "1280x720 frames/s >= 40% of the floor's", get(&v[M_FPS720][S], F_FPS),
		     get(&v[M_FPS720][F], F_FPS), 0.4, false);
	target_ratio(&t[6], "1920x1080 frames/s >= 30% of the floor's",
		     get(&v[M_FPS1080][S], F_FPS), get(&v[M_FPS1080][F], F_FPS), 0.3, false);
	t[7].text = "idle: no wake-ups in agent and daemon";
	if (v[M_IDLE][S].ok) {
		snprintf(t[7].measured, sizeof(t[7].measured),
			 "%llu wake-ups, %.1f ms CPU in %.0f s",
			 (unsigned long long)v[M_IDLE][S].i.wakeups, v[M_IDLE][S].i.cpu_ms,
			 v[M_IDLE][S].i.seconds);
		t[7].v = v[M_IDLE][S].i.wakeups == 0 ? T_MET : T_MISSED;
	} else {
		snprintf(t[7].measured, sizeof(t[7].measured), "not measured");
	}
	target_ratio(&t[9], "64x64 p50 with a guest flooding <= 1.5x unloaded",
		     get(&v[M_LAT_FLOOD][S], F_P50), get(&v[M_LAT64][S], F_P50), 1.5, true);
	target_ratio(&t[10], "open loop 1280x720 frames/s >= 1.5x nxagent's",
		     get(&v[M_OPEN720][S], F_FPS), get(&v[M_OPEN720][N], F_FPS), 1.5, false);
	t[11].text = "3840x2160 frames/s >= 60 (1% for the clock)";
	double uhd = get(&v[M_FPS2160][S], F_FPS);
	if (isnan(uhd)) {
		snprintf(t[11].measured, sizeof(t[11].measured), "not measured");
	} else {
		snprintf(t[11].measured, sizeof(t[11].measured), "%.1f frames/s", uhd);
		/* The pacing's cap is 60: a run's first and last frames against its clock cost
		 * up to a frame in a second's count. */
		t[11].v = uhd >= 60 * 0.99 ? T_MET : T_MISSED;
	}
	t[12].text = "seam-open --disposable to the viewer p50 <= 1.5 s";
	double open = get(&v[M_OPEN_DISPOSABLE][S], F_P50);
	if (isnan(open)) {
		snprintf(t[12].measured, sizeof(t[12].measured), "not measured");
	} else {
		snprintf(t[12].measured, sizeof(t[12].measured), "%.0f ms", open);
		t[12].v = open <= 1500 ? T_MET : T_MISSED;
	}
	t[8].text = "at 60 frames/s every frame reaches the host";
	if (v[M_PACED60][S].ok) {
		snprintf(t[8].measured, sizeof(t[8].measured), "%u of %u seen",
			 v[M_PACED60][S].r.seen, v[M_PACED60][S].r.sent);
		t[8].v = v[M_PACED60][S].r.seen == v[M_PACED60][S].r.sent ? T_MET : T_MISSED;
	} else {
		snprintf(t[8].measured, sizeof(t[8].measured), "not measured");
	}
}

static const char *const verdicts[] = {"[ ?  ]", "[met ]", "[MISS]"};

static void machine(char *cpu, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	snprintf(cpu, len, "unknown CPU");
	char line[256];
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *s = strchr(line, ':');
			if (s) {
				s += 2;
				s[strcspn(s, "\n")] = '\0';
				snprintf(cpu, len, "%s", s);
			}
			break;
		}
	}
	if (f)
		fclose(f);
}

/* The Debian version of a package, or "-". */
static void pkg_version(const char *pkg, char *out, size_t len)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "dpkg-query -W -f='${Version}' %s 2>/dev/null", pkg);
	snprintf(out, len, "-");
	FILE *f = popen(cmd, "re");
	if (!f)
		return;
	if (!fgets(out, (int)len, f))
		snprintf(out, len, "-");
	pclose(f);
	out[strcspn(out, "\n")] = '\0';
}

struct versions {
	char kernel[64], xvfb[48], xpra[48], nxagent[48];
};

static void versions(struct versions *v)
{
	struct utsname u;
	snprintf(v->kernel, sizeof(v->kernel), "%.63s", uname(&u) == 0 ? u.release : "-");
	pkg_version("xvfb", v->xvfb, sizeof(v->xvfb));
	pkg_version("xpra", v->xpra, sizeof(v->xpra));
	pkg_version("nxagent", v->nxagent, sizeof(v->nxagent));
}

void report_table(struct bench *b)
{
	char cpu[128];
	machine(cpu, sizeof(cpu));
	struct versions ver;
	versions(&ver);
	printf("\nseam-bench: a guest draw to host pixels, Seam beside xpra and nxagent\n");
	printf("machine: %s, %ld CPUs online; load average %.2f at the start", cpu,
	       sysconf(_SC_NPROCESSORS_ONLN), b->load_start);
	if (b->other_load >= 0)
		printf("; other processes used %.0f%% of the CPUs during the run",
		       b->other_load * 100);
	printf("\nLinux %s; Xvfb %s, xpra %s, nxagent %s", ver.kernel, ver.xvfb, ver.xpra,
	       ver.nxagent);
	printf("\n%u samples per latency figure (%u with more windows), %.0f s of frames per size, "
	       "%.0f s idle; run took %.0f s\n",
	       b->o.samples, b->o.scale_samples, b->o.fps_s, b->o.idle_s,
	       (double)(b->t_end - b->t_start) / 1e9);
	if (b->other_load > 0.15 || b->load_start > 0.5 * (double)sysconf(_SC_NPROCESSORS_ONLN))
		printf("NOTE: the machine was busy with other work: the figures are noisier than "
		       "usual; compare ratios, not times.\n");
	bool with_b = b->ran[PEER_SEAM_B], with_drv = b->ran[PEER_SEAM_DRV];
	printf("\n%-36s %9s %9s %9s %9s", "", "floor", "seam", "xpra", "nxagent");
	if (with_b)
		printf(" %9s", "seam-b");
	if (with_drv)
		printf(" %9s", "seam-drv");
	printf(" %10s %12s%s%s\n", "seam/xpra", "seam/nxagent", with_b ? "  seam-b/seam" : "",
	       with_drv ? "  drv/seam  drv/nxagent" : "");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char c[PEER_COUNT][24], rx[24] = "", rn[24] = "", rb[24] = "", rd[24] = "",
					rdn[24] = "";
		for (int k = 0; k < PEER_COUNT; k++) {
			double x = field(b, r->m, k, r->f);
			if (r->f == F_SEEN || r->f == F_WAKE)
				snprintf(c[k], sizeof(c[k]), isnan(x) ? "-" : "%.0f", x);
			else
				cell(x, c[k], sizeof(c[k]));
		}
		if (r->ratio) {
			double s = field(b, r->m, PEER_SEAM, r->f);
			ratio_cell(s, field(b, r->m, PEER_XPRA, r->f), rx, sizeof(rx));
			ratio_cell(s, field(b, r->m, PEER_NXAGENT, r->f), rn, sizeof(rn));
			ratio_cell(field(b, r->m, PEER_SEAM_B, r->f), s, rb, sizeof(rb));
			double d = field(b, r->m, PEER_SEAM_DRV, r->f);
			ratio_cell(d, s, rd, sizeof(rd));
			ratio_cell(d, field(b, r->m, PEER_NXAGENT, r->f), rdn, sizeof(rdn));
		}
		printf("%-36s %9s %9s %9s %9s", r->label, c[PEER_FLOOR], c[PEER_SEAM], c[PEER_XPRA],
		       c[PEER_NXAGENT]);
		if (with_b)
			printf(" %9s", c[PEER_SEAM_B]);
		if (with_drv)
			printf(" %9s", c[PEER_SEAM_DRV]);
		printf(" %10s %12s", rx, rn);
		if (with_b)
			printf(" %13s", rb);
		if (with_drv)
			printf(" %9s %12s", rd, rdn);
		printf("\n");
	}
	printf(
	    "(ms and CPU: lower is better; frames/s: higher is better. floor: the probe alone on "
	    "one display.)\n");

	struct target t[N_TARGETS];
	memset(t, 0, sizeof(t));
	targets(b, t);
	printf("\ntargets (DESIGN.md section 9):\n");
	for (int i = 0; i < N_TARGETS; i++)
		printf("  %s %-44s %s\n", verdicts[t[i].v], t[i].text, t[i].measured);

	bool notes = false;
	for (int k = 0; k < PEER_COUNT; k++) {
		if (b->skipped[k][0]) {
			if (!notes)
				printf("\nnotes:\n");
			notes = true;
			printf("  %s: %s\n", peer_label(k), b->skipped[k]);
		}
		for (int m = 0; m < M_COUNT; m++) {
			if (!b->v[m][k].note[0])
				continue;
			if (!notes)
				printf("\nnotes:\n");
			notes = true;
			printf("  %s, %s: %s\n", peer_label(k), metric_names[m], b->v[m][k].note);
		}
	}
	fflush(stdout);
}

int report_json(struct bench *b, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "we");
	if (!f) {
		bench_note("cannot write %s: %s", path, strerror(errno));
		return -errno;
	}
	char cpu[128];
	machine(cpu, sizeof(cpu));
	struct versions ver;
	versions(&ver);
	fprintf(f,
		"{\"run\":{\"kernel\":\"%s\",\"xvfb\":\"%s\",\"xpra\":\"%s\","
		"\"nxagent\":\"%s\",\"gap_ms\":%.1f,\"rounds\":%d,\"cpu\":\"%s\",\"cpus\":%ld,"
		"\"load_start\":%.2f,\"other_load\":%.3f,"
		"\"samples\":%u,\"scale_samples\":%u,\"frames_seconds\":%.1f,\"idle_seconds\":%.1f,"
		"\"inflight\":%u,\"seconds\":%.1f}}\n",
		ver.kernel, ver.xvfb, ver.xpra, ver.nxagent, b->o.gap_ms, BENCH_ROUNDS, cpu,
		sysconf(_SC_NPROCESSORS_ONLN), b->load_start, b->other_load, b->o.samples,
		b->o.scale_samples, b->o.fps_s, b->o.idle_s, b->o.inflight,
		(double)(b->t_end - b->t_start) / 1e9);
	for (int m = 0; m < M_COUNT; m++) {
		for (int k = 0; k < PEER_COUNT; k++) {
			const struct value *v = &b->v[m][k];
			if (!v->ok)
				continue;
			fprintf(f, "{\"peer\":\"%s\",\"metric\":\"%s\",", peer_label(k),
				metric_names[m]);
			if (m == M_IDLE)
				fprintf(f, "\"seconds\":%.2f,\"cpu_ms\":%.3f,\"wakeups\":%llu}\n",
					v->i.seconds, v->i.cpu_ms,
					(unsigned long long)v->i.wakeups);
			else if (metric_is_rate((enum metric)m))
				fprintf(
				    f,
				    "\"unit\":\"frames/s\",\"value\":%.1f,\"seen\":%u,"
				    "\"sent\":%u,\"seconds\":%.2f,\"cpu_forwarder_ms_per_frame\":"
				    "%.4f,\"cpu_xservers_ms_per_frame\":%.4f}\n",
				    v->r.fps, v->r.seen, v->r.sent, v->r.seconds, v->r.fwd_ms,
				    v->r.xsrv_ms);
			else {
				double vs = field(b, (enum metric)m, k, F_VS_UNLOADED);
				char rel[32] = "null";
				if (!isnan(vs))
					snprintf(rel, sizeof(rel), "%.3f", vs);
				fprintf(f,
					"\"unit\":\"ms\",\"n\":%u,\"missed\":%u,\"p50\":%.4f,"
					"\"p90\":%.4f,\"p99\":%.4f,\"max\":%.4f,\"mean\":%.4f,"
					"\"p50_vs_unloaded\":%s}\n",
					v->d.n, v->d.missed, v->d.p50, v->d.p90, v->d.p99, v->d.max,
					v->d.mean, rel);
			}
		}
	}
	struct target t[N_TARGETS];
	memset(t, 0, sizeof(t));
	targets(b, t);
	for (int i = 0; i < N_TARGETS; i++)
		fprintf(f, "{\"target\":\"%s\",\"met\":%s,\"measured\":\"%s\"}\n", t[i].text,
			t[i].v == T_MET	     ? "true"
			: t[i].v == T_MISSED ? "false"
					     : "null",
			t[i].measured);
	if (f != stdout)
		fclose(f);
	return 0;
}

static int run_gnuplot(const char *script)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static const char *const colors[PEER_COUNT] = {"#888888", "#1f6fd1", "#d9731a",
					       "#2a9d3a", "#8e44ad", "#c0392b"};

int report_plot(struct bench *b, const char *png)
{
	const enum metric panels[] = {M_LAT64, M_LAT256, M_LAT_FLOOD};
	const char *titles[] = {"64x64 fill", "256x256 fill",
				"64x64 fill, a second guest flooding"};
	char script[PATH_MAX];
	snprintf(script, sizeof(script), "%s/latency.gp", b->rundir);
	for (int attempt = 0; attempt < 2; attempt++) {
		FILE *f = fopen(script, "we");
		if (!f)
			return -errno;
		fprintf(
		    f,
		    "set terminal %s size 1500,480 font 'DejaVu Sans,10'\n"
		    "set output '%s'\n"
		    "set multiplot layout 1,3 title 'Latency from a guest draw to the pixel on the "
		    "host: share of samples at or below (CDF)'\n"
		    "set logscale x\nset grid\nset key bottom right\nset yrange [0:1]\n"
		    "set xlabel 'ms (log scale)'\n",
		    attempt ? "png" : "pngcairo", png);
		for (int pnl = 0; pnl < 3; pnl++) {
			fprintf(f, "set title '%s'\nplot ", titles[pnl]);
			bool any = false;
			for (int k = 0; k < PEER_COUNT; k++) {
				const struct dist *d = &b->v[panels[pnl]][k].d;
				if (!b->v[panels[pnl]][k].ok || !d->n)
					continue;
				char data[PATH_MAX];
				snprintf(data, sizeof(data), "%s/%s-%s.dat", b->rundir,
					 metric_names[panels[pnl]], peer_label(k));
				FILE *df = fopen(data, "we");
				if (!df)
					continue;
				for (unsigned i = 0; i < d->n; i++)
					fprintf(df, "%.4f %.5f\n", d->ms[i], (i + 1.0) / d->n);
				fclose(df);
				fprintf(f,
					"%s'%s' using 1:2 with steps lw 2 lc rgb '%s' "
					"title '%s (p50 %.2f ms)'",
					any ? ", " : "", data, colors[k], peer_label(k), d->p50);
				any = true;
			}
			if (!any)
				fprintf(f, "NaN notitle");
			fprintf(f, "\n");
		}
		fprintf(f, "unset multiplot\n");
		fclose(f);
		if (run_gnuplot(script) == 0)
			return 0;
	}
	bench_note("gnuplot could not draw %s (is gnuplot installed? make deps)", png);
	return -EIO;
}
