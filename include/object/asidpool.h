/*
 * ASIDs and ASID pools, the same on every architecture: a table of up to
 * NUM_ASID_POOLS pools, each mapping 512 ASIDs to VSpace roots, and the
 * ASIDControl_MakePool / ASIDPool_Assign invocations (semantics.md 10.2).
 * The arch code supplies the VSpace-root cap operations (Arch_* hooks).
 */
#pragma once

#include <object/objecttype.h>

#define ASID_POOL_INDEX_BITS 9

/* The VSpace root of every ASID of one pool; 0 = free. */
typedef struct asid_pool {
    pptr_t root[BIT(ASID_POOL_INDEX_BITS)];
} asid_pool_t;
compile_assert(asid_pool_size, sizeof(asid_pool_t) == BIT(seL4_ASIDPoolBits));

/* The pool registered for ASIDs [index << 9, (index + 1) << 9), or NULL. */
asid_pool_t *asidPoolAt(word_t index);
void setASIDPool(word_t index, asid_pool_t *pool);
/* The VSpace root registered for `asid`, or 0. */
pptr_t findVSpaceForASID(word_t asid);
/* Forget `asid` if it still maps `root`; true if it did. */
bool clearASID(word_t asid, pptr_t root);

/* The arch dispatchers pass their label and the (index, depth) words. */
exception_t decodeASIDControlMakePool(const invocation_t *inv, word_t label, word_t index,
                                      word_t depth);
exception_t decodeASIDPoolAssign(const invocation_t *inv, word_t label);
