/* sent.c - the batch and the campaign ledger (ledger.h): the ledger named
 * by --ledger or the letter's `ledger:` opened (and locked) before the
 * first pass, the rows --skip-sent or --only-sent leave out marked in every
 * pass alike, and the run and its pieces recorded, committed only after
 * the files are in place. Edge code. */
#include "job.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void hex_digest(struct sha256_ctx *c, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t dg[SHA256_DIGEST_SIZE];
	sha256_digest(c, sizeof dg, dg);
	for (size_t i = 0; i < sizeof dg; i++) {
		out[2 * i] = hex[dg[i] >> 4];
		out[2 * i + 1] = hex[dg[i] & 15];
	}
	out[64] = '\0';
}

void job_hash_inputs(inputs *in)
{
	struct sha256_ctx list, both;
	sha256_init(&list);
	sha256_init(&both);
	bool bom = in->letter_len >= 3 && !memcmp(in->letter_src, "\xEF\xBB\xBF", 3);
	sha256_update(&both, in->letter_len - 3 * bom, (const uint8_t *)in->letter_src + 3 * bom);
	/* The list a piece at a time into both, each piece read once. */
	const uint8_t *p = (const uint8_t *)in->list_file.data;
	for (size_t at = 0, n; at < in->list_file.len; at += n) {
		n = in->list_file.len - at < 65536 ? in->list_file.len - at : 65536;
		sha256_update(&list, n, p + at);
		sha256_update(&both, n, p + at);
	}
	hex_digest(&list, in->list_sha256);
	hex_digest(&both, in->posting_sha256);
}

void job_sha256_hex(const void *data, size_t len, char out[65])
{
	job_sha256_hex2(data, len, NULL, 0, out);
}

void job_sha256_hex2(const void *a, size_t alen, const void *b, size_t blen,
                     char out[65])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, alen, a);
	if (blen)
		sha256_update(&c, blen, b);
	hex_digest(&c, out);
}

/* The ledger's path: --ledger as given, or `ledger:` relative to the
 * letter's folder. NULL when there is none (or out of memory). */
static char *ledger_path(const inputs *in, const ev_job *job)
{
	if (job->ledger)
		return strdup(job->ledger);
	const char *l = in->t->ledger;
	if (!l)
		return NULL;
	if (l[0] == '/')
		return strdup(l);
	char *dir = ev_path_dirname(job->letter);
	char *p = dir ? ev_path_join(dir, l) : NULL;
	free(dir);
	return p;
}

/* The settings of the run as a JSON object, for the ledger's record. */
static int settings_json(const inputs *in, const ev_job *job, ev_buf *out)
{
	ev_buf_puts(out, "{");
	if (in->priced) {
		const ev_posting *p = &in->posting;
		ev_buf_printf(out, "\"posting\": \"%s\", \"service\": \"%s\", \"paper\": "
		              "\"%dx%d mm, %d g/m2\", \"envelope\": \"%s\", \"duplex\": %s, ",
		              p->tariff->country, ev_service_names[p->service], p->paper_w_mm,
		              p->paper_h_mm, p->paper_gsm, p->envelope->name,
		              p->duplex ? "true" : "false");
	} else {
		ev_buf_puts(out, "\"posting\": null, ");
	}
	ev_buf_printf(out, "\"follow_up\": \"%s\", \"outdir\": ", job->skip_sent ? "skip-sent"
	              : job->only_sent ? "only-sent" : "all");
	ev_json_string(out, job->outdir);
	ev_buf_puts(out, "}");
	return out->failed ? -1 : 0;
}

int job_open_ledger(inputs *in, const ev_job *job, ev_diags *d)
{
	char *path = ledger_path(in, job);
	if (!path) {
		if (job->skip_sent || job->only_sent) {
			ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "%s needs the campaign "
			            "ledger that says who was written to: name it with "
			            "--ledger FILE or a ledger: setting in the letter",
			            job->skip_sent ? "--skip-sent" : "--only-sent");
			return -1;
		}
		return 0;
	}
	in->ledger = ev_ledger_open(path, d);
	in->ledger_path = path;
	if (!in->ledger)
		return -1;
	char letter_hash[65], list_hash[65];
	job_sha256_hex(in->letter_src, in->letter_len, letter_hash);
	memcpy(list_hash, in->list_sha256, sizeof list_hash);
	ev_buf settings = {0};
	ev_ledger_run run = {
		.posting_date = in->priced ? in->posting_date : "",
		.letter = job->letter, .letter_sha256 = letter_hash,
		.list = job->recipients, .list_sha256 = list_hash,
		.outdir = job->outdir,
	};
	int rc = settings_json(in, job, &settings);
	run.settings = settings.data;
	if (rc == 0)
		rc = ev_ledger_begin_run(in->ledger, &run, &in->run_number, d);
	ev_buf_free(&settings);
	return rc;
}

/* The recipient's key in the ledger: the name keys of surname and given
 * name, of the patronymic and of the address (the keys duplicates are
 * found by), so two judges of one name at two courts are two people. */
static char *recipient_key(const ev_recipient *r)
{
	const char *a = r->person_key ? r->person_key : "";
	const char *b = r->patronymic_key ? r->patronymic_key : "";
	const char *c = r->address_key ? r->address_key : "";
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *k = malloc(n);
	if (k)
		snprintf(k, n, "%s %s %s", a, b, c);
	return k;
}

/* Why the row is left out, or NULL: --skip-sent leaves out those the
 * ledger has a sent letter for, --only-sent all others. A returned letter
 * did not arrive, so its recipient counts as not written to. */
static int verdict(inputs *in, const ev_job *job, const ev_recipient *r, char **why,
                   ev_diags *d)
{
	*why = NULL;
	char *key = recipient_key(r);
	if (!key)
		return -1;
	ev_ledger_hit hit;
	int k = ev_ledger_find(in->ledger, key, &hit, d);
	free(key);
	if (k < 0)
		return -1;
	bool sent = k == 1 && !strcmp(hit.status, "sent");
	char text[300];
	if (job->skip_sent && sent)
		snprintf(text, sizeof text, "already written to: the ledger has the letter "
		         "of run %ld%s%s (id %s) as sent; --skip-sent leaves them out",
		         hit.run, *hit.posting_date ? ", posted " : "", hit.posting_date, hit.id);
	else if (job->only_sent && !sent)
		snprintf(text, sizeof text, "%s; --only-sent leaves them out", k == 0
		         ? "not written to before: the ledger has no letter to them"
		         : "the ledger has their letter as returned, not as received");
	else
		return 0;
	*why = strdup(text);
	return *why ? 0 : -1;
}

int job_mark_sent(inputs *in, const ev_job *job, ev_diags *d)
{
	if (!in->ledger || !(job->skip_sent || job->only_sent))
		return 0;
	for (size_t i = 0; i < in->rs->n; i++) {
		ev_recipient *r = &in->rs->items[i];
		size_t at = r->seq - 1;
		if (at >= in->nskip) {
			/* first seen: ask the ledger, and keep the answer for the
			 * next pass, which must leave out the same rows */
			char *why = NULL;
			if (!r->reason && verdict(in, job, r, &why, d) < 0)
				return -1;
			if (in->nskip == in->skip_cap) {
				size_t c = in->skip_cap ? in->skip_cap * 2 : 1024;
				char **v = realloc(in->skip, c * sizeof *v);
				if (!v) {
					free(why);
					return -1;
				}
				in->skip = v;
				in->skip_cap = c;
			}
			in->skip[in->nskip++] = why;
			in->skipped += why != NULL;
		}
		r->skipped = in->skip[at];
	}
	return 0;
}

int job_record_piece(inputs *in, const ev_recipient *r, const char *file,
                     const char *sha256, const ev_piece *pc, ev_diags *d)
{
	if (!in->ledger)
		return 0;
	char *key = recipient_key(r);
	if (!key)
		return -1;
	const ev_band *b = pc ? pc->band : NULL;
	ev_ledger_piece p = {
		.seq = r->seq, .id = r->id, .key = key, .name = r->name,
		.name_latin = r->name_latin, .file = file, .sha256 = sha256,
		.band = b ? b->name : "", .service = b ? ev_service_names[b->service] : "",
		.currency = b ? b->currency : "", .weight_ug = pc ? pc->weight_ug : 0,
		.postage = b ? b->price : 0,
	};
	int rc = ev_ledger_add_piece(in->ledger, &p, d);
	free(key);
	return rc;
}

void job_close_ledger(inputs *in)
{
	ev_ledger_close(in->ledger);   /* rolls back what was not committed */
	in->ledger = NULL;
	for (size_t i = 0; i < in->nskip; i++)
		free(in->skip[i]);
	free(in->skip);
	in->skip = NULL;
	in->nskip = in->skip_cap = 0;
	free(in->ledger_path);
	in->ledger_path = NULL;
}
