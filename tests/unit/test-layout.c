/* test-layout.c - golden tests of the layout: each tests/golden/NAME.md is a
 * small letter, merged for one fixed recipient, laid out with fixed-width
 * metrics (every character half an em) and a fake hyphenator (a break may
 * follow every third letter), and its display list dumped as text; the dump
 * must equal NAME.dump byte for byte. No fonts, no PDF library.
 * Usage: test-layout [--accept] DIR   (--accept rewrites the .dump files) */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "casefile.h"
#include "diag.h"
#include "display.h"
#include "hyphenator.h"
#include "layout.h"
#include "merge.h"
#include "template.h"
#include "text.h"

static int passed, failed;

/* The one recipient every golden letter is merged for. */
static const char *const fields[][2] = {
	{"id", "7"}, {"surname", "Ковалёва"}, {"given_name", "Ольга"},
	{"patronymic", "Петровна"}, {"name", "Ковалёва Ольга Петровна"},
	{"surname_latin", "Kavaliova"}, {"court", "Суд Ленинского района г. Минска"},
	{"street", "ул. Советская, 12"}, {"city", "Минск"}, {"postcode", "220030"},
	{"salutation", "Dear Judge Kavaliova,"}, {"female", "yes"}, {"male", ""},
	{"salutation:ru", "Уважаемая Ольга Петровна!"},
	{"salutation:be", "Шаноўная Вольга Пятроўна!"},
	{"salutation:en", "Dear Judge Kavaliova,"},
	{"odd", "{{surname}} **x** <b>"},
};

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!strcmp(fields[i][0], name))
			return fields[i][1];
	return NULL;
}

static const char *const signatories[] = {
	"Libereco Germany (Germany)", "Libereco Switzerland (Switzerland)",
	"Ice & Fire Theatre (United Kingdom)", "Index on Censorship (United Kingdom)",
	"Lawyers for Lawyers (Netherlands)", "European Exchange (Germany)",
	"Article 19 Europe (United Kingdom)", "ACAT Belgium (Belgium)",
};

static const char *const address[] = {
	"Суд Ленинского района г. Минска", "Ковалёва Ольга Петровна",
	"ул. Советская, 12", "220030, Минск", "BELARUS",
};

/* A break may follow every third letter, two letters left at the end. */
static size_t every_third(void *ctx, const char *lang, const char *word,
                          size_t len, size_t *at, size_t cap)
{
	(void)ctx;
	(void)lang;
	size_t n = 0, letters = 0, total = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(word + i, len - i, &cp);
		i += k ? k : 1;
		total++;
	}
	for (size_t i = 0; i < len && n < cap;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(word + i, len - i, &cp);
		i += k ? k : 1;
		letters++;
		if (letters % 3 == 0 && total - letters >= 2)
			at[n++] = i;
	}
	return n;
}

static char *lay_out(const char *path, ev_buf *err)
{
	size_t len;
	char *src = ev_case_read_file(path, &len);
	if (!src) {
		ev_buf_printf(err, "cannot read %s", path);
		return NULL;
	}
	ev_arena *a = ev_arena_new();
	ev_diags d = {0};
	ev_template *t = ev_template_parse(src, len, path, a, &d);
	const char *names[sizeof fields / sizeof *fields + 1];
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		names[i] = fields[i][0];
	names[sizeof fields / sizeof *fields] = "signatories";
	char *out = NULL;
	if (t && !ev_template_check_fields(t, names, sizeof names / sizeof *names,
	                                   NULL, 0, &d)) {
		ev_merge_input mi = {.t = t, .lookup = lookup, .signatories = signatories,
		                     .nsignatories = sizeof signatories / sizeof *signatories,
		                     .lang = EV_LANG_RU};
		ev_doc body;
		static const double em = 500;
		ev_metrics m = ev_metrics_fixed(&em);
		ev_hyphenator hy = {.points = every_third};
		ev_letter_in in = {
			.sender = t->sender, .nsender = t->nsender,
			.return_line = ev_merge_line(&mi, &t->return_address, a),
			.date = ev_merge_line(&mi, &t->date, a),
			.subject = ev_merge_line(&mi, &t->subject, a),
			.reference = ev_merge_line(&mi, &t->reference, a),
			.address = address, .naddress = sizeof address / sizeof *address,
			.body = &body, .preset = t->preset, .paper = t->paper, .lang = t->lang,
			.justify = t->justify, .hyphenate = t->hyphenate, .hy = &hy,
			.running_name = "Ковалёва Ольга Петровна",
		};
		/* Three times: without a memo, with one that is empty (it fills),
		 * with the same one full: a paragraph remembered comes out as set
		 * afresh, so all three must match. */
		ev_layout_memo *memo = ev_layout_memo_new();
		ev_buf dump[3] = {{0}};
		int rc = memo ? 0 : -1;
		for (int round = 0; rc == 0 && round < 3; round++) {
			ev_display dl;
			ev_display_init(&dl, a);
			const char *reason = NULL;
			ev_layout_stats st;
			in.memo = round ? memo : NULL;
			rc = ev_merge_body(&mi, a, &body) < 0 ? -1
			     : ev_layout_letter(&in, &m, &dl, &reason, &st);
			if (rc == 0) {
				long w = (long)(st.worst_space * 100 + 0.5);
				ev_buf_printf(&dump[round], "# pages %zu, widest space %ld.%02ld, "
				              "hyphens %zu, ragged %zu\n", st.pages, w / 100, w % 100,
				              st.hyphens, st.ragged);
				ev_display_dump(&dl, &dump[round]);
			} else {
				ev_buf_printf(err, "layout failed (%d): %s", rc, reason ? reason : "");
			}
		}
		for (int round = 1; rc == 0 && round < 3; round++)
			if (dump[round].len != dump[0].len ||
			    memcmp(dump[round].data, dump[0].data, dump[0].len)) {
				ev_buf_printf(err, "laid out with a layout memo (%s), the display "
				              "list differs", round == 1 ? "empty" : "full");
				rc = -1;
			}
		if (rc == 0)
			out = ev_buf_steal(&dump[0], NULL);
		for (int round = 0; round < 3; round++)
			ev_buf_free(&dump[round]);
		ev_layout_memo_free(memo);
	} else {
		for (size_t i = 0; i < d.n; i++)
			ev_buf_printf(err, "%s:%ld:%ld: %s\n", path, d.items[i].line,
			              d.items[i].col, d.items[i].message);
	}
	ev_diags_free(&d);
	ev_arena_free(a);
	free(src);
	return out;
}

int main(int argc, char **argv)
{
	int accept = argc == 3 && !strcmp(argv[1], "--accept");
	if (argc != 2 + accept) {
		fprintf(stderr, "usage: test-layout [--accept] DIR\n");
		return 2;
	}
	const char *dir = argv[1 + accept];
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t l = strlen(name);
		if (l > 3 && !strcmp(name + l - 3, ".md")) {
			char md[4096], dumpf[4096];
			snprintf(md, sizeof md, "%s/%s", dir, name);
			snprintf(dumpf, sizeof dumpf, "%s/%.*s.dump", dir, (int)(l - 3), name);
			ev_buf err = {0};
			char *got = lay_out(md, &err);
			char *want = ev_case_read_file(dumpf, NULL);
			if (!got) {
				failed++;
				printf("FAIL %s: %s\n", name, err.data ? err.data : "");
			} else if (accept) {
				FILE *f = fopen(dumpf, "wb");
				if (!f || fputs(got, f) < 0 || fclose(f) != 0) {
					perror(dumpf);
					failed++;
				} else {
					printf("accepted %s\n", dumpf);
					passed++;
				}
			} else if (!want || strcmp(want, got)) {
				failed++;
				printf("FAIL %s: the display list differs from %s%s\n", name,
				       dumpf, want ? "" : " (missing)");
				/* The first differing line, to read without a diff tool. */
				const char *p = got, *q = want ? want : "", *ps = p, *qs = q;
				long line = 1;
				while (*p && *p == *q) {
					if (*p == '\n')
						line++, ps = p + 1, qs = q + 1;
					p++, q++;
				}
				printf("  line %ld\n  expected: %.*s\n  actual:   %.*s\n", line,
				       (int)strcspn(qs, "\n"), qs, (int)strcspn(ps, "\n"), ps);
			} else {
				passed++;
			}
			free(got);
			free(want);
			ev_buf_free(&err);
		}
		free(list[i]);
	}
	free(list);
	printf("layout golden: %d passed, %d failed\n", passed, failed);
	return failed || !passed ? 1 : 0;
}
