/* test-decline.c - the declension module against its examples and the
 * sample list.
 *
 *   test-decline CASES... JUDGES.csv
 *
 * CASES (tests/cases/decline-ru.txt, decline-be.txt): lines KIND, GENDER,
 * LANG, CASE, INPUT, EXPECTED, tab-separated (format at the top of each
 * file); each must come out exactly, with the unsure flag set exactly for
 * the "?" lines. JUDGES.csv (recipients/judges.csv): every row's name
 * (surname, given_name, patronymic) with its gender and lang, and its
 * position, into the dative and genitive, with the gender given and with it
 * inferred: nothing may fail, and nothing may be unsure (the sample list
 * holds no name of an uncertain class); the counts are printed.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decline.h"
#include "text.h"

static int failed, passed;

static int split(char *line, char **fld, int max, char sep)
{
	int n = 0;
	char *p = line;
	for (; n < max && p; n++) {
		fld[n] = p;
		p = strchr(p, sep);
		if (p)
			*p++ = '\0';
	}
	return p ? max + 1 : n;
}

static char *run(const char *kind, ev_gender g, ev_lang l, ev_case c,
                 const char *in, bool *unsure)
{
	if (!strcmp(kind, "full"))
		return ev_decline_full(in, g, l, c, unsure);
	if (!strcmp(kind, "title"))
		return ev_decline_title(in, l, c, unsure);
	ev_name_part part = !strcmp(kind, "given") ? EV_PART_GIVEN
	                  : !strcmp(kind, "patronymic") ? EV_PART_PATRONYMIC : EV_PART_SURNAME;
	return ev_decline(in, part, g, l, c, unsure);
}

static void cases(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	int before = passed + failed;
	while (getline(&line, &cap, f) >= 0) {
		no++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *fld[6];
		if (split(line, fld, 6, '\t') != 6) {
			printf("%s:%ld: malformed line (want 6 tab-separated fields)\n", path, no);
			failed++;
			continue;
		}
		ev_gender g = EV_GENDER_UNKNOWN;
		if (strcmp(fld[1], "-"))
			ev_gender_parse(fld[1], &g);
		ev_lang l = ev_lang_parse(fld[2]);
		ev_case c = !strcmp(fld[3], "gen") ? EV_CASE_GEN : EV_CASE_DAT;
		bool want_unsure = !strcmp(fld[5], "?");
		const char *want = want_unsure ? fld[4] : fld[5];
		bool unsure = false;
		char *got = run(fld[0], g, l, c, fld[4], &unsure);
		if (!got || strcmp(got, want) || unsure != want_unsure) {
			printf("%s:%ld: %s %s %s %s '%s': expected '%s'%s, got '%s'%s\n", path, no,
			       fld[0], fld[1], fld[2], fld[3], fld[4], want,
			       want_unsure ? " (unsure)" : "", got ? got : "(NULL)",
			       unsure ? " (unsure)" : "");
			failed++;
		} else {
			passed++;
		}
		/* The nominative is always the input. */
		free(got);
		got = run(fld[0], g, l, EV_CASE_NOM, fld[4], &unsure);
		if (!got || strcmp(got, fld[4])) {
			printf("%s:%ld: nominative of '%s' is '%s'\n", path, no, fld[4], got ? got : "(NULL)");
			failed++;
		}
		free(got);
	}
	printf("%s: %d examples\n", path, passed + failed - before);
	free(line);
	fclose(f);
}

/* One CSV record's fields (quotes as RFC 4180, no line breaks inside). */
static int csv_fields(char *line, char **fld, int max)
{
	int n = 0;
	char *p = line, *w = line;
	while (n < max) {
		fld[n++] = w;
		bool q = *p == '"';
		if (q)
			p++;
		for (; *p; p++) {
			if (q && *p == '"' && p[1] == '"')
				p++;
			else if (q && *p == '"') {
				q = false;
				continue;
			} else if (!q && *p == ',')
				break;
			*w++ = *p;
		}
		bool more = *p == ',';
		*w++ = '\0';
		if (!more)
			break;
		p++;
	}
	return n;
}

static void judges(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	long no = 0, rows = 0, unsure_given = 0, unsure_inferred = 0, unsure_title = 0;
	int col[6] = {-1, -1, -1, -1, -1, -1};
	static const char *const names[] = {"surname", "given_name", "patronymic",
	                                    "gender", "lang", "position"};
	while (getline(&line, &cap, f) >= 0) {
		no++;
		line[strcspn(line, "\r\n")] = '\0';
		char *fld[32];
		int n = csv_fields(line, fld, 32);
		if (no == 1) {
			for (int i = 0; i < n; i++)
				for (int k = 0; k < 6; k++)
					if (!strcmp(fld[i], names[k]))
						col[k] = i;
			continue;
		}
		if (n <= col[5] || col[0] < 0 || col[5] < 0)
			continue;
		rows++;
		char full[1024];
		snprintf(full, sizeof full, "%s %s %s", fld[col[0]], fld[col[1]], fld[col[2]]);
		ev_gender g;
		ev_gender_parse(fld[col[3]], &g);
		ev_lang l = ev_lang_parse(fld[col[4]]);
		for (int c = EV_CASE_GEN; c <= EV_CASE_DAT; c++) {
			bool u1 = false, u2 = false, u3 = false;
			char *a = ev_decline_full(full, g, l, (ev_case)c, &u1);
			char *b = ev_decline_full(full, EV_GENDER_UNKNOWN, l, (ev_case)c, &u2);
			char *t = ev_decline_title(fld[col[5]], l, (ev_case)c, &u3);
			if (!a || !b || !t || ev_utf8_invalid_at(a, strlen(a)) != (size_t)-1) {
				printf("%s:%ld: NULL or invalid output\n", path, no);
				failed++;
			} else if (c == EV_CASE_DAT && (u1 || u2 || u3)) {
				printf("%s:%ld: unsure: '%s' (%s) -> '%s'%s, '%s'%s\n", path, no, full,
				       fld[col[3]], a, u1 ? " (unsure)" : "", t, u3 ? " (unsure)" : "");
			} else if (strcmp(a, b)) {
				printf("%s:%ld: '%s': gender %s gives '%s', inferred '%s'\n", path, no,
				       full, fld[col[3]], a, b);
				failed++;
			}
			unsure_given += u1;
			unsure_inferred += u2;
			unsure_title += u3;
			free(a);
			free(b);
			free(t);
		}
	}
	printf("%s: %ld rows, unsure (dative and genitive): %ld with the gender column, "
	       "%ld with the gender inferred, %ld positions\n", path, rows, unsure_given,
	       unsure_inferred, unsure_title);
	if (rows != 413 || unsure_given || unsure_inferred || unsure_title)
		failed++;
	else
		passed++;
	free(line);
	fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test-decline CASES... JUDGES.csv\n");
		return 2;
	}
	for (int i = 1; i < argc - 1; i++)
		cases(argv[i]);
	judges(argv[argc - 1]);
	printf("decline: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
