/* buf.h - a growable byte buffer with a hard cap.
 *
 * Everything that grows from input grows through ev_buf, so a hostile input
 * meets a cap (a diagnostic) instead of exhausting memory.
 */
#ifndef EV_BUF_H
#define EV_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct ev_buf {
	char *data;    /* NUL-terminated whenever len > 0 or data != NULL */
	size_t len;
	size_t cap;    /* allocated bytes */
	size_t limit;  /* 0 = EV_BUF_DEFAULT_LIMIT */
	bool failed;   /* set once an append hit the limit or ran out of memory */
} ev_buf;

#define EV_BUF_DEFAULT_LIMIT ((size_t)1 << 30)

/* Each append returns 0, or -1 (and sets failed) when the limit would be
 * passed or memory ran out; the buffer is left unchanged in that case.
 * Appends that fit the memory already there are inline (the PDF writer
 * and the CSV reader append a byte at a time); the rest grow through
 * ev_buf_append_any. */
int ev_buf_append_any(ev_buf *b, const void *p, size_t n);

static inline int ev_buf_append(ev_buf *b, const void *p, size_t n)
{
	size_t limit = b->limit ? b->limit : EV_BUF_DEFAULT_LIMIT;
	if (!b->failed && n < b->cap - b->len && b->len + n <= limit) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return ev_buf_append_any(b, p, n);
}

static inline int ev_buf_puts(ev_buf *b, const char *s)
{
	return ev_buf_append(b, s, strlen(s));
}

static inline int ev_buf_putc(ev_buf *b, char c)
{
	return ev_buf_append(b, &c, 1);
}

/* Room for `extra` more bytes after len (len unchanged), for writing in
 * place through data + len. */
int ev_buf_reserve(ev_buf *b, size_t extra);
int ev_buf_printf(ev_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void ev_buf_reset(ev_buf *b);   /* len = 0, memory kept */
void ev_buf_free(ev_buf *b);    /* accepts NULL */

/* Hand the data over to the caller (who frees it) and reset the buffer.
 * Never NULL unless out of memory: an empty buffer gives "". */
char *ev_buf_steal(ev_buf *b, size_t *len);

#endif
