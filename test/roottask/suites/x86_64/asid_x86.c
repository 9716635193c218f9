/*
 * x86_64 ASID pools and VSpace roots (semantics 10.2, seL4-abi.md 0.1 item
 * 14, 8.7, 13.7): MakePool until all 8 pools exist and its error order,
 * Assign and its errors, a pool running full, unassigned roots, and what
 * deleting a pool or a root does to the VSpaces and caps involved.
 *
 * Pool 0 belongs to the root task; KTEST clean-up revokes the 4 KiB
 * untypeds the pools were made from, which deletes the pools.
 */
#include "x86util.h"

#define NUM_POOLS 8 /* x86_64: 2^seL4_NumASIDPoolsBits */
#define POOL_ASIDS 512
#define DEF seL4_X86_Default_VMAttributes

static seL4_Error make_pool(seL4_CPtr ut, seL4_CPtr slot)
{
    return seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, ut, ROOT, slot, ROOT_DEPTH);
}

/* A new pool in a new slot (0 on failure, reported). */
static seL4_CPtr new_pool(void)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr slot = slot_alloc();
    if (!ut || !slot) {
        return 0;
    }
    seL4_Error err = make_pool(ut, slot);
    if (err != seL4_NoError) {
        TEST_FAIL("MakePool into slot %lu returned %s", (unsigned long)slot, test_error_name(err));
        return 0;
    }
    return slot;
}

KARCH_TEST(x86_asid_makepool_until_full)
{
    seL4_CPtr pools = slot_alloc_range(NUM_POOLS + 1);
    seL4_CPtr uts[NUM_POOLS + 1];
    for (int i = 0; i <= NUM_POOLS; i++) {
        uts[i] = ut_new(12);
        if (!uts[i]) {
            return;
        }
    }
    seL4_CPtr bad = ut_new(13);
    seL4_CPtr small = ut_new(15);
    if (!pools || !bad || !small) {
        return;
    }
    /* Pool 0 is the root task's: 7 more can be made. */
    int made = 0;
    while (made < NUM_POOLS) {
        seL4_Error err = make_pool(uts[made], pools + (seL4_Word)made);
        if (err != seL4_NoError) {
            if (!CHECK_ERR(err, seL4_DeleteFirst)) {
                return;
            }
            break;
        }
        made++;
    }
    CHECK_EQ(made, NUM_POOLS - 1);
    /* All pools in use: DeleteFirst comes before any check of the untyped
     * (seL4-abi.md 0.1 item 14). */
    CHECK_ERR(make_pool(uts[NUM_POOLS], pools + NUM_POOLS), seL4_DeleteFirst);
    CHECK_ERR(make_pool(bad, pools + NUM_POOLS), seL4_DeleteFirst);
    CHECK_ERR(make_pool(seL4_CapInitThreadTCB, pools + NUM_POOLS), seL4_DeleteFirst);
    CHECK_ERR(make_pool(uts[NUM_POOLS], pools), seL4_DeleteFirst);
    CHECK_EMPTY(pools + NUM_POOLS);
    /* Every new pool hands out ASIDs. */
    for (int i = 0; i < made; i++) {
        if (!xu_new_vspace(small, pools + (seL4_Word)i)) {
            printf("  pool %d\n", i);
        }
    }
    /* Deleting one pool frees its index. */
    CHECK_OK(seL4_CNode_Delete(ROOT, pools + 2, ROOT_DEPTH));
    CHECK_OK(make_pool(uts[NUM_POOLS], pools + NUM_POOLS));
    CHECK_ERR(make_pool(uts[2], pools + 2), seL4_DeleteFirst);
    /* Revoking the untyped of a pool deletes the pool. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, uts[4], ROOT_DEPTH));
    CHECK_EMPTY(pools + 4);
    CHECK_OK(make_pool(uts[2], pools + 2));
    CHECK_ERR(make_pool(uts[4], pools + 4), seL4_DeleteFirst);
}

KARCH_TEST(x86_asid_makepool_bad_untyped)
{
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr u13 = ut_new(13);
    seL4_CPtr u11 = ut_new(11);
    seL4_CPtr dev = ut_new_device(12);
    seL4_CPtr u12 = ut_new(12);
    seL4_CPtr empty = slot_alloc();
    seL4_CPtr frame = new_object(ut_new(12), seL4_X86_4K, 0);
    if (!dest || !u13 || !u11 || !dev || !u12 || !empty || !frame) {
        return;
    }
    CHECK_INVALID_CAP(make_pool(u13, dest), 1);
    CHECK_INVALID_CAP(make_pool(u11, dest), 1);
    CHECK_INVALID_CAP(make_pool(dev, dest), 1);
    CHECK_INVALID_CAP(make_pool(frame, dest), 1);
    CHECK_INVALID_CAP(make_pool(empty, dest), 1);
    CHECK_INVALID_CAP(make_pool(seL4_CapInitThreadCNode, dest), 1);
    /* The untyped check precedes the destination checks. */
    CHECK_INVALID_CAP(make_pool(u13, seL4_CapInitThreadTCB), 1);
    CHECK_EMPTY(dest);
    /* Nothing was consumed: a fitting untyped works. */
    CHECK_OK(make_pool(u12, dest));
    CHECK_OCCUPIED(dest);
}

KARCH_TEST(x86_asid_makepool_untyped_children)
{
    seL4_CPtr u = ut_new(12);
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr child = slot_alloc();
    if (!u || !dest || !child) {
        return;
    }
    CHECK_OK(retype_root(u, seL4_EndpointObject, 0, child, 1));
    CHECK_ERR(make_pool(u, dest), seL4_RevokeFirst);
    /* RevokeFirst precedes the destination check. */
    CHECK_ERR(make_pool(u, seL4_CapInitThreadTCB), seL4_RevokeFirst);
    CHECK_EMPTY(dest);
    /* Children deleted (watermark not reset): accepted. */
    CHECK_OK(seL4_CNode_Delete(ROOT, child, ROOT_DEPTH));
    CHECK_OK(make_pool(u, dest));
    /* The pool is the untyped's child and the untyped is used up. */
    CHECK_NOT_ENOUGH_MEM(retype_root(u, seL4_EndpointObject, 0, child, 1), 0);
    CHECK_ERR(make_pool(u, child), seL4_RevokeFirst);
    CHECK_EMPTY(child);
    CHECK_OK(seL4_CNode_Revoke(ROOT, u, ROOT_DEPTH));
    CHECK_EMPTY(dest);
}

KARCH_TEST(x86_asid_makepool_destination)
{
    seL4_CPtr u = ut_new(12);
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr ep = new_object(ut_new(12), seL4_EndpointObject, 0);
    if (!u || !dest || !ep) {
        return;
    }
    CHECK_ERR(make_pool(u, seL4_CapInitThreadTCB), seL4_DeleteFirst);
    CHECK_ERR(make_pool(u, ep), seL4_DeleteFirst);
    /* A destination root that is not a CNode. */
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, u, ep, dest, ROOT_DEPTH), 0);
    /* The untyped is still unused. */
    CHECK_OK(make_pool(u, dest));
}

KARCH_TEST(x86_asid_makepool_truncated_and_label)
{
    seL4_CPtr u = ut_new(12);
    seL4_CPtr dest = slot_alloc();
    if (!u || !dest) {
        return;
    }
    seL4_MessageInfo_t r;
    r = raw_call(seL4_CapASIDControl, X86ASIDControlMakePool, 1, RAW_MRS(dest, ROOT_DEPTH), 2,
                 RAW_CAPS(u, ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(seL4_CapASIDControl, X86ASIDControlMakePool, 2, RAW_MRS(dest, ROOT_DEPTH), 1,
                 RAW_CAPS(u));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(seL4_CapASIDControl, X86ASIDPoolAssign, 2, RAW_MRS(dest, ROOT_DEPTH), 2,
                 RAW_CAPS(u, ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    r = raw_call(seL4_CapASIDControl, 0, 2, RAW_MRS(dest, ROOT_DEPTH), 2, RAW_CAPS(u, ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    CHECK_EMPTY(dest);
    r = raw_call(seL4_CapASIDControl, X86ASIDControlMakePool, 2, RAW_MRS(dest, ROOT_DEPTH), 2,
                 RAW_CAPS(u, ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_NoError);
    CHECK_OCCUPIED(dest);
}

KARCH_TEST(x86_asid_assign_errors)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pool = new_pool();
    seL4_CPtr pml4 = new_objects(ut, seL4_X64_PML4Object, 0, 2);
    seL4_CPtr pdpt = new_object(ut, seL4_X86_PDPTObject, 0);
    seL4_CPtr pd = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr empty = slot_alloc();
    seL4_CPtr copy = slot_alloc();
    if (!pool || !pml4 || !pdpt || !pd || !pt || !f || !ep || !empty || !copy) {
        return;
    }
    seL4_CPtr bad[] = { pdpt, pd, pt, f, ep, empty, seL4_CapInitThreadCNode, seL4_CapASIDControl };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (!CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(pool, bad[i]), 1)) {
            printf("  cap in slot %lu\n", (unsigned long)bad[i]);
        }
    }
    seL4_MessageInfo_t r = raw_call(pool, X86ASIDPoolAssign, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(pool, X86ASIDControlMakePool, 0, RAW_MRS(0), 1, RAW_CAPS(pml4));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    r = raw_call(pool, X86PageMap, 3, RAW_MRS(0), 1, RAW_CAPS(pml4));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    /* An unassigned root cannot be copied; once assigned it can. */
    CHECK_ERR(copy_root(copy, pml4, seL4_AllRights), seL4_IllegalOperation);
    CHECK_OK(seL4_X86_ASIDPool_Assign(pool, pml4));
    CHECK_OK(copy_root(copy, pml4, seL4_AllRights));
    /* Already assigned (the original, its copy, the root task's VSpace), in
     * this pool or another: InvalidCapability(1). */
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(pool, pml4), 1);
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4), 1);
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(pool, copy), 1);
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(pool, seL4_CapInitThreadVSpace), 1);
    CHECK_INVALID_CAP(
        seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, seL4_CapInitThreadVSpace), 1);
    /* The second PML4 goes into pool 0. */
    CHECK_OK(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4 + 1));
}

KARCH_TEST(x86_asid_pool_runs_full)
{
    /* A pool other than pool 0 holds 512 ASIDs (none of them is ASID 0). */
    seL4_CPtr ut = ut_new(21);
    seL4_CPtr more = ut_new(14);
    seL4_CPtr pool = new_pool();
    if (!ut || !more || !pool) {
        return;
    }
    seL4_CPtr first = slot_alloc_range(POOL_ASIDS);
    if (!first) {
        return;
    }
    if (!CHECK_OK(retype_root(ut, seL4_X64_PML4Object, 0, first, 256)) ||
        !CHECK_OK(retype_root(ut, seL4_X64_PML4Object, 0, first + 256, 256))) {
        return;
    }
    seL4_Word assigned = 0;
    seL4_Error err = seL4_NoError;
    while (assigned < POOL_ASIDS) {
        err = seL4_X86_ASIDPool_Assign(pool, first + assigned);
        if (err != seL4_NoError) {
            break;
        }
        assigned++;
    }
    if (!CHECK_EQ(assigned, POOL_ASIDS)) {
        printf("  assign #%lu returned %s\n", (unsigned long)assigned, test_error_name(err));
    }
    seL4_CPtr extra = new_objects(more, seL4_X64_PML4Object, 0, 2);
    if (!extra) {
        return;
    }
    CHECK_ERR(seL4_X86_ASIDPool_Assign(pool, extra), seL4_DeleteFirst);
    /* Not-a-PML4 is still reported first. */
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(pool, ut), 1);
    /* Other pools are unaffected. */
    CHECK_OK(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, extra + 1));
    /* Deleting a root releases its ASID. */
    CHECK_OK(seL4_CNode_Delete(ROOT, first + 300, ROOT_DEPTH));
    CHECK_OK(seL4_X86_ASIDPool_Assign(pool, extra));
    seL4_CPtr extra2 = new_object(more, seL4_X64_PML4Object, 0);
    if (extra2) {
        CHECK_ERR(seL4_X86_ASIDPool_Assign(pool, extra2), seL4_DeleteFirst);
    }
}

KARCH_TEST(x86_asid_unassigned_vspace_unusable)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pml4 = new_object(ut, seL4_X64_PML4Object, 0);
    seL4_CPtr tcb = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pdpt = new_object(ut, seL4_X86_PDPTObject, 0);
    if (!pml4 || !tcb || !f || !pdpt) {
        return;
    }
    CHECK_ERR(seL4_TCB_Configure(tcb, 0, ROOT, 0, pml4, 0, 0, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetSpace(tcb, 0, ROOT, 0, pml4, 0), seL4_IllegalOperation);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, pml4, 0x10000, seL4_ReadWrite, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_PDPT_Map(pdpt, pml4, 0x10000, DEF), 1);
    /* Assigned, all of it works. */
    if (!CHECK_OK(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4))) {
        return;
    }
    CHECK_OK(seL4_TCB_Configure(tcb, 0, ROOT, 0, pml4, 0, 0, 0));
    CHECK_OK(seL4_TCB_SetSpace(tcb, 0, ROOT, 0, pml4, 0));
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, pml4, 0x10000, DEF));
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, pml4, 0x10000, seL4_ReadWrite, DEF), 0, 30);
}

KARCH_TEST(x86_asid_pool_deleted_vspace_unusable)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pool = new_pool();
    if (!ut || !pool) {
        return;
    }
    seL4_CPtr vs = xu_new_vspace(ut, pool);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pdpt2 = new_object(ut, seL4_X86_PDPTObject, 0);
    seL4_CPtr tcb = new_object(ut, seL4_TCBObject, 0);
    if (!vs || !f || !pdpt2 || !tcb) {
        return;
    }
    seL4_CPtr pt = xu_tables_for(ut, vs, 0x10000);
    if (!pt || !xu_map(f, vs, 0x10000, seL4_ReadWrite, DEF)) {
        return;
    }
    CHECK_OK(seL4_CNode_Delete(ROOT, pool, ROOT_DEPTH));
    /* The ASID is gone: FailedLookup(InvalidRoot) for maps. */
    CHECK_LOOKUP_INVALID_ROOT(seL4_X86_PDPT_Map(pdpt2, vs, 0x0000008000000000ul, DEF), 0);
    CHECK_LOOKUP_INVALID_ROOT(seL4_X86_Page_Map(f, vs, 0x10000, seL4_ReadWrite, DEF), 0);
    /* Unmaps are silent. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_LOOKUP_INVALID_ROOT(seL4_X86_PageTable_Map(pt, vs, 0x10000, DEF), 0);
    /* The cap still records its ASID: it cannot be assigned again. */
    CHECK_INVALID_CAP(seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), 1);
    /* ... and it still counts as a VSpace root for a TCB (semantics 10.1:
     * such a thread then faults on every access). */
    CHECK_OK(seL4_TCB_SetSpace(tcb, 0, ROOT, 0, vs, 0));
}

KARCH_TEST(x86_asid_reused_after_pool_delete)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pool = new_pool();
    seL4_CPtr pool2 = slot_alloc();
    seL4_CPtr u2 = ut_new(12);
    if (!ut || !pool || !pool2 || !u2) {
        return;
    }
    seL4_CPtr a = xu_new_vspace(ut, pool);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pdpt = new_objects(ut, seL4_X86_PDPTObject, 0, 2);
    seL4_CPtr b = new_object(ut, seL4_X64_PML4Object, 0);
    if (!a || !f || !pdpt || !b) {
        return;
    }
    /* Delete the pool, make a new one: it takes the same (lowest free)
     * index, and b gets the same (lowest free) ASID that a still records. */
    CHECK_OK(seL4_CNode_Delete(ROOT, pool, ROOT_DEPTH));
    CHECK_OK(make_pool(u2, pool2));
    CHECK_OK(seL4_X86_ASIDPool_Assign(pool2, b));
    /* a's ASID now names b: root mismatch, InvalidCapability(1). */
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, a, 0x10000, seL4_ReadWrite, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_PDPT_Map(pdpt, a, 0x10000, DEF), 1);
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, b, 0x10000, seL4_ReadWrite, DEF), 0, 39);
    /* Deleting a must not take b's ASID away. */
    CHECK_OK(seL4_CNode_Delete(ROOT, a, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PDPT_Map(pdpt + 1, b, 0x10000, DEF));
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, b, 0x10000, seL4_ReadWrite, DEF), 0, 30);
}

KARCH_TEST(x86_asid_pool_copies)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pool = new_pool();
    seL4_CPtr copy = slot_alloc();
    if (!ut || !pool || !copy) {
        return;
    }
    CHECK_OK(copy_root(copy, pool, seL4_AllRights));
    seL4_CPtr a = xu_new_vspace(ut, copy);
    seL4_CPtr pdpt = new_objects(ut, seL4_X86_PDPTObject, 0, 2);
    if (!a || !pdpt) {
        return;
    }
    /* Deleting a copy leaves the pool. */
    CHECK_OK(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, a, 0, DEF));
    seL4_CPtr b = xu_new_vspace(ut, pool);
    if (!b) {
        return;
    }
    /* Deleting the last cap removes it with all its ASIDs. */
    CHECK_OK(seL4_CNode_Delete(ROOT, pool, ROOT_DEPTH));
    CHECK_LOOKUP_INVALID_ROOT(seL4_X86_PDPT_Map(pdpt + 1, a, 0x0000008000000000ul, DEF), 0);
    CHECK_LOOKUP_INVALID_ROOT(seL4_X86_PDPT_Map(pdpt + 1, b, 0, DEF), 0);
}
