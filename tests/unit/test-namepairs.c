/* test-namepairs.c - runs tests/cases/namepairs.txt: given names and
 * patronymics in the other language's form (namepair.h), each line
 * "KIND<TAB>TO<TAB>INPUT<TAB>EXPECTED<TAB>known|unknown".
 * Usage: test-namepairs CASES.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "namepair.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-namepairs CASES.txt\n");
		return 2;
	}
	char *src = ev_case_read_file(argv[1], NULL), *save = NULL;
	if (!src) {
		perror(argv[1]);
		return 2;
	}
	int passed = 0, failed = 0;
	long at = 0;
	for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		at++;
		if (line[0] == '#')
			continue;
		char *f[5], *s2 = NULL;
		int n = 0;
		for (char *t = strtok_r(line, "\t", &s2); t && n < 5; t = strtok_r(NULL, "\t", &s2))
			f[n++] = t;
		bool given = n == 5 && !strcmp(f[0], "given");
		if (n != 5 || (!given && strcmp(f[0], "patronymic")) ||
		    (strcmp(f[1], "ru") && strcmp(f[1], "be")) ||
		    (strcmp(f[4], "known") && strcmp(f[4], "unknown"))) {
			printf("FAIL malformed case: %s\n", line);
			failed++;
			continue;
		}
		ev_lang to = !strcmp(f[1], "ru") ? EV_LANG_RU : EV_LANG_BE;
		bool known = !strcmp(f[4], "unknown"), want_known = !strcmp(f[4], "known");
		char *got = given ? ev_given_name_in(f[2], to, &known)
		                  : ev_patronymic_in(f[2], to, &known);
		if (got && !strcmp(got, f[3]) && known == want_known) {
			passed++;
		} else {
			failed++;
			printf("FAIL namepairs.txt (case %ld): %s %s %s\n  expected: %s (%s)\n"
			       "  actual:   %s (%s)\n", at, f[0], f[1], f[2], f[3], f[4],
			       got ? got : "(null)", known ? "known" : "unknown");
		}
		free(got);
	}
	free(src);
	printf("namepairs: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
