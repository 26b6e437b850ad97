/* malloc-count.c - an LD_PRELOAD shim for bench/mallocs.sh (a benchmark
 * tool, not part of envoi): counts the calls to malloc, calloc, realloc,
 * free and the aligned allocators, and the bytes asked for, in every
 * thread, and writes the counts at exit to the file $MALLOC_COUNT_OUT.
 *
 * Each function passes straight to glibc's own (__libc_malloc, ...), so
 * there is no dlsym and no recursion. glibc only (Linux).
 * Build: cc -O2 -shared -fPIC -o malloc-count.so malloc-count.c */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

enum { MALLOC, CALLOC, REALLOC, FREE, FREE_NULL, ALIGNED, KINDS };
static const char *const kind_names[KINDS] = {
	"malloc", "calloc", "realloc", "free", "free(NULL)", "aligned",
};
static _Atomic uint64_t calls[KINDS], bytes;

static void count(int kind, size_t n)
{
	atomic_fetch_add_explicit(&calls[kind], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&bytes, n, memory_order_relaxed);
}

void *malloc(size_t n)
{
	count(MALLOC, n);
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	count(CALLOC, n * size);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	count(REALLOC, n);
	return __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

void free(void *p)
{
	count(p ? FREE : FREE_NULL, 0);
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	count(ALIGNED, n);
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

/* "NAME COUNT" lines, then "bytes N", written without allocating. */
__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("MALLOC_COUNT_OUT");
	if (!path)
		return;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	char line[64];
	for (int k = 0; k <= KINDS; k++) {
		int n = snprintf(line, sizeof line, "%s %llu\n", k < KINDS ? kind_names[k] : "bytes",
		                 (unsigned long long)atomic_load(k < KINDS ? &calls[k] : &bytes));
		if (n > 0 && write(fd, line, (size_t)n) < 0)
			break;
	}
	close(fd);
}
