/* postage.h - what a piece weighs and costs: the posting operator's
 * tariff (a dated data file per operator, read at run time), the paper and
 * envelope, and the band a piece of N pages falls in. Pure: no files are
 * read here (ev_tariff_parse takes the bytes). Money is integer minor units
 * (cents, pence, Rappen), weights integer micrograms; never a float. */
#ifndef EV_POSTAGE_H
#define EV_POSTAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum { EV_SERVICE_STANDARD, EV_SERVICE_REGISTERED, EV_SERVICE_COUNT } ev_service;

/* "standard", "registered". */
extern const char *const ev_service_names[EV_SERVICE_COUNT];

/* One row of a tariff: a format band of one service, in force from..to. */
typedef struct ev_band {
	char *name;              /* "Standardbrief", "Letter", "Standard letter" */
	ev_service service;
	int64_t max_ug;          /* weight limit, micrograms */
	int max_long_mm, max_short_mm;   /* the piece's longer and shorter side */
	int max_thick_um;        /* thickness limit, micrometres */
	int64_t price;           /* minor units of currency */
	char currency[4];        /* ISO 4217 */
	int32_t from, to;        /* in force from..to, YYYYMMDD, inclusive */
	char *source;            /* where the price was read */
	long line;               /* in the tariff file */
} ev_band;

/* A tariff file: one operator's bands, in the file's order (the first band
 * of the service that takes a piece is its band, so they are listed from
 * the cheapest). */
typedef struct ev_tariff {
	char *path;              /* as given, for messages */
	char *operator_name;     /* "Deutsche Post" */
	char country[3];         /* the posting country it serves: DE, GB, CH */
	char *names[14];         /* that country's names as a sender's address
	                            ends (GERMANY, DEUTSCHLAND), upper case */
	size_t nnames;
	char lang[3];            /* `language`: the posting list's, "de" or "en" */
	ev_band *bands;
	size_t nbands;
} ev_tariff;

/* Parse a tariff file (format in src/data/tariffs/README.md). Returns 0,
 * or -1 with each broken line an error at FILE:LINE in d. */
int ev_tariff_parse(const char *src, size_t len, const char *path,
                    ev_tariff *out, ev_diags *d);
void ev_tariff_free(ev_tariff *t);

/* An envelope: its size, weight and how an A4 sheet is folded into it
 * (the layers one sheet makes: DL 3, C5 2, C4 1). */
typedef struct ev_envelope {
	const char *name;        /* "DL", "C5", "C4", "C6/5" */
	int w_mm, h_mm;
	int64_t weight_ug;       /* default weight (see envelopes in postage.c) */
	int layers;
} ev_envelope;

const ev_envelope *ev_envelope_find(const char *name);   /* any case; NULL */
/* "DL, C6/5, C5, C4" into out. */
void ev_envelope_names(char *out, size_t cap);

/* How the campaign posts: everything a piece's band depends on but its
 * page count. */
typedef struct ev_posting {
	const ev_tariff *tariff;
	ev_service service;
	int32_t date;            /* posting date, YYYYMMDD */
	int paper_gsm;           /* g/m² */
	int paper_w_mm, paper_h_mm;
	const ev_envelope *envelope;
	int64_t envelope_ug;     /* the envelope's weight as used */
	bool duplex;
} ev_posting;

typedef struct ev_piece {
	size_t sheets;
	int64_t weight_ug;
	int thickness_um;
	const ev_band *band;     /* NULL when no band takes the piece */
} ev_piece;

/* The piece a letter of `pages` pages makes. Returns 0 with its band, or 1
 * when no band of the service takes it (why, naming the limit it passes and
 * the tariff file, in `why`). */
int ev_postage_piece(const ev_posting *p, size_t pages, ev_piece *out,
                     char *why, size_t cap);

/* Whether the tariff has any band of p's service in force on p's date:
 * 0 yes; -1 no, with an error in d that names the tariff file to update
 * (or the service it lacks). */
int ev_posting_check(const ev_posting *p, ev_diags *d);

/* 51625 -> "516.25" (always a point, two places; "-0.05" for negatives). */
void ev_money_format(int64_t minor, char *out, size_t cap);
/* Micrograms as grams with two places, rounded half up: 9989600 -> "9.99". */
void ev_weight_format(int64_t ug, char *out, size_t cap);
/* Micrograms as kilograms with three places, rounded up (a declared
 * weight is never under the real one): 9989600 -> "0.010". */
void ev_weight_kg_format(int64_t ug, char *out, size_t cap);

/* A calendar date as YYYYMMDD from day, month, year; 0 when there is no
 * such day (31 April, 29 February 2026). */
int32_t ev_date_make(int d, int m, int y);

#endif
