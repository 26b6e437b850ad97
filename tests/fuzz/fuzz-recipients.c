/* fuzz-recipients.c - libFuzzer target over reading a recipient list: any
 * bytes -> decode -> CSV -> recipients (normalise, validate, duplicates,
 * gender) -> the check report as text and JSON. The first byte chooses the
 * options (encoding, delimiter, keep duplicates, a --map), the rest is the
 * file. Must never crash, hang or leak; must account for every row; and
 * read in chunks (then built again, as the batch does) must give the same
 * rows with the same verdicts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "recipient.h"
#include "report.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The list read `chunk` rows at a time, twice (the second time replayed);
 * every row must match rs, the list read at once. */
static void chunked(const char *bytes, size_t len, ev_encoding enc,
                    const ev_csv_options *co, const ev_recipient_options *ro,
                    const ev_recipients *rs, size_t chunk)
{
	ev_diags d = {0};
	ev_decoded dec = {0};
	ev_table *t = NULL;
	ev_recipients *cs = NULL;
	if (ev_decode_borrow(bytes, len, enc, "fuzz.csv", &dec, &d) == 0)
		t = ev_csv_open(dec.text, dec.len, "fuzz.csv", co, &d);
	if (t)
		cs = ev_recipients_begin(t, "fuzz.csv", ro, &d);
	for (int round = 0; cs && round < 2; round++) {
		long n;
		size_t seen = 0;
		while ((n = ev_csv_next(t, chunk, &d)) > 0) {
			if (ev_recipients_next(cs, &d) < 0)
				abort();
			for (size_t i = 0; i < cs->n; i++, seen++) {
				const ev_recipient *a = &cs->items[i];
				const ev_recipient *b = rs && seen < rs->n ? &rs->items[seen] : NULL;
				if (b && (a->line != b->line || !same(a->reason, b->reason) ||
				          !same(a->id, b->id) || a->naddress != b->naddress))
					abort();   /* not the row read at once */
			}
		}
		if (round == 0 && n == 0 && ev_recipients_finish(cs, &d) < 0)
			break;
		if (rs && (n < 0 || seen != rs->n || cs->rejected != rs->rejected))
			abort();       /* rows or verdicts differ */
		ev_csv_rewind(t);
		ev_recipients_replay(cs);
	}
	ev_recipients_free(cs);
	ev_table_free(t);
	ev_decoded_free(&dec);
	ev_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	static const char delims[] = {0, ',', ';', '\t'};
	static const char *const maps[] = {"surname=b", "postcode=Индекс", "city=c"};
	ev_encoding enc = (ev_encoding)(sel % 7);
	ev_csv_options co = {.delimiter = delims[(sel >> 3) & 3],
	                     .max_field = 4096, .max_cols = 64, .max_rows = 4096};
	ev_recipient_options ro = {.keep_duplicates = (sel >> 5) & 1,
	                           .map = maps, .nmap = (sel >> 6) & 3};
	const char *bytes = (const char *)data + 1;
	size_t len = size - 1;

	ev_diags d = {0};
	ev_decoded dec = {0};
	ev_table *t = NULL;
	ev_recipients *rs = NULL;
	if (ev_decode(bytes, len, enc, "fuzz.csv", &dec, &d) == 0)
		t = ev_csv_read(dec.text, dec.len, "fuzz.csv", &co, &d);
	if (t) {
		ro.encoding = dec.encoding;
		rs = ev_recipients_build(t, "fuzz.csv", &ro, &d);
	}
	if (rs && rs->n != t->nrows)
		abort();      /* a row lost */
	ev_diags_sort(&d);
	ev_report_in ri = {.file = "fuzz.csv", .table = t, .rs = rs, .d = &d,
	                   .encoding = dec.text ? ev_encoding_name(dec.encoding) : NULL,
	                   .encoding_how = dec.text ? dec.how : NULL};
	ev_buf out = {0};
	ev_report_text(&out, &ri);
	ev_buf_reset(&out);
	ev_report_json(&out, &ri);
	ev_buf_free(&out);
	chunked(bytes, len, enc, &co, &ro, rs, len % 3 + 1);
	ev_recipients_free(rs);
	ev_table_free(t);
	ev_decoded_free(&dec);
	ev_diags_free(&d);
	return 0;
}
