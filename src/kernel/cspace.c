/*
 * CSpace addressing (semantics.md 1.2-1.3). A CPtr is consumed from its
 * most significant remaining bit downward: at each CNode the guard must
 * match, then `radix` bits pick a slot.
 */
#include <assert.h>
#include <kernel/cspace.h>
#include <kernel/state.h>

/* Bits [n-1 .. n-count] of w, for 0 < count <= n <= 64. */
static inline word_t takeBits(word_t w, word_t n, word_t count)
{
    return (w >> (n - count)) & MASK_SAFE(count);
}

resolveAddressBits_ret_t resolveAddressBits(cap_t nodeCap, cptr_t capptr, word_t n)
{
    resolveAddressBits_ret_t ret = { .status = EXCEPTION_NONE, .slot = NULL, .bitsRemaining = n };

    if (cap_get_capType(nodeCap) != cap_cnode_cap) {
        ksCurLookupFault = lookupFaultInvalidRoot();
        ret.status = EXCEPTION_LOOKUP_FAULT;
        return ret;
    }

    for (;;) {
        word_t radix = cap_cnode_cap_get_capCNodeRadix(nodeCap);
        word_t guardSize = cap_cnode_cap_get_capCNodeGuardSize(nodeCap);
        word_t guard = cap_cnode_cap_get_capCNodeGuard(nodeCap);
        word_t level = radix + guardSize;

        /* Guard mismatch is checked before depth mismatch. */
        if (guardSize > n || (guardSize > 0 && takeBits(capptr, n, guardSize) != guard)) {
            ksCurLookupFault = lookupFaultGuardMismatch(n, guard, guardSize);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }
        if (level > n) {
            ksCurLookupFault = lookupFaultDepthMismatch(n, level);
            ret.status = EXCEPTION_LOOKUP_FAULT;
            return ret;
        }

        word_t index = radix > 0 ? takeBits(capptr, n - guardSize, radix) : 0;
        cte_t *slot = (cte_t *)cap_cnode_cap_get_capCNodePtr(nodeCap) + index;
        n -= level;
        ret.slot = slot;
        ret.bitsRemaining = n;
        if (n == 0 || cap_get_capType(slot->cap) != cap_cnode_cap) {
            return ret;
        }
        nodeCap = slot->cap;
    }
}

lookupSlot_ret_t lookupSlot(tcb_t *thread, cptr_t capptr)
{
    cap_t root = tcbSlot(thread, tcbCTable)->cap;
    resolveAddressBits_ret_t r = resolveAddressBits(root, capptr, wordBits);
    return (lookupSlot_ret_t){ .status = r.status, .slot = r.slot };
}

lookupCap_ret_t lookupCap(tcb_t *thread, cptr_t capptr)
{
    lookupSlot_ret_t r = lookupSlot(thread, capptr);
    if (r.status != EXCEPTION_NONE) {
        return (lookupCap_ret_t){ .status = r.status, .cap = cap_null_cap_new(), .slot = NULL };
    }
    return (lookupCap_ret_t){ .status = EXCEPTION_NONE, .cap = r.slot->cap, .slot = r.slot };
}

lookupSlot_ret_t lookupSlotForCNodeOp(bool isSource, cap_t root, cptr_t capptr, word_t depth)
{
    lookupSlot_ret_t ret = { .status = EXCEPTION_SYSCALL_ERROR, .slot = NULL };

    if (cap_get_capType(root) != cap_cnode_cap) {
        ksCurSyscallError.type = seL4_FailedLookup;
        ksCurSyscallError.failedLookupWasSource = isSource;
        ksCurLookupFault = lookupFaultInvalidRoot();
        return ret;
    }
    if (depth < 1 || depth > wordBits) {
        ksCurSyscallError.type = seL4_RangeError;
        ksCurSyscallError.rangeErrorMin = 1;
        ksCurSyscallError.rangeErrorMax = wordBits;
        return ret;
    }
    resolveAddressBits_ret_t r = resolveAddressBits(root, capptr, depth);
    if (r.status != EXCEPTION_NONE) {
        ksCurSyscallError.type = seL4_FailedLookup;
        ksCurSyscallError.failedLookupWasSource = isSource;
        return ret;
    }
    if (r.bitsRemaining != 0) {
        ksCurSyscallError.type = seL4_FailedLookup;
        ksCurSyscallError.failedLookupWasSource = isSource;
        ksCurLookupFault = lookupFaultDepthMismatch(r.bitsRemaining, 0);
        return ret;
    }
    ret.status = EXCEPTION_NONE;
    ret.slot = r.slot;
    return ret;
}
