/* progress.c - the live progress line (see progress.h). */
#include "progress.h"

#include <unistd.h>

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void ev_progress_start(ev_progress *p, FILE *out, bool enabled, const char *what,
                       size_t total)
{
	*p = (ev_progress){.what = what, .total = total};
	if (!enabled || !out || !isatty(fileno(out)))
		return;
	p->out = out;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void ev_progress_tick(ev_progress *p, size_t done)
{
	if (!p->out)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && seconds(&p->last, &now) < 0.1 && done != p->total)
		return;
	p->last = now;
	double t = seconds(&p->start, &now);
	double rate = t > 0.05 ? (double)done / t : 0.0;
	char line[160];
	int n;
	if (p->total)
		n = snprintf(line, sizeof line, "envoi: %s %zu of %zu (%d %%)", p->what, done,
		             p->total, (int)(100.0 * (double)done / (double)p->total));
	else
		n = snprintf(line, sizeof line, "envoi: %s %zu", p->what, done);
	if (rate > 0 && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, ", %.0f a second", rate);
	if (rate > 0 && p->total > done && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, ", about %.0f s left",
		              (double)(p->total - done) / rate + 0.5);
	/* \r and clear to the end of the line: a shorter line leaves nothing of
	 * the last behind */
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->shown = true;
}

void ev_progress_clear(ev_progress *p)
{
	if (p->out && p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
		p->shown = false;
	}
}

void ev_progress_end(ev_progress *p)
{
	if (p->out && p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	p->out = NULL;
}
