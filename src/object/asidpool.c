/*
 * ASID pools: the table of pools, lookups from ASID to VSpace root, and
 * the MakePool and Assign invocations with seL4's check order. Pool 0 is
 * the root server's; ASID 0 is never handed out.
 */
#include <api/invocation.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/asidpool.h>
#include <object/cnode.h>

asid_pool_t *asidPoolAt(word_t index)
{
    return index < NUM_ASID_POOLS ? ksASIDTable[index] : NULL;
}

void setASIDPool(word_t index, asid_pool_t *pool)
{
    ksASIDTable[index] = pool;
}

pptr_t findVSpaceForASID(word_t asid)
{
    asid_pool_t *pool = asid == 0 ? NULL : asidPoolAt(asid >> ASID_POOL_INDEX_BITS);
    return pool ? pool->root[asid & MASK(ASID_POOL_INDEX_BITS)] : 0;
}

bool clearASID(word_t asid, pptr_t root)
{
    if (root == 0 || findVSpaceForASID(asid) != root) {
        return false;
    }
    asidPoolAt(asid >> ASID_POOL_INDEX_BITS)->root[asid & MASK(ASID_POOL_INDEX_BITS)] = 0;
    return true;
}

exception_t decodeASIDControlMakePool(const invocation_t *inv, word_t label, word_t index,
                                      word_t depth)
{
    if (inv->label != label) {
        userError("ASIDControl: label %lu is not MakePool", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    if (inv->length < 2 || ksCurExtraCaps[0] == NULL || ksCurExtraCaps[1] == NULL) {
        userError("ASIDControl MakePool: needs index, depth, an untyped and a root CNode");
        return syscallError(seL4_TruncatedMessage);
    }
    word_t pool = 0;
    while (pool < NUM_ASID_POOLS && asidPoolAt(pool) != NULL) {
        pool++;
    }
    if (pool == NUM_ASID_POOLS) {
        userError("ASIDControl MakePool: all %u pools exist", (unsigned)NUM_ASID_POOLS);
        return syscallError(seL4_DeleteFirst);
    }
    cte_t *utSlot = ksCurExtraCaps[0];
    cap_t ut = utSlot->cap;
    if (cap_get_capType(ut) != cap_untyped_cap ||
        cap_untyped_cap_get_capBlockSize(ut) != seL4_ASIDPoolBits ||
        cap_untyped_cap_get_capIsDevice(ut)) {
        userError("ASIDControl MakePool: needs a 4 KiB RAM untyped");
        return syscallErrorInvalidCap(1);
    }
    exception_t status = ensureNoChildren(utSlot);
    if (status != EXCEPTION_NONE) {
        userError("ASIDControl MakePool: the untyped has children");
        return status;
    }
    lookupSlot_ret_t dest = lookupSlotForCNodeOp(false, ksCurExtraCaps[1]->cap, index, depth);
    if (dest.status != EXCEPTION_NONE) {
        userError("ASIDControl MakePool: destination lookup failed");
        return dest.status;
    }
    if (cap_get_capType(dest.slot->cap) != cap_null_cap) {
        userError("ASIDControl MakePool: destination slot is not empty");
        return syscallError(seL4_DeleteFirst);
    }

    setThreadState(ksCurThread, ThreadState_Restart);
    pptr_t mem = cap_untyped_cap_get_capPtr(ut);
    utSlot->cap =
        cap_untyped_cap_set_capFreeIndex(ut, BIT(seL4_ASIDPoolBits - seL4_MinUntypedBits));
    memzero((void *)mem, BIT(seL4_ASIDPoolBits));
    cteInsert(cap_asid_pool_cap_new(mem, pool << ASID_POOL_INDEX_BITS), utSlot, dest.slot);
    setASIDPool(pool, (asid_pool_t *)mem);
    return EXCEPTION_NONE;
}

exception_t decodeASIDPoolAssign(const invocation_t *inv, word_t label)
{
    if (inv->label != label) {
        userError("ASIDPool: label %lu is not Assign", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    if (ksCurExtraCaps[0] == NULL) {
        userError("ASIDPool Assign: no VSpace cap");
        return syscallError(seL4_TruncatedMessage);
    }
    cte_t *vsSlot = ksCurExtraCaps[0];
    if (!Arch_isUnassignedVSpaceRoot(vsSlot->cap)) {
        userError("ASIDPool Assign: not a VSpace root without an ASID");
        return syscallErrorInvalidCap(1);
    }
    word_t base = cap_asid_pool_cap_get_capASIDBase(inv->cap);
    asid_pool_t *pool = asidPoolAt(base >> ASID_POOL_INDEX_BITS);
    if (pool == NULL) {
        userError("ASIDPool Assign: the pool for ASID base %#lx is gone", (unsigned long)base);
        ksCurSyscallError.failedLookupWasSource = false;
        ksCurLookupFault = lookupFaultInvalidRoot();
        return syscallError(seL4_FailedLookup);
    }
    if ((pptr_t)pool != cap_asid_pool_cap_get_capASIDPool(inv->cap)) {
        userError("ASIDPool Assign: the pool cap names another pool");
        return syscallErrorInvalidCap(0);
    }
    word_t i = 0;
    while (i < BIT(ASID_POOL_INDEX_BITS) && (base + i == 0 || pool->root[i] != 0)) {
        i++;
    }
    if (i == BIT(ASID_POOL_INDEX_BITS)) {
        userError("ASIDPool Assign: the pool is full");
        return syscallError(seL4_DeleteFirst);
    }

    setThreadState(ksCurThread, ThreadState_Restart);
    pool->root[i] = Arch_vspaceRootPtr(vsSlot->cap);
    vsSlot->cap = Arch_vspaceRootWithASID(vsSlot->cap, base + i);
    return EXCEPTION_NONE;
}
