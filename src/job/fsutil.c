/* fsutil.c - the file helpers (see fsutil.h): whole-file reads, atomic
 * writes through a temporary file and rename, folder creation and removal. */
#define _GNU_SOURCE   /* syncfs */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int ev_read_file(const char *path, size_t limit, char **data, size_t *len,
                 ev_diags *d)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot open: %s",
		            strerror(errno));
		return -1;
	}
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot read: %s",
		            strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
		            "is a folder, not a file");
		goto fail;
	}
	size_t cap = S_ISREG(st.st_mode) && (size_t)st.st_size < limit
	                 ? (size_t)st.st_size + 1 : 64 * 1024;
	buf = malloc(cap);
	size_t n = 0;
	for (;;) {
		if (!buf) {
			ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
			goto fail;
		}
		if (n == cap) {
			if (cap > limit) {
				ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
				            "file is larger than %zu bytes", limit);
				goto fail;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
			continue;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot read: %s",
			            strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > limit) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
		            "file is larger than %zu bytes", limit);
		goto fail;
	}
	close(fd);
	if (n == cap) {
		char *nb = realloc(buf, n + 1);
		if (!nb) {
			free(buf);
			ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
			return -1;
		}
		buf = nb;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

int ev_map_file(const char *path, size_t limit, ev_mapped *m, ev_diags *d)
{
	*m = (ev_mapped){0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (unsigned long long)st.st_size > limit) {
		if (fd >= 0)
			close(fd);
		/* Errors, pipes, empty and oversized files: as ev_read_file says. */
		char *data;
		size_t len;
		if (ev_read_file(path, limit, &data, &len, d) < 0)
			return -1;
		*m = (ev_mapped){.data = data, .len = len, .fd = -1};
		return 0;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	*m = (ev_mapped){.data = p, .len = (size_t)st.st_size, .mapped = true, .fd = fd,
	                 .size = (long long)st.st_size,
	                 .mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
	                             st.st_mtim.tv_nsec};
	return 0;
}

void ev_map_release(const ev_mapped *m, size_t upto)
{
	if (!m->mapped)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	/* The whole file's last page too: a private mapping reads it again. */
	size_t n = upto >= m->len ? (m->len + page - 1) / page * page
	                          : upto / page * page;
	if (n)
		madvise((void *)m->data, n, MADV_DONTNEED);
}

bool ev_map_unchanged(const ev_mapped *m)
{
	struct stat st;
	if (!m->mapped)
		return true;   /* the bytes are ours */
	return fstat(m->fd, &st) == 0 && st.st_size == m->size &&
	       (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec == m->mtime_ns;
}

void ev_unmap_file(ev_mapped *m)
{
	if (m->mapped) {
		munmap((void *)m->data, m->len);
		close(m->fd);
	} else {
		free((void *)m->data);
	}
	*m = (ev_mapped){.fd = -1};
}

int ev_lock_folder(const char *path, ev_diags *d)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* A file system that cannot lock (some network shares) is used as
	 * before there was a lock, rather than refused. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK)
		return fd;
	ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "another envoi is writing into "
	            "this folder; wait until it has finished, or choose another "
	            "folder with -o");
	close(fd);
	return -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ev_atomic_open(ev_atomic *f, const char *path, ev_diags *d)
{
	*f = (ev_atomic){.fd = -1};
	size_t n = strlen(path);
	f->path = strdup(path);
	f->tmp = malloc(n + 16);
	if (!f->path || !f->tmp) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
		ev_atomic_abort(f);
		return -1;
	}
	memcpy(f->tmp, path, n);
	memcpy(f->tmp + n, ".tmp-XXXXXX", 12);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot create: %s",
		            strerror(errno));
		free(f->tmp);   /* nothing to unlink */
		f->tmp = NULL;
		ev_atomic_abort(f);
		return -1;
	}
	/* mkstemp makes 0600; output is meant to be shared like any document. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(f->fd, 0666 & ~mask) < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write: %s",
		            strerror(errno));
		ev_atomic_abort(f);
		return -1;
	}
	return 0;
}

int ev_atomic_write(ev_atomic *f, const void *data, size_t len, ev_diags *d)
{
	if (write_all(f->fd, data, len) < 0) {
		ev_diag_add(d, EV_ERROR, f->path, 0, 0, NULL, "cannot write: %s",
		            strerror(errno));
		return -1;
	}
	return 0;
}

int ev_atomic_commit(ev_atomic *f, ev_diags *d)
{
	int rc = fsync(f->fd);
	if (close(f->fd) < 0)
		rc = -1;
	f->fd = -1;
	if (rc < 0) {
		ev_diag_add(d, EV_ERROR, f->path, 0, 0, NULL, "cannot write: %s",
		            strerror(errno));
		ev_atomic_abort(f);
		return -1;
	}
	if (rename(f->tmp, f->path) < 0) {
		ev_diag_add(d, EV_ERROR, f->path, 0, 0, NULL, "cannot rename into place: %s",
		            strerror(errno));
		ev_atomic_abort(f);
		return -1;
	}
	free(f->tmp);
	free(f->path);
	*f = (ev_atomic){.fd = -1};
	return 0;
}

void ev_atomic_abort(ev_atomic *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	*f = (ev_atomic){.fd = -1};
}

int ev_write_atomic(const char *path, const void *data, size_t len, ev_diags *d)
{
	ev_atomic f;
	if (ev_atomic_open(&f, path, d) < 0)
		return -1;
	if (ev_atomic_write(&f, data, len, d) < 0) {
		ev_atomic_abort(&f);
		return -1;
	}
	return ev_atomic_commit(&f, d);
}

int ev_write_new(const char *path, const void *data, size_t len, ev_diags *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot create: %s",
		            strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write: %s",
		            strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write: %s",
		            strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int ev_sync_folder(const char *path, ev_diags *d)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) < 0) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "cannot write to disk: %s",
		            strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

struct ev_flusher {
	int fd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool asked, stopping;
};

static void *flusher_main(void *arg)
{
	ev_flusher *f = arg;
	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (!f->asked && !f->stopping)
			pthread_cond_wait(&f->cv, &f->mu);
		if (!f->asked)
			break;
		f->asked = false;
		pthread_mutex_unlock(&f->mu);
		(void)syncfs(f->fd);
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

ev_flusher *ev_flusher_start(const char *path)
{
	ev_flusher *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->fd >= 0 && pthread_mutex_init(&f->mu, NULL) == 0) {
		if (pthread_cond_init(&f->cv, NULL) == 0) {
			if (pthread_create(&f->thread, NULL, flusher_main, f) == 0)
				return f;
			pthread_cond_destroy(&f->cv);
		}
		pthread_mutex_destroy(&f->mu);
	}
	if (f->fd >= 0)
		close(f->fd);
	free(f);
	return NULL;
}

void ev_flusher_kick(ev_flusher *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->asked = true;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

void ev_flusher_stop(ev_flusher *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stopping = true;
	f->asked = false;   /* the sync at the end does the rest */
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	close(f->fd);
	free(f);
}

int ev_mkdir_p(const char *path, ev_diags *d)
{
	char *p = strdup(path);
	if (!p) {
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL, "out of memory");
		return -1;
	}
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			ev_diag_add(d, EV_ERROR, p, 0, 0, NULL, "cannot create folder: %s",
			            strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	int ok = ev_is_dir(path);
	if (!ok)
		ev_diag_add(d, EV_ERROR, path, 0, 0, NULL,
		            "exists and is not a folder");
	free(p);
	return ok ? 0 : -1;
}

int ev_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = ev_path_join(path, e->d_name);
		if (!child || ev_remove_tree(child) < 0)
			rc = -1;
		free(child);
	}
	closedir(dir);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

bool ev_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool ev_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int ev_path_join_into(char *out, size_t cap, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	size_t o = a + (a && dir[a - 1] != '/');
	if (o + b + 1 > cap)
		return -1;
	memmove(out, dir, a);
	if (o > a)
		out[a] = '/';
	memmove(out + o, name, b + 1);
	return 0;
}

char *ev_path_join(const char *dir, const char *name)
{
	size_t cap = strlen(dir) + strlen(name) + 2;
	char *p = malloc(cap);
	if (p)
		ev_path_join_into(p, cap, dir, name);
	return p;
}

char *ev_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **ev_list_files(const char *dir, const char *suffix, size_t max, bool *oom)
{
	if (oom)
		*oom = false;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	size_t sl = strlen(suffix);
	char **v = calloc(1, sizeof *v);
	size_t n = 0;
	for (struct dirent *e; v && (e = readdir(dp));) {
		size_t len = strlen(e->d_name);
		if (len < sl || strcmp(e->d_name + len - sl, suffix) || e->d_name[0] == '.' ||
		    (max && n == max))
			continue;
		char **w = realloc(v, (n + 2) * sizeof *w);
		char *path = w ? ev_path_join(dir, e->d_name) : NULL;
		if (!path) {
			for (size_t i = 0; w && i < n; i++)
				free(w[i]);
			free(w ? w : v);
			v = NULL;
			break;
		}
		v = w;
		v[n++] = path;
		v[n] = NULL;
	}
	closedir(dp);
	if (oom)
		*oom = !v;
	if (v)
		qsort(v, n, sizeof *v, by_name);
	return v;
}

void ev_free_files(char **files)
{
	for (size_t i = 0; files && files[i]; i++)
		free(files[i]);
	free(files);
}
