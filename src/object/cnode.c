/*
 * CNode slots, the capability derivation tree, deletion and revocation,
 * and the CNode invocations. All caps form one doubly linked list in
 * depth-first pre-order of the derivation tree; a node's descendants follow
 * it directly. Deleting the last cap to an object finalises the object; a
 * CNode or TCB being destroyed is represented by a zombie cap whose slots
 * are cleared one at a time, with preemption points in between.
 */
#include <api/invocation.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/preemption.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/endpoint.h>
#include <object/objecttype.h>

static const mdb_node_t nullMDBNode = { { 0, 0 } };

/* ---- The derivation tree ---- */

static void setNext(cte_t *slot, cte_t *next)
{
    if (slot) {
        mdb_node_ptr_set_mdbNext(&slot->cteMDBNode, (word_t)next);
    }
}

static void setPrev(cte_t *slot, cte_t *prev)
{
    if (slot) {
        mdb_node_ptr_set_mdbPrev(&slot->cteMDBNode, (word_t)prev);
    }
}

void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot)
{
    assert(cap_get_capType(destSlot->cap) == cap_null_cap);
    cap_t srcCap = srcSlot->cap;
    bool revocable = isCapRevocable(newCap, srcCap);
    cte_t *next = mdbNextSlot(srcSlot);

    /* A full copy of an untyped takes over: the source allocates no more. */
    if (cap_get_capType(srcCap) == cap_untyped_cap) {
        word_t bits = cap_untyped_cap_get_capBlockSize(srcCap);
        srcSlot->cap = cap_untyped_cap_set_capFreeIndex(srcCap, BIT(bits - seL4_MinUntypedBits));
    }
    destSlot->cap = newCap;
    destSlot->cteMDBNode = mdb_node_new((word_t)next, revocable, revocable, (word_t)srcSlot);
    setNext(srcSlot, destSlot);
    setPrev(next, destSlot);
}

void cteInsertRoot(cap_t cap, cte_t *slot)
{
    assert(cap_get_capType(slot->cap) == cap_null_cap);
    slot->cap = cap;
    slot->cteMDBNode = mdb_node_new(0, true, true, 0);
}

void insertNewCap(cte_t *parent, cte_t *slot, cap_t cap)
{
    cte_t *next = mdbNextSlot(parent);
    slot->cap = cap;
    slot->cteMDBNode = mdb_node_new((word_t)next, true, true, (word_t)parent);
    setPrev(next, slot);
    setNext(parent, slot);
}

void cteMove(cap_t newCap, cte_t *srcSlot, cte_t *destSlot)
{
    assert(cap_get_capType(destSlot->cap) == cap_null_cap);
    mdb_node_t mdb = srcSlot->cteMDBNode;
    destSlot->cap = newCap;
    destSlot->cteMDBNode = mdb;
    srcSlot->cap = cap_null_cap_new();
    srcSlot->cteMDBNode = nullMDBNode;
    setNext((cte_t *)mdb_node_get_mdbPrev(mdb), destSlot);
    setPrev((cte_t *)mdb_node_get_mdbNext(mdb), destSlot);
}

/* After the swap slot1 holds cap2 and slot2 holds cap1, each keeping the
 * other's MDB position. The neighbours are re-pointed in two rounds, each
 * reading the current links, which also handles adjacent slots. */
void cteSwap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    slot1->cap = cap2;
    slot2->cap = cap1;

    mdb_node_t mdb1 = slot1->cteMDBNode;
    setNext((cte_t *)mdb_node_get_mdbPrev(mdb1), slot2);
    setPrev((cte_t *)mdb_node_get_mdbNext(mdb1), slot2);

    mdb_node_t mdb2 = slot2->cteMDBNode;
    slot1->cteMDBNode = mdb2;
    slot2->cteMDBNode = mdb1;
    setNext((cte_t *)mdb_node_get_mdbPrev(mdb2), slot1);
    setPrev((cte_t *)mdb_node_get_mdbNext(mdb2), slot1);
}

bool isMDBParentOf(const cte_t *a, const cte_t *b)
{
    if (!mdb_node_get_mdbRevocable(a->cteMDBNode) || !sameRegionAs(a->cap, b->cap)) {
        return false;
    }
    word_t badgeA, badgeB;
    switch (cap_get_capType(a->cap)) {
    case cap_endpoint_cap:
        badgeA = cap_endpoint_cap_get_capEPBadge(a->cap);
        badgeB = cap_endpoint_cap_get_capEPBadge(b->cap);
        break;
    case cap_notification_cap:
        badgeA = cap_notification_cap_get_capNtfnBadge(a->cap);
        badgeB = cap_notification_cap_get_capNtfnBadge(b->cap);
        break;
    default:
        return !mdb_node_get_mdbFirstBadged(b->cteMDBNode) || !Arch_isParentOnlyOfCopies(a->cap);
    }
    /* A badged original parents only the copies of its own mint. */
    return badgeA == 0 || (badgeA == badgeB && !mdb_node_get_mdbFirstBadged(b->cteMDBNode));
}

bool isFinalCapability(const cte_t *slot)
{
    const cte_t *prev = mdbPrevSlot(slot);
    const cte_t *next = mdbNextSlot(slot);
    if (prev && sameObjectAs(prev->cap, slot->cap)) {
        return false;
    }
    return !(next && sameObjectAs(slot->cap, next->cap));
}

bool slotCapLongRunningDelete(const cte_t *slot)
{
    switch (cap_get_capType(slot->cap)) {
    case cap_thread_cap:
    case cap_zombie_cap:
    case cap_cnode_cap:
        return isFinalCapability(slot);
    default:
        return false;
    }
}

exception_t ensureNoChildren(const cte_t *slot)
{
    const cte_t *next = mdbNextSlot(slot);
    if (next && isMDBParentOf(slot, next)) {
        return syscallError(seL4_RevokeFirst);
    }
    return EXCEPTION_NONE;
}

exception_t ensureEmptySlot(const cte_t *slot)
{
    if (cap_get_capType(slot->cap) != cap_null_cap) {
        return syscallError(seL4_DeleteFirst);
    }
    return EXCEPTION_NONE;
}

void setupReplyMaster(tcb_t *thread)
{
    cte_t *slot = tcbSlot(thread, tcbReply);
    if (cap_get_capType(slot->cap) == cap_null_cap) {
        cteInsertRoot(cap_reply_cap_new((word_t)thread, true, true), slot);
    }
}

/* ---- Deletion ---- */

/* Unlink a slot from the MDB; its successor inherits "first badged". */
static void emptySlot(cte_t *slot, cap_t cleanupInfo)
{
    if (cap_get_capType(slot->cap) == cap_null_cap) {
        return;
    }
    mdb_node_t mdb = slot->cteMDBNode;
    cte_t *prev = (cte_t *)mdb_node_get_mdbPrev(mdb);
    cte_t *next = (cte_t *)mdb_node_get_mdbNext(mdb);
    setNext(prev, next);
    setPrev(next, prev);
    if (next && mdb_node_get_mdbFirstBadged(mdb)) {
        mdb_node_ptr_set_mdbFirstBadged(&next->cteMDBNode, true);
    }
    slot->cap = cap_null_cap_new();
    slot->cteMDBNode = nullMDBNode;
    postCapDeletion(cleanupInfo);
}

/* The cap left after finalisation can go: nothing, or a zombie with no
 * slots left (or only the one it lives in). */
static bool capRemovable(cap_t cap, const cte_t *slot)
{
    if (cap_get_capType(cap) == cap_null_cap) {
        return true;
    }
    assert(cap_get_capType(cap) == cap_zombie_cap);
    word_t n = zombieNumber(cap);
    return n == 0 || (n == 1 && zombiePtr(cap) == slot);
}

/* A zombie that lives in the first slot of the object it destroys. */
static bool capCyclicZombie(cap_t cap, const cte_t *slot)
{
    return cap_get_capType(cap) == cap_zombie_cap && zombiePtr(cap) == slot;
}

typedef struct {
    exception_t status;
    bool success; /* the slot may now be emptied */
    cap_t cleanupInfo;
} finaliseSlot_ret_t;

static exception_t reduceZombie(cte_t *slot, bool immediate);

/* Finalise the cap in `slot` until nothing is left to do. With `immediate`
 * false (a slot inside an object being destroyed), a zombie is moved into
 * its own first slot instead of being reduced here. */
static finaliseSlot_ret_t finaliseSlot(cte_t *slot, bool immediate)
{
    while (cap_get_capType(slot->cap) != cap_null_cap) {
        finaliseCap_ret_t fc = finaliseCap(slot->cap, isFinalCapability(slot), false);
        if (capRemovable(fc.remainder, slot)) {
            return (finaliseSlot_ret_t){ EXCEPTION_NONE, true, fc.cleanupInfo };
        }
        slot->cap = fc.remainder;
        if (!immediate && capCyclicZombie(fc.remainder, slot)) {
            return (finaliseSlot_ret_t){ EXCEPTION_NONE, false, fc.cleanupInfo };
        }
        exception_t status = reduceZombie(slot, immediate);
        if (status == EXCEPTION_NONE) {
            status = preemptionPoint();
        }
        if (status != EXCEPTION_NONE) {
            return (finaliseSlot_ret_t){ status, false, cap_null_cap_new() };
        }
    }
    return (finaliseSlot_ret_t){ EXCEPTION_NONE, true, cap_null_cap_new() };
}

/* Exchange two slots (caps and MDB positions) during a deletion. */
static void capSwapForDelete(cte_t *slot1, cte_t *slot2)
{
    if (slot1 != slot2) {
        cteSwap(slot1->cap, slot1, slot2->cap, slot2);
    }
}

/* One step of destroying the object a zombie stands for. Immediate: clear
 * the zombie's last remaining slot and count it off. Otherwise: move the
 * zombie into the object's first slot, where it stays until deleted from
 * there (a self-referencing zombie). */
static exception_t reduceZombie(cte_t *slot, bool immediate)
{
    cap_t zombie = slot->cap;
    cte_t *ptr = zombiePtr(zombie);
    word_t n = zombieNumber(zombie);
    assert(n > 0);

    if (!immediate) {
        assert(ptr != slot);
        capSwapForDelete(ptr, slot);
        return EXCEPTION_NONE;
    }

    cte_t *endSlot = &ptr[n - 1];
    exception_t status = cteDelete(endSlot, false);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    cap_t now = slot->cap;
    if (cap_get_capType(now) == cap_zombie_cap && zombiePtr(now) == ptr && zombieNumber(now) == n &&
        cap_zombie_cap_get_capZombieType(now) == cap_zombie_cap_get_capZombieType(zombie)) {
        assert(cap_get_capType(endSlot->cap) == cap_null_cap);
        slot->cap = zombieSetNumber(now, n - 1);
    } else {
        /* The deletion moved a zombie that covers this very slot here. */
        assert(cap_get_capType(now) == cap_null_cap ||
               (cap_get_capType(now) == cap_zombie_cap && zombiePtr(now) == slot));
    }
    return EXCEPTION_NONE;
}

exception_t cteDelete(cte_t *slot, bool exposed)
{
    finaliseSlot_ret_t fs = finaliseSlot(slot, exposed);
    if (fs.status != EXCEPTION_NONE) {
        return fs.status;
    }
    if (exposed || fs.success) {
        emptySlot(slot, fs.cleanupInfo);
    }
    return EXCEPTION_NONE;
}

void cteDeleteOne(cte_t *slot)
{
    if (cap_get_capType(slot->cap) == cap_null_cap) {
        return;
    }
    finaliseCap_ret_t fc = finaliseCap(slot->cap, isFinalCapability(slot), true);
    assert(capRemovable(fc.remainder, slot) && cap_get_capType(fc.cleanupInfo) == cap_null_cap);
    (void)fc;
    emptySlot(slot, cap_null_cap_new());
}

exception_t cteRevoke(cte_t *slot)
{
    for (cte_t *next = mdbNextSlot(slot); next && isMDBParentOf(slot, next);
         next = mdbNextSlot(slot)) {
        exception_t status = cteDelete(next, true);
        if (status == EXCEPTION_NONE) {
            status = preemptionPoint();
        }
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    return EXCEPTION_NONE;
}

/* ---- CNode invocations (semantics.md 2.6) ---- */

static exception_t truncated(const char *method, word_t length, word_t needed)
{
    userError("CNode %s: message of %lu words, need %lu and the extra caps", method,
              (unsigned long)length, (unsigned long)needed);
    return syscallError(seL4_TruncatedMessage);
}

static exception_t failMissingSource(const char *method, word_t depth, bool isSource)
{
    userError("CNode %s: %s slot is empty", method, isSource ? "source" : "pivot");
    ksCurSyscallError.type = seL4_FailedLookup;
    ksCurSyscallError.failedLookupWasSource = isSource;
    ksCurLookupFault = lookupFaultMissingCap(depth);
    return EXCEPTION_SYSCALL_ERROR;
}

static exception_t illegal(const char *method, const char *why)
{
    userError("CNode %s: %s", method, why);
    return syscallError(seL4_IllegalOperation);
}

static exception_t deleteFirst(const char *method, const char *which)
{
    userError("CNode %s: %s slot is not empty", method, which);
    return syscallError(seL4_DeleteFirst);
}

static const char *const methodNames[] = {
    [CNodeRevoke - CNodeRevoke] = "Revoke",
    [CNodeDelete - CNodeRevoke] = "Delete",
    [CNodeCancelBadgedSends - CNodeRevoke] = "CancelBadgedSends",
    [CNodeCopy - CNodeRevoke] = "Copy",
    [CNodeMint - CNodeRevoke] = "Mint",
    [CNodeMove - CNodeRevoke] = "Move",
    [CNodeMutate - CNodeRevoke] = "Mutate",
    [CNodeRotate - CNodeRevoke] = "Rotate",
    [CNodeSaveCaller - CNodeRevoke] = "SaveCaller",
};

/* Steps 4-7 shared by Copy, Mint, Move and Mutate: an empty destination and
 * a non-empty source slot. */
static lookupSlot_ret_t lookupCopySource(const invocation_t *inv, cte_t *dest)
{
    lookupSlot_ret_t ret = { EXCEPTION_SYSCALL_ERROR, NULL };
    const char *method = methodNames[inv->label - CNodeRevoke];
    if (inv->length < CNodeMove_MinLength || ksCurExtraCaps[0] == NULL) {
        ret.status = truncated(method, inv->length, CNodeMove_MinLength);
        return ret;
    }
    if (cap_get_capType(dest->cap) != cap_null_cap) {
        ret.status = deleteFirst(method, "destination");
        return ret;
    }
    struct CNodeMove_args args = unpackCNodeMoveArgs(inv->buffer);
    ret = lookupSlotForCNodeOp(true, ksCurExtraCaps[0]->cap, args.src_index, args.src_depth);
    if (ret.status != EXCEPTION_NONE) {
        userError("CNode %s: source lookup failed (index %#lx, depth %lu)", method,
                  (unsigned long)args.src_index, (unsigned long)args.src_depth);
        return ret;
    }
    if (cap_get_capType(ret.slot->cap) == cap_null_cap) {
        ret.status = failMissingSource(method, args.src_depth, true);
    }
    return ret;
}

static exception_t invokeCNodeInsert(cap_t cap, cte_t *src, cte_t *dest)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    cteInsert(cap, src, dest);
    return EXCEPTION_NONE;
}

static exception_t invokeCNodeMove(cap_t cap, cte_t *src, cte_t *dest)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    cteMove(cap, src, dest);
    return EXCEPTION_NONE;
}

/* A derived cap for Copy or Mint, or the error that stops it. */
static exception_t insertDerived(const char *method, cte_t *src, cap_t cap, cte_t *dest)
{
    deriveCap_ret_t d = deriveCap(src, cap);
    if (d.status != EXCEPTION_NONE) {
        userError("CNode %s: the source cap cannot be derived", method);
        return d.status;
    }
    if (cap_get_capType(d.cap) == cap_null_cap) {
        return illegal(method, "the source cap cannot be copied");
    }
    return invokeCNodeInsert(d.cap, src, dest);
}

static exception_t decodeCNodeCopy(const invocation_t *inv, cte_t *dest)
{
    lookupSlot_ret_t src = lookupCopySource(inv, dest);
    if (src.status != EXCEPTION_NONE) {
        return src.status;
    }
    if (inv->length < CNodeCopy_MinLength) {
        return truncated("Copy", inv->length, CNodeCopy_MinLength);
    }
    struct CNodeCopy_args args = unpackCNodeCopyArgs(inv->buffer);
    seL4_CapRights_t rights = { { args.rights } };
    return insertDerived("Copy", src.slot, maskCapRights(rights, src.slot->cap), dest);
}

static exception_t decodeCNodeMint(const invocation_t *inv, cte_t *dest)
{
    lookupSlot_ret_t src = lookupCopySource(inv, dest);
    if (src.status != EXCEPTION_NONE) {
        return src.status;
    }
    if (inv->length < CNodeMint_MinLength) {
        return truncated("Mint", inv->length, CNodeMint_MinLength);
    }
    struct CNodeMint_args args = unpackCNodeMintArgs(inv->buffer);
    seL4_CapRights_t rights = { { args.rights } };
    cap_t cap = updateCapData(false, args.badge, maskCapRights(rights, src.slot->cap));
    if (cap_get_capType(cap) == cap_null_cap) {
        return illegal("Mint", "the badge or guard cannot be applied to the source cap");
    }
    return insertDerived("Mint", src.slot, cap, dest);
}

static exception_t decodeCNodeMove(const invocation_t *inv, cte_t *dest)
{
    lookupSlot_ret_t src = lookupCopySource(inv, dest);
    if (src.status != EXCEPTION_NONE) {
        return src.status;
    }
    return invokeCNodeMove(src.slot->cap, src.slot, dest);
}

static exception_t decodeCNodeMutate(const invocation_t *inv, cte_t *dest)
{
    lookupSlot_ret_t src = lookupCopySource(inv, dest);
    if (src.status != EXCEPTION_NONE) {
        return src.status;
    }
    if (inv->length < CNodeMutate_MinLength) {
        return truncated("Mutate", inv->length, CNodeMutate_MinLength);
    }
    struct CNodeMutate_args args = unpackCNodeMutateArgs(inv->buffer);
    cap_t cap = updateCapData(true, args.badge, src.slot->cap);
    if (cap_get_capType(cap) == cap_null_cap) {
        return illegal("Mutate", "the data cannot be applied to the source cap");
    }
    return invokeCNodeMove(cap, src.slot, dest);
}

static exception_t invokeCNodeRotate(cap_t srcCap, cap_t pivotCap, cte_t *src, cte_t *pivot,
                                     cte_t *dest)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    if (src == dest) {
        cteSwap(srcCap, src, pivotCap, pivot);
    } else {
        cteMove(pivotCap, pivot, dest);
        cteMove(srcCap, src, pivot);
    }
    return EXCEPTION_NONE;
}

static exception_t decodeCNodeRotate(const invocation_t *inv, cte_t *dest)
{
    if (inv->length < CNodeRotate_MinLength || ksCurExtraCaps[0] == NULL ||
        ksCurExtraCaps[1] == NULL) {
        return truncated("Rotate", inv->length, CNodeRotate_MinLength);
    }
    struct CNodeRotate_args args = unpackCNodeRotateArgs(inv->buffer);
    lookupSlot_ret_t src =
        lookupSlotForCNodeOp(true, ksCurExtraCaps[1]->cap, args.src_index, args.src_depth);
    if (src.status != EXCEPTION_NONE) {
        userError("CNode Rotate: source lookup failed");
        return src.status;
    }
    lookupSlot_ret_t pivot =
        lookupSlotForCNodeOp(true, ksCurExtraCaps[0]->cap, args.pivot_index, args.pivot_depth);
    if (pivot.status != EXCEPTION_NONE) {
        userError("CNode Rotate: pivot lookup failed");
        return pivot.status;
    }
    if (pivot.slot == src.slot || pivot.slot == dest) {
        return illegal("Rotate", "the pivot slot is the source or the destination");
    }
    if (src.slot != dest && cap_get_capType(dest->cap) != cap_null_cap) {
        return deleteFirst("Rotate", "destination");
    }
    if (cap_get_capType(src.slot->cap) == cap_null_cap) {
        return failMissingSource("Rotate", args.src_depth, true);
    }
    if (cap_get_capType(pivot.slot->cap) == cap_null_cap) {
        return failMissingSource("Rotate", args.pivot_depth, false);
    }
    cap_t newSrc = updateCapData(true, args.pivot_badge, src.slot->cap);
    cap_t newPivot = updateCapData(true, args.dest_badge, pivot.slot->cap);
    if (cap_get_capType(newSrc) == cap_null_cap) {
        return illegal("Rotate", "the pivot badge cannot be applied to the source cap");
    }
    if (cap_get_capType(newPivot) == cap_null_cap) {
        return illegal("Rotate", "the destination badge cannot be applied to the pivot cap");
    }
    return invokeCNodeRotate(newSrc, newPivot, src.slot, pivot.slot, dest);
}

static exception_t decodeCNodeRevoke(cte_t *dest)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    return cteRevoke(dest);
}

static exception_t decodeCNodeDelete(cte_t *dest)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    return cteDelete(dest, true);
}

static exception_t decodeCNodeSaveCaller(cte_t *dest)
{
    if (cap_get_capType(dest->cap) != cap_null_cap) {
        return deleteFirst("SaveCaller", "destination");
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    cte_t *caller = tcbSlot(ksCurThread, tcbCaller);
    if (cap_get_capType(caller->cap) == cap_reply_cap) {
        cteMove(caller->cap, caller, dest);
    }
    return EXCEPTION_NONE;
}

static exception_t decodeCNodeCancelBadgedSends(cte_t *dest)
{
    cap_t cap = dest->cap;
    if (cap_get_capType(cap) != cap_endpoint_cap || !cap_endpoint_cap_get_capCanSend(cap) ||
        !cap_endpoint_cap_get_capCanReceive(cap) || !cap_endpoint_cap_get_capCanGrant(cap) ||
        !cap_endpoint_cap_get_capCanGrantReply(cap)) {
        return illegal("CancelBadgedSends", "the slot needs an endpoint cap with all rights");
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    word_t badge = cap_endpoint_cap_get_capEPBadge(cap);
    if (badge != 0) {
        cancelBadgedSends((endpoint_t *)cap_endpoint_cap_get_capEPPtr(cap), badge);
    }
    return EXCEPTION_NONE;
}

exception_t decodeCNodeInvocation(const invocation_t *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeSaveCaller) {
        userError("CNode: label %lu is not a CNode method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    const char *method = methodNames[inv->label - CNodeRevoke];
    if (inv->length < CNodeRevoke_MinLength) {
        return truncated(method, inv->length, CNodeRevoke_MinLength);
    }
    struct CNodeRevoke_args target = unpackCNodeRevokeArgs(inv->buffer);
    lookupSlot_ret_t dest = lookupSlotForCNodeOp(false, inv->cap, target.index, target.depth);
    if (dest.status != EXCEPTION_NONE) {
        userError("CNode %s: target lookup failed (index %#lx, depth %lu)", method,
                  (unsigned long)target.index, (unsigned long)target.depth);
        return dest.status;
    }
    switch (inv->label) {
    case CNodeCopy:
        return decodeCNodeCopy(inv, dest.slot);
    case CNodeMint:
        return decodeCNodeMint(inv, dest.slot);
    case CNodeMove:
        return decodeCNodeMove(inv, dest.slot);
    case CNodeMutate:
        return decodeCNodeMutate(inv, dest.slot);
    case CNodeRotate:
        return decodeCNodeRotate(inv, dest.slot);
    case CNodeRevoke:
        return decodeCNodeRevoke(dest.slot);
    case CNodeDelete:
        return decodeCNodeDelete(dest.slot);
    case CNodeSaveCaller:
        return decodeCNodeSaveCaller(dest.slot);
    default:
        return decodeCNodeCancelBadgedSends(dest.slot);
    }
}
