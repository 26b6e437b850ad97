/* replay.c - runs a fuzz target over every file of its corpus folders, for
 * the ordinary test suite (gcc, sanitizers) without libFuzzer.
 * Usage: replay DIR... */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	for (size_t k; buf && (k = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += k;
		if (n == cap) {
			uint8_t *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	size_t files = 0;
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		DIR *dir = opendir(argv[i]);
		if (!dir) {
			perror(argv[i]);
			return 2;
		}
		char **names = NULL;
		size_t n = 0, cap = 0;
		for (struct dirent *e; (e = readdir(dir));) {
			if (e->d_name[0] == '.')
				continue;
			if (n == cap) {
				char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *p);
				if (!p)
					return 2;
				names = p;
			}
			size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
			names[n] = malloc(len);
			if (!names[n])
				return 2;
			snprintf(names[n++], len, "%s/%s", argv[i], e->d_name);
		}
		closedir(dir);
		qsort(names, n, sizeof *names, by_name);   /* same order every run */
		for (size_t k = 0; k < n; k++) {
			failed += replay_file(names[k]) < 0;
			free(names[k]);
			files++;
		}
		free(names);
	}
	printf("replayed %zu inputs, %d unreadable\n", files, failed);
	return failed || !files ? 1 : 0;
}
