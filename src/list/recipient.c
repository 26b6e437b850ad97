/* recipient.c - rows to recipients: column mapping (data/columns.tsv and
 * --map), normalising with a report of each repair, per-row validation,
 * gender, duplicates, Latin forms and the address block
 * (../shared/reference/postal.md sections 1.1, 1.3-1.6). */
#include "recipient.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "namekey.h"
#include "normalize.h"
#include "postcode.h"
#include "scheme.h"
#include "seen.h"
#include "text.h"

typedef struct { const char *left, *right; } pair;

static const pair column_names[] = {
#include "columns.inc"
};

static const pair country_lines[] = {
#include "countries.inc"
};

const char *const ev_field_names[EV_F_COUNT] = {
	"id", "surname", "given_name", "patronymic", "gender", "position",
	"court", "street", "building", "office", "postcode", "city",
	"district", "region", "country", "lang",
};

static const char *const derived[] = {
	"surname_latin", "given_name_latin", "patronymic_latin", "name",
	"name_latin", "seq", "gender", "female", "male", "belarusian", "russian",
};

static int field_of(const char *name)
{
	for (int f = 0; f < EV_F_COUNT; f++)
		if (!strcmp(ev_field_names[f], name))
			return f;
	return -1;
}

/* The field a --map name means ("given_name", "given name", "Given-Name"). */
static int field_by_key(const char *name)
{
	char *key = ev_text_key(name);
	int found = -1;
	for (int f = 0; key && f < EV_F_COUNT && found < 0; f++) {
		char *k = ev_text_key(ev_field_names[f]);
		if (k && !strcmp(k, key))
			found = f;
		free(k);
	}
	free(key);
	return found;
}

/* --map field=Header: explicit choices first. Returns -1 on a bad map. */
static int apply_map(ev_recipients *rs, const ev_recipient_options *opt,
                     const char *file, ev_diags *d)
{
	const ev_table *t = rs->table;
	for (size_t i = 0; opt && i < opt->nmap; i++) {
		const char *m = opt->map[i], *eq = strchr(m, '=');
		char name[64];
		int f = -1;
		if (eq && (size_t)(eq - m) < sizeof name) {
			memcpy(name, m, (size_t)(eq - m));
			name[eq - m] = '\0';
			f = field_by_key(name);
		}
		if (!eq || f < 0) {
			ev_buf hint = {0};
			for (int k = 0; k < EV_F_COUNT; k++)
				ev_buf_printf(&hint, "%s%s", k ? ", " : "", ev_field_names[k]);
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "--map '%s': say "
			            "FIELD=HEADER, where FIELD is one of: %s", m,
			            hint.data ? hint.data : "");
			ev_buf_free(&hint);
			return -1;
		}
		long c = ev_table_column(t, eq + 1);
		if (c < 0) {
			ev_buf hint = {0};
			ev_did_you_mean(&hint, eq + 1, (const char *const *)t->header, t->ncols);
			ev_diag_add(d, EV_ERROR, file, t->header_line, 0, NULL,
			            "--map %s: there is no column '%s'%s", ev_field_names[f],
			            eq + 1, hint.data ? hint.data : "");
			ev_buf_free(&hint);
			return -1;
		}
		rs->col[f] = c;
	}
	return 0;
}

static bool column_taken(const ev_recipients *rs, long c)
{
	for (int f = 0; f < EV_F_COUNT; f++)
		if (rs->col[f] == c)
			return true;
	return false;
}

/* Map header names to fields: --map first, then the first column whose key
 * matches an alias; a second column meaning the same field is a warning,
 * not a guess. */
static int map_columns(ev_recipients *rs, const ev_recipient_options *opt,
                       const char *file, ev_diags *d)
{
	const ev_table *t = rs->table;
	for (int f = 0; f < EV_F_COUNT; f++)
		rs->col[f] = -1;
	if (apply_map(rs, opt, file, d) < 0)
		return -1;
	bool mapped[EV_F_COUNT];
	for (int f = 0; f < EV_F_COUNT; f++)
		mapped[f] = rs->col[f] >= 0;
	for (size_t c = 0; c < t->ncols; c++) {
		if (column_taken(rs, (long)c))
			continue;
		char *key = ev_text_key(t->header[c]);
		for (size_t i = 0; key && i < sizeof column_names / sizeof *column_names; i++) {
			char *alias = ev_text_key(column_names[i].right);
			int f = alias && !strcmp(alias, key) ? field_of(column_names[i].left) : -1;
			free(alias);
			if (f < 0)
				continue;
			if (rs->col[f] < 0)
				rs->col[f] = (long)c;
			else if (!mapped[f])
				ev_diag_add(d, EV_WARNING, file, t->header_line, 0, t->header[c],
				            "also means '%s', which column '%s' already gives; "
				            "this column is used only as a merge field",
				            ev_field_names[f], t->header[rs->col[f]]);
			break;
		}
		free(key);
	}
	return 0;
}

/* The non-empty parts joined by sep, in arena a. NULL when out of memory. */
static char *join(ev_arena *a, const char *const *parts, size_t n, const char *sep)
{
	size_t len = 0, k = strlen(sep), used = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i] && *parts[i])
			len += (used++ ? k : 0) + strlen(parts[i]);
	char *out = ev_arena_alloc(a, len + 1), *o = out;
	if (!out)
		return NULL;
	used = 0;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (used++) {
			memcpy(o, sep, k);
			o += k;
		}
		size_t m = strlen(parts[i]);
		memcpy(o, parts[i], m);
		o += m;
	}
	*o = '\0';
	return out;
}

static const char *country_line_of(const char *country)
{
	char *key = ev_text_key(country);
	const char *line = NULL;
	for (size_t i = 0; key && i < sizeof country_lines / sizeof *country_lines; i++) {
		char *k = ev_text_key(country_lines[i].left);
		if (k && !strcmp(k, key))
			line = country_lines[i].right;
		free(k);
		if (line)
			break;
	}
	free(key);
	return line;
}

/* The country line for a row's country, remembered for the last value
 * asked (a list names one or two countries, row after row). */
static const char *country_line(ev_recipients *rs, const char *country)
{
	size_t n = strlen(country);
	if (rs->country_memo_ok && n < sizeof rs->country_memo &&
	    !memcmp(rs->country_memo, country, n + 1))
		return rs->country_memo_line;
	const char *line = country_line_of(country);
	if (n < sizeof rs->country_memo) {
		memcpy(rs->country_memo, country, n + 1);
		rs->country_memo_line = line;
		rs->country_memo_ok = true;
	}
	return line;
}

static char *upper_copy(ev_arena *a, const char *s)
{
	/* ASCII-only upper case is enough for the English country names we
	 * print; other letters are left as written. */
	char *p = ev_arena_strdup(a, s);
	for (char *q = p; q && *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	return p;
}

/* The address block, specific to general (UPU, libaddressinput BY):
 * organisation; addressee; street, building, office; postcode, city;
 * region (omitted for the capital, "г. ..."); country in capitals. */
static int build_address(ev_recipients *rs, ev_recipient *r)
{
	const char **f = r->field;
	const char *street[] = {f[EV_F_STREET], f[EV_F_BUILDING], f[EV_F_OFFICE]};
	const char *town[] = {f[EV_F_POSTCODE], f[EV_F_CITY]};
	ev_arena *a = rs->arena;
	char *lines[EV_ADDRESS_MAX] = {0};
	size_t n = 0;
	if (*f[EV_F_COURT])
		lines[n++] = ev_arena_strdup(a, f[EV_F_COURT]);
	lines[n++] = ev_arena_strdup(a, r->name);
	char *s = join(a, street, 3, ", ");
	if (!s || *s)
		lines[n++] = s;
	lines[n++] = join(a, town, 2, ", ");
	const char *region = f[EV_F_REGION];
	if (*region && strncmp(region, "г.", strlen("г.")) != 0)
		lines[n++] = ev_arena_strdup(a, region);
	const char *cl = country_line(rs, *f[EV_F_COUNTRY] ? f[EV_F_COUNTRY] : "Беларусь");
	lines[n++] = cl ? ev_arena_strdup(a, cl) : upper_copy(a, f[EV_F_COUNTRY]);
	for (size_t i = 0; i < n; i++) {
		if (!lines[i])
			return -1;
		r->address[i] = lines[i];
	}
	r->naddress = n;
	return 0;
}

/* ---- building one row ---- */

typedef struct builder {
	ev_recipients *rs;
	const char *file;
	ev_diags *d;
	const ev_recipient_options *opt;
} builder;

/* A diagnostic about cell (row, column c; c < 0 = the row), at the cell's
 * line and column in the source (at character `at` of its value when it
 * is not SIZE_MAX), with its header name and value. */
static void cell_diagv(builder *B, const ev_recipient *r, long c, size_t at,
                       ev_severity sev, const char *fmt, va_list ap)
{
	const ev_table *t = B->rs->table;
	if (!B->d)
		return;   /* a row built again: it was reported the first time */
	long line = r->line, col = 0;
	if (c >= 0 && at != SIZE_MAX)
		ev_table_locate_char(t, r->rec, (size_t)c, at, &line, &col);
	else if (c >= 0)
		ev_table_locate(t, r->rec, (size_t)c, &line, &col);
	ev_diag_addv(B->d, sev, B->file, line, col, c >= 0 ? t->header[c] : NULL,
	             fmt, ap);
	if (c >= 0 && r->values)
		ev_diag_set_value(B->d, r->values[c]);
}

static void cell_diag(builder *B, const ev_recipient *r, long c,
                      ev_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void cell_diag(builder *B, const ev_recipient *r, long c,
                      ev_severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cell_diagv(B, r, c, SIZE_MAX, sev, fmt, ap);
	va_end(ap);
}

static void cell_diag_at(builder *B, const ev_recipient *r, long c, size_t at,
                         ev_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void cell_diag_at(builder *B, const ev_recipient *r, long c, size_t at,
                         ev_severity sev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cell_diagv(B, r, c, at, sev, fmt, ap);
	va_end(ap);
}

/* Reject the row (the first reason wins) and say so at the cell. */
static int reject(builder *B, ev_recipient *r, long c, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int reject(builder *B, ev_recipient *r, long c, const char *fmt, ...)
{
	if (r->reason)
		return 0;
	/* As long as it is: a reason cut at a fixed length could end inside
	 * a character (the manifest must stay UTF-8) or lose its point. */
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (msg)
		vsnprintf(msg, (size_t)n + 1, fmt, again);
	va_end(again);
	if (!msg)
		return -1;
	r->reason = msg;
	r->reason_column = c >= 0 ? B->rs->table->header[c] : NULL;
	B->rs->rejected++;
	cell_diag(B, r, c, EV_ERROR, "%s; this row is rejected", msg);
	return 0;
}

/* Where a letter was lost to an encoding without it (Excel writes '?' for
 * і and ў in KOI8-R or Windows-1252): a '?' glued to a Cyrillic letter. */
static bool lost_letter(const char *s)
{
	for (const char *q = strchr(s, '?'); q; q = strchr(q + 1, '?')) {
		uint32_t before = 0, after = 0;
		const char *p = q;
		while (p > s && ((unsigned char)p[-1] & 0xC0) == 0x80)
			p--;
		if (p > s) {
			const char *st = p - 1;
			while (st > s && ((unsigned char)*st & 0xC0) == 0x80)
				st--;
			ev_utf8_decode(st, (size_t)(q - st), &before);
		}
		ev_utf8_decode(q + 1, strlen(q + 1), &after);
		if (ev_is_cyrillic(after) || (ev_is_cyrillic(before) && after > 0x40 &&
		    after != '?' && !(after < 0x80 && strchr(" ,.;:!)]}\"'", (int)after))))
			return true;
	}
	return false;
}

/* Normalise every value of the row, reporting repairs at their cells. */
static int fill(builder *B, ev_recipient *r, const ev_record *rec)
{
	ev_recipients *rs = B->rs;
	const ev_table *t = rs->table;
	size_t nv = t->ncols ? t->ncols : 1;
	r->values = ev_arena_alloc(rs->arena, nv * sizeof *r->values);
	if (!r->values)
		return -1;
	memset(r->values, 0, nv * sizeof *r->values);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *raw = c < rec->nfields ? rec->fields[c] : "";
		ev_fixes fx;
		r->values[c] = ev_normalize_in(rs->arena, raw, strlen(raw), &fx);
		if (!r->values[c]) {
			/* invalid UTF-8: the reader has rejected the record already */
			r->values[c] = ev_arena_strdup(rs->arena, "");
			if (!r->values[c])
				return -1;
			continue;
		}
		if (rec->error)
			continue;
		unsigned notable = fx.kinds & ~EV_FIX_SPACE;
		if (fx.kinds & EV_FIX_SPACE && strpbrk(raw, "\r\n\t"))
			notable |= EV_FIX_SPACE;   /* a line break or tab, not just spaces */
		if (notable) {
			ev_fixes shown = fx;
			shown.kinds = notable;
			char what[600];
			ev_fixes_describe(&shown, what, sizeof what);
			/* An invisible character is pointed at where it was. */
			cell_diag_at(B, r, (long)c, notable & EV_FIX_INVISIBLE
			             ? fx.invisible_at : SIZE_MAX,
			             notable & (EV_FIX_LOOKALIKE | EV_FIX_INVISIBLE)
			             ? EV_WARNING : EV_NOTE, "repaired: %s", what);
			r->repaired = true;
		}
		if (fx.mixed[0])
			cell_diag(B, r, (long)c, EV_WARNING, "the word '%s' mixes Latin and "
			          "Cyrillic letters; please check its spelling", fx.mixed);
	}
	if (r->repaired && !rs->replaying)
		rs->repaired++;
	for (int f = 0; f < EV_F_COUNT; f++)
		r->field[f] = rs->col[f] >= 0 ? r->values[rs->col[f]] : "";
	return 0;
}

/* Validate one normalised row; the first problem found is the reason. */
static int validate(builder *B, ev_recipient *r)
{
	ev_recipients *rs = B->rs;
	static const ev_field required[] = {EV_F_SURNAME, EV_F_POSTCODE, EV_F_CITY};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		ev_field f = required[i];
		if (!*r->field[f] && reject(B, r, rs->col[f], "the %s is empty",
		                            ev_field_names[f]) < 0)
			return -1;
	}
	for (size_t c = 0; c < rs->table->ncols; c++) {
		if (!lost_letter(r->values[c]))
			continue;
		if (!r->reason)
			rs->lost++;
		if (reject(B, r, (long)c, "a '?' stands where a letter was lost: the "
		           "file was saved in an encoding without this letter (KOI8-R "
		           "and Windows-1252 have no і or ў); save the list as UTF-8 "
		           "and check the name") < 0)
			return -1;
	}
	const char *country = r->field[EV_F_COUNTRY];
	const char *line = country_line(rs, *country ? country : "BELARUS");
	char msg[640];   /* 40 and 60 characters quoted: never cut short */
	int pc = ev_postcode_check(line, r->field[EV_F_POSTCODE], r->field[EV_F_REGION],
	                           r->field[EV_F_CITY], msg, sizeof msg);
	if (pc == EV_PC_ERROR && reject(B, r, rs->col[EV_F_POSTCODE], "%s", msg) < 0)
		return -1;
	if (pc == EV_PC_WARNING && !r->reason)
		cell_diag(B, r, rs->col[EV_F_POSTCODE], EV_WARNING, "%s", msg);
	if (!*r->field[EV_F_STREET] && !*r->field[EV_F_COURT] &&
	    reject(B, r, rs->col[EV_F_STREET] >= 0 ? rs->col[EV_F_STREET]
	                                          : rs->col[EV_F_COURT],
	           "neither a street nor an organisation is given, so the letter "
	           "cannot be delivered") < 0)
		return -1;
	return 0;
}

/* Gender from its column, else inferred from the name endings. */
static void settle_gender(builder *B, ev_recipient *r)
{
	ev_recipients *rs = B->rs;
	const char *cell = r->field[EV_F_GENDER];
	if (*cell) {
		if (ev_gender_parse(cell, &r->gender) < 0 && !r->reason)
			cell_diag(B, r, rs->col[EV_F_GENDER], EV_WARNING, "gender not "
			          "understood (write m or f, м or ж); the letter uses the "
			          "neutral salutation");
	}
	if (!*cell) {
		r->gender = ev_gender_infer(r->field[EV_F_PATRONYMIC],
		                            r->field[EV_F_SURNAME], &r->gender_from);
		if (r->gender && !rs->replaying)
			rs->gender_inferred++;
	}
	if (!r->gender && !rs->replaying)
		rs->gender_unknown++;
}

/* The Latin form of a name by the campaign's policy (by default
 * by-passport / icao-ru, as ev_latin), in the rows' arena; NULL when out
 * of memory. */
static char *latin(const builder *B, const char *s, ev_lang lang)
{
	ev_recipients *rs = B->rs;
	const ev_scheme *be = B->opt ? B->opt->latin_be : NULL;
	const ev_scheme *ru = B->opt ? B->opt->latin_ru : NULL;
	if (!be || !ru) {
		be = ev_scheme_find("by-passport");
		ru = ev_scheme_find("icao-ru");
	}
	ev_buf_reset(&rs->scratch);
	if (ev_translit_memo_into(rs->latin, &rs->scratch, be, ru, s, lang) < 0)
		return NULL;
	return ev_arena_strndup(rs->arena, rs->scratch.data ? rs->scratch.data : "",
	                        rs->scratch.len);
}

/* Names, Latin forms and keys; the address block too when `address`. */
static int derive(const builder *B, ev_recipient *r, bool address)
{
	const char **f = r->field;
	const char *parts[] = {f[EV_F_SURNAME], f[EV_F_GIVEN_NAME], f[EV_F_PATRONYMIC]};
	ev_lang lang = ev_lang_parse(f[EV_F_LANG]);
	r->lang = lang != EV_LANG_UNKNOWN ? lang
	        : ev_lang_detect(f[EV_F_SURNAME], ev_lang_detect(f[EV_F_GIVEN_NAME],
	          ev_lang_detect(f[EV_F_PATRONYMIC], B->opt ? B->opt->lang : EV_LANG_UNKNOWN)));
	ev_arena *a = B->rs->arena;
	r->name = join(a, parts, 3, " ");
	r->surname_latin = latin(B, f[EV_F_SURNAME], r->lang);
	r->given_name_latin = latin(B, f[EV_F_GIVEN_NAME], r->lang);
	r->patronymic_latin = latin(B, f[EV_F_PATRONYMIC], r->lang);
	r->name_latin = r->name ? latin(B, r->name, r->lang) : NULL;
	if (!r->name || !r->surname_latin || !r->given_name_latin ||
	    !r->patronymic_latin || !r->name_latin)
		return -1;
	/* Keys for duplicates: the person, and where the letter goes. */
	const char *where[] = {f[EV_F_POSTCODE], *f[EV_F_COURT] ? f[EV_F_COURT] : "",
	                       f[EV_F_STREET], f[EV_F_BUILDING], f[EV_F_OFFICE]};
	char *addr = join(a, where, 5, " ");
	const char *person[] = {f[EV_F_SURNAME], f[EV_F_GIVEN_NAME]};
	char *who = join(a, person, 2, " ");
	r->person_key = who ? ev_name_key_in(a, who) : NULL;
	r->patronymic_key = ev_name_key_in(a, f[EV_F_PATRONYMIC]);
	r->address_key = addr ? ev_name_key_in(a, addr) : NULL;
	if (!r->person_key || !r->address_key || !r->patronymic_key)
		return -1;
	return address ? build_address(B->rs, r) : 0;
}

static int build_one(builder *B, ev_recipient *r, const ev_record *rec)
{
	ev_recipients *rs = B->rs;
	const ev_table *t = rs->table;
	if (fill(B, r, rec) < 0)
		return -1;
	if (rec->error) {
		/* The reader has said why already; record it without a second
		 * message. */
		size_t fi = (size_t)rec->error_field;
		r->reason = strdup(rec->error);
		if (!r->reason)
			return -1;
		r->reason_column = fi >= 1 && fi <= t->ncols ? t->header[fi - 1] : NULL;
		rs->rejected++;
	}
	r->id = *r->field[EV_F_ID] ? r->field[EV_F_ID] : NULL;
	if (!rec->error && validate(B, r) < 0)
		return -1;
	settle_gender(B, r);
	return derive(B, r, !r->reason);
}

/* ---- across rows: duplicate ids and duplicate people ---- */

/* Duplicate ids would make preview --id and the manifest ambiguous: every
 * row after the first with the same id is rejected. */
static int check_id(builder *B, ev_recipient *r)
{
	ev_recipients *rs = B->rs;
	if (rs->col[EV_F_ID] < 0)
		return 0;
	ev_seen_entry first;
	if (ev_seen_find(rs->ids, r->id, "", &first, 1))
		return reject(B, r, rs->col[EV_F_ID], "this id is already used by the "
		              "row on line %ld", first.line);
	return ev_seen_add(rs->ids, r->id, "", (ev_seen_entry){.line = r->line});
}

/* The same person at the same address twice (across case, spacing, ё/е,
 * look-alikes and alphabet): only the first is sent, unless told to keep
 * them. Namesakes at other addresses are different people. The row it
 * repeats is the earliest one, not itself a duplicate, whose patronymic
 * agrees (or either has none). */
static int check_person(builder *B, ev_recipient *r)
{
	ev_recipients *rs = B->rs;
	if (!*r->person_key)
		return 0;
	ev_seen_entry e[64];
	uint64_t tag = ev_seen_tag(r->patronymic_key);
	size_t n = ev_seen_find(rs->people, r->person_key, r->address_key, e, 64);
	if (n > 64)
		n = 64;   /* 64 people of one name at one address: the rest are new */
	const ev_seen_entry *f = NULL;
	for (size_t k = 0; k < n && !f; k++)
		if (!e[k].tag || !tag || e[k].tag == tag)
			f = &e[k];
	if (!f)
		return ev_seen_add(rs->people, r->person_key, r->address_key,
		                   (ev_seen_entry){.line = r->line, .tag = tag});
	r->duplicate_of = f->line;
	rs->duplicates++;
	if (B->opt && B->opt->keep_duplicates) {
		cell_diag(B, r, rs->col[EV_F_SURNAME], EV_WARNING, "the same "
		          "person at the same address as the row on line %ld; "
		          "sent again (--keep-duplicates)", f->line);
		return 0;
	}
	return reject(B, r, rs->col[EV_F_SURNAME], "a duplicate: the same "
	              "person at the same address as the row on line %ld, "
	              "which is sent", f->line);
}

/* ---- the list, a chunk of rows at a time ---- */

static void free_items(ev_recipients *rs)
{
	/* Everything else a row holds is in the arena. */
	for (size_t i = 0; i < rs->n; i++)
		free(rs->items[i].reason);
	if (rs->arena)
		ev_arena_reset(rs->arena);
	rs->n = 0;
}

ev_recipients *ev_recipients_begin(const ev_table *t, const char *file,
                                   const ev_recipient_options *opt,
                                   ev_diags *d)
{
	ev_diags mine = {0};
	ev_recipients *rs = calloc(1, sizeof *rs);
	if (!rs)
		goto oom;
	rs->table = t;
	rs->file = file;
	if (!(rs->arena = ev_arena_new()) || !(rs->latin = ev_translit_memo_new()))
		goto oom;
	if (opt)
		rs->opt = *opt;
	if (!(rs->ids = ev_seen_new(false)) || !(rs->people = ev_seen_new(true)))
		goto oom;
	if (map_columns(rs, opt, file, &mine) < 0)
		goto fail;
	static const ev_field required[] = {EV_F_SURNAME, EV_F_POSTCODE, EV_F_CITY};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (rs->col[required[i]] >= 0)
			continue;
		ev_buf cols = {0};
		for (size_t c = 0; c < t->ncols; c++)
			ev_buf_printf(&cols, "%s'%s'", c ? ", " : "", t->header[c]);
		ev_diag_add(&mine, EV_ERROR, file, t->header_line, 0, NULL,
		            "no '%s' column; the columns are: %s (name it with "
		            "--map %s=HEADER)", ev_field_names[required[i]],
		            cols.data ? cols.data : "(none)", ev_field_names[required[i]]);
		ev_buf_free(&cols);
		goto fail;
	}
	if (ev_diags_take(d, &mine) < 0)
		goto oom;
	return rs;
oom:
	ev_diag_add(&mine, EV_ERROR, file, 0, 0, NULL, "out of memory");
fail:
	ev_diags_take(d, &mine);
	ev_diags_free(&mine);
	ev_recipients_free(rs);
	return NULL;
}

/* Room for the verdicts of rows up to `rows`. */
static int reserve_verdicts(ev_recipients *rs, size_t rows)
{
	if (rows <= rs->verdicts_cap)
		return 0;
	size_t cap = rs->verdicts_cap ? rs->verdicts_cap : 1024;
	while (cap < rows)
		cap *= 2;
	ev_verdict *v = realloc(rs->verdicts, cap * sizeof *v);
	if (!v)
		return -1;
	memset(v + rs->verdicts_cap, 0, (cap - rs->verdicts_cap) * sizeof *v);
	rs->verdicts = v;
	rs->verdicts_cap = cap;
	return 0;
}

/* The details of row r's verdict, made when it first needs them. NULL when
 * out of memory. */
static ev_verdict_note *note_of(ev_recipients *rs, const ev_recipient *r)
{
	ev_verdict *v = &rs->verdicts[r->seq - 1];
	if (v->note)
		return &rs->notes[v->note - 1];
	if (rs->nnotes == UINT32_MAX)
		return NULL;
	if (rs->nnotes == rs->notes_cap) {
		size_t cap = rs->notes_cap ? rs->notes_cap * 2 : 64;
		ev_verdict_note *n = realloc(rs->notes, cap * sizeof *n);
		if (!n)
			return NULL;
		rs->notes = n;
		rs->notes_cap = cap;
	}
	rs->notes[rs->nnotes] = (ev_verdict_note){.addressed = true};
	v->note = (uint32_t)++rs->nnotes;
	return &rs->notes[rs->nnotes - 1];
}

/* What a record holds, to know it again. */
static uint32_t record_digest(const ev_record *rec)
{
	uint64_t h = ev_hash(&rec->line, sizeof rec->line, EV_HASH_START);
	for (size_t i = 0; i < rec->nfields; i++)
		h = ev_hash(rec->fields[i], strlen(rec->fields[i]) + 1, h);
	return (uint32_t)(h ^ h >> 32);
}

/* A row seen before, built again: its values, names and address as the
 * first time, and the verdict it got then (also from later stages).
 * Returns 0, -1 when out of memory, -2 when the row is not what it was. */
static int rebuild_one(builder *B, ev_recipient *r, const ev_record *rec)
{
	ev_recipients *rs = B->rs;
	const ev_verdict *v = &rs->verdicts[r->seq - 1];
	static const ev_verdict_note accepted = {.addressed = true};
	const ev_verdict_note *n = v->note ? &rs->notes[v->note - 1] : &accepted;
	if (record_digest(rec) != v->digest)
		return -2;
	if (fill(B, r, rec) < 0)
		return -1;
	r->id = *r->field[EV_F_ID] ? r->field[EV_F_ID] : r->seq_text;
	if (n->reason && !(r->reason = strdup(n->reason)))
		return -1;
	r->reason_column = n->column;
	r->duplicate_of = n->duplicate_of;
	settle_gender(B, r);
	return derive(B, r, n->addressed);
}

/* The rows of a one-chunk list read again: compared with what they were
 * (the same records) and kept as built, the records' places updated. */
static int next_kept(ev_recipients *rs, ev_diags *d)
{
	const ev_table *t = rs->table;
	for (size_t i = 0; i < t->nrows; i++) {
		if (i >= rs->n || record_digest(&t->rows[i]) != rs->verdicts[i].digest) {
			if (d)
				ev_diag_add(d, EV_ERROR, rs->file, t->rows[i].line, 0, NULL,
				            "this row is not what it was when the list was "
				            "first read: the file was changed meanwhile; run again");
			return -1;
		}
		rs->items[i].rec = &t->rows[i];
	}
	rs->base = 0;
	rs->replayed += t->nrows;
	return 0;
}

int ev_recipients_next(ev_recipients *rs, ev_diags *d)
{
	const ev_table *t = rs->table;
	if (rs->replaying && rs->kept)
		return next_kept(rs, d);
	ev_diags mine = {0};
	builder B = {.rs = rs, .file = rs->file, .d = rs->replaying ? NULL : &mine,
	             .opt = &rs->opt};
	free_items(rs);
	if (t->nrows > rs->items_cap) {
		ev_recipient *v = realloc(rs->items, t->nrows * sizeof *v);
		if (!v)
			goto oom;
		rs->items = v;
		rs->items_cap = t->nrows;
	}
	rs->base = rs->replaying ? rs->replayed : rs->total;
	if (rs->replaying ? rs->base + t->nrows > rs->total
	                  : reserve_verdicts(rs, rs->total + t->nrows) < 0)
		goto oom;   /* replaying more rows than were seen: cannot happen */
	for (size_t i = 0; i < t->nrows; i++) {
		ev_recipient *r = &rs->items[i];
		*r = (ev_recipient){.seq = rs->base + i + 1, .line = t->rows[i].line,
		                    .rec = &t->rows[i]};
		snprintf(r->seq_text, sizeof r->seq_text, "%zu", r->seq);
		rs->n = i + 1;
		if (rs->replaying) {
			int k = rebuild_one(&B, r, &t->rows[i]);
			if (k == -2) {
				if (d)
					ev_diag_add(d, EV_ERROR, rs->file, r->line, 0, NULL,
					            "this row is not what it was when the list was "
					            "first read: the file was changed meanwhile; run again");
				return -1;
			}
			if (k < 0)
				goto oom;
			continue;
		}
		size_t lost = rs->lost;
		if (build_one(&B, r, &t->rows[i]) < 0)
			goto oom;
		if (!r->id)
			r->id = r->seq_text;
		if (check_id(&B, r) < 0 || check_person(&B, r) < 0)
			goto oom;
		if (rs->lost > lost && !rs->lost_first)
			rs->lost_first = r->line;
		rs->verdicts[r->seq - 1].digest = record_digest(&t->rows[i]);
		if (r->reason || r->duplicate_of) {
			ev_verdict_note *n = note_of(rs, r);
			if (!n || (r->reason && !(n->reason = strdup(r->reason))))
				goto oom;
			n->column = r->reason_column;
			n->duplicate_of = r->duplicate_of;
			n->addressed = r->naddress > 0;
		}
	}
	if (rs->replaying)
		rs->replayed += t->nrows;
	else
		rs->total += t->nrows;
	ev_diags_sort(&mine);
	if (d && ev_diags_take(d, &mine) < 0)
		goto oom;
	ev_diags_free(&mine);
	return 0;
oom:
	if (d) {
		ev_diag_add(&mine, EV_ERROR, rs->file, 0, 0, NULL, "out of memory");
		ev_diags_take(d, &mine);
	}
	ev_diags_free(&mine);
	return -1;
}

int ev_recipients_finish(ev_recipients *rs, ev_diags *d)
{
	/* Belarusian in a code page without і and ў: where letters were lost as
	 * '?', others (ў written as у) may have been changed without a trace. */
	ev_encoding enc = rs->opt.encoding;
	if (rs->lost && (enc == EV_ENC_KOI8R || enc == EV_ENC_CP866)) {
		ev_diag_add(d, EV_ERROR, rs->file, 0, 0, NULL, "the list was read as "
		            "%s, which has no Belarusian і and ў: %zu %s lost letters "
		            "(shown as '?', the first on line %ld), and in other rows ў "
		            "may have become у without a trace. Save the list as UTF-8 "
		            "(in Excel: Save As > CSV UTF-8) and run again",
		            ev_encoding_name(enc), rs->lost, ev_plural(rs->lost, "row", "rows"),
		            rs->lost_first);
		return -1;
	}
	return 0;
}

void ev_recipients_replay(ev_recipients *rs)
{
	/* A list that was one chunk has every row still built (the first pass
	 * leaves the last chunk's): it is kept rather than built again. */
	rs->kept = rs->base == 0 && rs->n == rs->total && rs->replayed == 0;
	if (!rs->kept)
		free_items(rs);
	rs->replaying = true;
	rs->replayed = 0;
}

ev_recipients *ev_recipients_build(const ev_table *t, const char *file,
                                   const ev_recipient_options *opt,
                                   ev_diags *d)
{
	ev_recipients *rs = ev_recipients_begin(t, file, opt, d);
	if (rs && (ev_recipients_next(rs, d) < 0 || ev_recipients_finish(rs, d) < 0)) {
		ev_recipients_free(rs);
		return NULL;
	}
	return rs;
}

void ev_recipients_free(ev_recipients *rs)
{
	if (!rs)
		return;
	free_items(rs);
	ev_arena_free(rs->arena);
	ev_translit_memo_free(rs->latin);
	ev_buf_free(&rs->scratch);
	free(rs->items);
	for (size_t i = 0; i < rs->nnotes; i++)
		free(rs->notes[i].reason);
	free(rs->notes);
	free(rs->verdicts);
	ev_seen_free(rs->ids);
	ev_seen_free(rs->people);
	free(rs);
}

int ev_recipient_reject(ev_recipients *rs, ev_recipient *r, const char *column,
                        const char *reason)
{
	if (r->reason)
		return 0;
	ev_verdict_note *n = note_of(rs, r);
	r->reason = strdup(reason);
	if (!n || !r->reason || (!n->reason && !(n->reason = strdup(reason)))) {
		free(r->reason);
		r->reason = NULL;
		return -1;
	}
	r->reason_column = n->column = column;
	rs->rejected++;
	return 0;
}

static const char *derived_value(const ev_recipient *r, const char *name)
{
	if (!strcmp(name, "surname_latin"))
		return r->surname_latin;
	if (!strcmp(name, "given_name_latin"))
		return r->given_name_latin;
	if (!strcmp(name, "patronymic_latin"))
		return r->patronymic_latin;
	if (!strcmp(name, "name"))
		return r->name;
	if (!strcmp(name, "name_latin"))
		return r->name_latin;
	if (!strcmp(name, "seq"))
		return r->seq_text;
	if (!strcmp(name, "gender"))
		return ev_gender_code(r->gender);
	/* For sections: "yes" or "" ({{#female}}Уважаемая{{/female}}). */
	if (!strcmp(name, "female"))
		return r->gender == EV_GENDER_FEMALE ? "yes" : "";
	if (!strcmp(name, "male"))
		return r->gender == EV_GENDER_MALE ? "yes" : "";
	if (!strcmp(name, "belarusian"))
		return r->lang == EV_LANG_BE ? "yes" : "";
	if (!strcmp(name, "russian"))
		return r->lang == EV_LANG_RU ? "yes" : "";
	return NULL;
}

const char *ev_recipient_value(const ev_recipients *rs, const ev_recipient *r,
                               const char *name)
{
	long c = ev_table_column(rs->table, name);
	if (c >= 0)
		return r->values[c];
	return derived_value(r, name);
}

bool ev_recipients_has_field(const ev_recipients *rs, const char *name)
{
	if (ev_table_column(rs->table, name) >= 0)
		return true;
	for (size_t i = 0; i < sizeof derived / sizeof *derived; i++)
		if (!strcmp(derived[i], name))
			return true;
	return false;
}

const char **ev_recipients_field_names(const ev_recipients *rs, size_t *n)
{
	size_t nd = sizeof derived / sizeof *derived;
	const char **names = malloc((rs->table->ncols + nd) * sizeof *names);
	if (!names)
		return NULL;
	size_t k = 0;
	for (size_t c = 0; c < rs->table->ncols; c++)
		names[k++] = rs->table->header[c];
	for (size_t i = 0; i < nd; i++)
		names[k++] = derived[i];
	*n = k;
	return names;
}

ev_recipient *ev_recipients_find(const ev_recipients *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->items[i].id, id))
			return &rs->items[i];
	return NULL;
}
