/* Helpers for the Swift codec layer (NoProofCodec) around protobuf-c. */
#ifndef NOPROOF_CODEC_H
#define NOPROOF_CODEC_H
#include <stddef.h>
#include <stdint.h>
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
#endif
