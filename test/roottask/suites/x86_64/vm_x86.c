/*
 * x86_64 mappings without faults (semantics 10.1-10.3, seL4-abi.md 8.7):
 * sharing a frame through cap copies, physical addresses, large and huge
 * pages, and every Map/Unmap error of frames and paging structures in the
 * documented check order.
 *
 * Fresh VSpaces come from the root task's ASID pool; root-VSpace windows
 * are the XU_WIN regions of x86util.h. KTEST clean-up deletes everything,
 * which unmaps frames and tables and releases ASIDs.
 */
#include "x86util.h"

#include <string.h>

#define VS seL4_CapInitThreadVSpace
#define RW seL4_ReadWrite
#define DEF seL4_X86_Default_VMAttributes

static volatile seL4_Word *win(int i)
{
    return (volatile seL4_Word *)XU_WIN(i);
}

static seL4_CPtr fresh_vs(seL4_CPtr ut)
{
    return xu_new_vspace(ut, seL4_CapInitThreadASIDPool);
}

/* ---- sharing, addresses, rights ---------------------------------------------------- */

KARCH_TEST(x86_vm_two_mappings_share_frame)
{
    /* The first retype from a boot untyped lands at its base address. */
    int idx = boot_untyped_index(12, 0, 0);
    if (!CHECK_TRUE(idx >= 0)) {
        return;
    }
    use_boot_untyped(idx);
    seL4_Word base = bootinfo()->untypedList[idx].paddr;
    seL4_Word size = 1ul << boot_untyped_bits(idx);
    seL4_CPtr f = new_object(boot_untyped_slot(idx), seL4_X86_4K, 0);
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr copy = slot_alloc();
    if (!f || !ut || !copy || !xu_root_window(ut, 0)) {
        return;
    }
    CHECK_OK(copy_root(copy, f, seL4_AllRights));
    if (!xu_map(f, VS, XU_WIN(0), RW, DEF) || !xu_map(copy, VS, XU_WIN(0) + PAGE_4K, RW, DEF)) {
        return;
    }
    volatile seL4_Word *a = win(0), *b = win(0) + PAGE_4K / sizeof(seL4_Word);
    /* A new frame is zero-filled. */
    seL4_Word nonzero = 0;
    for (seL4_Word i = 0; i < PAGE_4K / sizeof(seL4_Word); i++) {
        nonzero |= a[i];
    }
    CHECK_EQ(nonzero, 0);
    a[0] = 0x1122334455667788ul;
    a[511] = 0xfeedfacecafebeeful;
    CHECK_EQ(b[0], 0x1122334455667788ul);
    CHECK_EQ(b[511], 0xfeedfacecafebeeful);
    b[7] = 0xabcdef;
    CHECK_EQ(a[7], 0xabcdef);

    seL4_Word pa = xu_paddr(f), pb = xu_paddr(copy);
    CHECK_EQ(pa, base);
    CHECK_EQ(pb, pa);
    CHECK_TRUE(pa >= base && pa + PAGE_4K <= base + size);
}

KARCH_TEST(x86_vm_getaddress_follows_watermark)
{
    /* Frames retyped from one untyped sit at increasing, aligned addresses:
     * 3 x 4 KiB from the base, then a 2 MiB page at the next 2 MiB boundary. */
    int idx = boot_untyped_index(23, 0, 0);
    if (!CHECK_TRUE(idx >= 0)) {
        return;
    }
    use_boot_untyped(idx);
    seL4_Word base = bootinfo()->untypedList[idx].paddr;
    seL4_CPtr ut = boot_untyped_slot(idx);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 3);
    seL4_CPtr l = new_object(ut, seL4_X86_LargePageObject, 0);
    seL4_CPtr g = new_object(ut, seL4_X86_4K, 0);
    if (!f || !l || !g) {
        return;
    }
    for (seL4_Word i = 0; i < 3; i++) {
        CHECK_EQ(xu_paddr(f + i), base + i * PAGE_4K);
    }
    CHECK_EQ(xu_paddr(l), base + 2 * MiB);
    CHECK_EQ(xu_paddr(g), base + 4 * MiB);
    /* Unmapped frames answer too, and GetAddress on a non-frame is illegal. */
    seL4_CPtr pt = new_object(ut_new(12), seL4_X86_PageTableObject, 0);
    if (pt) {
        seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(pt);
        CHECK_ERR(r.error, seL4_IllegalOperation);
    }
}

KARCH_TEST(x86_vm_remap_same_vaddr_new_rights)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    if (!f || !xu_root_window(ut, 1) || !xu_map(f, VS, XU_WIN(1), RW, DEF)) {
        return;
    }
    win(1)[3] = 0x5151;
    /* Same vaddr: a remap with new rights / attributes, not an error. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(1), seL4_CanRead, DEF));
    CHECK_EQ(win(1)[3], 0x5151);
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(1), RW, seL4_X86_CacheDisabled));
    win(1)[3] = 0x5252;
    CHECK_EQ(win(1)[3], 0x5252);
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(1), RW, seL4_X86_WriteThrough));
    CHECK_EQ(win(1)[3], 0x5252);
    /* Remap at another vaddr: InvalidArgument(0); the mapping stays. */
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f, VS, XU_WIN(1) + PAGE_4K, RW, DEF), 0);
    CHECK_EQ(win(1)[3], 0x5252);
    /* After Unmap the cap can go anywhere. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    if (xu_map(f, VS, XU_WIN(1) + PAGE_4K, RW, DEF)) {
        CHECK_EQ(win(1)[512 + 3], 0x5252);
    }
}

KARCH_TEST(x86_vm_cache_attributes_accepted)
{
    seL4_CPtr ut = ut_new(15);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 5);
    if (!f || !xu_root_window(ut, 2)) {
        return;
    }
    seL4_Word attrs[5] = { seL4_X86_WriteBack, seL4_X86_WriteThrough, seL4_X86_CacheDisabled,
                           seL4_X86_Uncacheable, seL4_X86_WriteCombining };
    for (int i = 0; i < 5; i++) {
        if (!xu_map(f + i, VS, XU_WIN(2) + (seL4_Word)i * PAGE_4K, RW, attrs[i])) {
            continue;
        }
        volatile seL4_Word *p = win(2) + (seL4_Word)i * 512;
        p[1] = 0x100 + (seL4_Word)i;
        if (!CHECK_EQ(p[1], 0x100 + (seL4_Word)i)) {
            printf("  attribute %lu\n", (unsigned long)attrs[i]);
        }
    }
}

KARCH_TEST(x86_vm_cap_rights_mask_mapping)
{
    /* A read-only cap maps read-only whatever is asked for: reads work
     * (writes fault; see vmfault_x86.c), a RW request is not an error. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr ro = slot_alloc();
    if (!f || !ro || !xu_root_window(ut, 3) || !xu_map(f, VS, XU_WIN(3), RW, DEF)) {
        return;
    }
    win(3)[0] = 0x7777;
    CHECK_OK(copy_root(ro, f, seL4_CanRead));
    if (xu_map(ro, VS, XU_WIN(3) + PAGE_4K, seL4_AllRights, DEF)) {
        CHECK_EQ(win(3)[512], 0x7777);
    }
}

/* ---- large and huge pages ------------------------------------------------------------- */

KARCH_TEST(x86_vm_large_page)
{
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr l = new_object(ut, seL4_X86_LargePageObject, 0);
    seL4_CPtr copy = slot_alloc();
    if (!l || !copy) {
        return;
    }
    CHECK_OK(copy_root(copy, l, seL4_AllRights));
    /* 2 MiB alignment is required. */
    CHECK_ERR(seL4_X86_Page_Map(l, VS, XU_LARGE_WIN(0) + PAGE_4K, RW, DEF), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(l, VS, XU_LARGE_WIN(0) + MiB, RW, DEF), seL4_AlignmentError);
    if (!xu_map(l, VS, XU_LARGE_WIN(0), RW, DEF) || !xu_map(copy, VS, XU_LARGE_WIN(1), RW, DEF)) {
        return;
    }
    volatile seL4_Word *a = (volatile seL4_Word *)XU_LARGE_WIN(0);
    volatile seL4_Word *b = (volatile seL4_Word *)XU_LARGE_WIN(1);
    seL4_Word last = 2 * MiB / sizeof(seL4_Word) - 1;
    CHECK_EQ(a[0], 0);
    CHECK_EQ(a[last], 0);
    a[0] = 0xa0a0;
    a[last] = 0xb1b1;
    a[MiB / sizeof(seL4_Word)] = 0xc2c2;
    CHECK_EQ(b[0], 0xa0a0);
    CHECK_EQ(b[last], 0xb1b1);
    CHECK_EQ(b[MiB / sizeof(seL4_Word)], 0xc2c2);
    seL4_Word pa = xu_paddr(l);
    CHECK_EQ(pa & (2 * MiB - 1), 0);
    CHECK_EQ(xu_paddr(copy), pa);
    /* Unmap and map elsewhere. */
    CHECK_OK(seL4_X86_Page_Unmap(l));
    if (xu_map(l, VS, XU_LARGE_WIN(2), RW, DEF)) {
        CHECK_EQ(((volatile seL4_Word *)XU_LARGE_WIN(2))[last], 0xb1b1);
    }
}

KARCH_TEST(x86_vm_huge_page)
{
    /* Needs a 1 GiB RAM boot untyped. */
    int idx = boot_untyped_index(30, 0, 0);
    if (idx < 0) {
        int any = 0;
        for (seL4_Word i = 0; i < bootinfo()->untyped.end - bootinfo()->untyped.start; i++) {
            any |=
                !bootinfo()->untypedList[i].isDevice && bootinfo()->untypedList[i].sizeBits >= 30;
        }
        CHECK_EQ(any, 0);
        printf("  note: no 1 GiB RAM untyped in bootinfo; huge-page mapping skipped\n");
        return;
    }
    use_boot_untyped(idx);
    seL4_Word base = bootinfo()->untypedList[idx].paddr;
    seL4_CPtr h = new_object(boot_untyped_slot(idx), seL4_X64_HugePageObject, 0);
    seL4_CPtr ut = ut_new(16);
    if (!h || !ut) {
        return;
    }
    CHECK_EQ(xu_paddr(h), base);
    /* Alignment, then a PD in the way (root PDPT entry 0 holds the image PD). */
    CHECK_ERR(seL4_X86_Page_Map(h, VS, XU_HUGE_WIN + 2 * MiB, RW, DEF), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(h, VS, 0, RW, DEF), seL4_DeleteFirst);
    /* A fresh VSpace without a PDPT: FailedLookup, 39 bits left. */
    seL4_CPtr vs = fresh_vs(ut);
    if (vs) {
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(h, vs, GiB, RW, DEF), 0, 39);
    }
    if (!xu_map(h, VS, XU_HUGE_WIN, RW, DEF)) {
        return;
    }
    volatile seL4_Word *p = (volatile seL4_Word *)XU_HUGE_WIN;
    seL4_Word mid = (GiB / 2) / sizeof(seL4_Word), last = GiB / sizeof(seL4_Word) - 1;
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[mid], 0);
    CHECK_EQ(p[last], 0);
    p[0] = 0x1a1a;
    p[mid] = 0x2b2b;
    p[last] = 0x3c3c;
    CHECK_EQ(p[0], 0x1a1a);
    CHECK_EQ(p[mid], 0x2b2b);
    CHECK_EQ(p[last], 0x3c3c);
    /* Under a 1 GiB page there is no PD: 4K and 2M maps find 30 bits left,
     * and a PD cannot go there. */
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr pd = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    if (f && l && pd) {
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, VS, XU_HUGE_WIN + PAGE_4K, RW, DEF), 0, 30);
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(l, VS, XU_HUGE_WIN + 2 * MiB, RW, DEF), 0, 30);
        CHECK_ERR(seL4_X86_PageDirectory_Map(pd, VS, XU_HUGE_WIN, DEF), seL4_DeleteFirst);
    }
    /* The data survive an unmap / remap. */
    CHECK_OK(seL4_X86_Page_Unmap(h));
    if (xu_map(h, VS, XU_HUGE_WIN, RW, DEF)) {
        CHECK_EQ(p[mid], 0x2b2b);
    }
}

/* ---- Page_Map errors -------------------------------------------------------------------- */

KARCH_TEST(x86_vm_map_truncated)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !vs) {
        return;
    }
    seL4_Word rw = seL4_ReadWrite.words[0];
    seL4_MessageInfo_t r;
    r = raw_call(f, X86PageMap, 2, RAW_MRS(0x10000, rw, 0), 1, RAW_CAPS(vs));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    CHECK_EQ(seL4_MessageInfo_get_length(r), 0);
    r = raw_call(f, X86PageMap, 3, RAW_MRS(0x10000, rw, 0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(f, X86PageMap, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* Truncation is checked before the VSpace cap. */
    r = raw_call(f, X86PageMap, 2, RAW_MRS(0x10000, rw, 0), 1, RAW_CAPS(f));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* Table maps need 2 words and the VSpace. */
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    if (pt) {
        r = raw_call(pt, X86PageTableMap, 1, RAW_MRS(0x10000), 1, RAW_CAPS(vs));
        CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
        r = raw_call(pt, X86PageTableMap, 2, RAW_MRS(0x10000, 0), 0, RAW_CAPS(0));
        CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    }
}

KARCH_TEST(x86_vm_map_invalid_vspace)
{
    seL4_CPtr ut = ut_new(15);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pml4 = new_object(ut, seL4_X64_PML4Object, 0); /* no ASID */
    seL4_CPtr pdpt = new_object(ut, seL4_X86_PDPTObject, 0);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    if (!f || !pml4 || !pdpt || !ep) {
        return;
    }
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, pml4, 0x10000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, pdpt, 0x10000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, ep, 0x10000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, f, 0x10000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, seL4_CapInitThreadCNode, 0x10000, RW, DEF), 1);
    /* An empty slot as the VSpace. */
    seL4_CPtr empty = slot_alloc();
    if (empty) {
        CHECK_INVALID_CAP(seL4_X86_Page_Map(f, empty, 0x10000, RW, DEF), 1);
    }
    /* The same for tables. */
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    seL4_CPtr pd = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    if (pt && pd) {
        CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, pml4, 0, DEF), 1);
        CHECK_INVALID_CAP(seL4_X86_PageDirectory_Map(pd, pml4, 0, DEF), 1);
        CHECK_INVALID_CAP(seL4_X86_PDPT_Map(pdpt, pml4, 0, DEF), 1);
        CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, ep, 0, DEF), 1);
    }
}

KARCH_TEST(x86_vm_map_vaddr_too_high)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    seL4_CPtr pd = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pdpt = new_object(ut, seL4_X86_PDPTObject, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !l || !pt || !pd || !pdpt || !vs) {
        return;
    }
    seL4_Word bad[] = { 0x0000800000000000ul, 0xffffff8000000000ul, 0xffffffff80000000ul,
                        0xfffffffffffff000ul, 0x0000fffffffff000ul };
    for (int i = 0; i < 5; i++) {
        int ok = CHECK_INVALID_ARG(seL4_X86_Page_Map(f, vs, bad[i], RW, DEF), 0);
        ok &= CHECK_INVALID_ARG(seL4_X86_PageTable_Map(pt, vs, bad[i], DEF), 0);
        ok &= CHECK_INVALID_ARG(seL4_X86_PageDirectory_Map(pd, vs, bad[i], DEF), 0);
        ok &= CHECK_INVALID_ARG(seL4_X86_PDPT_Map(pdpt, vs, bad[i], DEF), 0);
        /* Into the root VSpace too (its kernel half is shared). */
        ok &= CHECK_INVALID_ARG(seL4_X86_PDPT_Map(pdpt, VS, bad[i], DEF), 0);
        if (!ok) {
            printf("  vaddr 0x%lx\n", (unsigned long)bad[i]);
        }
    }
    /* A frame must end at or below the top: the last 4K / 2M of the user
     * half do not fit (vaddr + size = 2^47 > 0x7fffffffffff). */
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f, vs, 0x00007ffffffff000ul, RW, DEF), 0);
    CHECK_INVALID_ARG(seL4_X86_Page_Map(l, vs, 0x00007fffffe00000ul, RW, DEF), 0);
    /* Below the top the next check is the table walk. */
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, 0x00007fffffffe000ul, RW, DEF), 0, 39);
    CHECK_LOOKUP_MISSING(seL4_X86_PageTable_Map(pt, vs, 0x00007ffffffff000ul, DEF), 0, 39);
    /* Nothing was mapped. */
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_OK(seL4_X86_Page_Unmap(f));
}

KARCH_TEST(x86_vm_map_top_of_user_space)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 2);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !vs || !xu_tables_for(ut, vs, 0x00007fffffffe000ul)) {
        return;
    }
    CHECK_OK(seL4_X86_Page_Map(f, vs, 0x00007fffffffe000ul, RW, DEF));
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f + 1, vs, 0x00007ffffffff000ul, RW, DEF), 0);
    CHECK_OK(seL4_X86_Page_Map(f + 1, vs, 0x00007ffffffe0000ul, RW, DEF));
}

KARCH_TEST(x86_vm_map_mapped_in_other_vspace)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr a = fresh_vs(ut);
    seL4_CPtr b = fresh_vs(ut);
    if (!f || !a || !b || !xu_tables_for(ut, a, 0x10000) || !xu_tables_for(ut, b, 0x10000)) {
        return;
    }
    if (!xu_map(f, a, 0x10000, RW, DEF)) {
        return;
    }
    /* Another VSpace: InvalidCapability(1), whatever the vaddr. */
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, b, 0x10000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, b, 0x20000, RW, DEF), 1);
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, VS, XU_WIN(4), RW, DEF), 1);
    /* Same VSpace, other vaddr: InvalidArgument(0). */
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f, a, 0x20000, RW, DEF), 0);
    /* The other-ASID check comes before the vaddr checks. */
    CHECK_INVALID_CAP(seL4_X86_Page_Map(f, b, 0xffffff8000000000ul, RW, DEF), 1);
    /* The remap check comes before the alignment and range checks. */
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f, a, 0x20800, RW, DEF), 0);
    /* A copy of the cap is unmapped and may go into b. */
    seL4_CPtr c = slot_alloc();
    if (c && CHECK_OK(copy_root(c, f, seL4_AllRights))) {
        CHECK_OK(seL4_X86_Page_Map(c, b, 0x10000, RW, DEF));
    }
    /* After Unmap, f may go into b as well. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_OK(seL4_X86_Page_Map(f, b, 0x11000, RW, DEF));
}

KARCH_TEST(x86_vm_map_alignment)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !l || !vs) {
        return;
    }
    /* Alignment is checked before the table walk (no tables exist). */
    CHECK_ERR(seL4_X86_Page_Map(f, vs, 0x10800, RW, DEF), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(f, vs, 0x10008, RW, DEF), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(l, vs, 0x201000, RW, DEF), seL4_AlignmentError);
    CHECK_ERR(seL4_X86_Page_Map(l, vs, 0x300000, RW, DEF), seL4_AlignmentError);
    /* ... but after the VSpace and range checks. */
    seL4_CPtr pml4 = new_object(ut, seL4_X64_PML4Object, 0);
    if (pml4) {
        CHECK_INVALID_CAP(seL4_X86_Page_Map(f, pml4, 0x10800, RW, DEF), 1);
    }
    CHECK_INVALID_ARG(seL4_X86_Page_Map(f, vs, 0xffffff8000000800ul, RW, DEF), 0);
    /* Aligned: the walk reports the missing PDPT. */
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(l, vs, 0x200000, RW, DEF), 0, 39);
}

KARCH_TEST(x86_vm_map_missing_levels_4k)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !vs) {
        return;
    }
    seL4_Word va = 0x0000123456789000ul;
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, va, RW, DEF), 0, 39);
    if (!xu_table(ut, seL4_X86_PDPTObject, vs, va)) {
        return;
    }
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, va, RW, DEF), 0, 30);
    if (!xu_table(ut, seL4_X86_PageDirectoryObject, vs, va)) {
        return;
    }
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, va, RW, DEF), 0, 21);
    if (!xu_table(ut, seL4_X86_PageTableObject, vs, va)) {
        return;
    }
    CHECK_OK(seL4_X86_Page_Map(f, vs, va, RW, DEF));
    /* A neighbouring 2 MiB region has no PT, another 1 GiB region no PD,
     * another 512 GiB region no PDPT. */
    seL4_CPtr g = new_object(ut, seL4_X86_4K, 0);
    if (g) {
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(g, vs, va + 2 * MiB, RW, DEF), 0, 21);
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(g, vs, va + GiB, RW, DEF), 0, 30);
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(g, vs, va + (512 * GiB), RW, DEF), 0, 39);
    }
}

KARCH_TEST(x86_vm_map_missing_levels_2m)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!l || !vs) {
        return;
    }
    seL4_Word va = 0x0000000240000000ul + 6 * MiB;
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(l, vs, va, RW, DEF), 0, 39);
    if (!xu_table(ut, seL4_X86_PDPTObject, vs, va)) {
        return;
    }
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(l, vs, va, RW, DEF), 0, 30);
    if (!xu_table(ut, seL4_X86_PageDirectoryObject, vs, va)) {
        return;
    }
    CHECK_OK(seL4_X86_Page_Map(l, vs, va, RW, DEF));
}

KARCH_TEST(x86_vm_large_page_over_table)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr l = new_objects(ut_new(22), seL4_X86_LargePageObject, 0, 2);
    seL4_CPtr vs = fresh_vs(ut);
    if (!l || !vs || !xu_tables_for(ut, vs, 0x400000)) {
        return;
    }
    /* A PT is present for 0x400000: DeleteFirst; next to it is fine. */
    CHECK_ERR(seL4_X86_Page_Map(l, vs, 0x400000, RW, DEF), seL4_DeleteFirst);
    CHECK_OK(seL4_X86_Page_Map(l, vs, 0x600000, RW, DEF));
    /* A 2 MiB page over a 2 MiB page is silently replaced. */
    CHECK_OK(seL4_X86_Page_Map(l + 1, vs, 0x600000, RW, DEF));
    /* The displaced cap still believes it is mapped: a map elsewhere is a
     * remap error, and its Unmap is a harmless no-op. */
    CHECK_INVALID_ARG(seL4_X86_Page_Map(l, vs, 0x800000, RW, DEF), 0);
    CHECK_OK(seL4_X86_Page_Unmap(l));
    CHECK_OK(seL4_X86_Page_Map(l, vs, 0x800000, RW, DEF));
}

KARCH_TEST(x86_vm_4k_under_large_page)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    seL4_CPtr vs = fresh_vs(ut);
    if (!l || !f || !pt || !vs || !xu_table(ut, seL4_X86_PDPTObject, vs, 0) ||
        !xu_table(ut, seL4_X86_PageDirectoryObject, vs, 0)) {
        return;
    }
    CHECK_OK(seL4_X86_Page_Map(l, vs, 0x200000, RW, DEF));
    /* The PD entry is a page, not a table: 21 bits left for a 4K map. */
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, 0x201000, RW, DEF), 0, 21);
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, 0x200000, RW, DEF), 0, 21);
    /* And a PT cannot go there. */
    CHECK_ERR(seL4_X86_PageTable_Map(pt, vs, 0x200000, DEF), seL4_DeleteFirst);
    /* After the unmap both work. */
    CHECK_OK(seL4_X86_Page_Unmap(l));
    CHECK_OK(seL4_X86_PageTable_Map(pt, vs, 0x200000, DEF));
    CHECK_OK(seL4_X86_Page_Map(f, vs, 0x201000, RW, DEF));
}

KARCH_TEST(x86_vm_4k_overwrite_silent)
{
    seL4_CPtr ut = ut_new(15);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 2);
    seL4_CPtr c1 = slot_alloc(), c2 = slot_alloc();
    if (!f || !c1 || !c2 || !xu_root_window(ut, 5)) {
        return;
    }
    CHECK_OK(copy_root(c1, f, seL4_AllRights));
    CHECK_OK(copy_root(c2, f + 1, seL4_AllRights));
    if (!xu_map(c1, VS, XU_WIN(5) + PAGE_4K, RW, DEF) ||
        !xu_map(c2, VS, XU_WIN(5) + 2 * PAGE_4K, RW, DEF) || !xu_map(f, VS, XU_WIN(5), RW, DEF)) {
        return;
    }
    volatile seL4_Word *w = win(5);
    w[0] = 0xf1f1;
    /* f + 1 over f at the same vaddr: no error, the entry now maps f + 1. */
    CHECK_OK(seL4_X86_Page_Map(f + 1, VS, XU_WIN(5), RW, DEF));
    CHECK_EQ(w[0], 0);
    w[0] = 0xf2f2;
    CHECK_EQ(w[512], 0xf1f1);  /* f, through its copy */
    CHECK_EQ(w[1024], 0xf2f2); /* f + 1, through its copy */
    /* Unmapping the displaced cap leaves f + 1's mapping alone. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_EQ(w[0], 0xf2f2);
    /* f is free to map again. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(5) + 3 * PAGE_4K, RW, DEF));
    CHECK_EQ(w[3 * 512], 0xf1f1);
}

/* ---- table maps ------------------------------------------------------------------------- */

KARCH_TEST(x86_vm_pt_map_errors)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pt = new_objects(ut, seL4_X86_PageTableObject, 0, 2);
    seL4_CPtr pml4 = new_object(ut, seL4_X64_PML4Object, 0);
    seL4_CPtr vs = fresh_vs(ut);
    seL4_CPtr other = fresh_vs(ut);
    if (!pt || !pml4 || !vs || !other) {
        return;
    }
    seL4_Word va = 0x0000004000000000ul; /* 256 GiB */
    CHECK_LOOKUP_MISSING(seL4_X86_PageTable_Map(pt, vs, va, DEF), 0, 39);
    if (!xu_table(ut, seL4_X86_PDPTObject, vs, va)) {
        return;
    }
    CHECK_LOOKUP_MISSING(seL4_X86_PageTable_Map(pt, vs, va, DEF), 0, 30);
    if (!xu_table(ut, seL4_X86_PageDirectoryObject, vs, va)) {
        return;
    }
    CHECK_OK(seL4_X86_PageTable_Map(pt, vs, va, DEF));
    /* Already mapped: InvalidCapability(0), before any other check. */
    CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, vs, va + 2 * MiB, DEF), 0);
    CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, other, va, DEF), 0);
    CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, pml4, va, DEF), 0);
    CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt, vs, 0xffffff8000000000ul, DEF), 0);
    /* Parent entry present: DeleteFirst. */
    CHECK_ERR(seL4_X86_PageTable_Map(pt + 1, vs, va, DEF), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_PageTable_Map(pt + 1, vs, va + 0x1ff000, DEF), seL4_DeleteFirst);
    /* Unassigned root, then high vaddr, for the second PT. */
    CHECK_INVALID_CAP(seL4_X86_PageTable_Map(pt + 1, pml4, va, DEF), 1);
    CHECK_INVALID_ARG(seL4_X86_PageTable_Map(pt + 1, vs, 0x0000800000000000ul, DEF), 0);
    CHECK_OK(seL4_X86_PageTable_Map(pt + 1, vs, va + 2 * MiB, DEF));
}

KARCH_TEST(x86_vm_pd_map_errors)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr pd = new_objects(ut, seL4_X86_PageDirectoryObject, 0, 2);
    seL4_CPtr vs = fresh_vs(ut);
    if (!pd || !vs) {
        return;
    }
    seL4_Word va = 0x0000010000000000ul; /* 1 TiB */
    CHECK_LOOKUP_MISSING(seL4_X86_PageDirectory_Map(pd, vs, va, DEF), 0, 39);
    if (!xu_table(ut, seL4_X86_PDPTObject, vs, va)) {
        return;
    }
    CHECK_OK(seL4_X86_PageDirectory_Map(pd, vs, va, DEF));
    CHECK_INVALID_CAP(seL4_X86_PageDirectory_Map(pd, vs, va + GiB, DEF), 0);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd + 1, vs, va, DEF), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_PageDirectory_Map(pd + 1, vs, va + GiB - PAGE_4K, DEF), seL4_DeleteFirst);
    CHECK_OK(seL4_X86_PageDirectory_Map(pd + 1, vs, va + GiB, DEF));
    /* The root VSpace's own PD is in the way at 0. */
    seL4_CPtr pd2 = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    if (pd2) {
        CHECK_ERR(seL4_X86_PageDirectory_Map(pd2, VS, 0, DEF), seL4_DeleteFirst);
    }
}

KARCH_TEST(x86_vm_pdpt_map_errors)
{
    seL4_CPtr ut = ut_new(15);
    seL4_CPtr pdpt = new_objects(ut, seL4_X86_PDPTObject, 0, 2);
    seL4_CPtr vs = fresh_vs(ut);
    if (!pdpt || !vs) {
        return;
    }
    seL4_Word va = 0x0000500000000000ul;
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, vs, va, DEF));
    CHECK_INVALID_CAP(seL4_X86_PDPT_Map(pdpt, vs, va + 512 * GiB, DEF), 0);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt + 1, vs, va, DEF), seL4_DeleteFirst);
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt + 1, vs, va + 511 * GiB, DEF), seL4_DeleteFirst);
    /* The root VSpace's PDPT covers 0..512 GiB. */
    CHECK_ERR(seL4_X86_PDPT_Map(pdpt + 1, VS, 0x1000, DEF), seL4_DeleteFirst);
    CHECK_OK(seL4_X86_PDPT_Map(pdpt + 1, vs, va + 512 * GiB, DEF));
}

KARCH_TEST(x86_vm_table_vaddr_rounded_down)
{
    /* Table maps take any vaddr in their range (no AlignmentError). */
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 2);
    seL4_CPtr vs = fresh_vs(ut);
    if (!f || !vs) {
        return;
    }
    seL4_Word va = 0x0000003fc0123456ul;
    if (!xu_table(ut, seL4_X86_PDPTObject, vs, va) ||
        !xu_table(ut, seL4_X86_PageDirectoryObject, vs, va + 0x777) ||
        !xu_table(ut, seL4_X86_PageTableObject, vs, va + 0x1234)) {
        return;
    }
    seL4_Word base2m = va & ~(2 * MiB - 1);
    CHECK_OK(seL4_X86_Page_Map(f, vs, base2m, RW, DEF));
    CHECK_OK(seL4_X86_Page_Map(f + 1, vs, base2m + 2 * MiB - PAGE_4K, RW, DEF));
    /* The table covers exactly that 2 MiB region. */
    seL4_CPtr g = new_object(ut, seL4_X86_4K, 0);
    if (g) {
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(g, vs, base2m + 2 * MiB, RW, DEF), 0, 21);
        /* base2m is also the start of the PD's 1 GiB: below it there is no PD. */
        CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(g, vs, base2m - PAGE_4K, RW, DEF), 0, 30);
    }
}

KARCH_TEST(x86_vm_table_unmap_not_final)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr vs = fresh_vs(ut);
    seL4_CPtr c = slot_alloc_range(3);
    if (!vs || !c) {
        return;
    }
    seL4_CPtr pdpt = xu_table(ut, seL4_X86_PDPTObject, vs, 0);
    seL4_CPtr pd = xu_table(ut, seL4_X86_PageDirectoryObject, vs, 0);
    seL4_CPtr pt = xu_table(ut, seL4_X86_PageTableObject, vs, 0);
    if (!pdpt || !pd || !pt) {
        return;
    }
    /* Mapped tables can be copied; while a copy exists, Unmap (of either
     * cap) is refused. */
    if (!CHECK_OK(copy_root(c, pt, seL4_AllRights)) ||
        !CHECK_OK(copy_root(c + 1, pd, seL4_AllRights)) ||
        !CHECK_OK(copy_root(c + 2, pdpt, seL4_AllRights))) {
        return;
    }
    CHECK_ERR(seL4_X86_PageTable_Unmap(pt), seL4_RevokeFirst);
    CHECK_ERR(seL4_X86_PageTable_Unmap(c), seL4_RevokeFirst);
    CHECK_ERR(seL4_X86_PageDirectory_Unmap(pd), seL4_RevokeFirst);
    CHECK_ERR(seL4_X86_PageDirectory_Unmap(c + 1), seL4_RevokeFirst);
    CHECK_ERR(seL4_X86_PDPT_Unmap(pdpt), seL4_RevokeFirst);
    CHECK_ERR(seL4_X86_PDPT_Unmap(c + 2), seL4_RevokeFirst);
    /* Still mapped: a second table cannot take the place. */
    seL4_CPtr pt2 = new_object(ut, seL4_X86_PageTableObject, 0);
    if (pt2) {
        CHECK_ERR(seL4_X86_PageTable_Map(pt2, vs, 0, DEF), seL4_DeleteFirst);
    }
    /* Without the copies Unmap works. */
    CHECK_OK(seL4_CNode_Delete(ROOT, c, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_OK(seL4_CNode_Delete(ROOT, c + 1, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PageDirectory_Unmap(pd));
    CHECK_OK(seL4_CNode_Delete(ROOT, c + 2, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PDPT_Unmap(pdpt));
    /* An unmapped table cannot be copied any more. */
    CHECK_ERR(copy_root(c, pt, seL4_AllRights), seL4_IllegalOperation);
}

KARCH_TEST(x86_vm_table_unmap_and_remap)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr vs = fresh_vs(ut);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pt2 = new_object(ut, seL4_X86_PageTableObject, 0);
    if (!vs || !f || !pt2) {
        return;
    }
    seL4_CPtr pt = xu_tables_for(ut, vs, 0x30000000);
    if (!pt || !xu_map(f, vs, 0x30001000, RW, DEF)) {
        return;
    }
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    /* The PD slot is free again: another PT fits, the frame walk finds it. */
    CHECK_OK(seL4_X86_PageTable_Map(pt2, vs, 0x30000000, DEF));
    /* The old PT may be mapped elsewhere. */
    CHECK_OK(seL4_X86_PageTable_Map(pt, vs, 0x30200000, DEF));
    /* Unmap twice is fine. */
    CHECK_OK(seL4_X86_PageTable_Unmap(pt2));
    CHECK_OK(seL4_X86_PageTable_Unmap(pt2));
    /* The frame cap still records its mapping; a remap at its own vaddr
     * needs a PT there again. */
    CHECK_LOOKUP_MISSING(seL4_X86_Page_Map(f, vs, 0x30001000, RW, DEF), 0, 21);
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_OK(seL4_X86_Page_Map(f, vs, 0x30201000, RW, DEF));
}

KARCH_TEST(x86_vm_table_delete_unmaps)
{
    seL4_CPtr ut = ut_new(15);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr pt = xu_root_window(ut, 6);
    seL4_CPtr pt2 = new_object(ut, seL4_X86_PageTableObject, 0);
    if (!f || !pt || !pt2 || !xu_map(f, VS, XU_WIN(6), RW, DEF)) {
        return;
    }
    win(6)[9] = 99;
    CHECK_ERR(seL4_X86_PageTable_Map(pt2, VS, XU_WIN(6), DEF), seL4_DeleteFirst);
    CHECK_OK(seL4_CNode_Delete(ROOT, pt, ROOT_DEPTH));
    CHECK_OK(seL4_X86_PageTable_Map(pt2, VS, XU_WIN(6), DEF));
    /* The frame's cap refers to a mapping that is gone: Unmap is a no-op. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    if (xu_map(f, VS, XU_WIN(6) + PAGE_4K, RW, DEF)) {
        CHECK_EQ(win(6)[512 + 9], 99);
    }
}

KARCH_TEST(x86_vm_pml4_no_invocations)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr vs = fresh_vs(ut);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    if (!vs || !f) {
        return;
    }
    seL4_Word labels[] = {
        X86PDPTMap, X86PDPTUnmap, X86PageDirectoryMap, X86PageTableMap,   X86PageTableUnmap,
        X86PageMap, X86PageUnmap, X86PageGetAddress,   X86ASIDPoolAssign, 0
    };
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        seL4_MessageInfo_t r = raw_call(
            vs, labels[i], 3, RAW_MRS(0x1000, seL4_ReadWrite.words[0], 0), 1, RAW_CAPS(vs));
        if (!CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation)) {
            printf("  label %lu\n", (unsigned long)labels[i]);
        }
    }
    /* Also the root task's own PML4. */
    seL4_MessageInfo_t r = raw_call(VS, X86PageUnmap, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    /* And a frame does not take table labels. */
    r = raw_call(f, X86PageTableUnmap, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    r = raw_call(f, X86PageTableMap, 2, RAW_MRS(0x1000, 0), 1, RAW_CAPS(vs));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
}

KARCH_TEST(x86_vm_unmap_after_vspace_deleted)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr vs = fresh_vs(ut);
    seL4_CPtr f = new_objects(ut, seL4_X86_4K, 0, 2);
    if (!vs || !f) {
        return;
    }
    seL4_CPtr pdpt = xu_table(ut, seL4_X86_PDPTObject, vs, 0x10000);
    seL4_CPtr pd = xu_table(ut, seL4_X86_PageDirectoryObject, vs, 0x10000);
    seL4_CPtr pt = xu_table(ut, seL4_X86_PageTableObject, vs, 0x10000);
    if (!pdpt || !pd || !pt || !xu_map(f, vs, 0x10000, RW, DEF) ||
        !xu_map(f + 1, vs, 0x11000, RW, DEF)) {
        return;
    }
    CHECK_OK(seL4_CNode_Delete(ROOT, vs, ROOT_DEPTH));
    /* Stale mappings: every Unmap succeeds silently. */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_OK(seL4_X86_PageDirectory_Unmap(pd));
    CHECK_OK(seL4_X86_PDPT_Unmap(pdpt));
    CHECK_OK(seL4_CNode_Delete(ROOT, f + 1, ROOT_DEPTH));
    /* The caps are unmapped now and usable in a new VSpace. */
    seL4_CPtr vs2 = fresh_vs(ut);
    if (!vs2) {
        return;
    }
    CHECK_OK(seL4_X86_PDPT_Map(pdpt, vs2, 0x10000, DEF));
    CHECK_OK(seL4_X86_PageDirectory_Map(pd, vs2, 0x10000, DEF));
    CHECK_OK(seL4_X86_PageTable_Map(pt, vs2, 0x10000, DEF));
    CHECK_OK(seL4_X86_Page_Map(f, vs2, 0x10000, RW, DEF));
}

KARCH_TEST(x86_vm_unmap_never_mapped)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr f = new_object(ut, seL4_X86_4K, 0);
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    seL4_CPtr pt = new_object(ut, seL4_X86_PageTableObject, 0);
    seL4_CPtr pd = new_object(ut, seL4_X86_PageDirectoryObject, 0);
    seL4_CPtr pdpt = new_object(ut, seL4_X86_PDPTObject, 0);
    if (!f || !l || !pt || !pd || !pdpt) {
        return;
    }
    CHECK_OK(seL4_X86_Page_Unmap(f));
    CHECK_OK(seL4_X86_Page_Unmap(l));
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_OK(seL4_X86_PageDirectory_Unmap(pd));
    CHECK_OK(seL4_X86_PDPT_Unmap(pdpt));
    /* Unmap on a cap of the wrong kind is not an Unmap. */
    CHECK_ERR(seL4_X86_PageTable_Unmap(f), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_Page_Unmap(pt), seL4_IllegalOperation);
}
