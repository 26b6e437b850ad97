/* decline_cli.h - the `envoi decline` command: full names into the
 * genitive or dative, one line out per line in. */
#ifndef EV_DECLINE_CLI_H
#define EV_DECLINE_CLI_H

#include <stdio.h>

#include "decline.h"

typedef struct ev_decline_job {
	ev_case c;                  /* EV_CASE_NOM: not given (an error) */
	ev_gender gender;           /* UNKNOWN: from the patronymic */
	ev_lang lang;               /* UNKNOWN: from the letters */
	const char *const *texts;   /* each a full name; none: read `in` by line */
	size_t ntexts;
} ev_decline_job;

/* Returns the exit status: 0, 1 (a line was left in the nominative because
 * the rules are unsure of it, reported on err with its line number), 2 (bad
 * options or out of memory). */
int ev_decline_run(const ev_decline_job *job, FILE *in, FILE *out, FILE *err);

#endif
