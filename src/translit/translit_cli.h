/* translit_cli.h - the `envoi translit` command. */
#ifndef EV_TRANSLIT_CLI_H
#define EV_TRANSLIT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "translit.h"

typedef struct ev_translit_job {
	const char *scheme;         /* an id, or "ascii" */
	bool reverse;               /* Latin -> Cyrillic */
	bool list;                  /* name the schemes, one line each */
	ev_lang lang;               /* for words without a deciding letter */
	const char *const *texts;   /* the arguments, joined by spaces; none:
	                               read `in` line by line */
	size_t ntexts;
} ev_translit_job;

/* Returns the exit status: 0, 1 (a line was not valid UTF-8; still one
 * output line for it), 2 (bad scheme or options; nothing on `out`). */
int ev_translit_run(const ev_translit_job *job, FILE *in, FILE *out, FILE *err);

#endif
