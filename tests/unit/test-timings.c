/* test-timings.c - the timing module (src/timings.c): probes do nothing
 * when timings are off; nested phases count each stretch once; threads add
 * up; and the table, from fixed figures, rounded by integer code.
 * Only inequalities that hold on any machine, however slow or busy. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timings.h"

static int checks, failed;
#define CHECK(x) (checks++, (x) ? (void)0 \
                                : (void)(failed++, printf("FAIL line %d: %s\n", __LINE__, #x)))
#define MS 1000000u

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void *sleeper(void *arg)
{
	(void)arg;
	uint64_t t = ev_timing_start();
	sleep_ms(20);
	ev_timing_add(EV_PHASE_WRITE, t);
	return NULL;
}

static void probes(void)
{
	ev_timings_report r;

	/* off: no clock read, nothing counted */
	CHECK(ev_timing_start() == 0);
	ev_timing_add(EV_PHASE_READ, ev_timing_start());
	ev_timings_collect(&r, 0);
	CHECK(r.ns[EV_PHASE_READ] == 0 && r.wall_ns == 0);

	/* nested: the outer phase keeps only what the inner one did not take */
	ev_timings_enable();
	uint64_t outer = ev_timing_start();
	CHECK(outer != 0);
	uint64_t inner = ev_timing_start();
	sleep_ms(20);
	ev_timing_add(EV_PHASE_DEFLATE, inner);
	ev_timing_add(EV_PHASE_ENCODE, outer);
	ev_timings_collect(&r, 1);
	CHECK(r.ns[EV_PHASE_DEFLATE] >= 20 * MS);
	CHECK(r.ns[EV_PHASE_ENCODE] + r.ns[EV_PHASE_DEFLATE] <= r.wall_ns);
	CHECK(r.ns[EV_PHASE_LAYOUT] == 0);

	/* threads: each one's time adds to the phase, beyond the wall time */
	ev_timings_enable();
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, sleeper, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ev_timings_collect(&r, 2);
	CHECK(r.ns[EV_PHASE_WRITE] >= 40 * MS);
	CHECK(r.ns[EV_PHASE_DEFLATE] == 0);
	CHECK(r.peak_rss_kb > 0 && r.cpu_ns > 0);
	ev_timings_on = false;
}

static void table(void)
{
	ev_timings_report r = {
		.ns = {[EV_PHASE_READ] = 12345678, [EV_PHASE_LAYOUT] = 150000000,
		       [EV_PHASE_ENCODE] = 99999999, [EV_PHASE_DEFLATE] = 500000,
		       [EV_PHASE_WRITE] = 1499999, [EV_PHASE_OTHER] = 2,
		       [EV_PHASE_WAIT] = 300000000},
		.wall_ns = 350000000, .cpu_ns = 249999999, .letters = 413, .peak_rss_kb = 34918,
	};
	ev_buf b = {0};
	CHECK(ev_timings_format(&b, &r, "envoi: ") == 0);
	const char *want =
		"envoi: timings: seconds in each phase, summed over the threads\n"
		"envoi:   read           0.012 s    4.7 %\n"
		"envoi:   lay out        0.150 s   56.7 %\n"
		"envoi:   encode         0.100 s   37.8 %\n"
		"envoi:   deflate        0.001 s    0.2 %\n"
		"envoi:   write          0.001 s    0.6 %\n"
		"envoi:   other          0.000 s    0.0 %\n"
		"envoi:   all phases     0.264 s  100.0 %\n"
		"envoi:   waiting        0.300 s  (threads waiting for others; not in the total)\n"
		"envoi:   cpu time       0.250 s  (user + system; all phases well above it: threads "
		"waited for a core)\n"
		"envoi:   wall time      0.350 s; 413 letters, 1180 a second; peak RSS 34.1 MB\n";
	CHECK(b.data && !strcmp(b.data, want));
	if (b.data && strcmp(b.data, want))
		printf("got:\n%swant:\n%s", b.data, want);

	/* nothing measured: no division by zero, one letter in the singular */
	ev_timings_report z = {.letters = 1};
	ev_buf_reset(&b);
	CHECK(ev_timings_format(&b, &z, "") == 0);
	CHECK(b.data && strstr(b.data, "  all phases     0.000 s    0.0 %\n"));
	CHECK(b.data && strstr(b.data, "0.000 s; 1 letter, 0 a second; peak RSS 0.0 MB\n"));
	ev_buf_free(&b);
}

int main(void)
{
	probes();
	table();
	printf("timings: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
