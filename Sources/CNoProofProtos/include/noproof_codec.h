/* Helpers for the Swift codec layer (NoProofCodec) around protobuf-c. */
#ifndef NOPROOF_CODEC_H
#define NOPROOF_CODEC_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <protobuf-c/protobuf-c.h>

typedef enum {
    NOPROOF_STRINGS_OK = 0,
    NOPROOF_STRINGS_INVALID_UTF8 = 1,
    NOPROOF_STRINGS_EMBEDDED_NUL = 2,
    NOPROOF_STRINGS_MALFORMED = 3,
    NOPROOF_STRINGS_TOO_DEEP = 4,
} noproof_strings_result;

/*
 * Walks the wire bytes of a message that protobuf-c has already unpacked and checks every
 * `string` field, in nested messages too: protobuf-c 1.4 accepts invalid UTF-8 silently and
 * cuts a string at an embedded NUL, so the codec must refuse both itself.
 * On failure writes the dotted field path (e.g. "metadata.value") into `path` (NUL-terminated,
 * truncated to path_capacity).
 */
noproof_strings_result noproof_validate_strings(const ProtobufCMessageDescriptor *descriptor,
                                                const uint8_t *data, size_t length,
                                                char *path, size_t path_capacity);

/* The descriptor of an unpacked message (Swift cannot take the address of the C globals). */
static inline const ProtobufCMessageDescriptor *noproof_message_descriptor(const void *message) {
    return ((const ProtobufCMessage *)message)->descriptor;
}

static inline size_t noproof_packed_size(const void *message) {
    return protobuf_c_message_get_packed_size((const ProtobufCMessage *)message);
}

static inline size_t noproof_pack(const void *message, uint8_t *out) {
    return protobuf_c_message_pack((const ProtobufCMessage *)message, out);
}

/*
 * A bump allocator for one encode or decode: protobuf-c's unpack (as its ProtobufCAllocator) and the
 * Swift arena that builds a message for packing take memory from a caller-provided block (on the
 * Swift stack), then from malloc'd chunks once it is used up; nothing is freed one by one —
 * noproof_bump_release frees the chunks at the end. Turns a message's dozens of malloc/free pairs
 * into pointer bumps.
 */
typedef struct noproof_bump {
    ProtobufCAllocator allocator;   /* alloc = noproof_bump_unpack_alloc, free = sets `freed`, data = this */
    uint8_t *cursor;
    uint8_t *limit;
    void *chunks;                   /* malloc'd overflow chunks, linked through their first word */
    int each;                       /* checked mode: every allocation its own malloc'd chunk */
    int freed;                      /* protobuf-c called free during an unpack (see noproof_unpack_bump) */
} noproof_bump;

void noproof_bump_init(noproof_bump *bump, void *block, size_t capacity);
/* 16-byte aligned memory from the bump; NULL only when malloc fails. */
void *noproof_bump_alloc(void *bump, size_t size);
/* noproof_bump_alloc with its common case inlined into the caller (building a message for packing
 * takes one allocation per string and struct): room left in the current block, not checked mode. */
static inline void *noproof_bump_alloc_inline(noproof_bump *bump, size_t size) {
    size_t rounded = (size + 15) & ~(size_t)15;
    uint8_t *cursor = (uint8_t *)(((uintptr_t)bump->cursor + 15) & ~(uintptr_t)15);
    if (!bump->each && size != 0 && rounded >= size && cursor <= bump->limit && (size_t)(bump->limit - cursor) >= rounded) {
        bump->cursor = cursor + rounded;
        return cursor;
    }
    return noproof_bump_alloc(bump, size);
}
/* protobuf-c's allocation during an unpack: 8-byte aligned, its size stored just before it. */
void *noproof_bump_unpack_alloc(void *bump, size_t size);
/* Frees the overflow chunks (the caller's block is the caller's). The bump is empty afterwards. */
void noproof_bump_release(noproof_bump *bump);

/*
 * A bump ready for use: the calling thread's own (with an 8 KiB block, no allocation) unless that
 * one is already in use further up the stack, else a malloc'd one. Hand it back with
 * noproof_bump_return, which frees what it took and makes it available again. NULL only when
 * malloc fails.
 *
 * Checked mode — every allocation its own malloc, so valgrind and AddressSanitizer see each
 * string and struct as a separate block — is on under AddressSanitizer and when the environment
 * variable NOPROOF_CODEC_CHECKED=1 is set at the first encode or decode (scripts/leak-check.sh).
 */
noproof_bump *noproof_bump_acquire(void);
void noproof_bump_return(noproof_bump *bump);

/*
 * Unpacks with the bump as allocator: the result lives until noproof_bump_release. Afterwards
 * bump->freed is 1 if protobuf-c freed anything while unpacking: a string or message field given
 * twice (the first is dropped, or merged and dropped), or its scratch for a message of more than
 * 16 wire fields. Then the unpacked message may not hold every string the wire bytes carry, and
 * the codec checks the wire bytes themselves (noproof_validate_strings).
 */
static inline const void *noproof_unpack_bump(const ProtobufCMessageDescriptor *descriptor, noproof_bump *bump,
                                              size_t length, const uint8_t *data) {
    bump->freed = 0;
    return protobuf_c_message_unpack(descriptor, &bump->allocator, length, data);
}

/*
 * The wire length of a string field of a message unpacked by noproof_unpack_bump: protobuf-c
 * allocated it (wire length + 1 bytes, through noproof_bump_unpack_alloc) unless it is the shared
 * empty default. strlen(s) is shorter than this exactly when the wire bytes held a NUL.
 */
static inline size_t noproof_unpacked_string_length(const char *s) {
    if (s == NULL || s == protobuf_c_empty_string) return 0;
    size_t allocated;
    memcpy(&allocated, s - 8, sizeof allocated);
    return allocated - 1;
}
#endif
