/*
 * Untyped memory: the watermark allocator behind every kernel object
 * (semantics.md 3). An untyped cap's free index counts 16-byte units from
 * its base; memory at or above it is zero unless the untyped is device
 * memory. An untyped with no children is reset before its next Retype.
 */
#pragma once

#include <object/objecttype.h>

/* Untyped memory is cleared in chunks of this size between preemption points. */
#define RESET_CHUNK_BITS 8

static inline word_t untypedFreeBytes(cap_t cap)
{
    return BIT(cap_untyped_cap_get_capBlockSize(cap)) -
           (cap_untyped_cap_get_capFreeIndex(cap) << seL4_MinUntypedBits);
}

exception_t decodeUntypedInvocation(const invocation_t *inv);
