/* test-hyphen.c - runs the hyphenator over the examples in
 * tests/cases/hyphen.txt: lines "LANG<TAB>WORD<TAB>EXPECTED" with '-' at
 * each break, and "!missing<TAB>LANG<TAB>SENTENCE" for what a directory
 * without pattern files says. Each word is also tried cut short at every
 * byte and through a one-place answer buffer, checking only the promises;
 * and again through a hyphenator prefetched with every other word of the
 * file (ev_hyphen_prefetch: a subset of the patterns for those, the whole
 * file for the rest), which must break each word just the same.
 * Usage: test-hyphen CASES-FILE (patterns from ENVOI_HYPHEN_DIR or
 * /usr/share/hyphen) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hyphen_dict.h"
#include "hyphenator.h"

#define NO_DIR "/nonexistent/envoi-hyphen"

/* The word with '-' at each break through h, into out. */
static void show(ev_buf *out, const ev_hyphenator *h, const char *lang, const char *w)
{
	size_t at[EV_HYPHEN_WORD_MAX], n, len = strlen(w);
	n = ev_hyphenate(h, lang, w, len, at, sizeof at / sizeof at[0]);
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		ev_buf_append(out, w + from, at[i] - from);
		ev_buf_putc(out, '-');
		from = at[i];
	}
	ev_buf_append(out, w + from, len - from);
}

/* What every answer must be, whatever the input: offsets ascending and
 * strictly inside, at character starts, no more than asked. Says what is
 * wrong, or returns NULL. */
static const char *broken(const ev_hyphenator *h, const char *lang, const char *w,
                          size_t len)
{
	size_t at[EV_HYPHEN_WORD_MAX + 1];
	size_t cap = sizeof at / sizeof at[0];
	size_t n = h->points(h->ctx, lang, w, len, at, cap);
	if (n > cap)
		return "more offsets than room";
	if (ev_hyphenate(h, lang, w, len, at, cap) != n)
		return "an offset that ev_hyphenate does not trust";
	/* A one-place buffer gets the first break only. */
	size_t first[1] = {0};
	size_t m = h->points(h->ctx, lang, w, len, first, 1);
	if (m != (n ? 1 : 0) || (m && first[0] != at[0]))
		return "a one-place buffer not given the first break";
	return NULL;
}

/* Every truncation of w, each copied into a buffer of exactly its size so
 * a read past the end shows under AddressSanitizer. */
static const char *broken_cut(const ev_hyphenator *h, const char *lang, const char *w)
{
	size_t len = strlen(w);
	for (size_t i = 0; i <= len; i++) {
		char *cut = malloc(i ? i : 1);
		if (!cut)
			return "out of memory";
		memcpy(cut, w, i);
		const char *why = broken(h, lang, cut, i);
		free(cut);
		if (why)
			return why;
	}
	return NULL;
}

/* The case line's word and expected form agree apart from the hyphens. */
static bool same_letters(const char *word, const char *want)
{
	for (; *want; want++) {
		if (*want == '-')
			continue;
		if (*word++ != *want)
			return false;
	}
	return *word == '\0';
}

/* Every other word of the cases file, for a prefetched hyphenator. */
#define WORDS_MAX 4096
static char *vocab[WORDS_MAX];
static size_t vocab_len[WORDS_MAX], nvocab;

static void read_vocab(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	for (size_t k = 0; f && fgets(line, sizeof line, f) && nvocab < WORDS_MAX;) {
		char *word = strchr(line, '\t'), *end = word ? strchr(word + 1, '\t') : NULL;
		if (line[0] == '#' || line[0] == '!' || !end)
			continue;
		if (k++ % 2)
			continue;
		vocab[nvocab] = strndup(word + 1, (size_t)(end - word - 1));
		vocab_len[nvocab] = (size_t)(end - word - 1);
		nvocab += vocab[nvocab] != NULL;
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-hyphen CASES-FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	ev_hyphen *hy = ev_hyphen_open(NULL), *none_dir = ev_hyphen_open(NO_DIR);
	if (!hy || !none_dir) {
		fprintf(stderr, "test-hyphen: out of memory\n");
		return 2;
	}
	ev_hyphenator h = ev_hyphen_iface(hy), nd = ev_hyphen_iface(none_dir);
	read_vocab(argv[1]);
	ev_hyphen *pre = ev_hyphen_open(NULL);
	if (!pre) {
		fprintf(stderr, "test-hyphen: out of memory\n");
		return 2;
	}
	static const char *const langs[] = {"en", "en-US", "ru", "be"};
	for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
		ev_hyphen_prefetch(pre, langs[i], (const char *const *)vocab, vocab_len, nvocab);
	ev_hyphenator hp = ev_hyphen_iface(pre);
	ev_buf got_pre = {0};
	ev_hyphenator none = ev_hyphenator_none();
	int passed = 0, failed = 0, status = 0;
	char line[2048];
	ev_buf got = {0};
	for (long no = 1; fgets(line, sizeof line, f); no++) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *lang = line, *word = strchr(lang, '\t'), *want = NULL;
		if (word) {
			*word++ = '\0';
			want = strchr(word, '\t');
		}
		if (!want) {
			fprintf(stderr, "%s:%ld: not LANG<TAB>WORD<TAB>EXPECTED\n", argv[1], no);
			status = 2;
			break;
		}
		*want++ = '\0';
		ev_buf_reset(&got);

		if (strcmp(lang, "!missing") == 0) {
			/* word is the language; want what a bare directory says, and
			 * no breaks from it. */
			const char *why = ev_hyphen_missing(none_dir, word);
			ev_buf_puts(&got, why ? why : "(null)");
			ev_buf nob = {0};
			show(&nob, &nd, word, "hyphenation");
			if (!nob.data || strcmp(nob.data, "hyphenation") != 0)
				ev_buf_puts(&got, " !! and it broke a word");
			ev_buf_free(&nob);
			if (strcmp(got.data, want) != 0) {
				printf("FAIL line %ld: missing %s\n  want %s\n  got  %s\n", no, word,
				       want, got.data);
				failed++;
			} else {
				passed++;
			}
			continue;
		}
		if (!same_letters(word, want)) {
			fprintf(stderr, "%s:%ld: the expected form is not the word with hyphens\n",
			        argv[1], no);
			status = 2;
			break;
		}
		const char *why = ev_hyphen_missing(hy, lang);
		show(&got, &h, lang, word);
		ev_buf_reset(&got_pre);
		show(&got_pre, &hp, lang, word);
		if (strcmp(got_pre.data ? got_pre.data : "", got.data ? got.data : "") != 0) {
			printf("FAIL line %ld: %s %s prefetched with words gives %s\n", no, lang,
			       word, got_pre.data ? got_pre.data : "");
			failed++;
		}
		const char *bad = broken_cut(&h, lang, word);
		size_t zero[1];
		if (!bad && ev_hyphenate(&none, lang, word, strlen(word), zero, 1) != 0)
			bad = "ev_hyphenator_none gave a break";
		if (strcmp(got.data ? got.data : "", want) != 0 || bad) {
			printf("FAIL line %ld: %s %s\n  want %s\n  got  %s\n", no, lang, word, want,
			       got.data ? got.data : "");
			if (bad)
				printf("  !! %s\n", bad);
			if (why)
				printf("  (%s)\n", why);
			failed++;
		} else {
			passed++;
		}
	}
	fclose(f);
	ev_buf_free(&got);
	ev_buf_free(&got_pre);
	ev_hyphen_free(pre);
	for (size_t i = 0; i < nvocab; i++)
		free(vocab[i]);
	ev_hyphen_free(hy);
	ev_hyphen_free(none_dir);
	ev_hyphen_free(NULL);
	printf("hyphen: %d passed, %d failed\n", passed, failed);
	return status ? status : failed ? 1 : 0;
}
