/*
 * Invocations of the AArch64 VM caps (semantics.md 10.2, 10.4): frame
 * Map/Unmap/GetAddress and cache maintenance, page-table Map/Unmap,
 * VSpace cache maintenance, ASIDControl_MakePool and ASIDPool_Assign.
 * One decode function per method: each checks everything in the ABI's
 * order and changes nothing on failure; the short tail after the checks
 * performs the operation and cannot fail.
 */
#include <api/invocation.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/untyped.h>

static exception_t failedLookup(lookup_fault_t lf)
{
    ksCurLookupFault = lf;
    ksCurSyscallError.failedLookupWasSource = false;
    return syscallError(seL4_FailedLookup);
}

/* Reply to a Call with `n` result words already in the message registers. */
static void replyWords(word_t n)
{
    tcb_t *cur = ksCurThread;
    setRegister(cur, badgeRegister, 0);
    setMessageInfo(cur, 0, n);
}

/* The VSpace root of a VSpace cap with an ASID, checked against the ASID
 * table: 0 (with the error set) on failure. `capIndex` is the error's cap
 * number for a cap of the wrong kind or a mismatched root. */
typedef struct {
    exception_t status;
    pptr_t root;
    word_t asid;
} vspace_ret_t;

static vspace_ret_t checkVSpace(cap_t cap, word_t capIndex, const char *what)
{
    vspace_ret_t r = { EXCEPTION_SYSCALL_ERROR, 0, 0 };
    if (cap_get_capType(cap) != cap_vspace_cap || !cap_vspace_cap_get_capVSIsMapped(cap)) {
        userError("%s: cap %lu is not a VSpace with an ASID", what, (unsigned long)capIndex);
        syscallErrorInvalidCap(capIndex);
        return r;
    }
    r.asid = cap_vspace_cap_get_capVSMappedASID(cap);
    r.root = findVSpaceForASID(r.asid);
    if (!r.root) {
        userError("%s: ASID %lu has no VSpace", what, (unsigned long)r.asid);
        failedLookup(lookupFaultInvalidRoot());
        return r;
    }
    if (r.root != cap_vspace_cap_get_capVSBasePtr(cap)) {
        userError("%s: ASID %lu belongs to another VSpace", what, (unsigned long)r.asid);
        syscallErrorInvalidCap(capIndex);
        return r;
    }
    r.status = EXCEPTION_NONE;
    return r;
}

/* ---- Cache maintenance ---- */

typedef enum { CacheClean, CacheInvalidate, CacheCleanInvalidate, CacheUnify } cache_op_t;

/* Operate on the physical range [paddr, paddr + len) through the kernel
 * window (AArch64 data caches behave as physically indexed). Memory
 * beyond the window holds no cacheable RAM: nothing to do there. */
static void doCacheOp(cache_op_t op, paddr_t paddr, word_t len)
{
    if (paddr >= PADDR_TOP || len == 0) {
        return;
    }
    word_t line = op == CacheUnify ? MIN(dcacheLineSize(), icacheLineSize()) : dcacheLineSize();
    pptr_t start = ROUND_DOWN(ptrFromPaddr(paddr), highestBit(line));
    pptr_t end = ptrFromPaddr(paddr) + len;
    for (pptr_t va = start; va < end; va += line) {
        switch (op) {
        case CacheClean:
            cleanByVA(va);
            break;
        case CacheInvalidate:
            invalidateByVA(va);
            break;
        case CacheCleanInvalidate:
            cleanInvalidateByVA(va);
            break;
        case CacheUnify:
            cleanByVAPoU(va);
            break;
        }
    }
    dsbSy();
    if (op == CacheUnify) {
        for (pptr_t va = start; va < end; va += line) {
            invalidateICacheByVA(va);
        }
        dsbSy();
        isb();
    }
}

static cache_op_t frameCacheOp(word_t label)
{
    switch (label) {
    case ARMPageClean_Data:
        return CacheClean;
    case ARMPageInvalidate_Data:
        return CacheInvalidate;
    case ARMPageCleanInvalidate_Data:
        return CacheCleanInvalidate;
    default:
        return CacheUnify;
    }
}

static cache_op_t vspaceCacheOp(word_t label)
{
    switch (label) {
    case ARMVSpaceClean_Data:
        return CacheClean;
    case ARMVSpaceInvalidate_Data:
        return CacheInvalidate;
    case ARMVSpaceCleanInvalidate_Data:
        return CacheCleanInvalidate;
    default:
        return CacheUnify;
    }
}

/* Start and end are MR0 and MR1 for all eight cache methods. */
static void cacheRange(const invocation_t *inv, word_t *start, word_t *end)
{
    *start = getSyscallArg(0, inv->buffer);
    *end = getSyscallArg(1, inv->buffer);
}

static exception_t decodeFrameCacheOp(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (inv->length < 2) {
        userError("Page cache operation: message of %lu words, need 2", (unsigned long)inv->length);
        return syscallError(seL4_TruncatedMessage);
    }
    if (cap_frame_cap_get_capFMappedASID(cap) == 0) {
        userError("Page cache operation: the frame is not mapped");
        return syscallError(seL4_IllegalOperation);
    }
    if (!findVSpaceForASID(cap_frame_cap_get_capFMappedASID(cap))) {
        userError("Page cache operation: the frame's ASID has no VSpace");
        return failedLookup(lookupFaultInvalidRoot());
    }
    word_t start, end;
    cacheRange(inv, &start, &end);
    word_t size = BIT(frameSizeBits(cap_frame_cap_get_capFSize(cap)));
    if (end <= start) {
        userError("Page cache operation: end %#lx <= start %#lx", (unsigned long)end,
                  (unsigned long)start);
        return syscallErrorInvalidArgument(1);
    }
    if (start >= size || end > size) {
        userError("Page cache operation: [%#lx, %#lx) is not inside the %#lx-byte frame",
                  (unsigned long)start, (unsigned long)end, (unsigned long)size);
        return syscallErrorInvalidArgument(0);
    }
    pte_word_t *e = frameMappingEntry(cap);
    if (e == NULL) {
        userError("Page cache operation: the frame's recorded mapping is gone");
        return syscallErrorInvalidCap(0);
    }
    cache_op_t op = frameCacheOp(inv->label);
    pte_leaf_t leaf = { { *e } };
    if (op == CacheInvalidate && pte_leaf_get_ap(leaf) != AP_ALL_RW) {
        userError("Page Invalidate_Data: the frame is not mapped read-write");
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    doCacheOp(op, addrFromPPtr(cap_frame_cap_get_capFBasePtr(cap)) + start, end - start);
    return EXCEPTION_NONE;
}

static exception_t decodeVSpaceCacheOp(const invocation_t *inv)
{
    if (inv->length < 2) {
        userError("VSpace cache operation: message of %lu words, need 2",
                  (unsigned long)inv->length);
        return syscallError(seL4_TruncatedMessage);
    }
    word_t start, end;
    cacheRange(inv, &start, &end);
    if (end <= start) {
        userError("VSpace cache operation: end %#lx <= start %#lx", (unsigned long)end,
                  (unsigned long)start);
        return syscallErrorInvalidArgument(1);
    }
    if (end > USER_TOP) {
        userError("VSpace cache operation: end %#lx is above the user top", (unsigned long)end);
        return syscallError(seL4_IllegalOperation);
    }
    vspace_ret_t vs = checkVSpace(inv->cap, 0, "VSpace cache operation");
    if (vs.status != EXCEPTION_NONE) {
        return vs.status;
    }
    lookupPTSlot_ret_t slot = lookupPTSlot(vs.root, start);
    if (!pteIsLeaf(*slot.entry, slot.level)) {
        /* Nothing mapped at start: nothing to do. */
        setThreadState(ksCurThread, ThreadState_Restart);
        return EXCEPTION_NONE;
    }
    word_t bits = levelShift(slot.level);
    vptr_t pageBase = ROUND_DOWN(start, bits);
    if (end - 1 > pageBase + MASK(bits)) {
        userError("VSpace cache operation: [%#lx, %#lx) crosses the mapping at %#lx",
                  (unsigned long)start, (unsigned long)end, (unsigned long)pageBase);
        return syscallErrorRange(start, pageBase + MASK(bits));
    }
    cache_op_t op = vspaceCacheOp(inv->label);
    pte_leaf_t leaf = { { *slot.entry } };
    if (op == CacheInvalidate && pte_leaf_get_ap(leaf) != AP_ALL_RW) {
        userError("VSpace Invalidate_Data: the mapping at %#lx is not read-write",
                  (unsigned long)pageBase);
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    doCacheOp(op, pteAddress(*slot.entry) + (start - pageBase), end - start);
    return EXCEPTION_NONE;
}

/* ---- Frames ---- */

static exception_t decodeFrameMap(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (inv->length < ARMPageMap_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("Page Map: message of %lu words, need 3 and a VSpace cap",
                  (unsigned long)inv->length);
        return syscallError(seL4_TruncatedMessage);
    }
    struct ARMPageMap_args a = unpackARMPageMapArgs(inv->buffer);
    seL4_CapRights_t rights = { { a.rights } };
    word_t vmRights = maskVMRights(cap_frame_cap_get_capFVMRights(cap), rights);
    vspace_ret_t vs = checkVSpace(ksCurExtraCaps[0]->cap, 1, "Page Map");
    if (vs.status != EXCEPTION_NONE) {
        return vs.status;
    }
    word_t bits = frameSizeBits(cap_frame_cap_get_capFSize(cap));
    if (!IS_ALIGNED(a.vaddr, bits)) {
        userError("Page Map: vaddr %#lx is not aligned to the frame size 2^%lu",
                  (unsigned long)a.vaddr, (unsigned long)bits);
        return syscallError(seL4_AlignmentError);
    }
    word_t mappedASID = cap_frame_cap_get_capFMappedASID(cap);
    if (mappedASID != 0) {
        if (mappedASID != vs.asid) {
            userError("Page Map: the frame is mapped in ASID %lu, not %lu",
                      (unsigned long)mappedASID, (unsigned long)vs.asid);
            return syscallErrorInvalidCap(1);
        }
        if (cap_frame_cap_get_capFMappedAddress(cap) != a.vaddr) {
            userError("Page Map: the frame is mapped at %#lx, not %#lx",
                      (unsigned long)cap_frame_cap_get_capFMappedAddress(cap),
                      (unsigned long)a.vaddr);
            return syscallErrorInvalidArgument(0);
        }
    } else if (a.vaddr + MASK(bits) > USER_TOP || a.vaddr + MASK(bits) < a.vaddr) {
        userError("Page Map: [%#lx, +2^%lu) is not below the user top", (unsigned long)a.vaddr,
                  (unsigned long)bits);
        return syscallErrorInvalidArgument(0);
    }
    lookupPTSlot_ret_t slot = lookupPTSlot(vs.root, a.vaddr);
    if (levelShift(slot.level) != bits) {
        userError("Page Map: no level for a 2^%lu frame at %#lx (walk stopped at 2^%u)",
                  (unsigned long)bits, (unsigned long)a.vaddr, levelShift(slot.level));
        return failedLookup(lookupFaultMissingCap(levelShift(slot.level)));
    }

    setThreadState(ksCurThread, ThreadState_Restart);
    bool wasValid = pteIsValid(*slot.entry);
    *slot.entry = makeUserLeaf(addrFromPPtr(cap_frame_cap_get_capFBasePtr(cap)), vmRights,
                               a.attr & seL4_ARM_PageCacheable, a.attr & seL4_ARM_ExecuteNever,
                               slot.level == PT_LEVELS - 1);
    if (wasValid) {
        tlbiPage(vs.asid, a.vaddr);
    } else {
        dsbIshst();
    }
    cap = cap_frame_cap_set_capFMappedASID(cap, vs.asid);
    inv->slot->cap = cap_frame_cap_set_capFMappedAddress(cap, a.vaddr);
    return EXCEPTION_NONE;
}

static exception_t decodeFrameUnmap(const invocation_t *inv)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    unmapFrameCap(inv->cap);
    cap_t cap = cap_frame_cap_set_capFMappedASID(inv->cap, 0);
    inv->slot->cap = cap_frame_cap_set_capFMappedAddress(cap, 0);
    return EXCEPTION_NONE;
}

static exception_t decodeFrameGetAddress(const invocation_t *inv)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    if (inv->call) {
        setMR(ksCurThread, NULL, 0, addrFromPPtr(cap_frame_cap_get_capFBasePtr(inv->cap)));
        replyWords(1);
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

exception_t decodeARMFrameInvocation(const invocation_t *inv)
{
    switch (inv->label) {
    case ARMPageMap:
        return decodeFrameMap(inv);
    case ARMPageUnmap:
        return decodeFrameUnmap(inv);
    case ARMPageGetAddress:
        return decodeFrameGetAddress(inv);
    case ARMPageClean_Data:
    case ARMPageInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
    case ARMPageUnify_Instruction:
        return decodeFrameCacheOp(inv);
    default:
        userError("Page: label %lu is not a frame method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}

/* ---- Page tables ---- */

static exception_t decodePageTableMap(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (inv->length < ARMPageTableMap_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("PageTable Map: message of %lu words, need 2 and a VSpace cap",
                  (unsigned long)inv->length);
        return syscallError(seL4_TruncatedMessage);
    }
    if (cap_page_table_cap_get_capPTIsMapped(cap)) {
        userError("PageTable Map: the table is already mapped");
        return syscallErrorInvalidCap(0);
    }
    cap_t vcap = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(vcap) != cap_vspace_cap || !cap_vspace_cap_get_capVSIsMapped(vcap)) {
        userError("PageTable Map: cap 1 is not a VSpace with an ASID");
        return syscallErrorInvalidCap(1);
    }
    struct ARMPageTableMap_args a = unpackARMPageTableMapArgs(inv->buffer);
    if (a.vaddr > USER_TOP) {
        userError("PageTable Map: vaddr %#lx is above the user top", (unsigned long)a.vaddr);
        return syscallErrorInvalidArgument(0);
    }
    vspace_ret_t vs = checkVSpace(vcap, 1, "PageTable Map");
    if (vs.status != EXCEPTION_NONE) {
        return vs.status;
    }
    lookupPTSlot_ret_t slot = lookupPTSlot(vs.root, a.vaddr);
    if (slot.level == PT_LEVELS - 1 || pteIsValid(*slot.entry)) {
        userError("PageTable Map: %#lx already has a table or a mapping at every level",
                  (unsigned long)a.vaddr);
        return syscallError(seL4_DeleteFirst);
    }

    setThreadState(ksCurThread, ThreadState_Restart);
    pptr_t table = cap_page_table_cap_get_capPTBasePtr(cap);
    *slot.entry = makeTableEntry(table);
    dsbIshst();
    vptr_t base = ROUND_DOWN(a.vaddr, levelShift(slot.level));
    inv->slot->cap = cap_page_table_cap_new(vs.asid, table, 1, base);
    return EXCEPTION_NONE;
}

static exception_t decodePageTableUnmap(const invocation_t *inv)
{
    if (!isFinalCapability(inv->slot)) {
        userError("PageTable Unmap: other caps to the table exist");
        return syscallError(seL4_RevokeFirst);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    cap_t cap = inv->cap;
    if (cap_page_table_cap_get_capPTIsMapped(cap)) {
        unmapPageTableCap(cap);
        memzero((void *)cap_page_table_cap_get_capPTBasePtr(cap), BIT(seL4_PageTableBits));
        cap = cap_page_table_cap_set_capPTIsMapped(cap, 0);
        cap = cap_page_table_cap_set_capPTMappedASID(cap, 0);
        inv->slot->cap = cap_page_table_cap_set_capPTMappedAddress(cap, 0);
    }
    return EXCEPTION_NONE;
}

exception_t decodeARMPageTableInvocation(const invocation_t *inv)
{
    switch (inv->label) {
    case ARMPageTableMap:
        return decodePageTableMap(inv);
    case ARMPageTableUnmap:
        return decodePageTableUnmap(inv);
    default:
        userError("PageTable: label %lu is not a page-table method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}

exception_t decodeARMVSpaceInvocation(const invocation_t *inv)
{
    switch (inv->label) {
    case ARMVSpaceClean_Data:
    case ARMVSpaceInvalidate_Data:
    case ARMVSpaceCleanInvalidate_Data:
    case ARMVSpaceUnify_Instruction:
        return decodeVSpaceCacheOp(inv);
    default:
        userError("VSpace: label %lu is not a VSpace method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}

/* ---- ASIDs ---- */
