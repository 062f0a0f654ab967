#include "noproof_codec.h"
#include <stdlib.h>
#include <string.h>

#define NOPROOF_MAX_DEPTH 32

static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out) {
    if (*p < end && !(**p & 0x80)) { *out = *(*p)++; return 1; } /* one byte: tags and short lengths */
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end) return 0;
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) { *out = v; return 1; }
    }
    return 0;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static noproof_strings_result check_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path: eight bytes at a time with no high bit and no zero byte. */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if ((v & 0x8080808080808080ULL) || ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL)) break;
            i += 8;
        }
        if (i >= n) break;
        uint8_t c = s[i];
        if (c == 0) return NOPROOF_STRINGS_EMBEDDED_NUL;
        if (c < 0x80) { i++; continue; }
        size_t len; uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return NOPROOF_STRINGS_INVALID_UTF8;
        if (i + len > n) return NOPROOF_STRINGS_INVALID_UTF8;
        for (size_t k = 1; k < len; k++) {
            uint8_t cc = s[i + k];
            if ((cc & 0xc0) != 0x80) return NOPROOF_STRINGS_INVALID_UTF8;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return NOPROOF_STRINGS_INVALID_UTF8;
        i += len;
    }
    return NOPROOF_STRINGS_OK;
}

static void prepend_path(char *path, size_t cap, const char *name) {
    if (cap == 0) return;
    size_t old = strnlen(path, cap - 1), nl = strlen(name);
    size_t sep = old ? 1 : 0;
    if (nl + sep + old > cap - 1) { /* too long: keep the innermost part */
        return;
    }
    memmove(path + nl + sep, path, old + 1);
    memcpy(path, name, nl);
    if (sep) path[nl] = '.';
}

static noproof_strings_result walk(const ProtobufCMessageDescriptor *d, const uint8_t *p, const uint8_t *end,
                                   char *path, size_t cap, int depth) {
    if (depth > NOPROOF_MAX_DEPTH) return NOPROOF_STRINGS_TOO_DEEP;
    while (p < end) {
        uint64_t tag;
        if (!read_varint(&p, end, &tag)) return NOPROOF_STRINGS_MALFORMED;
        uint32_t number = (uint32_t)(tag >> 3);
        uint64_t skip = 0, len = 0;
        switch (tag & 7) {
        case 0: if (!read_varint(&p, end, &skip)) return NOPROOF_STRINGS_MALFORMED; break;
        case 1: if ((size_t)(end - p) < 8) return NOPROOF_STRINGS_MALFORMED; p += 8; break;
        case 5: if ((size_t)(end - p) < 4) return NOPROOF_STRINGS_MALFORMED; p += 4; break;
        case 2: {
            if (!read_varint(&p, end, &len) || len > (uint64_t)(end - p)) return NOPROOF_STRINGS_MALFORMED;
            const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(d, number);
            if (f != NULL) {
                noproof_strings_result r = NOPROOF_STRINGS_OK;
                if (f->type == PROTOBUF_C_TYPE_STRING) {
                    r = check_utf8(p, (size_t)len);
                    if (r != NOPROOF_STRINGS_OK && cap > 0) path[0] = '\0';
                } else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
                    r = walk((const ProtobufCMessageDescriptor *)f->descriptor, p, p + len, path, cap, depth + 1);
                }
                if (r != NOPROOF_STRINGS_OK) { prepend_path(path, cap, f->name); return r; }
            }
            p += len;
            break;
        }
        default: return NOPROOF_STRINGS_MALFORMED;
        }
    }
    return NOPROOF_STRINGS_OK;
}

noproof_strings_result noproof_validate_strings(const ProtobufCMessageDescriptor *descriptor,
                                                const uint8_t *data, size_t length,
                                                char *path, size_t path_capacity) {
    if (path_capacity > 0) path[0] = '\0';
    if (length == 0) return NOPROOF_STRINGS_OK;
    return walk(descriptor, data, data + length, path, path_capacity, 0);
}

/* ---- bump allocator ---- */

#define NOPROOF_BUMP_ALIGN 16
#define NOPROOF_BUMP_CHUNK 8192

/* protobuf-c's free, during an unpack: nothing is freed one by one, but the bump notes that protobuf-c
 * dropped something it had unpacked (a repeated singular field, a merged message) or its own scratch,
 * so that the codec knows the unpacked message no longer holds every string of the wire. */
static void bump_free(void *data, void *pointer) {
    (void)pointer;
    ((noproof_bump *)data)->freed = 1;
}

static uint8_t *align_up(uint8_t *p) {
    return (uint8_t *)(((uintptr_t)p + (NOPROOF_BUMP_ALIGN - 1)) & ~(uintptr_t)(NOPROOF_BUMP_ALIGN - 1));
}

void noproof_bump_init(noproof_bump *bump, void *block, size_t capacity) {
    bump->allocator.alloc = noproof_bump_unpack_alloc;
    bump->allocator.free = bump_free;
    bump->allocator.allocator_data = bump;
    bump->cursor = align_up((uint8_t *)block);
    bump->limit = (uint8_t *)block + capacity;
    if (bump->cursor > bump->limit) bump->cursor = bump->limit;
    bump->chunks = NULL;
    bump->each = 0;
    bump->freed = 0;
}

/* A fresh chunk (chained for noproof_bump_release to free) big enough for `rounded` bytes; its
 * first usable byte, or NULL when out of memory. */
static uint8_t *bump_new_chunk(noproof_bump *bump, size_t rounded) {
    size_t chunk = rounded + NOPROOF_BUMP_ALIGN > NOPROOF_BUMP_CHUNK ? rounded + NOPROOF_BUMP_ALIGN : NOPROOF_BUMP_CHUNK;
    if (chunk < rounded) return NULL;
    uint8_t *fresh = malloc(chunk);
    if (!fresh) return NULL;
    *(void **)fresh = bump->chunks;
    bump->chunks = fresh;
    bump->limit = fresh + chunk;
    return fresh + NOPROOF_BUMP_ALIGN;
}

void *noproof_bump_alloc(void *data, size_t size) {
    noproof_bump *bump = data;
    if (size == 0) size = 1;
    size_t rounded = (size + (NOPROOF_BUMP_ALIGN - 1)) & ~(size_t)(NOPROOF_BUMP_ALIGN - 1);
    if (rounded < size) return NULL; /* overflow */
    if (bump->each) {
        if (rounded + NOPROOF_BUMP_ALIGN < rounded) return NULL;
        uint8_t *own = malloc(rounded + NOPROOF_BUMP_ALIGN);
        if (!own) return NULL;
        *(void **)own = bump->chunks;
        bump->chunks = own;
        return own + NOPROOF_BUMP_ALIGN;
    }
    uint8_t *cursor = align_up(bump->cursor); /* an unpack allocation may have left it 8-aligned */
    if (cursor > bump->limit || (size_t)(bump->limit - cursor) < rounded) {
        cursor = bump_new_chunk(bump, rounded);
        if (!cursor) return NULL;
    }
    bump->cursor = cursor + rounded;
    return cursor;
}

/* The same memory as noproof_bump_alloc, 8-byte aligned (all protobuf-c needs: pointers, 64-bit
 * integers, doubles), with the requested size in the 8 bytes just before it. protobuf-c allocates a
 * string field's copy as its wire length + 1, so noproof_unpacked_string_length can tell an embedded
 * NUL (strlen stops short) without walking the wire bytes again. */
void *noproof_bump_unpack_alloc(void *data, size_t size) {
    noproof_bump *bump = data;
    size_t rounded = (size + 8 + 7) & ~(size_t)7;
    if (rounded < size) return NULL; /* overflow */
    uint8_t *cursor = (uint8_t *)(((uintptr_t)bump->cursor + 7) & ~(uintptr_t)7);
    if (cursor > bump->limit || (size_t)(bump->limit - cursor) < rounded) {
        cursor = bump_new_chunk(bump, rounded);
        if (!cursor) return NULL;
    }
    bump->cursor = cursor + rounded;
    memcpy(cursor, &size, sizeof size);
    return cursor + 8;
}

/* The same in checked mode: its own malloc block, the chunk link at 0, the size at 8, the memory at 16. */
static void *bump_unpack_alloc_each(void *data, size_t size) {
    noproof_bump *bump = data;
    if (size + NOPROOF_BUMP_ALIGN < size) return NULL; /* overflow */
    uint8_t *own = malloc(size + NOPROOF_BUMP_ALIGN);
    if (!own) return NULL;
    *(void **)own = bump->chunks;
    bump->chunks = own;
    memcpy(own + NOPROOF_BUMP_ALIGN - 8, &size, sizeof size);
    return own + NOPROOF_BUMP_ALIGN;
}

static void set_checked(noproof_bump *bump, int each) {
    bump->each = each;
    bump->allocator.alloc = each ? bump_unpack_alloc_each : noproof_bump_unpack_alloc;
}

void noproof_bump_release(noproof_bump *bump) {
    void *chunk = bump->chunks;
    while (chunk) {
        void *next = *(void **)chunk;
        free(chunk);
        chunk = next;
    }
    bump->chunks = NULL;
    bump->cursor = bump->limit;
}

#define NOPROOF_BUMP_LOCAL 8192

typedef struct {
    noproof_bump bump;
    int in_use;
    _Alignas(16) uint8_t block[NOPROOF_BUMP_LOCAL];
} local_bump;

typedef struct {
    noproof_bump bump;
    _Alignas(16) uint8_t block[NOPROOF_BUMP_LOCAL];
} heap_bump;

static _Thread_local local_bump thread_bump;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOPROOF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NOPROOF_ASAN 1
#endif

static int checked_mode(void) {
#ifdef NOPROOF_ASAN
    return 1;
#else
    static int cached = -1; /* a benign race: every thread computes the same value */
    if (cached < 0) {
        const char *value = getenv("NOPROOF_CODEC_CHECKED");
        cached = value != NULL && value[0] == '1';
    }
    return cached;
#endif
}

noproof_bump *noproof_bump_acquire(void) {
    if (!thread_bump.in_use) {
        thread_bump.in_use = 1;
        noproof_bump_init(&thread_bump.bump, thread_bump.block, sizeof thread_bump.block);
        set_checked(&thread_bump.bump, checked_mode());
        return &thread_bump.bump;
    }
    heap_bump *fresh = malloc(sizeof *fresh);
    if (!fresh) return NULL;
    noproof_bump_init(&fresh->bump, fresh->block, sizeof fresh->block);
    set_checked(&fresh->bump, checked_mode());
    return &fresh->bump;
}

void noproof_bump_return(noproof_bump *bump) {
    noproof_bump_release(bump);
    if (bump == &thread_bump.bump) {
        thread_bump.in_use = 0;
    } else {
        free(bump); /* the heap_bump starts with its bump */
    }
}
