/* labeldb.h - gLabels' database of label sheets (Debian's glabels-data),
 * read at run time with libxml2 into ev_label_sheet (labels.h), and the
 * catalogue of every sheet envoi knows: the built-in ones and the
 * database's. Edge code: it reads files. */
#ifndef EV_LABELDB_H
#define EV_LABELDB_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "labels.h"

#define EV_LABELDB_DEFAULT "/usr/share/libglabels-3.0/templates"

typedef struct ev_labeldb ev_labeldb;

/* The folder the database is read from: dir when not NULL, else
 * $ENVOI_LABELDIR when set and not empty, else EV_LABELDB_DEFAULT. */
const char *ev_labeldb_dir(const char *dir);

/* Read every *-templates.xml of the folder (ev_labeldb_dir(dir)), in name
 * order, with paper-sizes.xml for the paper ids. Kept: the templates of a
 * sticky-label category (label, *-label, mail; not cards, photo paper or
 * bare CD inserts), with their `equiv` aliases resolved within the brand,
 * that pass ev_label_sheet_check (the others are kept apart, with why:
 * ev_labeldb_left). A file that is not XML is a warning in d. A
 * folder that cannot be read gives an empty database (ev_labeldb_read is
 * then 0). NULL only when out of memory. */
ev_labeldb *ev_labeldb_load(const char *dir, ev_diags *d);
void ev_labeldb_free(ev_labeldb *db);   /* accepts NULL */

/* The folder it was read from; how many template files were read. */
const char *ev_labeldb_path(const ev_labeldb *db);
size_t ev_labeldb_read(const ev_labeldb *db);

/* Its sheets, valid while db lives. */
size_t ev_labeldb_count(const ev_labeldb *db);
const ev_label_sheet *ev_labeldb_sheet(const ev_labeldb *db, size_t i);

/* The label templates left out (labels off the paper, no room for text,
 * a length that is not one), with the reason (a phrase: "its labels lie
 * off the paper"). */
size_t ev_labeldb_left_count(const ev_labeldb *db);
const ev_label_sheet *ev_labeldb_left(const ev_labeldb *db, size_t i, const char **why);

/* Every sheet envoi knows, sorted by brand and part: the built-in ones
 * and the database's (db may be NULL), a built-in sheet standing for the
 * database's sheet of its brand and part. malloc'd (the sheets are not
 * copied); NULL when out of memory. */
const ev_label_sheet **ev_labeldb_catalogue(const ev_labeldb *db, size_t *n);

/* The sheet `name` names (ev_label_lookup): a built-in one without reading
 * the database; otherwise the database is read from dir (see
 * ev_labeldb_dir) into *db, which the caller frees, and the sheet is one
 * of its own. NULL with an error in d (unknown, ambiguous, or no database
 * installed to look in). */
const ev_label_sheet *ev_labeldb_resolve(const char *name, const char *dir,
                                         ev_labeldb **db, ev_diags *d);

#endif
