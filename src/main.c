/* main.c - the command line: argv -> ev_job -> ev_job_run. Nothing else
 * (but the one signal a mapped input can raise). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "decline_cli.h"
#include "labelcmd.h"
#include "labels.h"
#include "ledger.h"
#include "merge_manifests.h"
#include "postage.h"
#include "shard.h"
#include "translit_cli.h"

#define USAGE_HINT "try 'envoi --help'"

static const char help[] =
"envoi - addressed letters for print-and-post campaigns\n"
"\n"
"Usage:\n"
"  envoi batch LETTER RECIPIENTS -o OUTDIR    every letter, labels, manifest\n"
"  envoi preview LETTER RECIPIENTS --id ID -o FILE.pdf\n"
"  envoi preview LETTER RECIPIENTS --find NAME -o FILE.pdf\n"
"                                             one recipient's letter (NAME in\n"
"                                             Latin or Cyrillic: kavaliova)\n"
"  envoi check [LETTER] RECIPIENTS [--json]   read and check the list only:\n"
"                                             what is wrong, where, and what\n"
"                                             was repaired; with the LETTER,\n"
"                                             each letter is laid out too, so\n"
"                                             every verdict is the batch's\n"
"  envoi translit --scheme ID [--reverse] [--lang be|ru] [TEXT...]\n"
"                                             Cyrillic <-> Latin by a standard;\n"
"                                             no TEXT: standard input, by line\n"
"  envoi translit --list                      the schemes, one line each\n"
"  envoi decline --case dative|genitive [--gender m|f] [--lang ru|be] [NAME...]\n"
"                                             full names (surname first) in\n"
"                                             the case; no NAME: standard input\n"
"  envoi merge-manifests -o OUT.csv DIR...   the manifests of the shards of\n"
"                                             one batch (batch --shard K/N,\n"
"                                             each DIR with its shard.json),\n"
"                                             checked and joined into the\n"
"                                             unsharded batch's manifest\n"
"  envoi ledger FILE show                     the campaign ledger's runs\n"
"  envoi ledger FILE import-tracking CSV      tracking numbers (columns\n"
"                                             tracking, id or seq) for the\n"
"                                             pieces of the latest run\n"
"  envoi ledger FILE returned ID [ID...]      mark pieces returned\n"
"  envoi labels list [WORDS]                  the label sheets envoi knows\n"
"                                             (built in, and gLabels'\n"
"                                             database): brand and part,\n"
"                                             paper, label size, labels a\n"
"                                             sheet, description\n"
"  envoi labels --calibrate SHEET -o FILE.pdf [--offset X,Y]\n"
"                                             a test page of the sheet's\n"
"                                             outlines to print on plain paper\n"
"\n"
"LETTER is a Markdown file with settings at the top (sender, date, ...) and\n"
"{{column}} merge fields; RECIPIENTS is a CSV list with a header row\n"
"(UTF-8, UTF-16, Windows-1251, KOI8-R or CP866; comma, semicolon or tab).\n"
"\n"
"batch writes into OUTDIR:\n"
"  letters/NNNN-name.pdf   one A4 letter per recipient, address in the window\n"
"  print.pdf               all letters in one file, each starting on a new\n"
"                          sheet (for duplex printing)\n"
"  labels.pdf              one address label per letter\n"
"  manifest.csv            one row per list row: ok, or rejected and why;\n"
"                          for each piece its sheets, weight, band, postage\n"
"                          and the letter file's SHA-256\n"
"  postage.json            the postage per band and in total\n"
"  posting-list.pdf        the list for the post office counter\n"
"  click-and-drop.csv      Royal Mail's import file (posting from the UK)\n"
"\n";

static const char help_options[] =
"Options:\n"
"  -o, --output PATH       OUTDIR (batch) or the PDF to write (preview)\n"
"      --id ID             preview: the recipient's id\n"
"      --find NAME         preview: the recipient whose name has NAME in it,\n"
"                          in either alphabet (several: the first 20 listed)\n"
"      --lang be|ru        the list's language where a row does not say\n"
"      --labels SHEET      the label sheet: L7163 (default), or any of gLabels'\n"
"                          database by brand and part (\"Avery 5160\",\n"
"                          avery-5160, or the part alone); --labels list\n"
"                          [WORDS] lists them ($ENVOI_LABELDIR: its folder)\n"
"      --first N           start on label N of a partly used first sheet\n"
"                          (counted row by row; the labels before stay empty)\n"
"      --offset X,Y        move what is printed on label sheets X mm right\n"
"                          and Y mm down (may be negative: --offset 1.5,-0.5)\n"
"      --delimiter C       CSV delimiter: ',' ';' or 'tab' (default: guessed)\n"
"      --encoding E        utf-8, utf-16le, utf-16be, windows-1251, koi8-r or\n"
"                          cp866 (default: detected)\n"
"      --map FIELD=HEADER  the column that holds FIELD (surname, given_name,\n"
"                          patronymic, gender, postcode, city, ...), when its\n"
"                          header is not one envoi knows; repeatable\n"
"      --keep-duplicates   send every copy of a row that repeats a person at\n"
"                          the same address (default: only the first)\n"
"      --json              check: the report as JSON\n"
"      --fonts DIR         folder with the PT Serif fonts\n";

/* In two strings: C11 compilers need take no string over 4,095 bytes. */
static const char help_options2[] =
"      --posting CC        the country the letters are posted in (DE, GB,\n"
"                          CH), or none (default: the letter's posting:,\n"
"                          else the country the sender's address ends in)\n"
"      --service S         standard or registered (default: the letter's\n"
"                          service:, else standard)\n"
"      --envelope E        DL, C6/5, C5 or C4 (default: the letter's\n"
"                          envelope:, else DL, C5 for the c5-window layout)\n"
"      --duplex, --simplex printed on both sides of a sheet, or one (default:\n"
"                          the letter's duplex:, else duplex)\n"
"      --tariffs PATH      a tariff file or a folder of them (default:\n"
"                          $ENVOI_TARIFFDIR, else the bundled ones)\n"
"      --order ORDER       input (default) or postcode: the print file,\n"
"                          labels, envelopes, proof and posting list sorted\n"
"                          by country, postcode and name (a presort)\n"
"      --envelopes SIZE    also envelopes.pdf: one plain envelope per letter,\n"
"                          DL, C6/5, C5 or C4\n"
"      --ledger FILE       record the run and each piece in this campaign\n"
"                          ledger (default: the letter's ledger:, else none)\n"
"      --skip-sent         with a ledger: leave out everyone it has a sent\n"
"                          letter for (a follow-up to the others)\n"
"      --only-sent         with a ledger: only those it has a sent letter for\n"
"      --shard K/N         make only the rows whose number leaves K when\n"
"                          divided by N (0 <= K < N), for running one batch\n"
"                          on N machines; every shard still reads, checks and\n"
"                          lays out the whole list, so its letters are those\n"
"                          of the whole batch; its OUTDIR gets shard.json for\n"
"                          envoi merge-manifests (no ledger)\n"
"      --threads N         make the letters on N threads (default: one per\n"
"                          core); the files are the same whatever N is\n"
"      --timings           batch, preview: at the end, where the time went\n"
"                          (read, lay out, encode, deflate, write, other:\n"
"                          seconds summed over the threads, and shares), the\n"
"                          wall time, letters a second and peak memory; the\n"
"                          files are the same with or without it\n"
"  -q, --quiet             no summary when all went well\n"
"  -h, --help              this help\n"
"      --version           the version\n"
"\n"
"Exit status: 0 every row became a letter (check: every row is usable);\n"
"1 some rows were rejected (the others were made; reasons in the messages\n"
"and the manifest); 2 nothing was made (a file is missing or wrong; the\n"
"messages say where).\n";

#define MAX_MAPS 32

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "envoi: %s%s%s\n%s\n", msg, arg ? " " : "", arg ? arg : "",
	        USAGE_HINT);
	return 2;
}

static int parse_delimiter(const char *s, char *out)
{
	if (!strcmp(s, "tab") || !strcmp(s, "\\t") || !strcmp(s, "\t"))
		*out = '\t';
	else if (!strcmp(s, ",") || !strcmp(s, ";"))
		*out = s[0];
	else
		return -1;
	return 0;
}

static int translit_main(int argc, char **argv)
{
	ev_translit_job tj = {0};
	int i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--scheme") && i + 1 < argc) {
			tj.scheme = argv[++i];
		} else if (!strcmp(a, "--lang") && i + 1 < argc) {
			tj.lang = ev_lang_parse(argv[++i]);
			if (tj.lang == EV_LANG_UNKNOWN)
				return usage("--lang takes be, ru or uk", NULL);
		} else if (!strcmp(a, "--reverse")) {
			tj.reverse = true;
		} else if (!strcmp(a, "--list")) {
			tj.list = true;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option or missing value:", a);
		} else {
			break;
		}
	}
	tj.texts = (const char *const *)argv + i;
	tj.ntexts = (size_t)(argc - i);
	return ev_translit_run(&tj, stdin, stdout, stderr);
}

static int decline_main(int argc, char **argv)
{
	ev_decline_job dj = {0};
	int i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--case") && i + 1 < argc) {
			const char *v = argv[++i];
			dj.c = !strcmp(v, "dative") || !strcmp(v, "dat") ? EV_CASE_DAT
			     : !strcmp(v, "genitive") || !strcmp(v, "gen") ? EV_CASE_GEN : EV_CASE_NOM;
			if (dj.c == EV_CASE_NOM)
				return usage("--case takes dative or genitive", NULL);
		} else if (!strcmp(a, "--gender") && i + 1 < argc) {
			if (ev_gender_parse(argv[++i], &dj.gender) < 0 || !dj.gender)
				return usage("--gender takes m or f", NULL);
		} else if (!strcmp(a, "--lang") && i + 1 < argc) {
			dj.lang = ev_lang_parse(argv[++i]);
			if (dj.lang != EV_LANG_RU && dj.lang != EV_LANG_BE)
				return usage("--lang takes be or ru", NULL);
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option or missing value:", a);
		} else {
			break;
		}
	}
	dj.texts = (const char *const *)argv + i;
	dj.ntexts = (size_t)(argc - i);
	return ev_decline_run(&dj, stdin, stdout, stderr);
}

static int merge_main(int argc, char **argv)
{
	ev_merge_job mj = {0};
	const char **dirs = calloc((size_t)argc, sizeof *dirs);
	if (!dirs) {
		fprintf(stderr, "envoi: out of memory\n");
		return 2;
	}
	mj.dirs = dirs;
	int rc = -1;
	bool options = true;
	for (int i = 2; rc < 0 && i < argc; i++) {
		const char *a = argv[i];
		if (options && !strcmp(a, "--")) {
			options = false;
		} else if (options && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
			if (i + 1 < argc)
				mj.output = argv[++i];
			else
				rc = usage("missing value after", a);
		} else if (options && (!strcmp(a, "-q") || !strcmp(a, "--quiet"))) {
			mj.quiet = true;
		} else if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			fputs(help, stdout);
			fputs(help_options, stdout);
			fputs(help_options2, stdout);
			rc = 0;
		} else if (options && a[0] == '-' && a[1]) {
			rc = usage("unknown option", a);
		} else {
			dirs[mj.ndirs++] = a;
		}
	}
	if (rc < 0)
		rc = !mj.output ? usage("merge-manifests needs -o OUT.csv;", NULL)
		   : !mj.ndirs ? usage("merge-manifests needs the shards' output folders;", NULL)
		   : ev_merge_manifests(&mj, stderr);
	free(dirs);
	return rc;
}

/* The recipient list is read through a mapping of its file (fsutil.h):
 * if another program cuts the file short meanwhile, reading the lost part
 * raises SIGBUS. Say so and stop; the staging folder is not moved into
 * place, so nothing half-made is left looking finished. */
static void on_sigbus(int sig)
{
	static const char msg[] = "envoi: error: an input file was cut short by "
	        "another program while envoi was reading it; nothing was written; "
	        "close the file there and run again\n";
	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more can be done */
	}
	_exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_sigbus};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (argc < 2)
		return usage("no command given;", NULL);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(help, stdout);
		fputs(help_options, stdout);
		fputs(help_options2, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("envoi %s\n", EV_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "translit"))
		return translit_main(argc, argv);
	if (!strcmp(cmd, "decline"))
		return decline_main(argc, argv);
	if (!strcmp(cmd, "merge-manifests"))
		return merge_main(argc, argv);
	if (!strcmp(cmd, "ledger"))
		return ev_ledger_command(argc - 2, argv + 2, stdout, stderr);
	if (!strcmp(cmd, "labels"))
		return ev_labels_command(argc - 2, argv + 2, stdout, stderr);
	if (!strcmp(cmd, "--labels") && argc > 2 && !strcmp(argv[2], "list"))
		return ev_labels_command(argc - 2, argv + 2, stdout, stderr);
	ev_job job = {0};
	const char *maps[MAX_MAPS];
	job.map = maps;
	if (!strcmp(cmd, "batch"))
		job.kind = EV_JOB_BATCH;
	else if (!strcmp(cmd, "preview"))
		job.kind = EV_JOB_PREVIEW;
	else if (!strcmp(cmd, "check"))
		job.kind = EV_JOB_CHECK;
	else
		return usage("unknown command", cmd);
	const char *pos[2] = {0};
	int npos = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;
		if (!strcmp(a, "-o") || !strcmp(a, "--output"))
			val = job.kind == EV_JOB_BATCH ? &job.outdir : &job.output;
		else if (!strcmp(a, "--id"))
			val = &job.id;
		else if (!strcmp(a, "--find"))
			val = &job.find;
		else if (!strcmp(a, "--labels") && i + 1 < argc && !strcmp(argv[i + 1], "list"))
			/* --labels list [WORDS]: the words are the rest */
			return ev_labels_command(argc - i - 1, argv + i + 1, stdout, stderr);
		else if (!strcmp(a, "--labels"))
			val = &job.labels;
		else if (!strcmp(a, "--fonts"))
			val = &job.fontdir;
		else if (!strcmp(a, "--posting"))
			val = &job.posting;
		else if (!strcmp(a, "--envelope"))
			val = &job.envelope;
		else if (!strcmp(a, "--tariffs"))
			val = &job.tariffs;
		else if (!strcmp(a, "--ledger"))
			val = &job.ledger;
		else if (!strcmp(a, "--envelopes"))
			val = &job.envelopes;
		else if (!strcmp(a, "--service")) {
			const char *v = i + 1 < argc ? argv[++i] : "";
			job.service = !strcmp(v, "standard") ? 1 + EV_SERVICE_STANDARD
			            : !strcmp(v, "registered") ? 1 + EV_SERVICE_REGISTERED : 0;
			if (!job.service)
				return usage("--service takes standard or registered", NULL);
			continue;
		} else if (!strcmp(a, "--duplex") || !strcmp(a, "--simplex")) {
			job.duplex = a[2] == 'd' ? 1 : 2;
			continue;
		} else if (!strcmp(a, "--order")) {
			const char *v = i + 1 < argc ? argv[++i] : "";
			if (strcmp(v, "input") && strcmp(v, "postcode"))
				return usage("--order takes input or postcode", NULL);
			job.order_postcode = !strcmp(v, "postcode");
			continue;
		} else if (!strcmp(a, "--skip-sent") || !strcmp(a, "--only-sent")) {
			*(a[2] == 's' ? &job.skip_sent : &job.only_sent) = true;
			continue;
		}
		else if (!strcmp(a, "--delimiter")) {
			if (i + 1 >= argc || parse_delimiter(argv[++i], &job.delimiter) < 0)
				return usage("--delimiter takes ',' ';' or 'tab'", NULL);
			continue;
		} else if (!strcmp(a, "--encoding")) {
			if (i + 1 >= argc || ev_encoding_parse(argv[++i], &job.encoding) < 0)
				return usage("--encoding takes utf-8, utf-16le, utf-16be, "
				             "windows-1251, koi8-r or cp866", NULL);
			continue;
		} else if (!strcmp(a, "--map")) {
			if (i + 1 >= argc || !strchr(argv[i + 1], '='))
				return usage("--map takes FIELD=HEADER, e.g. --map surname=Фамилия", NULL);
			if (job.nmap == MAX_MAPS)
				return usage("too many --map options", NULL);
			maps[job.nmap++] = argv[++i];
			continue;
		} else if (!strcmp(a, "--lang")) {
			if (i + 1 >= argc || (job.lang = ev_lang_parse(argv[++i])) == EV_LANG_UNKNOWN)
				return usage("--lang takes be, ru or uk", NULL);
			continue;
		} else if (!strcmp(a, "--shard")) {
			const char *v = i + 1 < argc ? argv[++i] : "";
			if (ev_shard_parse_arg(v, &job.shard_k, &job.shard_n) < 0)
				return usage("--shard takes K/N, two whole numbers with 0 <= K < N "
				             "(the shards of N are 0/N to N-1/N), not", *v ? v : "''");
			continue;
		} else if (!strcmp(a, "--threads")) {
			char *end = NULL;
			unsigned long n = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
			if (i + 1 >= argc || !*argv[i + 1] || *end || n < 1 || n > 64)
				return usage("--threads takes a number from 1 to 64", NULL);
			job.threads = (unsigned)n;
			i++;
			continue;
		} else if (!strcmp(a, "--first")) {
			double n = 0;
			const char *v = i + 1 < argc ? argv[++i] : "";
			if (ev_decimal_parse(v, strlen(v), &n) < 0 || n < 1 || n > EV_LABEL_MAX ||
			    n != (double)(size_t)n)
				return usage("--first takes a label's number on the sheet, from 1", NULL);
			job.first = (size_t)n;
			continue;
		} else if (!strcmp(a, "--offset")) {
			const char *v = i + 1 < argc ? argv[++i] : "";
			if (ev_label_offset_parse(v, &job.offset_x, &job.offset_y) < 0)
				return usage("--offset takes X,Y in mm, each from -50 to 50 "
				             "(e.g. --offset 1.5,-0.5)", NULL);
			continue;
		} else if (!strcmp(a, "--keep-duplicates")) {
			job.keep_duplicates = true;
			continue;
		} else if (!strcmp(a, "--json")) {
			job.json = true;
			continue;
		} else if (!strcmp(a, "--timings")) {
			job.timings = true;
			continue;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			job.quiet = true;
			continue;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(help, stdout);
			fputs(help_options, stdout);
			fputs(help_options2, stdout);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option", a);
		} else if (npos < 2) {
			pos[npos++] = a;
			continue;
		} else {
			return usage("too many arguments:", a);
		}
		if (i + 1 >= argc)
			return usage("missing value after", a);
		*val = argv[++i];
	}
	if (job.shard_n && job.kind != EV_JOB_BATCH)
		return usage("--shard belongs to batch;", NULL);
	if (job.kind == EV_JOB_CHECK) {
		if (npos < 1)
			return usage("check needs a RECIPIENTS file (and may take the LETTER "
			             "before it);", NULL);
		if (job.output || job.id || job.find)
			return usage("check writes nothing: it takes no -o, --id or --find;", NULL);
		if (job.timings)
			return usage("--timings belongs to batch and preview;", NULL);
		job.letter = npos == 2 ? pos[0] : NULL;
		job.recipients = pos[npos - 1];
		return ev_job_run(&job, stderr);
	}
	if (job.json)
		return usage("--json belongs to check;", NULL);
	if (npos < 2)
		return usage("needs a LETTER and a RECIPIENTS file;", NULL);
	job.letter = pos[0];
	job.recipients = pos[1];
	if (job.kind == EV_JOB_BATCH && !job.outdir)
		return usage("batch needs -o OUTDIR;", NULL);
	if (job.kind == EV_JOB_PREVIEW && (!job.output || !job.id == !job.find))
		return usage("preview needs -o FILE.pdf and one of --id ID or --find NAME;", NULL);
	if (job.kind == EV_JOB_BATCH && (job.id || job.find))
		return usage("--id and --find belong to preview;", NULL);
	if (job.skip_sent && job.only_sent)
		return usage("--skip-sent and --only-sent exclude each other;", NULL);
	return ev_job_run(&job, stderr);
}
