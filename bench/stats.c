/* Latency samples and their percentiles (nearest rank), and the probe's colors. */
#include <stdlib.h>

#include "bench/bench.h"

void dist_add(struct dist *d, double ms)
{
	if (d->n == d->cap) {
		unsigned cap = d->cap ? d->cap * 2 : 256;
		double *m = realloc(d->ms, cap * sizeof(*m));
		if (!m)
			return;
		d->ms = m;
		d->cap = cap;
	}
	d->ms[d->n++] = ms;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The smallest sample with at least q of the samples at or below it. */
static double rank(const struct dist *d, double q)
{
	unsigned i = (unsigned)(q * d->n + 0.999999);
	return d->ms[i ? i - 1 : 0];
}

void dist_finish(struct dist *d)
{
	if (!d->n)
		return;
	qsort(d->ms, d->n, sizeof(*d->ms), cmp);
	d->p50 = rank(d, 0.50);
	d->p90 = rank(d, 0.90);
	d->p99 = rank(d, 0.99);
	d->max = d->ms[d->n - 1];
	double sum = 0;
	for (unsigned i = 0; i < d->n; i++)
		sum += d->ms[i];
	d->mean = sum / d->n;
}

void dist_free(struct dist *d)
{
	free(d->ms);
	*d = (struct dist){0};
}

uint32_t bench_color(uint32_t i)
{
	/* A bijective mix of the index (consecutive samples differ in many bits), never 0. */
	uint32_t x = i * 0x9e3779b1u;
	x ^= x >> 15;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x &= 0xffffffu;
	return x ? x : 0x010101u;
}
