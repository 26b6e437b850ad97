/* timings.c - per-phase time accumulators (timings.h). Each thread keeps
 * the time it has already given to a phase, so an outer phase counts only
 * what its inner ones did not; the totals are shared atomics. */
#include "timings.h"

#include <stdatomic.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

bool ev_timings_on;

static _Atomic uint64_t totals[EV_PHASE_COUNT];
static uint64_t started;                /* the wall clock at enable */
static _Thread_local uint64_t given;    /* ns this thread gave to phases */

static const char *const phase_names[EV_PHASE_COUNT] = {
	"read", "lay out", "encode", "deflate", "write", "other", "waiting",
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ev_timings_enable(void)
{
	for (int i = 0; i < EV_PHASE_COUNT; i++)
		atomic_store(&totals[i], 0);
	given = 0;
	started = now_ns();
	ev_timings_on = true;
}

/* The clock less what this thread has given to phases: the difference of
 * two readings is the time between them that no inner phase took. Never 0
 * (0 is "off"). */
uint64_t ev_timing_clock(void)
{
	uint64_t t = now_ns() - given;
	return t ? t : 1;
}

void ev_timing_count(ev_phase phase, uint64_t start)
{
	uint64_t t = now_ns() - given;
	uint64_t d = t > start ? t - start : 0;
	given += d;
	atomic_fetch_add_explicit(&totals[phase], d, memory_order_relaxed);
}

void ev_timings_collect(ev_timings_report *r, size_t letters)
{
	for (int i = 0; i < EV_PHASE_COUNT; i++)
		r->ns[i] = atomic_load(&totals[i]);
	r->wall_ns = ev_timings_on ? now_ns() - started : 0;
	r->letters = letters;
	struct rusage ru;
	bool ok = getrusage(RUSAGE_SELF, &ru) == 0;
	r->peak_rss_kb = ok ? ru.ru_maxrss : 0;
	r->cpu_ns = 0;
	for (int i = 0; ok && i < 2; i++) {
		const struct timeval *tv = i ? &ru.ru_stime : &ru.ru_utime;
		r->cpu_ns += (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
	}
}

/* ns as seconds with three decimals, rounded: "12.345" */
static void put_seconds(ev_buf *b, uint64_t ns)
{
	uint64_t ms = (ns + 500000) / 1000000;
	char s[32];
	snprintf(s, sizeof s, "%llu.%03llu", (unsigned long long)(ms / 1000),
	         (unsigned long long)(ms % 1000));
	ev_buf_printf(b, "%9s s", s);
}

/* part of whole in per cent with one decimal, rounded: " 42.0 %" */
static void put_share(ev_buf *b, uint64_t part, uint64_t whole)
{
	uint64_t pm = whole ? (part * 1000 + whole / 2) / whole : 0;
	ev_buf_printf(b, "%3llu.%llu %%", (unsigned long long)(pm / 10),
	              (unsigned long long)(pm % 10));
}

int ev_timings_format(ev_buf *b, const ev_timings_report *r, const char *prefix)
{
	uint64_t all = 0;
	for (int i = 0; i < EV_PHASE_WAIT; i++)
		all += r->ns[i];
	ev_buf_printf(b, "%stimings: seconds in each phase, summed over the threads\n",
	              prefix);
	for (int i = 0; i < EV_PHASE_WAIT; i++) {
		ev_buf_printf(b, "%s  %-11s", prefix, phase_names[i]);
		put_seconds(b, r->ns[i]);
		ev_buf_puts(b, "  ");
		put_share(b, r->ns[i], all);
		ev_buf_putc(b, '\n');
	}
	ev_buf_printf(b, "%s  %-11s", prefix, "all phases");
	put_seconds(b, all);
	ev_buf_puts(b, "  ");
	put_share(b, all, all);
	ev_buf_printf(b, "\n%s  %-11s", prefix, phase_names[EV_PHASE_WAIT]);
	put_seconds(b, r->ns[EV_PHASE_WAIT]);
	ev_buf_puts(b, "  (threads waiting for others; not in the total)\n");
	ev_buf_printf(b, "%s  %-11s", prefix, "cpu time");
	put_seconds(b, r->cpu_ns);
	ev_buf_puts(b, "  (user + system; all phases well above it: threads waited for a core)\n");
	ev_buf_printf(b, "%s  %-11s", prefix, "wall time");
	put_seconds(b, r->wall_ns);
	/* letters a second, rounded; a run under 1 ms reports 0 */
	uint64_t rate = r->wall_ns >= 1000000
	              ? ((uint64_t)r->letters * 1000000000u + r->wall_ns / 2) / r->wall_ns : 0;
	uint64_t mb10 = ((uint64_t)(r->peak_rss_kb > 0 ? r->peak_rss_kb : 0) * 10 + 512) / 1024;
	ev_buf_printf(b, "; %zu %s, %llu a second; peak RSS %llu.%llu MB\n", r->letters,
	              r->letters == 1 ? "letter" : "letters", (unsigned long long)rate,
	              (unsigned long long)(mb10 / 10), (unsigned long long)(mb10 % 10));
	return b->failed ? -1 : 0;
}
