/* template.h - the letter file: front matter (campaign settings) and a
 * Markdown body (parsed by libcmark) with {{field}} merge fields. Pure. */
#ifndef EV_TEMPLATE_H
#define EV_TEMPLATE_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "page.h"

/* A filter after the field name: {{surname | latin:bgn-pcgn-ru}}. */
typedef enum {
	EV_FILTER_LATIN, EV_FILTER_CYRILLIC, EV_FILTER_UPPER, EV_FILTER_LOWER,
	EV_FILTER_TITLE, EV_FILTER_INITIALS, EV_FILTER_DATE, EV_FILTER_DEFAULT,
	EV_FILTER_DATIVE, EV_FILTER_GENITIVE,
} ev_filter_kind;

typedef struct ev_filter {
	ev_filter_kind kind;
	const char *scheme;  /* latin/cyrillic: the id after ':', or NULL (the
	                        campaign's policy); date: the language (en, ru,
	                        be); default: the text to use when empty */
} ev_filter;

#define EV_MAX_FILTERS 4

typedef struct ev_fieldref {
	const char *name;   /* trimmed field name */
	long line, col;     /* where {{ stands in the letter file */
	ev_filter filters[EV_MAX_FILTERS];
	size_t nfilters;
	char tag;           /* 0 a value; '#' a section, '^' an inverted
	                       section, '/' the end of one */
	long match;         /* sections: the index of the other tag */
	long section;       /* the innermost section around it, or -1 */
	const char *lang;   /* inside a translation: its language, else NULL */
} ev_fieldref;

/* A transliteration policy: the scheme for Belarusian words and the one
 * for Russian words (ids). */
typedef struct ev_policy {
	const char *be, *ru;
} ev_policy;

/* `fonts:` the bundled font the letters are set in. */
typedef enum {
	EV_FONTS_PT_SERIF,      /* PT Serif, DejaVu Serif for what it lacks */
	EV_FONTS_DEJAVU_SERIF,  /* DejaVu Serif alone */
	EV_FONTS_COUNT
} ev_fonts;

/* The setting's value for each choice ("pt-serif", "dejavu-serif"). */
extern const char *const ev_fonts_names[EV_FONTS_COUNT];

/* A one-line setting that may contain merge fields: runs as in ev_doc. */
typedef struct ev_tline {
	ev_run *runs;
	size_t nruns;
	long line;          /* 0 when the setting is absent */
} ev_tline;

typedef struct ev_template {
	const char *path;
	/* settings from the front matter */
	const char **sender;        /* lines; the first is the sender's name */
	size_t nsender;
	ev_tline return_address;    /* default: the sender lines joined by " · " */
	ev_tline date, subject, reference;
	const char *signatories;    /* path as written (relative to the letter) */
	long signatories_line;
	const char *lang;           /* the letter's language: en (default), ru, be */
	ev_tline salutation;        /* `salutation:` overrides {{salutation}} */
	ev_policy latin;            /* names: `latin:` (default by-passport / icao-ru) */
	const ev_paper *paper;      /* `paper:` A4 (default) or Letter */
	const ev_preset *preset;    /* `layout:` din5008-b (default), ... */
	bool hyphenate, justify;    /* `hyphenate:`, `justify:` yes (default) / no */
	ev_fonts fonts;             /* `fonts:` pt-serif (default) or dejavu-serif */
	ev_policy latin_places;     /* courts, streets, places: `latin-places:`
	                               (default by-national / bgn-pcgn-ru) */
	/* how the letters are posted (postage.h) */
	const char *posting;        /* `posting:` a country code (DE), "none", or
	                               NULL: from the sender's last line */
	int service;                /* `service:` -1 unset (standard), else an
	                               ev_service */
	int paper_gsm;              /* `paper:` ... 80 g/m² (default 80) */
	const char *envelope;       /* `envelope:` DL (default), C6/5, C5, C4 */
	long envelope_mg;           /* `envelope-weight:` in mg, 0: the size's */
	bool duplex;                /* `duplex:` yes (default) / no */
	const char *ledger;         /* `ledger:` path as written, or NULL */
	bool address_dative;        /* `address-case: dative`: the address
	                               block's name line in the dative */
	long posting_line, service_line, paper_line, envelope_line, duplex_line,
	     ledger_line;           /* where each was set, 0 when not */
	/* the body */
	ev_doc body;
	ev_fieldref *fields;
	size_t nfields;
	/* the source, for carets */
	const char *src;
	size_t len;
} ev_template;

/* Parse a letter file. Everything is allocated in `arena`, which must
 * outlive the result. Returns NULL when the letter has errors (each in d as
 * FILE:LINE:COL with the source line for a caret). */
ev_template *ev_template_parse(const char *src, size_t len, const char *path,
                               ev_arena *arena, ev_diags *d);

/* Check every merge field against the known names (the list's columns and
 * derived fields, plus "signatories" where used as a block; inside a
 * {{#signatories}} section also the `inner` names, the signatories list's
 * columns). Section end tags are not checked again. An unknown
 * field is an error naming the close matches ("did you mean 'surname'?").
 * Returns the number of errors added. */
size_t ev_template_check_fields(const ev_template *t, const char *const *names,
                                size_t n, const char *const *inner,
                                size_t ninner, ev_diags *d);

#endif
