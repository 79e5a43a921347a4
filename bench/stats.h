/* SPDX-License-Identifier: Apache-2.0 */
/* The clock and the median the side-by-side benchmarks share. */
#ifndef OL_BENCH_STATS_H
#define OL_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double) t.tv_sec * 1e6 + (double) t.tv_nsec / 1e3;
}

static inline int bench_compare(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

/* The median of v[n], which it sorts. */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_compare);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
