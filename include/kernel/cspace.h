/*
 * Capability addressing: resolving CPtrs through guarded CNodes
 * (semantics.md section 1, seL4-abi.md 3.4).
 */
#pragma once

#include <api/failures.h>
#include <object/structures.h>

typedef struct {
    exception_t status; /* NONE or LOOKUP_FAULT (ksCurLookupFault set) */
    cte_t *slot;
    word_t bitsRemaining;
} resolveAddressBits_ret_t;

typedef struct {
    exception_t status;
    cte_t *slot;
} lookupSlot_ret_t;

typedef struct {
    exception_t status;
    cap_t cap;
    cte_t *slot;
} lookupCap_ret_t;

resolveAddressBits_ret_t resolveAddressBits(cap_t nodeCap, cptr_t capptr, word_t nBits);

/* Thread lookups: the thread's CSpace root, all 64 bits, early stop allowed. */
lookupSlot_ret_t lookupSlot(tcb_t *thread, cptr_t capptr);
lookupCap_ret_t lookupCap(tcb_t *thread, cptr_t capptr);

/* (root, index, depth) lookups used by CNode-style operations. On failure
 * ksCurSyscallError is FailedLookup (or RangeError for a bad depth). */
lookupSlot_ret_t lookupSlotForCNodeOp(bool isSource, cap_t root, cptr_t capptr, word_t depth);
