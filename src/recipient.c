/* recipient.c - rows to recipients: column mapping (data/columns.tsv),
 * cleaning, per-row validation, Latin forms and the address block
 * (../shared/reference/postal.md sections 1.1, 1.4-1.6). */
#include "recipient.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

typedef struct { const char *left, *right; } pair;

static const pair column_names[] = {
#include "columns.inc"
};

static const pair country_lines[] = {
#include "countries.inc"
};

static const char *const field_names[EV_F_COUNT] = {
	"id", "surname", "given_name", "patronymic", "gender", "position",
	"court", "street", "building", "office", "postcode", "city",
	"district", "region", "country", "lang",
};

static const char *const derived[] = {
	"surname_latin", "given_name_latin", "patronymic_latin", "name",
	"name_latin", "seq",
};

static int field_of(const char *name)
{
	for (int f = 0; f < EV_F_COUNT; f++)
		if (!strcmp(field_names[f], name))
			return f;
	return -1;
}

/* Map header names to fields: the first column whose key matches wins;
 * a second column meaning the same field is a warning, not a guess. */
static void map_columns(ev_recipients *rs, const char *file, ev_diags *d)
{
	const ev_table *t = rs->table;
	for (int f = 0; f < EV_F_COUNT; f++)
		rs->col[f] = -1;
	for (size_t c = 0; c < t->ncols; c++) {
		char *key = ev_text_key(t->header[c]);
		for (size_t i = 0; key && i < sizeof column_names / sizeof *column_names; i++) {
			char *alias = ev_text_key(column_names[i].right);
			int f = alias && !strcmp(alias, key) ? field_of(column_names[i].left) : -1;
			free(alias);
			if (f < 0)
				continue;
			if (rs->col[f] < 0)
				rs->col[f] = (long)c;
			else
				ev_diag_add(d, EV_WARNING, file, t->header_line, 0, t->header[c],
				            "also means '%s', which column '%s' already gives; "
				            "this column is used only as a merge field",
				            field_names[f], t->header[rs->col[f]]);
			break;
		}
		free(key);
	}
}

static char *join(const char *const *parts, size_t n, const char *sep)
{
	ev_buf b = {0};
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (used++)
			ev_buf_puts(&b, sep);
		ev_buf_puts(&b, parts[i]);
	}
	if (b.failed) {
		ev_buf_free(&b);
		return NULL;
	}
	return ev_buf_steal(&b, NULL);
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static const char *country_line(const char *country)
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

static bool is_belarus(const char *country)
{
	const char *line = *country ? country_line(country) : "BELARUS";
	return line && !strcmp(line, "BELARUS");
}

static char *upper_copy(const char *s)
{
	/* ASCII-only upper case is enough for the English country names we
	 * print; other letters are left as written. */
	char *p = strdup(s);
	for (char *q = p; q && *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	return p;
}

/* The address block, specific to general (UPU, libaddressinput BY):
 * organisation; addressee; street, building, office; postcode, city;
 * region (omitted for the capital, "г. ..."); country in capitals. */
static int build_address(ev_recipient *r)
{
	const char **f = r->field;
	const char *street[] = {f[EV_F_STREET], f[EV_F_BUILDING], f[EV_F_OFFICE]};
	const char *town[] = {f[EV_F_POSTCODE], f[EV_F_CITY]};
	char *lines[EV_ADDRESS_MAX] = {0};
	size_t n = 0;
	if (*f[EV_F_COURT])
		lines[n++] = strdup(f[EV_F_COURT]);
	lines[n++] = strdup(r->name);
	char *s = join(street, 3, ", ");
	if (s && *s)
		lines[n++] = s;
	else
		free(s);
	lines[n++] = join(town, 2, ", ");
	const char *region = f[EV_F_REGION];
	if (*region && strncmp(region, "г.", strlen("г.")) != 0)
		lines[n++] = strdup(region);
	const char *cl = country_line(*f[EV_F_COUNTRY] ? f[EV_F_COUNTRY] : "Беларусь");
	lines[n++] = cl ? strdup(cl) : upper_copy(f[EV_F_COUNTRY]);
	for (size_t i = 0; i < n; i++) {
		if (!lines[i]) {
			for (size_t j = 0; j < n; j++)
				free(lines[j]);
			return -1;
		}
		r->address[i] = lines[i];
	}
	r->naddress = n;
	return 0;
}

static int set_reason(ev_recipient *r, const char *column, const char *msg)
{
	if (r->reason)
		return 0;
	r->reason = strdup(msg);
	r->reason_column = column;
	return r->reason ? 0 : -1;
}

/* Validate one cleaned row; the first problem found is the reason. */
static void validate(ev_recipients *rs, ev_recipient *r)
{
	const ev_table *t = rs->table;
	static const ev_field required[] = {EV_F_SURNAME, EV_F_POSTCODE, EV_F_CITY};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		ev_field f = required[i];
		if (!*r->field[f]) {
			char msg[96];
			snprintf(msg, sizeof msg, "the %s is empty", field_names[f]);
			set_reason(r, t->header[rs->col[f]], msg);
		}
	}
	const char *pc = r->field[EV_F_POSTCODE];
	if (*pc && is_belarus(r->field[EV_F_COUNTRY]) && !all_digits(pc, 6)) {
		char msg[200];
		snprintf(msg, sizeof msg,
		         "postcode '%.40s' is not a Belarusian postcode (6 digits)", pc);
		set_reason(r, t->header[rs->col[EV_F_POSTCODE]], msg);
	}
	if (!*r->field[EV_F_STREET] && !*r->field[EV_F_COURT])
		set_reason(r, NULL, "neither a street nor an organisation is given, "
		           "so the letter cannot be delivered");
}

static int derive(ev_recipient *r)
{
	const char **f = r->field;
	const char *parts[] = {f[EV_F_SURNAME], f[EV_F_GIVEN_NAME], f[EV_F_PATRONYMIC]};
	ev_lang lang = ev_lang_parse(f[EV_F_LANG]);
	r->lang = lang != EV_LANG_UNKNOWN ? lang
	        : ev_lang_detect(f[EV_F_SURNAME], ev_lang_detect(f[EV_F_GIVEN_NAME],
	          ev_lang_detect(f[EV_F_PATRONYMIC], EV_LANG_UNKNOWN)));
	r->name = join(parts, 3, " ");
	r->surname_latin = ev_latin(f[EV_F_SURNAME], r->lang);
	r->given_name_latin = ev_latin(f[EV_F_GIVEN_NAME], r->lang);
	r->patronymic_latin = ev_latin(f[EV_F_PATRONYMIC], r->lang);
	r->name_latin = r->name ? ev_latin(r->name, r->lang) : NULL;
	if (!r->name || !r->surname_latin || !r->given_name_latin ||
	    !r->patronymic_latin || !r->name_latin)
		return -1;
	return r->reason ? 0 : build_address(r);
}

/* Clean every value of a usable record; a value that is not valid UTF-8
 * rejects the row (the reader already says where). */
static int fill(ev_recipients *rs, ev_recipient *r, const ev_record *rec)
{
	const ev_table *t = rs->table;
	r->values = calloc(t->ncols ? t->ncols : 1, sizeof *r->values);
	if (!r->values)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *raw = c < rec->nfields ? rec->fields[c] : "";
		r->values[c] = ev_text_clean(raw, strlen(raw));
		if (!r->values[c]) {
			r->values[c] = strdup("");
			if (!r->values[c])
				return -1;
			set_reason(r, t->header[c], "not valid UTF-8 text");
		}
	}
	for (int f = 0; f < EV_F_COUNT; f++)
		r->field[f] = rs->col[f] >= 0 ? r->values[rs->col[f]] : "";
	return 0;
}

static int build_one(ev_recipients *rs, ev_recipient *r, const ev_record *rec)
{
	const ev_table *t = rs->table;
	if (rec->error) {
		size_t fi = (size_t)rec->error_field;
		set_reason(r, fi >= 1 && fi <= t->ncols ? t->header[fi - 1] : NULL,
		           rec->error);
	}
	if (fill(rs, r, rec) < 0)
		return -1;
	r->id = *r->field[EV_F_ID] ? r->field[EV_F_ID] : NULL;
	if (!rec->error)
		validate(rs, r);
	return derive(r);
}

static const ev_recipients *sort_rs;   /* qsort has no context argument */

static int by_id(const void *a, const void *b)
{
	const ev_recipient *ra = &sort_rs->items[*(const size_t *)a];
	const ev_recipient *rb = &sort_rs->items[*(const size_t *)b];
	int c = strcmp(ra->id, rb->id);
	return c ? c : (ra->seq > rb->seq) - (ra->seq < rb->seq);
}

/* Duplicate ids would make preview --id and the manifest ambiguous: every
 * row after the first with the same id is rejected. Sorted, so n log n. */
static int check_ids(ev_recipients *rs)
{
	if (rs->col[EV_F_ID] < 0 || rs->n < 2)
		return 0;
	size_t *idx = malloc(rs->n * sizeof *idx);
	if (!idx)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		idx[i] = i;
	sort_rs = rs;
	qsort(idx, rs->n, sizeof *idx, by_id);
	int rc = 0;
	for (size_t i = 1; i < rs->n && rc == 0; i++) {
		ev_recipient *first = &rs->items[idx[i - 1]], *r = &rs->items[idx[i]];
		if (strcmp(first->id, r->id))
			continue;
		/* keep pointing at the first of the run */
		size_t k = i - 1;
		while (k > 0 && !strcmp(rs->items[idx[k - 1]].id, r->id))
			k--;
		first = &rs->items[idx[k]];
		char msg[200];
		snprintf(msg, sizeof msg, "id '%.40s' is already used by the row on "
		         "line %ld", r->id, first->line);
		rc = ev_recipient_reject(rs, r, rs->table->header[rs->col[EV_F_ID]], msg);
	}
	free(idx);
	return rc;
}

ev_recipients *ev_recipients_build(const ev_table *t, const char *file,
                                   ev_diags *d)
{
	ev_recipients *rs = calloc(1, sizeof *rs);
	if (!rs)
		goto oom;
	rs->table = t;
	map_columns(rs, file, d);
	static const ev_field required[] = {EV_F_SURNAME, EV_F_POSTCODE, EV_F_CITY};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		if (rs->col[required[i]] >= 0)
			continue;
		ev_buf cols = {0};
		for (size_t c = 0; c < t->ncols; c++)
			ev_buf_printf(&cols, "%s'%s'", c ? ", " : "", t->header[c]);
		ev_diag_add(d, EV_ERROR, file, t->header_line, 0, NULL,
		            "no '%s' column; the columns are: %s",
		            field_names[required[i]], cols.data ? cols.data : "(none)");
		ev_buf_free(&cols);
		ev_recipients_free(rs);
		return NULL;
	}
	rs->items = calloc(t->nrows ? t->nrows : 1, sizeof *rs->items);
	if (!rs->items)
		goto oom;
	for (size_t i = 0; i < t->nrows; i++) {
		ev_recipient *r = &rs->items[i];
		r->seq = i + 1;
		r->line = t->rows[i].line;
		snprintf(r->seq_text, sizeof r->seq_text, "%zu", r->seq);
		rs->n = i + 1;
		if (build_one(rs, r, &t->rows[i]) < 0)
			goto oom;
		if (!r->id)
			r->id = r->seq_text;
		if (r->reason)
			rs->rejected++;
	}
	if (check_ids(rs) < 0)
		goto oom;
	/* The reader already reported broken records; report the rest here. */
	for (size_t i = 0; i < rs->n; i++) {
		ev_recipient *r = &rs->items[i];
		if (r->reason && !t->rows[i].error)
			ev_diag_add(d, EV_ERROR, file, r->line, 0, r->reason_column,
			            "%s; this row is rejected", r->reason);
	}
	return rs;
oom:
	ev_diag_add(d, EV_ERROR, file, 0, 0, NULL, "out of memory");
	ev_recipients_free(rs);
	return NULL;
}

void ev_recipients_free(ev_recipients *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		ev_recipient *r = &rs->items[i];
		for (size_t c = 0; r->values && c < rs->table->ncols; c++)
			free(r->values[c]);
		free(r->values);
		free(r->name);
		free(r->name_latin);
		free(r->surname_latin);
		free(r->given_name_latin);
		free(r->patronymic_latin);
		for (size_t a = 0; a < r->naddress; a++)
			free(r->address[a]);
		free(r->reason);
	}
	free(rs->items);
	free(rs);
}

int ev_recipient_reject(ev_recipients *rs, ev_recipient *r, const char *column,
                        const char *reason)
{
	if (r->reason)
		return 0;
	r->reason = strdup(reason);
	if (!r->reason)
		return -1;
	r->reason_column = column;
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
