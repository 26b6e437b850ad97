/* fsutil.h - the file helpers: reading whole files, atomic writes, folders.
 *
 * Nothing is written half: every output goes to a temporary file in the same
 * folder and is renamed into place only once it is complete.
 */
#ifndef EV_FSUTIL_H
#define EV_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

/* Read a whole file into a malloc'd buffer (NUL-terminated; *len excludes
 * the NUL). Files larger than `limit` bytes are refused. Returns 0, or -1
 * with "FILE: error: cannot read: <reason>" in d. */
int ev_read_file(const char *path, size_t limit, char **data, size_t *len,
                 ev_diags *d);

/* A file's bytes for reading through: mapped (a regular file, so its
 * pages can be given back as they are done with), else read into memory
 * as by ev_read_file (a pipe; data then NUL-terminated). */
typedef struct ev_mapped {
	const char *data;
	size_t len;
	bool mapped;
	int fd;                     /* the mapped file, kept open to watch it */
	long long size, mtime_ns;   /* the file as it was mapped */
} ev_mapped;

/* Map or read path (refused over `limit` bytes). Returns 0, or -1 with the
 * error in d. A mapped file that another program cuts short while it is
 * read raises SIGBUS (main.c says so and stops). */
int ev_map_file(const char *path, size_t limit, ev_mapped *m, ev_diags *d);

/* Give back the memory of the pages wholly before offset `upto`; they are
 * read again from the file if touched. Nothing for a file read in memory. */
void ev_map_release(const ev_mapped *m, size_t upto);

/* Whether the mapped file is unchanged (size and time): a file written
 * over in place while it is read would give a second reading other rows.
 * (A new file saved under the name does not touch the mapped one.) */
bool ev_map_unchanged(const ev_mapped *m);

void ev_unmap_file(ev_mapped *m);   /* zeroes *m; accepts a zeroed one */

/* Write data to path atomically (temp file in the same folder, fsync, rename).
 * Returns 0, or -1 with an error naming path in d; no partial file remains. */
int ev_write_atomic(const char *path, const void *data, size_t len, ev_diags *d);

/* The same, written a piece at a time: open makes the temporary file next
 * to path, write appends, commit syncs it and renames it into place, and
 * abort removes it (so a failed run leaves nothing). Each failing call puts
 * an error naming path in d; after a failed write, call abort. abort
 * accepts NULL and a file already committed or aborted. */
typedef struct ev_atomic {
	char *path, *tmp;
	int fd;
} ev_atomic;
int ev_atomic_open(ev_atomic *f, const char *path, ev_diags *d);
int ev_atomic_write(ev_atomic *f, const void *data, size_t len, ev_diags *d);
int ev_atomic_commit(ev_atomic *f, ev_diags *d);   /* on failure, aborts */
void ev_atomic_abort(ev_atomic *f);

/* Create path (it must not exist) with the data, without waiting for the
 * disk: for files inside a staging folder that is synced once with
 * ev_sync_folder (and meanwhile by an ev_flusher) and then moved into
 * place whole. Returns 0, or -1 with an error (a half-written file is
 * removed). */
int ev_write_new(const char *path, const void *data, size_t len, ev_diags *d);

/* Wait until everything written to the file system holding path is on
 * the disk (syncfs). Returns 0, or -1 with an error. */
int ev_sync_folder(const char *path, ev_diags *d);

/* A thread that syncs the file system of a folder whenever asked, so
 * that what a batch has written reaches the disk while it makes more and
 * the one sync at the end (ev_sync_folder) has little left to wait for. A
 * hint only: its failures are ignored (the sync at the end reports).
 * ev_flusher_start returns NULL when it cannot start (then nothing is
 * synced early); kick asks for a sync (one that is asked for while
 * another runs follows it, once); stop waits for the one running and
 * frees. Both accept NULL. */
typedef struct ev_flusher ev_flusher;
ev_flusher *ev_flusher_start(const char *path);
void ev_flusher_kick(ev_flusher *f);
void ev_flusher_stop(ev_flusher *f);

/* Hold the folder for this process alone (flock on the folder itself, let
 * go when the returned descriptor is closed or the process ends, however
 * it ends). Returns the descriptor, or -1 with an error in d: another
 * process holds it, or it cannot be opened. Where the file system cannot
 * lock at all, the descriptor comes back unlocked. */
int ev_lock_folder(const char *path, ev_diags *d);

/* Create a folder and its parents (mode 0755). Returns 0 or -1 with d. */
int ev_mkdir_p(const char *path, ev_diags *d);

/* Remove a folder tree we created (only regular files and folders; does not
 * follow links). Returns 0 or -1 (silently: best effort on cleanup). */
int ev_remove_tree(const char *path);

bool ev_is_dir(const char *path);
bool ev_is_file(const char *path);

/* Join a folder and a name with '/'. malloc'd; NULL when out of memory. */
char *ev_path_join(const char *dir, const char *name);
/* The same into out (cap bytes); -1 when it does not fit. */
int ev_path_join_into(char *out, size_t cap, const char *dir, const char *name);

/* Folder part of a path ("." when it has none). malloc'd. */
char *ev_path_dirname(const char *path);

/* The files of folder dir whose names end in `suffix` (not hidden ones),
 * at most `max` of them (0: no limit), as paths, sorted by name so nothing
 * depends on the order readdir gives. NULL-terminated, malloc'd (free
 * with ev_free_files); NULL when the folder cannot be read or memory ran
 * out (then *oom, when not NULL, is true). */
char **ev_list_files(const char *dir, const char *suffix, size_t max, bool *oom);
void ev_free_files(char **files);   /* accepts NULL */

#endif
