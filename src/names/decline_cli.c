/* decline_cli.c - `envoi decline`: each argument, or each line of standard
 * input, is a full name ("Surname Given Patronymic"); one output line per
 * input line, the nominative where the rules are unsure (and a warning). */
#define _POSIX_C_SOURCE 200809L
#include "decline_cli.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

/* One name onto out; 0, 1 unsure (reported), 2 out of memory. */
static int one(const ev_decline_job *job, const char *text, const char *where,
               long no, FILE *out, FILE *err)
{
	bool unsure = false;
	char *r = ev_decline_full(text, job->gender, job->lang, job->c, &unsure);
	if (!r) {
		fprintf(err, "envoi: out of memory\n");
		return 2;
	}
	fprintf(out, "%s\n", r);
	if (unsure)
		fprintf(err, "envoi: %s:%ld: warning: not sure how to decline '%s'; "
		        "left in the nominative\n", where, no, r);
	free(r);
	return unsure ? 1 : 0;
}

int ev_decline_run(const ev_decline_job *job, FILE *in, FILE *out, FILE *err)
{
	if (job->c == EV_CASE_NOM) {
		fprintf(err, "envoi: decline needs --case dative or --case genitive; "
		        "try 'envoi --help'\n");
		return 2;
	}
	int status = 0;
	for (size_t i = 0; i < job->ntexts; i++) {
		int rc = one(job, job->texts[i], "argument", (long)i + 1, out, err);
		if (rc == 2)
			return 2;
		status |= rc;
	}
	if (job->ntexts)
		return status;
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	ev_buf text = {0};
	for (ssize_t len; (len = getline(&line, &cap, in)) >= 0;) {
		no++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		/* as `envoi translit` reads a line: a NUL or a byte that is not
		 * UTF-8 becomes U+FFFD, with a warning; the rest is still read */
		ev_buf_reset(&text);
		if (ev_utf8_repair(line, (size_t)len, &text)) {
			fprintf(err, "envoi: <stdin>:%ld: warning: not valid UTF-8 text; "
			        "the bad bytes are shown as U+FFFD\n", no);
			status = 1;
		}
		int rc = text.failed ? 2 : one(job, text.data, "<stdin>", no, out, err);
		if (rc == 2) {
			if (text.failed)
				fprintf(err, "envoi: out of memory\n");
			free(line);
			ev_buf_free(&text);
			return 2;
		}
		status |= rc;
	}
	free(line);
	ev_buf_free(&text);
	return status;
}
