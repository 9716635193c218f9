/*
 * x86_64 object types from Untyped_Retype (semantics 3.3, seL4-abi.md 6.1,
 * 5.7): 4 KiB / 2 MiB / 1 GiB frames and the four paging structures, their
 * sizes and NotEnoughMemory boundaries, device untypeds, and the deriveCap
 * rules of semantics 2.4 for them (unmapped tables cannot be copied).
 */
#include "../helpers.h"

#define MiB (1ul << 20)
#define GiB (1ul << 30)

KARCH_TEST(x86_retype_4k_frames)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr s = slot_alloc_range(5);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_X86_4K, 0, s, 4));
    CHECK_BYTES_LEFT(ut, 0);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X86_4K, 0, s + 4, 1), 0);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_OK(retype_root(ut, seL4_X86_4K, 0, s, 1));
    CHECK_BYTES_LEFT(ut, 3 * 4096);
}

KARCH_TEST(x86_retype_large_pages)
{
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr small = ut_new(20);
    seL4_CPtr s = slot_alloc_range(4);
    if (!ut || !small || !s) {
        return;
    }
    CHECK_NOT_ENOUGH_MEM(retype_root(small, seL4_X86_LargePageObject, 0, s, 1), MiB);
    CHECK_OK(retype_root(ut, seL4_X86_LargePageObject, 0, s, 2));
    CHECK_BYTES_LEFT(ut, 0);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X86_LargePageObject, 0, s + 2, 1), 0);
    /* After a 16-byte object only one 2 MiB page fits, at the 2 MiB mark. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 1));
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X86_LargePageObject, 0, s + 1, 2), 4 * MiB - 16);
    CHECK_OK(retype_root(ut, seL4_X86_LargePageObject, 0, s + 1, 1));
    CHECK_BYTES_LEFT(ut, 0);
}

KARCH_TEST(x86_retype_huge_page)
{
    /* Needs a 1 GiB RAM boot untyped; its first retype zeroes all of it. */
    int idx = boot_untyped_index(30, 0, 0);
    seL4_CPtr s = slot_alloc_range(3);
    if (!CHECK_TRUE(idx >= 0) || !s) {
        return;
    }
    use_boot_untyped(idx);
    seL4_CPtr ut = boot_untyped_slot(idx);
    seL4_Word size = 1ul << boot_untyped_bits(idx);
    CHECK_OK(retype_root(ut, seL4_X86_4K, 0, s, 1));
    if (size == GiB) {
        CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X64_HugePageObject, 0, s + 1, 1), GiB - 4096);
    }
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_OK(retype_root(ut, seL4_X64_HugePageObject, 0, s + 1, 1));
    CHECK_BYTES_LEFT(ut, size - GiB);
    if (size == GiB) {
        CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X64_HugePageObject, 0, s + 2, 1), 0);
        CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X86_4K, 0, s + 2, 1), 0);
    }
}

KARCH_TEST(x86_retype_paging_structures)
{
    /* PT, PD, PDPT and PML4 are 4 KiB each. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr s = slot_alloc_range(5);
    if (!ut || !s) {
        return;
    }
    seL4_Word types[] = { seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject,
                          seL4_X86_PDPTObject, seL4_X64_PML4Object };
    for (int i = 0; i < 4; i++) {
        if (!CHECK_OK(retype_root(ut, types[i], 0, s + i, 1)) ||
            !CHECK_BYTES_LEFT(ut, (3 - i) * 4096ul)) {
            printf("  type %lu\n", (unsigned long)types[i]);
        }
    }
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_X86_PageTableObject, 0, s + 4, 1), 0);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_OK(retype_root(ut, seL4_X64_PML4Object, 0, s, 4));
    CHECK_BYTES_LEFT(ut, 0);
}

KARCH_TEST(x86_paging_structure_alignment)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr s = slot_alloc_range(4);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 1));          /* [0, 16) */
    CHECK_OK(retype_root(ut, seL4_X86_PageTableObject, 0, s + 1, 1)); /* [4K, 8K) */
    CHECK_BYTES_LEFT(ut, 8192);
    CHECK_OK(retype_root(ut, seL4_NotificationObject, 0, s + 2, 1)); /* [8K, 8K+32) */
    CHECK_BYTES_LEFT(ut, 8192 - 32);
    CHECK_OK(retype_root(ut, seL4_X86_4K, 0, s + 3, 1)); /* [12K, 16K) */
    CHECK_BYTES_LEFT(ut, 0);
}

KARCH_TEST(x86_frame_size_bits_ignored)
{
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr s = slot_alloc_range(2);
    if (!ut || !s) {
        return;
    }
    CHECK_RANGE_ERR(retype_root(ut, seL4_X86_4K, 64, s, 1), 0, 47);
    CHECK_OK(retype_root(ut, seL4_X86_4K, 30, s, 1));
    CHECK_BYTES_LEFT(ut, 4 * MiB - 4096);
    /* Padding up to the 2 MiB mark is consumed. */
    CHECK_OK(retype_root(ut, seL4_X86_LargePageObject, 0, s + 1, 1));
    CHECK_BYTES_LEFT(ut, 0);
}

KARCH_TEST(x86_device_untyped_frames_only)
{
    /* Frames come from device untypeds; paging structures do not. */
    seL4_CPtr dev = ut_new_device(22);
    seL4_CPtr s = slot_alloc_range(3);
    if (!dev || !s) {
        return;
    }
    seL4_Word tables[] = { seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject,
                           seL4_X86_PDPTObject, seL4_X64_PML4Object };
    for (int i = 0; i < 4; i++) {
        if (!CHECK_INVALID_ARG(retype_root(dev, tables[i], 0, s, 1), 1)) {
            printf("  type %lu\n", (unsigned long)tables[i]);
        }
    }
    CHECK_EMPTY(s);
    CHECK_OK(retype_root(dev, seL4_X86_4K, 0, s, 1));
    CHECK_OK(retype_root(dev, seL4_X86_LargePageObject, 0, s + 1, 1));
    CHECK_BYTES_LEFT(dev, 0);
    CHECK_NOT_ENOUGH_MEM(retype_root(dev, seL4_X86_4K, 0, s + 2, 1), 0);
}

KARCH_TEST(x86_object_types_beyond_count)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    /* IOMMU and VT-x are off: their types are not valid. */
    CHECK_EQ(seL4_ObjectTypeCount, 12);
    CHECK_INVALID_ARG(retype_root(ut, 12, 0, s, 1), 0);
    CHECK_INVALID_ARG(retype_root(ut, seL4_X86_IOPageTableObject, 0, s, 1), 0);
    CHECK_INVALID_ARG(retype_root(ut, seL4_X86_EPTPML4Object, 0, s, 1), 0);
    CHECK_EMPTY(s);
}

KARCH_TEST(x86_copy_unmapped_paging_structures_illegal)
{
    /* deriveCap: PT/PD/PDPT only when mapped, PML4 only with an ASID =>
     * IllegalOperation; frames copy (mapping info cleared). Move does not
     * derive. */
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr s = slot_alloc_range(4);
    seL4_CPtr d = slot_alloc_range(4);
    if (!ut || !s || !d) {
        return;
    }
    seL4_Word tables[] = { seL4_X86_PageTableObject, seL4_X86_PageDirectoryObject,
                           seL4_X86_PDPTObject, seL4_X64_PML4Object };
    for (int i = 0; i < 4; i++) {
        int ok = CHECK_OK(retype_root(ut, tables[i], 0, s + i, 1));
        ok &= CHECK_ERR(copy_root(d, s + i, seL4_AllRights), seL4_IllegalOperation);
        ok &= CHECK_ERR(mint_root(d, s + i, seL4_AllRights, 0), seL4_IllegalOperation);
        ok &= CHECK_EMPTY(d);
        if (!ok) {
            printf("  type %lu\n", (unsigned long)tables[i]);
        }
    }
    CHECK_OK(move_root(d, s));
    CHECK_OK(move_root(s, d));
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr l = new_object(ut, seL4_X86_LargePageObject, 0);
    if (!f || !l) {
        return;
    }
    CHECK_OK(copy_root(d + 1, f, seL4_AllRights));
    CHECK_OK(copy_root(d + 2, l, seL4_CanRead));
    CHECK_OK(mint_root(d + 3, f, seL4_AllRights, 0));
}

KARCH_TEST(x86_copy_io_port_control_illegal)
{
    seL4_CPtr d = slot_alloc();
    if (!d) {
        return;
    }
    CHECK_ERR(copy_root(d, seL4_CapIOPortControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(mint_root(d, seL4_CapIOPortControl, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(d);
    CHECK_OCCUPIED(seL4_CapIOPortControl);
}
