/* fuzz-recipients.c - libFuzzer target over reading a recipient list: any
 * bytes -> decode -> CSV -> recipients (normalise, validate, duplicates,
 * gender) -> the check report as text and JSON. The first byte chooses the
 * options (encoding, delimiter, keep duplicates, a --map), the rest is the
 * file. Must never crash, hang or leak; must account for every row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "recipient.h"
#include "report.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	ev_recipients_free(rs);
	ev_table_free(t);
	ev_decoded_free(&dec);
	ev_diags_free(&d);
	return 0;
}
