/*
 * AArch64 address spaces (semantics.md 10.2, 10.4): mapping frames of
 * each size into the root task's VSpace level by level, the error of
 * every Map/Unmap check, ASID pools and VSpace assignment.
 */
#include "../helpers.h"

#define VS seL4_CapInitThreadVSpace
#define ATTR seL4_ARM_Default_VMAttributes
/* A fresh part of the root task's VSpace: level-0 entry 2 (1 TiB). */
#define V 0x10000000000ul
#define MB2 0x200000ul
#define GB1 0x40000000ul

/* Map the three tables that cover V (levels 1, 2, 3). */
static int map_tables(seL4_CPtr ut, seL4_Word vaddr, int levels)
{
    for (int i = 0; i < levels; i++) {
        seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
        if (!pt || !CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, vaddr, ATTR))) {
            return 0;
        }
    }
    return 1;
}

KARCH_TEST(aarch64_map_4k_needs_every_level)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr frame = new_object(ut, seL4_ARM_SmallPageObject, 0);
    /* Missing level 1, 2, 3 tables: bitsLeft is what the entry reached covers. */
    static const seL4_Word bitsLeft[3] = { 39, 30, 21 };
    for (int level = 0; level < 3; level++) {
        CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(frame, VS, V, seL4_AllRights, ATTR), 0,
                             bitsLeft[level]);
        seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
        CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, V, ATTR));
    }
    CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, seL4_AllRights, ATTR));
    volatile seL4_Word *p = (volatile seL4_Word *)V;
    p[0] = 0x5eed1234;
    p[511] = 0xabcdef;
    CHECK_EQ(p[0], 0x5eed1234);
    CHECK_EQ(p[511], 0xabcdef);

    /* Every level exists: another table has nowhere to go. */
    seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
    CHECK_ERR(seL4_ARM_PageTable_Map(pt, VS, V, ATTR), seL4_DeleteFirst);

    seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(frame);
    CHECK_ERR(a.error, seL4_NoError);
    CHECK_EQ(a.paddr & 0xfff, 0);
    CHECK_TRUE(a.paddr >= 0x40000000ul && a.paddr < 0xc0000000ul);
    CHECK_OK(seL4_ARM_Page_Unmap(frame));
    /* Unmapping twice is not an error. */
    CHECK_OK(seL4_ARM_Page_Unmap(frame));
}

/* 1 GiB frames sit in a level-1 table. The boot untypeds of a 2 GiB
 * machine are all smaller than 1 GiB (the kernel and the root server's
 * objects split RAM), so a device untyped provides the frame: mapped
 * uncached, and only its mapping is checked, not its contents. */
KARCH_TEST(aarch64_map_1g_frame)
{
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr dev = ut_new_device(30);
    if (!ut || !dev) {
        return;
    }
    seL4_CPtr huge = new_object(dev, seL4_ARM_HugePageObject, 0);
    seL4_CPtr large = new_object(ut, seL4_ARM_LargePageObject, 0);
    CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(huge, VS, V, seL4_AllRights, 0), 0, 39);
    if (!map_tables(ut, V, 1)) {
        return;
    }
    CHECK_ERR(seL4_ARM_Page_Map(huge, VS, V + 4096, seL4_AllRights, 0), seL4_AlignmentError);
    CHECK_OK(seL4_ARM_Page_Map(huge, VS, V, seL4_AllRights, 0));
    /* A table cannot go where a 1 GiB block is; a 2 MiB frame finds the
     * block at level 1. */
    seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
    CHECK_ERR(seL4_ARM_PageTable_Map(pt, VS, V + MB2, ATTR), seL4_DeleteFirst);
    CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(large, VS, V + MB2, seL4_AllRights, ATTR), 0, 30);
    CHECK_OK(seL4_ARM_Page_Unmap(huge));
    CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, V + MB2, ATTR));
}

KARCH_TEST(aarch64_map_2m_frame)
{
    seL4_CPtr ut = ut_new(23);
    if (!ut) {
        return;
    }
    seL4_CPtr large = new_object(ut, seL4_ARM_LargePageObject, 0);
    seL4_CPtr small = new_object(ut, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
    seL4_Word v2 = V + GB1;
    if (!map_tables(ut, v2, 1)) {
        return;
    }
    /* 2 MiB frames in a level-2 table. */
    CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(large, VS, v2 + MB2, seL4_AllRights, ATTR), 0, 30);
    CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, v2, ATTR));
    CHECK_ERR(seL4_ARM_Page_Map(large, VS, v2 + 4096, seL4_AllRights, ATTR), seL4_AlignmentError);
    CHECK_OK(seL4_ARM_Page_Map(large, VS, v2 + MB2, seL4_AllRights, ATTR));
    volatile seL4_Word *l = (volatile seL4_Word *)(v2 + MB2 + 4096);
    *l = 88;
    CHECK_EQ(*l, 88);
    /* A 4 KiB frame under the 2 MiB block: the walk ends at level 2. */
    CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(small, VS, v2 + MB2, seL4_AllRights, ATTR), 0, 21);
    seL4_CPtr pt3 = new_object(ut, seL4_ARM_PageTableObject, 0);
    CHECK_ERR(seL4_ARM_PageTable_Map(pt3, VS, v2 + MB2, ATTR), seL4_DeleteFirst);
    CHECK_OK(seL4_ARM_Page_Unmap(large));
    CHECK_OK(seL4_ARM_PageTable_Map(pt3, VS, v2 + MB2, ATTR));
    CHECK_OK(seL4_ARM_Page_Map(small, VS, v2 + MB2, seL4_AllRights, ATTR));
}

KARCH_TEST(aarch64_page_map_errors_in_order)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr frame = new_object(ut, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr frame2 = new_object(ut, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr vs = new_object(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    if (!map_tables(ut, V, 3)) {
        return;
    }
    /* Too short, then no VSpace cap. */
    CHECK_ERR(raw_call(frame, ARMPageMap, 2, RAW_MRS(V, 0), 1, RAW_CAPS(VS)).words[0] >> 12,
              seL4_TruncatedMessage);
    CHECK_ERR(raw_call(frame, ARMPageMap, 3, RAW_MRS(V, 0, 0), 0, RAW_CAPS(0)).words[0] >> 12,
              seL4_TruncatedMessage);
    /* Not a VSpace, or one without an ASID. */
    CHECK_INVALID_CAP(seL4_ARM_Page_Map(frame, ep, V, seL4_AllRights, ATTR), 1);
    CHECK_INVALID_CAP(seL4_ARM_Page_Map(frame, vs, V, seL4_AllRights, ATTR), 1);
    /* Alignment is checked before the user-top check. */
    CHECK_ERR(seL4_ARM_Page_Map(frame, VS, V + 8, seL4_AllRights, ATTR), seL4_AlignmentError);
    CHECK_INVALID_ARG(seL4_ARM_Page_Map(frame, VS, 0x800000000000ul, seL4_AllRights, ATTR), 0);
    CHECK_INVALID_ARG(seL4_ARM_Page_Map(frame, VS, 0x7ffffffff000ul + 4096, seL4_AllRights, ATTR),
                      0);
    /* Mapped frame: remapping elsewhere is refused, in place is allowed. */
    CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, seL4_AllRights, ATTR));
    CHECK_INVALID_ARG(seL4_ARM_Page_Map(frame, VS, V + 4096, seL4_AllRights, ATTR), 0);
    CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, seL4_CanRead, ATTR));
    CHECK_EQ(*(volatile seL4_Word *)V, 0);
    /* Another frame over an existing mapping replaces it silently. */
    CHECK_OK(seL4_ARM_Page_Map(frame2, VS, V, seL4_AllRights, ATTR));
    *(volatile seL4_Word *)V = 42;
    CHECK_EQ(*(volatile seL4_Word *)V, 42);
    /* The displaced frame's cap still thinks it is mapped: its unmap is a
     * checked no-op that leaves frame2 in place. */
    CHECK_OK(seL4_ARM_Page_Unmap(frame));
    CHECK_EQ(*(volatile seL4_Word *)V, 42);
    /* Unknown label on a frame. */
    CHECK_ERR(raw_call(frame, ARMPageTableMap, 0, RAW_MRS(0), 0, RAW_CAPS(0)).words[0] >> 12,
              seL4_IllegalOperation);
}

KARCH_TEST(aarch64_page_table_map_errors)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
    seL4_CPtr pt2 = new_object(ut, seL4_ARM_PageTableObject, 0);
    seL4_CPtr vs = new_object(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr copy = slot_alloc();
    CHECK_ERR(raw_call(pt, ARMPageTableMap, 1, RAW_MRS(V), 1, RAW_CAPS(VS)).words[0] >> 12,
              seL4_TruncatedMessage);
    CHECK_INVALID_CAP(seL4_ARM_PageTable_Map(pt, vs, V, ATTR), 1);
    CHECK_INVALID_ARG(seL4_ARM_PageTable_Map(pt, VS, 0x800000000000ul, ATTR), 0);
    /* An unmapped table cannot be copied. */
    CHECK_ERR(copy_root(copy, pt, seL4_AllRights), seL4_IllegalOperation);
    /* The vaddr is rounded down to what the new table covers. */
    CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, V + 12345, ATTR));
    CHECK_INVALID_CAP(seL4_ARM_PageTable_Map(pt, VS, V, ATTR), 0);
    CHECK_OK(seL4_ARM_PageTable_Map(pt2, VS, V + 0x40000000ul + 5, ATTR));
    /* Unmap refuses while a copy exists. */
    CHECK_OK(copy_root(copy, pt2, seL4_AllRights));
    CHECK_ERR(seL4_ARM_PageTable_Unmap(pt2), seL4_RevokeFirst);
    CHECK_OK(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH));
    CHECK_OK(seL4_ARM_PageTable_Unmap(pt2));
    CHECK_OK(seL4_ARM_PageTable_Unmap(pt2));
    /* Remapped after the unmap, at another place. */
    CHECK_OK(seL4_ARM_PageTable_Map(pt2, VS, V + 0x80000000ul, ATTR));
}

KARCH_TEST(aarch64_asid_pool_assign)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr vs = new_object(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr copy = slot_alloc();
    CHECK_ERR(copy_root(copy, vs, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(raw_call(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 0, RAW_MRS(0), 0, RAW_CAPS(0))
                      .words[0] >>
                  12,
              seL4_TruncatedMessage);
    CHECK_INVALID_CAP(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, ep), 1);
    CHECK_OK(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs));
    CHECK_INVALID_CAP(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), 1);
    CHECK_OK(copy_root(copy, vs, seL4_AllRights));
    CHECK_INVALID_CAP(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, VS), 1);
    /* The new VSpace takes tables and frames (not visible from here). */
    seL4_CPtr frame = new_object(ut, seL4_ARM_SmallPageObject, 0);
    CHECK_LOOKUP_MISSING(seL4_ARM_Page_Map(frame, vs, 0x400000, seL4_AllRights, ATTR), 0, 39);
    for (int i = 0; i < 3; i++) {
        seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
        CHECK_OK(seL4_ARM_PageTable_Map(pt, vs, 0x400000, ATTR));
    }
    CHECK_OK(seL4_ARM_Page_Map(frame, vs, 0x400000, seL4_AllRights, ATTR));
    /* Deleting the VSpace leaves stale caps whose unmaps are no-ops. */
    CHECK_OK(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH));
    CHECK_OK(seL4_CNode_Delete(ROOT, vs, ROOT_DEPTH));
    CHECK_OK(seL4_ARM_Page_Unmap(frame));
}

KARCH_TEST(aarch64_asid_control_make_pool)
{
    seL4_CPtr ut4k = ut_new(12);
    seL4_CPtr ut8k = ut_new(13);
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr dest2 = slot_alloc();
    CHECK_ERR(raw_call(seL4_CapASIDControl, ARMASIDControlMakePool, 2, RAW_MRS(dest, 64), 1,
                       RAW_CAPS(ut4k))
                      .words[0] >>
                  12,
              seL4_TruncatedMessage);
    CHECK_INVALID_CAP(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut8k, ROOT, dest, 64), 1);
    CHECK_INVALID_CAP(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, seL4_CapInitThreadTCB, ROOT, dest, 64),
        1);
    CHECK_ERR(
        seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut4k, ROOT, seL4_CapInitThreadTCB, 64),
        seL4_DeleteFirst);
    CHECK_OK(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut4k, ROOT, dest, 64));
    /* The untyped now has a child. */
    CHECK_ERR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut4k, ROOT, dest2, 64),
              seL4_RevokeFirst);
    /* A VSpace assigned from the new pool maps frames like any other. */
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr vs = new_object(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_OK(seL4_ARM_ASIDPool_Assign(dest, vs));
    seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
    CHECK_OK(seL4_ARM_PageTable_Map(pt, vs, 0, ATTR));
    /* Deleting the pool takes its ASIDs away: the VSpace is unusable. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut4k, ROOT_DEPTH));
    seL4_CPtr pt2 = new_object(ut, seL4_ARM_PageTableObject, 0);
    CHECK_LOOKUP_INVALID_ROOT(seL4_ARM_PageTable_Map(pt2, vs, 0x80000000000ul, ATTR), 0);
}
