/* coverage.c - the campaign's own text against the fonts (see coverage.h). */
#include "coverage.h"

#include <stdbool.h>
#include <string.h>

#include "text.h"

/* Distinct characters named; past them one error says there are more. */
#define MAX_NAMED 10

typedef struct seen {
	const char *path, *src;
	size_t len;
	uint32_t cp[MAX_NAMED];
	size_t n;
	bool more;           /* a character past MAX_NAMED was met */
	size_t errors;
	ev_diags *d;
} seen;

/* The first place at or after line `from` where the character's bytes
 * ch[0..k) stand: its line, its column (in characters, 1-based), the
 * line's text. *col is 0 when the bytes are not there (a character the
 * letter wrote as an entity, say): then *line is `from`. */
static void locate(const seen *s, long from, const char *ch, size_t k, long *line,
                   long *col, const char **ls, size_t *ll)
{
	const char *p = s->src, *end = s->src + s->len;
	long n = 1;
	while (n < from && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
		n++;
	}
	*line = from;
	*col = 0;
	*ls = NULL;
	*ll = 0;
	for (const char *start = p; p + k <= end; p++) {
		if (*p == '\n') {
			start = p + 1;
			n++;
			continue;
		}
		if (memcmp(p, ch, k))
			continue;
		const char *e = memchr(start, '\n', (size_t)(end - start));
		*line = n;
		*col = 1 + (long)ev_utf8_count(start, (size_t)(p - start));
		*ls = start;
		*ll = (size_t)((e ? e : end) - start);
		if (*ll && start[*ll - 1] == '\r')
			(*ll)--;
		return;
	}
}

static const char *face_name(ev_face f)
{
	switch (f) {
	case EV_FACE_BOLD: return "bold";
	case EV_FACE_ITALIC: return "italic";
	case EV_FACE_BOLD_ITALIC: return "bold italic";
	default: return "regular";
	}
}

/* Every character of text[0..len) that face (or the fallback) lacks: an
 * error at its first place on or after line `from`. */
static void check(seen *s, const ev_metrics *m, ev_face face, const char *text,
                  size_t len, long from, const char *what)
{
	for (size_t i = 0; text && i < len;) {
		uint32_t cp = ev_missing_glyph(m, face, text + i, len - i);
		if (!cp)
			return;
		/* Past its first place in text, to go on after it. */
		for (uint32_t c = 0; i < len && c != cp;)
			c = ev_utf8_next(text, len, &i);
		bool named = false;
		for (size_t k = 0; k < s->n && !named; k++)
			named = s->cp[k] == cp;
		if (named)
			continue;
		if (s->n == MAX_NAMED) {
			s->more = true;
			continue;
		}
		s->cp[s->n++] = cp;
		char ch[5] = {0};
		size_t k = ev_utf8_encode(cp, ch);
		long line, col;
		const char *ls;
		size_t ll;
		locate(s, from, ch, k, &line, &col, &ls, &ll);
		s->errors++;
		if (ev_diag_add(s->d, EV_ERROR, s->path, line, col, NULL,
		                "the character U+%04X '%s' in %s (%s) is in "
		                "none of the fonts (the main one and its fallback), so no "
		                "letter could print it; write it another way or choose "
		                "other fonts (`fonts:`)", (unsigned)cp, ch, what,
		                face_name(face)) == 0 && ls)
			ev_diag_set_source(s->d, ls, ll);
	}
}

static void check_tline(seen *s, const ev_metrics *m, ev_face face, const ev_tline *t,
                        const char *what)
{
	for (size_t r = 0; r < t->nruns; r++)
		if (t->runs[r].field < 0)
			check(s, m, face, t->runs[r].text, t->runs[r].len, t->line, what);
}

static void finish(seen *s)
{
	if (!s->more)
		return;
	s->errors++;
	ev_diag_add(s->d, EV_ERROR, s->path, 0, 0, NULL, "more characters that none "
	            "of the fonts has; only the first %d are named", MAX_NAMED);
}

size_t ev_template_check_glyphs(const ev_template *t, const ev_metrics *m, ev_diags *d)
{
	seen s = {.path = t->path, .src = t->src, .len = t->len, .d = d};
	for (size_t i = 0; i < t->nsender; i++)
		check(&s, m, i ? EV_FACE_REGULAR : EV_FACE_BOLD, t->sender[i],
		      strlen(t->sender[i]), 1, "the sender");
	check_tline(&s, m, EV_FACE_REGULAR, &t->return_address, "the return address");
	check_tline(&s, m, EV_FACE_REGULAR, &t->reference, "the reference");
	check_tline(&s, m, EV_FACE_REGULAR, &t->date, "the date");
	check_tline(&s, m, EV_FACE_BOLD, &t->subject, "the subject");
	/* The letter's own greeting, in the face of the first {{salutation}}
	 * (not printed when the letter has none). */
	bool greeted = false;
	for (size_t b = 0; b < t->body.nblocks && !greeted; b++) {
		const ev_block *bl = &t->body.blocks[b];
		for (size_t r = 0; r < bl->nruns && !greeted; r++) {
			const ev_run *run = &bl->runs[r];
			if (run->field >= 0 && (size_t)run->field < t->nfields &&
			    !t->fields[run->field].tag &&
			    !strcmp(t->fields[run->field].name, "salutation")) {
				check_tline(&s, m, ev_run_face(bl, run), &t->salutation, "the greeting");
				greeted = true;
			}
		}
	}
	for (size_t b = 0; b < t->body.nblocks; b++) {
		const ev_block *bl = &t->body.blocks[b];
		for (size_t r = 0; r < bl->nruns; r++) {
			const ev_run *run = &bl->runs[r];
			if (run->field < 0)
				check(&s, m, ev_run_face(bl, run), run->text, run->len, bl->line,
				      "the letter's text");
		}
	}
	finish(&s);
	return s.errors;
}

size_t ev_signatories_check_glyphs(const char *const *lines, size_t n, const ev_table *t,
                                   const char *path, const ev_metrics *m, ev_diags *d)
{
	seen s = {.path = path, .src = t->source, .len = t->source_len, .d = d};
	for (size_t i = 0; i < n; i++)
		check(&s, m, EV_FACE_REGULAR, lines[i], strlen(lines[i]), t->rows[i].line,
		      "the signatories list");
	finish(&s);
	return s.errors;
}
