/* coverage.h - the campaign's own text against the fonts, once, before any
 * row: a character of the letter file (or of the signatories list) that
 * neither the face it is set in nor the fallback font has could not be
 * printed in any letter. It is an error where it stands in that file, and
 * the job is refused; without this check every row was rejected in turn,
 * each naming the list's line for a fault of the letter's. Pure. */
#ifndef EV_COVERAGE_H
#define EV_COVERAGE_H

#include <stddef.h>

#include "diag.h"
#include "metrics.h"
#include "table.h"
#include "template.h"

/* The letter's literal text, each part in the face layout sets it in: the
 * sender's lines (the first bold), the return address, reference and date,
 * the subject (bold), the greeting the letter sets (`salutation:`), and the
 * body's text (headings bold). Merge fields are the rows' and are checked
 * with each row. One error a character (the first place it stands), at
 * t->path:line:column with the line for a caret. Returns the number of
 * errors added. */
size_t ev_template_check_glyphs(const ev_template *t, const ev_metrics *m, ev_diags *d);

/* The signatories (set regular, one line each): lines[i] is the text
 * printed for row i of t, the list read from the file path. Errors as
 * above. Returns the number of errors added. */
size_t ev_signatories_check_glyphs(const char *const *lines, size_t n, const ev_table *t,
                                   const char *path, const ev_metrics *m, ev_diags *d);

#endif
