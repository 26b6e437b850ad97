/* csv.c - reading a recipient list with libcsv (see table.h).
 *
 * libcsv is fed one physical line at a time (long lines in pieces), so each
 * record knows the line it starts on, and a broken record can be cut off at
 * that line: the parser is re-initialised on the physical line after it.
 */
#include "table.h"

#include <csv.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "text.h"

/* libcsv gets at most this many bytes per call, so a field over the cap is
 * noticed within this many more bytes and its buffer stays bounded. */
#define PIECE (64u * 1024u)
/* libcsv grows its buffer by a fixed block (128 bytes by default); we set
 * the block to the current size before each call so growth is geometric. */
#define MIN_BLOCK 4096u

#define UTF8_BOM "\xEF\xBB\xBF"
#define REPLACEMENT "\xEF\xBF\xBD"

enum run_end { RUN_DONE, RUN_RESUME, RUN_PAUSE, RUN_FATAL };

struct reader {
	const char *data;
	size_t len;
	const char *file;
	ev_diags *d;
	unsigned char delim;
	size_t max_field, max_cols, max_rows;
	struct csv_parser p;
	struct table *t;
	bool have_header;
	bool fatal;          /* the file is unusable; the reason is in d */
	size_t want;         /* pause before a record once the table has this
	                        many rows */
	size_t off;          /* where the next run starts */
	size_t total;        /* data records read since the first */
	bool done;           /* the input is read to its end */

	long line;           /* physical line being fed to libcsv */
	bool in_record;      /* a record has begun and not yet ended */
	bool row_ended;      /* libcsv ended a row within the current line */
	long rec_line;       /* line where the current record starts */
	size_t rec_off;      /* byte offset of that line */
	size_t nfields;      /* fields of the current record so far */
	size_t too_long;     /* 1-based field over max_field, 0 = none */
	ev_buf bytes;        /* stored fields of the record, each NUL-ended */
	size_t *offs;        /* where each stored field starts in bytes */
	size_t offs_cap;
};

struct table {
	ev_table pub;      /* first member: ev_table_free casts back to this */
	ev_arena *arena;   /* the header's names */
	ev_arena *rows_arena;   /* the current rows' fields and reasons */
	size_t rows_cap;
	struct reader r;   /* where reading stands, for ev_csv_next */
	size_t first_off;  /* the first data record: its offset and line */
	long first_line;
};

/* Why a record could not be parsed; the texts are for the people who keep
 * the list, not for programmers. */
enum parse_fault { QUOTE_IN_FIELD, TEXT_AFTER_QUOTE, UNCLOSED_QUOTE, TOO_LONG };

/* ---- diagnostics and small helpers ---------------------------------- */

static void fail(struct reader *r, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The file cannot be used: one error, and the read stops. */
static void fail(struct reader *r, long line, long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ev_diag_addv(r->d, EV_ERROR, r->file, line, col, NULL, fmt, ap);
	va_end(ap);
	r->fatal = true;
}

static void fail_nul(struct reader *r, long line, size_t start, size_t pos);

static void out_of_memory(struct reader *r)
{
	if (!r->fatal)
		fail(r, 0, 0, "out of memory while reading the recipient list");
}

/* Offset just past the line terminator (LF, CRLF or a bare CR) of the
 * physical line starting at off, or len for a last line without one. */
static size_t line_end(const char *s, size_t len, size_t off)
{
	for (size_t i = off; i < len; i++) {
		if (s[i] == '\n')
			return i + 1;
		if (s[i] == '\r')
			return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return len;
}

/* Length of the line's text without its terminator. */
static size_t line_text_len(const char *s, size_t len, size_t off)
{
	size_t i = off;
	while (i < len && s[i] != '\n' && s[i] != '\r')
		i++;
	return i - off;
}

/* True when libcsv would skip the line between records: it ignores spaces
 * and tabs (unless the tab is the delimiter) before a line break. */
static bool blank_line(const struct reader *r, size_t off, size_t eol)
{
	for (size_t i = off; i < eol; i++) {
		char c = r->data[i];
		if (c == '\n' || c == '\r' || c == ' ')
			continue;
		if (c == '\t' && r->delim != '\t')
			continue;
		return false;
	}
	return true;
}

/* Copy s to dst with every invalid UTF-8 byte replaced by U+FFFD, so fields
 * handed out are always valid text; dst NULL only measures. */
static size_t copy_valid(char *dst, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ev_utf8_decode(s + i, n - i, &cp);
		const char *from = k ? s + i : REPLACEMENT;
		size_t m = k ? k : 3;
		if (dst)
			memcpy(dst + o, from, m);
		o += m;
		i += k ? k : 1;
	}
	return o;
}

/* ---- the current record's fields ------------------------------------ */

static size_t stored_fields(const struct reader *r)
{
	return r->nfields < r->max_cols ? r->nfields : r->max_cols;
}

static size_t field_len(const struct reader *r, size_t i, size_t n)
{
	size_t end = i + 1 < n ? r->offs[i + 1] : r->bytes.len;
	return end - r->offs[i] - 1;
}

/* Append one field to the scratch; past the column cap fields are only
 * counted, so a line of a million delimiters costs no memory. */
static int keep_field(struct reader *r, const char *s, size_t n)
{
	r->nfields++;
	if (r->nfields > r->max_cols)
		return 0;
	if (r->nfields > r->offs_cap) {
		size_t cap = r->offs_cap ? r->offs_cap * 2 : 32;
		size_t *p = realloc(r->offs, cap * sizeof *p);
		if (!p)
			return -1;
		r->offs = p;
		r->offs_cap = cap;
	}
	r->offs[r->nfields - 1] = r->bytes.len;
	if (ev_buf_append(&r->bytes, s, n) < 0 || ev_buf_putc(&r->bytes, '\0') < 0)
		return -1;
	return 0;
}

static void begin_record(struct reader *r, size_t off)
{
	r->in_record = true;
	r->rec_line = r->line;
	r->rec_off = off;
	r->nfields = 0;
	r->too_long = 0;
	ev_buf_reset(&r->bytes);
}

/* Move the stored fields into the table's arena: one block holding the
 * pointer vector and then the strings. Cleaned copies replace invalid
 * UTF-8 (used for broken records, whose fields only identify the row). */
static char **pack_fields(struct reader *r, size_t n, bool clean)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = r->bytes.data + r->offs[i];
		size_t k = field_len(r, i, n);
		total += (clean ? copy_valid(NULL, s, k) : k) + 1;
	}
	if (n > (SIZE_MAX - total) / sizeof(char *))
		return NULL;
	char **v = ev_arena_alloc(r->t->rows_arena, n * sizeof *v + total);
	if (!v)
		return NULL;
	char *o = (char *)(v + n);
	for (size_t i = 0; i < n; i++) {
		const char *s = r->bytes.data + r->offs[i];
		size_t k = field_len(r, i, n);
		v[i] = o;
		if (clean) {
			o += copy_valid(o, s, k);
		} else {
			memcpy(o, s, k);
			o += k;
		}
		*o++ = '\0';
	}
	return v;
}

/* ---- the table ------------------------------------------------------ */

static struct table *table_new(void)
{
	struct table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->arena = ev_arena_new();
	t->rows_arena = ev_arena_new();
	if (!t->arena || !t->rows_arena) {
		ev_arena_free(t->arena);
		ev_arena_free(t->rows_arena);
		free(t);
		return NULL;
	}
	return t;
}

void ev_table_free(ev_table *pub)
{
	if (!pub)
		return;
	struct table *t = (struct table *)pub;
	free(pub->rows);
	ev_arena_free(t->arena);
	ev_arena_free(t->rows_arena);
	ev_buf_free(&t->r.bytes);
	free(t->r.offs);
	free(t);
}

long ev_table_column(const ev_table *t, const char *name)
{
	if (!t || !name)
		return -1;
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->header[i], name) == 0)
			return (long)i;
	return -1;
}

/* A new row at the end of the table, or NULL with the reason in d (the
 * row cap makes the whole file unusable: a runaway file, not a list). */
static ev_record *push_row(struct reader *r)
{
	struct table *t = r->t;
	if (r->total >= r->max_rows) {
		fail(r, r->rec_line, 0, "the file has more than %zu recipient rows; "
		     "the limit is %zu (split the list into several files)",
		     r->max_rows, r->max_rows);
		return NULL;
	}
	if (t->pub.nrows == t->rows_cap) {
		size_t cap = t->rows_cap ? t->rows_cap * 2 : 64;
		ev_record *p = realloc(t->pub.rows, cap * sizeof *p);
		if (!p) {
			out_of_memory(r);
			return NULL;
		}
		t->pub.rows = p;
		t->rows_cap = cap;
	}
	ev_record *rec = &t->pub.rows[t->pub.nrows++];
	r->total++;
	*rec = (ev_record){.line = r->rec_line, .offset = r->rec_off};
	return rec;
}

static void mark_broken(struct reader *r, ev_record *rec, size_t field,
                        const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Give a record its reason and the matching error diagnostic, which names
 * the column when the fault is in one field. */
static void mark_broken(struct reader *r, ev_record *rec, size_t field,
                        const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n < 0 ? NULL : ev_arena_alloc(r->t->rows_arena, (size_t)n + 1);
	if (!msg) {
		out_of_memory(r);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rec->error = msg;
	rec->error_field = (long)field;
	const ev_table *t = &r->t->pub;
	const char *col = field >= 1 && field <= t->ncols ? t->header[field - 1] : NULL;
	ev_diag_add(r->d, EV_ERROR, r->file, rec->line, 0, col, "%s", msg);
}

/* ---- the header ----------------------------------------------------- */

struct named {
	const char *name;
	size_t col;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Report the duplicate whose second appearance comes first. Sorting keeps
 * this n log n for a header of thousands of columns. Returns -1 when found
 * (or out of memory), 0 when all names differ. */
static int check_duplicates(struct reader *r, char **names, size_t n)
{
	struct named *v = malloc((n ? n : 1) * sizeof *v);
	if (!v) {
		out_of_memory(r);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct named){names[i], i};
	qsort(v, n, sizeof *v, cmp_named);
	size_t best = 0;   /* index into v of the first of the pair */
	bool found = false;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i].name, v[i - 1].name) != 0)
			continue;
		if (i >= 2 && strcmp(v[i - 2].name, v[i].name) == 0)
			continue;   /* a third appearance: the first two are what matter */
		if (!found || v[i].col < v[best + 1].col)
			best = i - 1;
		found = true;
	}
	if (found)
		fail(r, r->rec_line, 0, "column '%s' appears twice (columns %zu and %zu)",
		     v[best].name, v[best].col + 1, v[best + 1].col + 1);
	free(v);
	return found ? -1 : 0;
}

static bool trim_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The first row is the header: valid UTF-8, trimmed, every column named
 * once. Anything else makes the file unusable, since rows cannot be read
 * without knowing their columns. */
static void set_header(struct reader *r)
{
	size_t n = r->nfields;
	if (n > r->max_cols) {
		fail(r, r->rec_line, 0, "the header row has %zu columns; the limit is %zu",
		     n, r->max_cols);
		return;
	}
	char **names = ev_arena_alloc(r->t->arena, n * sizeof *names);
	if (!names) {
		out_of_memory(r);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = r->bytes.data + r->offs[i];
		size_t k = field_len(r, i, n);
		size_t bad = ev_utf8_invalid_at(s, k);
		if (bad != (size_t)-1) {
			fail(r, r->rec_line, 0, "the header row is not valid UTF-8 (column %zu, "
			     "byte %zu); save the list as \"CSV UTF-8\"", i + 1, bad + 1);
			return;
		}
		while (k && trim_space(s[k - 1]))
			k--;
		while (k && trim_space(*s)) {
			s++;
			k--;
		}
		if (!k) {
			fail(r, r->rec_line, 0, "column %zu has no name (the header cell is "
			     "empty; name the column or delete it)", i + 1);
			return;
		}
		names[i] = ev_arena_strndup(r->t->arena, s, k);
		if (!names[i]) {
			out_of_memory(r);
			return;
		}
	}
	if (check_duplicates(r, names, n) < 0)
		return;
	r->t->pub.header = names;
	r->t->pub.ncols = n;
	r->t->pub.header_line = r->rec_line;
	r->have_header = true;
}

/* ---- records -------------------------------------------------------- */

/* A record libcsv read whole: usable unless its field count is off or a
 * field is not valid UTF-8 (the first problem found is the reason). */
static void add_row(struct reader *r)
{
	ev_record *rec = push_row(r);
	if (!rec)
		return;
	size_t n = stored_fields(r), ncols = r->t->pub.ncols;
	size_t bad_field = 0, bad_byte = 0;
	for (size_t i = 0; i < n && !bad_field && r->nfields == ncols; i++) {
		size_t at = ev_utf8_invalid_at(r->bytes.data + r->offs[i], field_len(r, i, n));
		if (at != (size_t)-1) {
			bad_field = i + 1;
			bad_byte = at + 1;
		}
	}
	bool broken = r->nfields != ncols || bad_field;
	rec->fields = pack_fields(r, n, broken);
	rec->nfields = n;
	if (!rec->fields) {
		out_of_memory(r);
		return;
	}
	if (r->nfields != ncols)
		mark_broken(r, rec, 0, "the row has %zu %s, the header has %zu (%s)",
		            r->nfields, ev_plural(r->nfields, "field", "fields"), ncols,
		            r->nfields > ncols ? "a value containing the delimiter must be in quotes"
		                               : "a delimiter is missing or the row is cut short");
	else if (bad_field)
		mark_broken(r, rec, bad_field, "invalid UTF-8 at byte %zu of the field "
		            "(was the file saved in another encoding, such as Windows-1251? "
		            "save it as \"CSV UTF-8\")", bad_byte);
}

/* Why libcsv gave up on the current record, in words for the list's keeper;
 * r->line is where it gave up. */
static void fault_reason(const struct reader *r, enum parse_fault f,
                         char *out, size_t size)
{
	char where[64] = "";
	if (r->line != r->rec_line)
		snprintf(where, sizeof where, " (found on line %ld)", r->line);
	switch (f) {
	case QUOTE_IN_FIELD:
		snprintf(out, size, "a quote (\") appears inside a field that does not "
		         "start with a quote; put the whole field in quotes and double "
		         "the inner quote (\"\")%s", where);
		break;
	case TEXT_AFTER_QUOTE:
		/* On a later line, a quote that opened a field and never closed is
		 * the likely fault, not the quote where libcsv finally tripped. */
		if (*where)
			snprintf(out, size, "a quoted field runs on to line %ld, where a quote "
			         "is followed by text: probably its closing quote is missing",
			         r->line);
		else
			snprintf(out, size, "there is text after the closing quote of a quoted "
			         "field; a quote inside a quoted field must be doubled (\"\")");
		break;
	case UNCLOSED_QUOTE:
		snprintf(out, size, "a quoted field is never closed: its closing quote "
		         "(\") is missing");
		break;
	case TOO_LONG:
		snprintf(out, size, "the field is longer than %zu bytes (often a quote that "
		         "is never closed, so the field runs on into the lines after it)%s",
		         r->max_field, where);
		break;
	}
}

/* Stand-in fields for a record libcsv could not finish: its first physical
 * line split naively at the delimiter, each piece cut to the field cap, so
 * the report can still say whose row it was. */
static void split_first_line(struct reader *r)
{
	const char *s = r->data + r->rec_off;
	size_t n = line_text_len(r->data, r->len, r->rec_off);
	ev_buf_reset(&r->bytes);
	r->nfields = 0;
	for (size_t at = 0;;) {
		const char *d = memchr(s + at, r->delim, n - at);
		size_t end = d ? (size_t)(d - s) : n, k = end - at;
		if (k > r->max_field) {
			k = r->max_field;   /* cut at a character boundary */
			while (k && ((unsigned char)s[at + k] & 0xC0) == 0x80)
				k--;
		}
		if (keep_field(r, s + at, k) < 0) {
			out_of_memory(r);
			return;
		}
		if (!d)
			break;
		at = end + 1;
	}
}

/* libcsv gave up on the current record: keep it as broken (or, for the
 * header, give up on the file) and say where to start again: the physical
 * line after the record's first one, so a stray quote cannot swallow the
 * rows that follow it. */
static enum run_end abandon(struct reader *r, enum parse_fault f, size_t field,
                            size_t *resume)
{
	char why[400];
	fault_reason(r, f, why, sizeof why);
	if (!r->have_header) {
		fail(r, r->rec_line, 0, "the header row cannot be read: %s", why);
		return RUN_FATAL;
	}
	ev_record *rec = push_row(r);
	if (!rec)
		return RUN_FATAL;
	split_first_line(r);
	rec->nfields = stored_fields(r);
	rec->fields = r->fatal ? NULL : pack_fields(r, rec->nfields, true);
	if (!rec->fields) {
		rec->nfields = 0;
		out_of_memory(r);
		return RUN_FATAL;
	}
	mark_broken(r, rec, field, "%s", why);
	*resume = line_end(r->data, r->len, r->rec_off);
	r->line = r->rec_line + 1;
	r->in_record = false;
	return r->fatal ? RUN_FATAL : RUN_RESUME;
}

/* ---- feeding libcsv ------------------------------------------------- */

static void on_field(void *s, size_t n, void *ud)
{
	struct reader *r = ud;
	if (r->fatal || r->too_long)
		return;
	if (n > r->max_field) {
		r->too_long = ++r->nfields;
		return;
	}
	if (keep_field(r, s, n) < 0)
		out_of_memory(r);
}

static void on_row(int c, void *ud)
{
	struct reader *r = ud;
	(void)c;
	r->row_ended = true;
	/* A too-long field is turned into a broken record by the feeding loop. */
	if (r->fatal || r->too_long)
		return;
	if (!r->have_header)
		set_header(r);
	else
		add_row(r);
}

/* libcsv offers no call for the length of the field it is still reading,
 * but its struct is public: entry_pos bytes are buffered, of which up to
 * spaces + 1 (trailing blanks, a closing quote) will be dropped. Padding
 * longer than a whole field counts as too long too, so memory stays bounded
 * even by a line of a million spaces after a quote. */
static bool field_over_cap(const struct reader *r)
{
	size_t pos = r->p.entry_pos, sp = r->p.spaces;
	return (pos > sp + 1 && pos - sp - 1 > r->max_field) || sp > r->max_field;
}

/* Feed one physical line, in pieces. Returns RUN_DONE when the line was
 * consumed, else what the caller must do. */
static enum run_end feed_line(struct reader *r, size_t off, size_t eol,
                              size_t *resume)
{
	for (size_t at = off; at < eol;) {
		size_t n = eol - at < PIECE ? eol - at : PIECE;
		size_t have = csv_get_buffer_size(&r->p);
		csv_set_blk_size(&r->p, have > MIN_BLOCK ? have : MIN_BLOCK);
		size_t used = csv_parse(&r->p, r->data + at, n, on_field, on_row, r);
		if (r->fatal)
			return RUN_FATAL;
		if (used < n && csv_error(&r->p) != CSV_EPARSE) {
			out_of_memory(r);
			return RUN_FATAL;
		}
		if (used < n)   /* strict mode: only quotes in the wrong place */
			return abandon(r, r->p.quoted ? TEXT_AFTER_QUOTE : QUOTE_IN_FIELD,
			               r->nfields + 1, resume);
		if (r->too_long)
			return abandon(r, TOO_LONG, r->too_long, resume);
		if (field_over_cap(r))
			return abandon(r, TOO_LONG, r->nfields + 1, resume);
		at += n;
	}
	return RUN_DONE;
}

/* Parse from off to the end of the input with a fresh parser, line by
 * line, noting where each record starts. */
static enum run_end run(struct reader *r, size_t off, size_t *resume)
{
	/* Nothing of an abandoned record may leak into the fresh start. */
	r->in_record = false;
	r->too_long = 0;
	r->nfields = 0;
	while (off < r->len) {
		size_t eol = line_end(r->data, r->len, off);
		if (!r->in_record && r->have_header && r->t->pub.nrows >= r->want &&
		    !blank_line(r, off, eol)) {
			*resume = off;   /* a fresh parser starts the next record here */
			return RUN_PAUSE;
		}
		/* ev_csv_read looks for NULs first; read in chunks, a NUL (which
		 * ev_decode's text never has) ends the read where it is found. */
		const char *nul = memchr(r->data + off, '\0', eol - off);
		if (nul) {
			fail_nul(r, r->line, off, (size_t)(nul - r->data));
			return RUN_FATAL;
		}
		if (!r->in_record && !blank_line(r, off, eol))
			begin_record(r, off);
		r->row_ended = false;
		enum run_end e = feed_line(r, off, eol, resume);
		if (e != RUN_DONE)
			return e;
		if (r->row_ended)
			r->in_record = false;
		off = eol;
		r->line++;
	}
	/* The last line may lack a line break; with CSV_STRICT_FINI an open
	 * quote here makes csv_fini return -1 (not CSV_EPARSE). */
	r->line--;
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		return abandon(r, UNCLOSED_QUOTE, r->nfields + 1, resume);
	if (r->fatal)
		return RUN_FATAL;
	if (r->too_long)
		return abandon(r, TOO_LONG, r->too_long, resume);
	return RUN_DONE;
}

/* Run the parser from r->off, starting afresh after each broken record,
 * until the table has r->want rows (then r->off is where the next record
 * starts) or the input ends. Every restart begins on a later line than the
 * one before. */
static void parse_some(struct reader *r)
{
	while (!r->done && !r->fatal) {
		if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
			out_of_memory(r);
			return;
		}
		csv_set_delim(&r->p, r->delim);
		size_t next = r->len;
		enum run_end e = run(r, r->off, &next);
		csv_free(&r->p);
		if (e == RUN_PAUSE) {
			r->off = next;
			return;
		}
		if (e != RUN_RESUME || next <= r->off) {   /* no progress: cannot happen */
			r->off = r->len;
			r->done = true;
			return;
		}
		r->off = next;
	}
}

/* ---- before parsing ------------------------------------------------- */

/* The NUL at pos, on line `line` starting at offset start. */
static void fail_nul(struct reader *r, long line, size_t start, size_t pos)
{
	size_t col = ev_utf8_count(r->data + start, pos - start) + 1;
	fail(r, line, (long)col, "not a text file: it contains a NUL byte (is it a "
	     "spreadsheet, or text saved as UTF-16? save the list as \"CSV UTF-8\")");
}

/* A NUL byte means a binary file (a spreadsheet, UTF-16 text): say so at
 * its line and column rather than read garbage. */
static bool find_nul(struct reader *r)
{
	const char *nul = r->len ? memchr(r->data, '\0', r->len) : NULL;
	if (!nul)
		return false;
	size_t pos = (size_t)(nul - r->data), start = 0;
	long line = 1;
	for (size_t next; (next = line_end(r->data, r->len, start)) <= pos; start = next)
		line++;
	fail_nul(r, line, start, pos);
	return true;
}

/* The delimiter most frequent outside quotes on the first non-blank line
 * (a quoted name may hold a line break, so the line ends at an unquoted
 * one); ties go to the earlier of , ; TAB, and none found means ','. */
static unsigned char sniff(const char *s, size_t n)
{
	static const char cand[3] = {',', ';', '\t'};
	size_t i = 0, start = 0, count[3] = {0};
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
		if (s[i] == '\r' || s[i] == '\n')
			start = i + 1;
		i++;
	}
	bool quoted = false;
	for (i = start; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (s[i] == '\r' || s[i] == '\n'))
			break;
		else if (!quoted)
			for (int k = 0; k < 3; k++)
				count[k] += s[i] == cand[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return (unsigned char)cand[best];
}

/* Set up the reader in a new table and read up to the header. Returns the
 * table, or NULL when the file is unusable (the reason in d). */
static struct table *open_table(const char *data, size_t len, const char *file,
                                const ev_csv_options *opt, bool check_nul,
                                ev_diags *d)
{
	static const ev_csv_options none;
	if (!opt)
		opt = &none;
	struct table *t = table_new();
	if (!t) {
		ev_diag_add(d, EV_ERROR, file, 0, 0, NULL,
		            "out of memory while reading the recipient list");
		return NULL;
	}
	struct reader *r = &t->r;
	*r = (struct reader){
		.data = data, .len = data ? len : 0, .file = file, .d = d, .t = t,
		.max_field = opt->max_field ? opt->max_field : EV_CSV_MAX_FIELD,
		.max_cols = opt->max_cols ? opt->max_cols : EV_CSV_MAX_COLS,
		.max_rows = opt->max_rows ? opt->max_rows : EV_CSV_MAX_ROWS,
		.line = 1,
	};
	/* libcsv does not know about the BOM Windows tools put first. */
	if (r->len >= 3 && memcmp(r->data, UTF8_BOM, 3) == 0) {
		r->data += 3;
		r->len -= 3;
	}
	if (check_nul && find_nul(r))
		goto fail;
	r->delim = opt->delimiter ? (unsigned char)opt->delimiter : sniff(r->data, r->len);
	if (strchr("\"\r\n ", r->delim)) {
		fail(r, 0, 0, "'%c' cannot be the delimiter", r->delim);
		goto fail;
	}
	t->pub.delimiter = (char)r->delim;
	t->pub.source = r->data;
	t->pub.source_len = r->len;
	parse_some(r);   /* want is 0: up to the first record after the header */
	if (!r->fatal && !r->have_header)
		fail(r, 0, 0, "no header row: the file is empty or has only blank lines");
	if (r->fatal)
		goto fail;
	t->first_off = r->off;
	t->first_line = r->line;
	return t;
fail:
	ev_table_free(&t->pub);
	return NULL;
}

ev_table *ev_csv_read(const char *data, size_t len, const char *file,
                      const ev_csv_options *opt, ev_diags *d)
{
	struct table *t = open_table(data, len, file, opt, true, d);
	if (!t)
		return NULL;
	t->r.want = SIZE_MAX;
	parse_some(&t->r);
	if (t->r.fatal) {
		ev_table_free(&t->pub);
		return NULL;
	}
	return &t->pub;
}

ev_table *ev_csv_open(const char *data, size_t len, const char *file,
                      const ev_csv_options *opt, ev_diags *d)
{
	struct table *t = open_table(data, len, file, opt, false, d);
	return t ? &t->pub : NULL;
}

long ev_csv_next(ev_table *pub, size_t max, ev_diags *d)
{
	struct table *t = (struct table *)pub;
	struct reader *r = &t->r;
	if (r->fatal)
		return -1;
	pub->nrows = 0;
	ev_arena_reset(t->rows_arena);
	r->d = d;
	r->want = max ? max : 1;
	parse_some(r);
	return r->fatal ? -1 : (long)pub->nrows;
}

void ev_csv_rewind(ev_table *pub)
{
	struct table *t = (struct table *)pub;
	t->r.off = t->first_off;
	t->r.line = t->first_line;
	t->r.total = 0;
	t->r.done = false;
	pub->nrows = 0;
}

/* Where field `field` of rec starts: its byte offset in the source, line
 * and column. Returns 0, or -1 when the record has no such field. */
static int field_start(const ev_table *t, const ev_record *rec, size_t field,
                       size_t *at, long *line, long *col)
{
	if (!t->source || rec->offset > t->source_len)
		return -1;
	const char *s = t->source;
	size_t len = t->source_len, nf = 0;
	long ln = rec->line, c = 1;
	bool quoted = false;
	for (size_t i = rec->offset;; i++) {
		if (nf == field) {
			*at = i;
			*line = ln;
			*col = c;
			return 0;
		}
		if (i >= len)
			return -1;
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"') {
			quoted = !quoted;
		} else if (ch == '\r' || ch == '\n') {
			if (!quoted)
				return -1;
			if (ch == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			ln++;
			c = 1;
			continue;
		} else if (!quoted && ch == (unsigned char)t->delimiter) {
			nf++;
		}
		if ((ch & 0xC0) != 0x80)
			c++;
	}
}

int ev_table_locate(const ev_table *t, const ev_record *rec, size_t field,
                    long *line, long *col)
{
	size_t at;
	*line = rec->line;
	*col = 0;
	return field_start(t, rec, field, &at, line, col);
}

int ev_table_locate_char(const ev_table *t, const ev_record *rec, size_t field,
                         size_t nchar, long *line, long *col)
{
	size_t i;
	long ln, c;
	if (ev_table_locate(t, rec, field, line, col) < 0 ||
	    field_start(t, rec, field, &i, &ln, &c) < 0)
		return -1;
	const char *s = t->source;
	size_t len = t->source_len;
	/* The reader drops the blanks before a value, and its opening quote. */
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++, c++;
	bool quoted = i < len && s[i] == '"';
	if (quoted)
		i++, c++;
	for (size_t k = 0; k < nchar && i < len; k++) {
		unsigned char ch = (unsigned char)s[i];
		if (quoted && ch == '"') {
			if (i + 1 >= len || s[i + 1] != '"')
				return 0;          /* the value ends first: keep its start */
			i += 2;
			c += 2;
		} else if (ch == '\r' || ch == '\n') {
			i += ch == '\r' && i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
			ln++;
			c = 1;
		} else {
			i++;
			while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			c++;
		}
	}
	*line = ln;
	*col = c;
	return 0;
}
