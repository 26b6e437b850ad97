/* test-core.c - runs the example files of the pure core: transliteration
 * (cases/translit.txt), letter parsing and its diagnostics
 * (cases/template.txt), plus manifest quoting and the address-window check.
 * Usage: test-core TRANSLIT.txt TEMPLATE.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "casefile.h"
#include "display.h"
#include "layout.h"
#include "manifest.h"
#include "scheme.h"
#include "template.h"
#include "translit.h"

static int passed, failed;

static void check(const char *name, const char *want, const char *got)
{
	if (got && !strcmp(want, got)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n  expected: %s\n  actual:   %s\n", name, want, got ? got : "(null)");
}

static char *slurp(const char *path)
{
	char *s = ev_case_read_file(path, NULL);
	if (!s) {
		perror(path);
		exit(2);
	}
	return s;
}

static void translit_cases(const char *path)
{
	char *src = slurp(path), *save = NULL;
	for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *f[4], *s2 = NULL;
		int n = 0;
		for (char *t = strtok_r(line, "\t", &s2); t && n < 4; t = strtok_r(NULL, "\t", &s2))
			f[n++] = t;
		if (n != 4) {
			check("translit.txt: malformed line", "4 fields", line);
			continue;
		}
		char *got = NULL;
		if (!strcmp(f[0], "latin"))
			got = ev_latin(f[2], !strcmp(f[1], "auto") ? EV_LANG_UNKNOWN : ev_lang_parse(f[1]));
		else if (!strcmp(f[0], "slug"))
			got = ev_slug(f[2], 40);
		else if (!strcmp(f[0], "lang")) {
			ev_lang l = ev_lang_detect(f[2], EV_LANG_UNKNOWN);
			got = strdup(l == EV_LANG_RU ? "ru" : l == EV_LANG_BE ? "be" : l == EV_LANG_UK ? "uk" : "?");
		}
		check(f[2], f[3], got);
		free(got);
	}
	free(src);
}

/* ev_slug_into takes printable ASCII as it is, without transliterating
 * and folding it: right only while each such character is its own
 * transliteration and its own ASCII fold, and the slug of a text of them
 * is that of the text transliterated and folded. ev_slug gives the same,
 * and a name with other characters still goes the long way. */
static void slug_ascii_cases(void)
{
	char all[0x7F - 0x20 + 1], one[2] = "";
	for (int c = 0x20; c < 0x7F; c++) {
		one[0] = (char)c;
		all[c - 0x20] = (char)c;
		char *latin = ev_latin(one, EV_LANG_UNKNOWN), *ascii = ev_ascii(one);
		/* (transliteration trims spaces at either end: a separator in a
		 * slug all the same) */
		check("printable ASCII is its own transliteration", c == ' ' ? "" : one, latin);
		check("printable ASCII is its own fold", one, ascii);
		free(latin);
		free(ascii);
	}
	all[sizeof all - 1] = '\0';
	const char *texts[] = {all, "Kavaliova Volha Piatrouna", "O'Brien-Smith, Jr.",
	                       "  --  ", "Hanchar\xc3\xa9nka Vera", "\xd0\x93\xd0\xb0\xd0\xbd"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char *latin = ev_latin(texts[i], EV_LANG_UNKNOWN), *ascii = latin ? ev_ascii(latin) : NULL;
		char *slow = ascii ? ev_slug(ascii, 40) : NULL, fast[41];
		check("ev_slug_into: the slug of the transliterated, folded text",
		      slow ? slow : "(null)", ev_slug_into(texts[i], 40, fast) == 0 ? fast : NULL);
		char *whole = ev_slug(texts[i], 40);
		check("ev_slug == ev_slug_into", fast, whole);
		free(latin);
		free(ascii);
		free(slow);
		free(whole);
	}
}

/* Turn \t, \xHH escapes of the example file into bytes. */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 't') {
			*o++ = '\t';
			p++;
		} else if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char hex[3] = {p[2], p[3], 0};
			*o++ = (char)strtol(hex, NULL, 16);
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static void dump_body(const ev_template *t, ev_buf *out)
{
	static const char *kinds[] = {"para", "heading", "item", "quote",
	                              "pagebreak", "signatories", "line"};
	static const char *faces[] = {"regular", "bold", "italic", "bold-italic"};
	for (size_t i = 0; i < t->body.nblocks; i++) {
		const ev_block *b = &t->body.blocks[i];
		ev_buf_printf(out, "%s %d %s|", kinds[b->kind], b->level,
		              b->marker ? b->marker : "-");
		for (size_t r = 0; r < b->nruns; r++) {
			const ev_run *run = &b->runs[r];
			if (run->field >= 0) {
				/* {name}, {#name} {^name} {/name}, {name|filter:arg...} */
				const ev_fieldref *f = &t->fields[run->field];
				static const char *const fl[] = {"latin", "cyrillic", "upper",
					"lower", "title", "initials", "date", "default",
					"dative", "genitive"};
				ev_buf_printf(out, "{%s%s", f->tag ? (char[]){f->tag, 0} : "", f->name);
				for (size_t k = 0; k < f->nfilters; k++)
					ev_buf_printf(out, "|%s%s%s", fl[f->filters[k].kind],
					              f->filters[k].scheme ? ":" : "",
					              f->filters[k].scheme ? f->filters[k].scheme : "");
				ev_buf_putc(out, '}');
			}
			else
				ev_buf_printf(out, "[%s:%.*s]", faces[run->face], (int)run->len, run->text);
		}
		ev_buf_putc(out, '\n');
	}
}

static void template_case(const char *name, char *letter, const char *expect)
{
	unescape(letter);
	ev_arena *a = ev_arena_new();
	ev_diags d = {0};
	ev_buf got = {0};
	ev_template *t = ev_template_parse(letter, strlen(letter), "letter.md", a, &d);
	if (t) {
		ev_buf_puts(&got, "ok\n");
		dump_body(t, &got);
	}
	for (size_t i = 0; i < d.n; i++) {
		char *s = ev_diag_format(&d.items[i]);
		ev_buf_printf(&got, "%s\n", s);
		free(s);
	}
	check(name, expect, got.data ? got.data : "");
	ev_buf_free(&got);
	ev_diags_free(&d);
	ev_arena_free(a);
}

static void template_cases(const char *path)
{
	char *src = slurp(path);
	char *p = strstr(src, "\n=== ");
	while (p) {
		char *name = p + 5, *nl = strchr(name, '\n');
		if (!nl)
			break;
		*nl = '\0';
		char *body = nl + 1, *sep = strstr(body, "--- expect\n");
		if (!sep)
			break;
		*sep = '\0';
		char *exp = sep + strlen("--- expect\n");
		char *next = strstr(exp, "\n=== ");
		if (next)
			next[1] = '\0';
		template_case(name, body, exp);
		p = next;
	}
	free(src);
}

static void manifest_cases(void)
{
	static const char *cases[][2] = {
		{"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"=1+2", "\"'=1+2\""}, {"@cmd", "\"'@cmd\""}, {"-3", "\"'-3\""},
		{"two\nlines", "\"two\nlines\""}, {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ev_buf b = {0};
		ev_csv_field(&b, cases[i][0]);
		check(cases[i][0], cases[i][1], b.data ? b.data : "");
		ev_buf_free(&b);
	}
}

/* The window: an address line too wide even at 8 pt rejects the letter. */
static void window_cases(void)
{
	static const double em = 500;   /* every character half an em wide */
	ev_metrics m = ev_metrics_fixed(&em);
	ev_arena *a = ev_arena_new();
	ev_display dl;
	ev_doc body = {0};
	const char *ok[] = {"Суд Ленинского района г. Минска", "Ковалёва Ольга Петровна",
	                    "ул. Советская, 12", "220030, Минск", "BELARUS"};
	const char *wide[] = {"Ковалёва Ольга Петровна", "Очень длинное название организации, "
	                      "которое не помещается в окно конверта никак", "BELARUS"};
	ev_letter_in in = {.date = "1 May 2025", .address = ok, .naddress = 5, .body = &body};
	const char *reason;
	ev_display_init(&dl, a);
	check("address fits", "0", ev_layout_letter(&in, &m, &dl, &reason, NULL) == 0 ? "0" : reason);
	in.address = wide;
	in.naddress = 3;
	ev_display_init(&dl, a);
	int rc = ev_layout_letter(&in, &m, &dl, &reason, NULL);
	check("address too wide", "1 the address line", rc == 1 && reason &&
	      !strncmp(reason, "the address line", 16) ? "1 the address line" : reason);
	ev_arena_free(a);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test-core TRANSLIT.txt TEMPLATE.txt\n");
		return 2;
	}
	translit_cases(argv[1]);
	slug_ascii_cases();
	template_cases(argv[2]);
	manifest_cases();
	window_cases();
	printf("core: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
