/* labelcmd.h - `envoi labels`: the label sheets envoi knows, listed, and a
 * calibration page for one of them. */
#ifndef EV_LABELCMD_H
#define EV_LABELCMD_H

#include <stdio.h>

/* argv: the words after "labels" ("list [WORDS]", or "--calibrate SHEET
 * -o FILE.pdf [--offset X,Y] [--fonts DIR]"). Returns the exit status: 0,
 * 1 (no sheet matches the words), 2 (bad arguments, an unknown sheet, a
 * file that cannot be written; said on err). */
int ev_labels_command(int argc, char **argv, FILE *out, FILE *err);

#endif
