/*
 * powercut.c: an LD_PRELOAD shim that lets a test simulate a power cut after kill -9.
 *
 * kill -9 keeps the kernel's page cache, so a crash test built on it alone cannot tell a
 * program that fsyncs from one that does not. This shim records, for every regular file under
 * $POWERCUT_DIR, what a power cut would take away, and scripts/powercut_restore.py applies it
 * after the kill:
 *
 *   - file contents: before a write, pwrite, writev, pwritev or ftruncate changes bytes the file
 *     held at its last fsync/fdatasync, the old bytes are appended to an undo log
 *     ($POWERCUT_SHADOW/<dev>-<ino>.undo, keyed by inode since SQLite opens a file several
 *     times), whose header holds the file's size at that sync. fsync or fdatasync of the file
 *     drops the log (its writes are now durable). Restoring applies the saved ranges newest
 *     first and truncates the file to its synced size: appends since the last sync vanish.
 *     A file first seen by this process counts as synced as it is then (the previous power cut
 *     was restored before the process started); a file it creates starts at synced size 0, so
 *     a file never fsynced comes back empty.
 *   - directory entries ($POWERCUT_DIRS=1, the crash test's default): a file created, renamed
 *     or unlinked in a directory under $POWERCUT_DIR is undone at the power cut unless that
 *     directory was fsynced after it (ext4 and XFS do not promise a new name is durable before
 *     that). A file replaced by rename or unlinked is kept as a hard link in the shadow folder so
 *     that it can come back. With POWERCUT_DIRS unset, directory entries count as durable at once.
 *
 * Not modelled: sync_file_range (it writes pages out but flushes neither metadata nor the
 * drive's cache, so it does not drop the undo log), sync/syncfs, msync and writes through
 * mmap (SQLite only maps its -shm index, which it rebuilds after a crash), mkdir (treated as
 * durable), O_DIRECT, a rename across two directories (recorded in the target's log only), and
 * torn writes inside one page (a write is either undone whole or kept whole).
 *
 * POWERCUT_NOSYNC=1 turns fsync and fdatasync of tracked files (and directories) into no-ops that
 * return 0 and keep the undo log, from the moment the file $POWERCUT_SHADOW/nosync exists (the
 * crash test creates it once the server has started, so that it can start again after the cut):
 * the crash test's self-test, which must then see acknowledged writes lost.
 * POWERCUT_LOG=1 prints every intercepted call on a tracked file to stderr.
 * POWERCUT_KILL_AT_SYNC=N: the process kills itself (SIGKILL) right after its Nth successful
 * fsync/fdatasync of a tracked file or directory: a crash at a chosen sync point, for sweeps.
 *
 * Built by scripts/crash-test.sh: cc -shared -fPIC -O2 -o powercut.so powercut.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* The real functions, from the next object in the search order (libc). */
#define REAL(name) static __typeof__(name) *real_##name
REAL(open); REAL(open64); REAL(openat); REAL(openat64); REAL(creat);
REAL(write); REAL(pwrite); REAL(pwrite64); REAL(writev); REAL(pwritev);
REAL(ftruncate); REAL(ftruncate64); REAL(fsync); REAL(fdatasync); REAL(close);
REAL(rename); REAL(renameat); REAL(renameat2); REAL(unlink); REAL(unlinkat);

struct file {                /* one tracked inode */
    dev_t dev; ino_t ino;
    off_t synced;            /* size at the last fsync (or when first seen) */
    int log;                 /* the undo log's descriptor, -1 while the file is clean */
    unsigned long writes;    /* changes so far, to notice one racing an fsync */
    struct file *next;
};
#define NOT_TRACKED ((struct file *)1)
#define MAX_FDS 65536
static struct file *fds[MAX_FDS];   /* descriptor -> file, NULL = not looked at yet */
static struct file *files;
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char dir[PATH_MAX], shadow[PATH_MAX];
static size_t dirlen;
static int enabled, nosync, logging, trackdirs;
static unsigned long sequence;      /* orders directory changes across directories */
static long kill_at, syncs;         /* POWERCUT_KILL_AT_SYNC, and the syncs so far */

static void init(void) {
#define RESOLVE(name) real_##name = dlsym(RTLD_NEXT, #name)
    RESOLVE(open); RESOLVE(open64); RESOLVE(openat); RESOLVE(openat64); RESOLVE(creat);
    RESOLVE(write); RESOLVE(pwrite); RESOLVE(pwrite64); RESOLVE(writev); RESOLVE(pwritev);
    RESOLVE(ftruncate); RESOLVE(ftruncate64); RESOLVE(fsync); RESOLVE(fdatasync); RESOLVE(close);
    RESOLVE(rename); RESOLVE(renameat); RESOLVE(renameat2); RESOLVE(unlink); RESOLVE(unlinkat);
    const char *d = getenv("POWERCUT_DIR"), *s = getenv("POWERCUT_SHADOW");
    if (!d || !s || !*d || !*s) return;
    if (!realpath(d, dir)) snprintf(dir, sizeof dir, "%s", d);
    if (!realpath(s, shadow)) snprintf(shadow, sizeof shadow, "%s", s);
    dirlen = strlen(dir);
    nosync = getenv("POWERCUT_NOSYNC") && atoi(getenv("POWERCUT_NOSYNC"));
    logging = getenv("POWERCUT_LOG") && atoi(getenv("POWERCUT_LOG"));
    trackdirs = getenv("POWERCUT_DIRS") && atoi(getenv("POWERCUT_DIRS"));
    kill_at = getenv("POWERCUT_KILL_AT_SYNC") ? atol(getenv("POWERCUT_KILL_AT_SYNC")) : 0;
    enabled = 1;
}
#define START() pthread_once(&once, init)
#define LOG(...) do { if (logging) fprintf(stderr, "powercut: " __VA_ARGS__); } while (0)

static int under(const char *path) {
    return strncmp(path, dir, dirlen) == 0 && (path[dirlen] == '/' || path[dirlen] == 0);
}
static int fdpath(int fd, char *out) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, PATH_MAX - 1);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}
/* An absolute path for (dirfd, path) without resolving its last component. */
static void abspath(int dirfd, const char *path, char *out) {
    char base[PATH_MAX];
    if (path[0] == '/') snprintf(base, sizeof base, "%s", path);
    else if (dirfd == AT_FDCWD) { if (!getcwd(out, PATH_MAX)) out[0] = 0; snprintf(base, sizeof base, "%s/%s", out, path); }
    else { if (fdpath(dirfd, out)) out[0] = 0; snprintf(base, sizeof base, "%s/%s", out, path); }
    char *slash = strrchr(base, '/'), parent[PATH_MAX];
    *slash = 0;
    if (!realpath(*base ? base : "/", parent)) snprintf(parent, sizeof parent, "%s", base);
    snprintf(out, PATH_MAX, "%s/%s", parent, slash + 1);
}

static void put(int fd, const void *p, size_t n) {   /* best effort: the log lives in the page cache */
    while (n > 0) { ssize_t w = real_write(fd, p, n); if (w <= 0) return; p = (const char *)p + w; n -= (size_t)w; }
}
static void drop_log(struct file *f) {
    char name[PATH_MAX];
    if (f->log < 0) return;
    real_close(f->log);
    f->log = -1;
    snprintf(name, sizeof name, "%s/%lu-%lu.undo", shadow, (unsigned long)f->dev, (unsigned long)f->ino);
    real_unlink(name);
}
static struct file *find(struct stat *st, int create) {
    for (struct file *f = files; f; f = f->next) if (f->dev == st->st_dev && f->ino == st->st_ino) return f;
    if (!create) return NULL;
    struct file *f = calloc(1, sizeof *f);
    f->dev = st->st_dev; f->ino = st->st_ino; f->synced = st->st_size; f->log = -1;
    f->next = files; files = f;
    return f;
}
/* The tracked file behind fd, or NULL. Called with the mutex held. */
static struct file *tracked(int fd) {
    struct stat st; char path[PATH_MAX];
    if (!enabled || fd < 0 || fd >= MAX_FDS || fds[fd] == NOT_TRACKED) return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { fds[fd] = NOT_TRACKED; return NULL; }
    struct file *f = fds[fd];
    if (f && f->dev == st.st_dev && f->ino == st.st_ino) return f;
    if (fdpath(fd, path) != 0 || !under(path) || strncmp(path, shadow, strlen(shadow)) == 0) { fds[fd] = NOT_TRACKED; return NULL; }
    return fds[fd] = find(&st, 1);
}
static void ensure_log(struct file *f) {
    char name[PATH_MAX];
    if (f->log >= 0) return;
    snprintf(name, sizeof name, "%s/%lu-%lu.undo", shadow, (unsigned long)f->dev, (unsigned long)f->ino);
    f->log = real_open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    char header[12] = "PCU1";
    int64_t synced = f->synced;
    memcpy(header + 4, &synced, 8);
    if (f->log >= 0) put(f->log, header, 12);   /* a log cut before its header: the file was not yet written */
}
/* Before [off, off+len) of fd changes: the bytes of the synced part that it overwrites. */
static void save(struct file *f, int fd, off_t off, size_t len) {
    f->writes++;
    ensure_log(f);
    if (off >= f->synced || len == 0 || f->log < 0) return;
    size_t n = (size_t)(f->synced - off) < len ? (size_t)(f->synced - off) : len;
    char *old = malloc(n);
    ssize_t got = pread(fd, old, n, off);
    if (got < 0 && errno == EBADF) {          /* opened write-only: read through another descriptor */
        char path[PATH_MAX]; int r;
        if (fdpath(fd, path) == 0 && (r = real_open(path, O_RDONLY | O_CLOEXEC)) >= 0) { got = pread(r, old, n, off); real_close(r); }
    }
    if (got > 0) {
        int64_t header[2] = {off, got};
        put(f->log, "D", 1); put(f->log, header, 16); put(f->log, old, (size_t)got);
    }
    free(old);
}
static off_t position(int fd) {
    struct stat st;
    if (fcntl(fd, F_GETFL) & O_APPEND) return fstat(fd, &st) == 0 ? st.st_size : 0;
    return lseek(fd, 0, SEEK_CUR);
}

/* Directory entries: one log per directory (<dev>-<ino>.dir), lines "SEQ OP ..." (see the restorer). */
static void dirlog(const char *path, const char *line) {
    char parent[PATH_MAX], name[PATH_MAX]; struct stat st;
    snprintf(parent, sizeof parent, "%s", path);
    *strrchr(parent, '/') = 0;
    if (stat(parent, &st) != 0) return;
    snprintf(name, sizeof name, "%s/%lu-%lu.dir", shadow, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
    int fd = real_open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return;
    put(fd, line, strlen(line));
    real_close(fd);
}
/* Keeps the inode at path (a file about to be replaced or unlinked) as a link in the shadow. */
static int keep(const char *path, char *kept) {
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    snprintf(kept, PATH_MAX, "%s/kept-%lu", shadow, sequence);
    return link(path, kept) == 0;
}

/* ---------------------------------------------------------------- interposed functions */

static int opened(int dirfd, const char *path, int flags, mode_t mode, int (*call)(int, const char *, int, mode_t)) {
    START();
    if (!enabled) return call(dirfd, path, flags, mode);
    char abs[PATH_MAX]; struct stat st;
    abspath(dirfd, path, abs);
    if (!under(abs)) return call(dirfd, path, flags, mode);
    pthread_mutex_lock(&mutex);
    int existed = lstat(abs, &st) == 0;
    if (existed && S_ISREG(st.st_mode) && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
        int r = real_open(abs, O_RDONLY | O_CLOEXEC);   /* O_TRUNC: save what it cuts away */
        if (r >= 0 && r < MAX_FDS) {
            fds[r] = NULL;
            struct file *f = tracked(r);
            if (f) save(f, r, 0, (size_t)f->synced);
            real_close(r);
            fds[r] = NULL;
        }
    }
    if (!existed && (flags & O_CREAT) && trackdirs) {   /* logged first: a kill may fall between */
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "%lu C %s\n", ++sequence, abs);
        dirlog(abs, line);
    }
    int fd = call(dirfd, path, flags, mode);
    if (fd >= 0 && fd < MAX_FDS) {
        fds[fd] = NULL;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            struct file *f = find(&st, 0);
            if (!existed && f) { drop_log(f); f->synced = 0; }   /* a new file: nothing of it is durable yet */
            tracked(fd);
            LOG("open %s fd %d%s\n", abs, fd, existed ? "" : " (created)");
        }
    }
    pthread_mutex_unlock(&mutex);
    return fd;
}
static int call_openat(int d, const char *p, int f, mode_t m) { return real_openat(d, p, f, m); }
static int call_openat64(int d, const char *p, int f, mode_t m) { return real_openat64(d, p, f, m); }
static int call_open(int d, const char *p, int f, mode_t m) { (void)d; return real_open(p, f, m); }
static int call_open64(int d, const char *p, int f, mode_t m) { (void)d; return real_open64(p, f, m); }
#define MODE(flags) mode_t mode = 0; if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
int open(const char *p, int flags, ...) { MODE(flags); return opened(AT_FDCWD, p, flags, mode, call_open); }
int open64(const char *p, int flags, ...) { MODE(flags); return opened(AT_FDCWD, p, flags, mode, call_open64); }
int openat(int d, const char *p, int flags, ...) { MODE(flags); return opened(d, p, flags, mode, call_openat); }
int openat64(int d, const char *p, int flags, ...) { MODE(flags); return opened(d, p, flags, mode, call_openat64); }
int creat(const char *p, mode_t mode) { return opened(AT_FDCWD, p, O_CREAT | O_WRONLY | O_TRUNC, mode, call_open); }

int close(int fd) {
    START();
    if (fd >= 0 && fd < MAX_FDS) { pthread_mutex_lock(&mutex); fds[fd] = NULL; pthread_mutex_unlock(&mutex); }
    return real_close(fd);
}

/* Every write-like call: save the undo record and do the write under the mutex, so that an fsync
   cannot fall between the two. */
#define WRITE(fd, off_expr, len_expr, call) do { \
        START(); pthread_mutex_lock(&mutex); \
        struct file *f = tracked(fd); \
        if (f) { off_t off = (off_expr); save(f, fd, off, (len_expr)); LOG("%s fd %d at %lld, %zu bytes\n", __func__, fd, (long long)off, (size_t)(len_expr)); } \
        __typeof__(call) r = call; \
        pthread_mutex_unlock(&mutex); \
        return r; \
    } while (0)
static size_t total(const struct iovec *v, int n) { size_t t = 0; for (int i = 0; i < n; i++) t += v[i].iov_len; return t; }
ssize_t write(int fd, const void *b, size_t n) { WRITE(fd, position(fd), n, real_write(fd, b, n)); }
ssize_t pwrite(int fd, const void *b, size_t n, off_t o) { WRITE(fd, o, n, real_pwrite(fd, b, n, o)); }
ssize_t pwrite64(int fd, const void *b, size_t n, off64_t o) { WRITE(fd, o, n, real_pwrite64(fd, b, n, o)); }
ssize_t writev(int fd, const struct iovec *v, int n) { WRITE(fd, position(fd), total(v, n), real_writev(fd, v, n)); }
ssize_t pwritev(int fd, const struct iovec *v, int n, off_t o) { WRITE(fd, o, total(v, n), real_pwritev(fd, v, n, o)); }
/* ftruncate saves what a shrink cuts off the synced part (an extension is cut back by the restore). */
int ftruncate(int fd, off_t len) { WRITE(fd, len, (size_t)(f->synced > len ? f->synced - len : 0), real_ftruncate(fd, len)); }
int ftruncate64(int fd, off64_t len) { WRITE(fd, len, (size_t)(f->synced > len ? f->synced - len : 0), real_ftruncate64(fd, len)); }

static int synced(int fd, int (*call)(int), const char *what) {
    START();
    if (!enabled) return call(fd);
    pthread_mutex_lock(&mutex);
    struct file *f = tracked(fd);
    unsigned long before = f ? f->writes : 0;
    struct stat st; char path[PATH_MAX];
    int isdir = !f && trackdirs && fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && fdpath(fd, path) == 0 && under(path);
    pthread_mutex_unlock(&mutex);
    if (!f && !isdir) return call(fd);
    char trigger[PATH_MAX];
    snprintf(trigger, sizeof trigger, "%s/nosync", shadow);
    int skip = nosync && access(trigger, F_OK) == 0;
    int r = skip ? 0 : call(fd);
    LOG("%s fd %d%s%s\n", what, fd, isdir ? " (directory)" : "", skip ? " (skipped: POWERCUT_NOSYNC)" : "");
    if (r != 0 || skip) return r;
    pthread_mutex_lock(&mutex);
    if (isdir) {                              /* its entries are durable now */
        char name[PATH_MAX];
        snprintf(name, sizeof name, "%s/%lu-%lu.dir", shadow, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
        real_unlink(name);
    } else if (f->writes == before) {
        drop_log(f);
        if (fstat(fd, &st) == 0) f->synced = st.st_size;
    } else {
        fprintf(stderr, "powercut: a write raced %s of fd %d; its undo log is kept\n", what, fd);
    }
    if (kill_at > 0 && ++syncs == kill_at) {
        fprintf(stderr, "powercut: killed after sync %ld (POWERCUT_KILL_AT_SYNC)\n", syncs);
        raise(SIGKILL);
    }
    pthread_mutex_unlock(&mutex);
    return r;
}
int fsync(int fd) { return synced(fd, real_fsync, "fsync"); }
int fdatasync(int fd) { return synced(fd, real_fdatasync, "fdatasync"); }

/* rename: records the change of names in the target directory's log, keeping a replaced file. */
static int renamed(int od, const char *o, int nd, const char *n, unsigned flags) {
    START();
    char from[PATH_MAX], to[PATH_MAX], kept[PATH_MAX] = "-";
    if (enabled) { abspath(od, o, from); abspath(nd, n, to); }
    if (!enabled || !trackdirs || !(under(from) || under(to)))
        return real_renameat2 ? real_renameat2(od, o, nd, n, flags) : real_renameat(od, o, nd, n);
    pthread_mutex_lock(&mutex);
    ++sequence;
    if (!keep(to, kept)) strcpy(kept, "-");
    char line[3 * PATH_MAX + 64];                 /* logged first; the restorer checks it happened */
    snprintf(line, sizeof line, "%lu R %s\t%s\t%s\n", sequence, from, to, kept);
    dirlog(to, line);
    int r = real_renameat2 ? real_renameat2(od, o, nd, n, flags) : real_renameat(od, o, nd, n);
    LOG("rename %s -> %s (replaced file kept as %s): %d\n", from, to, kept, r);
    pthread_mutex_unlock(&mutex);
    return r;
}
int rename(const char *o, const char *n) { return renamed(AT_FDCWD, o, AT_FDCWD, n, 0); }
int renameat(int od, const char *o, int nd, const char *n) { return renamed(od, o, nd, n, 0); }
int renameat2(int od, const char *o, int nd, const char *n, unsigned flags) { return renamed(od, o, nd, n, flags); }

static int unlinked(int d, const char *p, int flags) {
    START();
    char abs[PATH_MAX], kept[PATH_MAX];
    if (enabled) abspath(d, p, abs);
    if (!enabled || !trackdirs || (flags & AT_REMOVEDIR) || !under(abs)) return real_unlinkat(d, p, flags);
    pthread_mutex_lock(&mutex);
    ++sequence;
    int k = keep(abs, kept);
    if (k) {                                      /* logged first; the restorer checks it happened */
        char line[2 * PATH_MAX + 64];
        snprintf(line, sizeof line, "%lu U %s\t%s\n", sequence, abs, kept);
        dirlog(abs, line);
    }
    int r = real_unlinkat(d, p, flags);
    LOG("unlink %s (kept as %s): %d\n", abs, k ? kept : "-", r);
    pthread_mutex_unlock(&mutex);
    return r;
}
int unlink(const char *p) { return unlinked(AT_FDCWD, p, 0); }
int unlinkat(int d, const char *p, int flags) { return unlinked(d, p, flags); }
