/* translit_cli.c - `envoi translit`: a scheme over the arguments, or over
 * standard input line by line (one output line per input line, nothing else
 * on stdout), and `--list`. */
#include "translit_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "scheme.h"
#include "text.h"

/* The languages a scheme reads: its own tables, and Ukrainian through the
 * scheme its "uk:" header names. */
static const char *langs(const ev_scheme *s)
{
	static const char *const names[] = {
		"", "ru", "be", "be ru", "uk", "ru uk", "be uk", "be ru uk",
	};
	return names[(s->langs | (s->uk ? EV_BIT_UK : 0)) & EV_BIT_ALL];
}

static void list(FILE *out)
{
	for (size_t i = 0; i < ev_scheme_count(); i++) {
		const ev_scheme *s = ev_scheme_at(i);
		fprintf(out, "%-17s %-8s %-12s %s\n", s->id, langs(s),
		        s->reverse == EV_REVERSE_YES ? "reversible"
		        : s->reverse == EV_REVERSE_BEST_EFFORT ? "best-effort" : "one-way",
		        s->name);
	}
	fprintf(out, "%-17s %-8s %-12s %s\n", "ascii", "be ru uk", "one-way",
	        "by-passport (be) / icao-ru (ru) / uk-national (uk) folded to ASCII");
}

/* One text through the job's scheme; malloc'd or NULL. */
static char *one(const ev_translit_job *job, const ev_scheme *s, const char *text)
{
	if (s)
		return ev_translit(s, text, job->lang, job->reverse);
	char *latin = ev_latin(text, job->lang);
	char *ascii = latin ? ev_ascii(latin) : NULL;
	free(latin);
	return ascii;
}

int ev_translit_run(const ev_translit_job *job, FILE *in, FILE *out, FILE *err)
{
	if (job->list) {
		list(out);
		return 0;
	}
	if (!job->scheme) {
		fprintf(err, "envoi: translit needs --scheme ID (see 'envoi translit --list')\n");
		return 2;
	}
	const ev_scheme *s = ev_scheme_find(job->scheme);
	if (!s && strcmp(job->scheme, "ascii") != 0) {
		ev_buf hint = {0};
		ev_scheme_did_you_mean(&hint, job->scheme);
		fprintf(err, "envoi: unknown scheme '%s'%s; 'envoi translit --list' "
		        "names them\n", job->scheme, hint.data ? hint.data : "");
		ev_buf_free(&hint);
		return 2;
	}
	if (job->reverse && (!s || !s->rev)) {
		fprintf(err, "envoi: '%s' cannot be reversed; the reversible schemes are:",
		        job->scheme);
		for (size_t i = 0; i < ev_scheme_count(); i++)
			if (ev_scheme_at(i)->rev)
				fprintf(err, " %s", ev_scheme_at(i)->id);
		fputc('\n', err);
		return 2;
	}
	int status = 0;
	if (job->ntexts) {
		ev_buf all = {0};
		for (size_t i = 0; i < job->ntexts; i++)
			ev_buf_printf(&all, "%s%s", i ? " " : "", job->texts[i]);
		char *r = all.failed ? NULL : one(job, s, all.data ? all.data : "");
		ev_buf_free(&all);
		if (!r) {
			fprintf(err, "envoi: out of memory\n");
			return 2;
		}
		fprintf(out, "%s\n", r);
		free(r);
		return 0;
	}
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	ev_buf text = {0};
	for (ssize_t len; (len = getline(&line, &cap, in)) >= 0;) {
		no++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		/* a NUL or a byte that is not UTF-8 becomes U+FFFD: the rest of
		 * the line is still read */
		ev_buf_reset(&text);
		if (ev_utf8_repair(line, (size_t)len, &text)) {
			fprintf(err, "envoi: <stdin>:%ld: warning: not valid UTF-8 text; "
			        "the bad bytes are shown as U+FFFD\n", no);
			status = 1;
		}
		char *r = text.failed ? NULL : one(job, s, text.data);
		if (!r) {
			fprintf(err, "envoi: out of memory\n");
			free(line);
			ev_buf_free(&text);
			return 2;
		}
		fprintf(out, "%s\n", r);
		free(r);
	}
	free(line);
	ev_buf_free(&text);
	return status;
}
