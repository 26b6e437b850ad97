/* postinglist.h - the posting list a post office counter or mailing house
 * takes: sender, date, list number, one numbered line per piece (recipient
 * in Cyrillic and Latin, country, weight, service, postage, an empty cell
 * for the tracking number), a total at the foot of each page, the grand
 * total and a signature line at the end. Laid out into a display list a
 * page at a time, so a list of 100,000 pieces never sits in memory. In the
 * sender's language: German or English. Pure. */
#ifndef EV_POSTINGLIST_H
#define EV_POSTINGLIST_H

#include <stddef.h>
#include <stdint.h>

#include "display.h"
#include "postage.h"

/* Sender lines printed on the first page; any after these are left out. */
#define EV_POSTING_SENDER_MAX 6

typedef struct ev_posting_head {
	const char *lang;            /* "de" (or "de-CH"...); else English */
	const char *const *sender;   /* the sender's lines (name first) */
	size_t nsender;
	const char *date;            /* the posting date as printed */
	const char *number;          /* the list number */
	const char *operator_name;   /* "Deutsche Post" */
	const char *currency;        /* "EUR" */
	size_t pieces;               /* lines that will be added, for "page 1 of 14" */
	double page_w, page_h;       /* points (A4 or Letter) */
} ev_posting_head;

typedef struct ev_posting_line {
	size_t seq;                  /* the letter's sequence number */
	const char *id;
	const char *name, *name_latin;
	const char *country;         /* the destination as on the envelope */
	int64_t weight_ug;
	const char *band;
	ev_service service;
	int64_t postage;             /* minor units */
} ev_posting_line;

typedef struct ev_posting_list ev_posting_list;

/* NULL when out of memory. The head's strings are copied; m must outlive
 * the list. Text is drawn in EV_FACE_REGULAR and EV_FACE_BOLD only. */
ev_posting_list *ev_posting_list_new(const ev_posting_head *h, const ev_metrics *m);
/* The pages the list will have: planned from h->pieces when it is made
 * (the first page holds fewer lines, below the sender; the last fewer
 * again, above the signatures). Adding more lines than h->pieces still
 * lays every line out, on pages numbered "page 15" without "of"; adding
 * fewer leaves "page 3 of 14" on the last page. */
size_t ev_posting_list_pages(const ev_posting_list *pl);
/* Add the next piece (strings copied, for the current page only). When a
 * page fills, it is laid out into dl (a page added; every string copied
 * into dl's arena): returns 1 then (the caller draws dl and may reset its
 * arena), else 0; -1 when out of memory. */
int ev_posting_list_add(ev_posting_list *pl, const ev_posting_line *line,
                        ev_display *dl);
/* Lay out the last page (at least one page, even for no pieces) with the
 * grand total and the signature lines into dl (on a page of their own
 * when more lines came than announced and left no room). 0, or -1 when
 * out of memory or called again: the list is spent (free it). */
int ev_posting_list_finish(ev_posting_list *pl, ev_display *dl);
void ev_posting_list_free(ev_posting_list *pl);   /* accepts NULL */

/* Every character of the fixed text the list may print in `lang`
 * (headings, labels, digits, punctuation, the currency codes EUR, GBP and
 * CHF), each once, for the font subset: add it in both faces, with the
 * head's and the lines' own strings. Static storage. */
const char *ev_posting_list_chars(const char *lang);

#endif
