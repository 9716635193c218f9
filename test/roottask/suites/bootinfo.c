/*
 * The boot contract (semantics.md 11, seL4-abi.md 5): the bootinfo frame,
 * the slot regions and the untyped list the kernel hands the root server.
 */
#include "../framework/test.h"
#include "captypes.h"

static seL4_BootInfo *bi(void)
{
    return seL4_GetBootInfo();
}

static seL4_Word regionSize(seL4_SlotRegion r)
{
    return r.end - r.start;
}

TEST(bootinfo_fixed_fields)
{
    CHECK_EQ(bi()->nodeID, 0);
    CHECK_EQ(bi()->numNodes, 1);
#ifdef CONFIG_ARCH_X86_64
    CHECK_EQ(bi()->numIOPTLevels, (seL4_Word)-1);
#else
    CHECK_EQ(bi()->numIOPTLevels, 0);
#endif
    CHECK_EQ(bi()->initThreadCNodeSizeBits, CONFIG_ROOT_CNODE_SIZE_BITS);
    CHECK_EQ(bi()->initThreadDomain, 0);
    CHECK_EQ(regionSize(bi()->sharedFrames), 0);
    CHECK_EQ(regionSize(bi()->ioSpaceCaps), 0);
}

TEST(bootinfo_layout_after_image)
{
    seL4_Word imageEnd = ROUND_UP_PAGE((seL4_Word)_end);
    CHECK_EQ((seL4_Word)bi()->ipcBuffer, imageEnd);
    CHECK_EQ((seL4_Word)bi(), imageEnd + PAGE_SIZE);
    CHECK_EQ((seL4_Word)seL4_GetIPCBuffer(), (seL4_Word)bi()->ipcBuffer);
}

TEST(bootinfo_slot_regions_in_order)
{
    seL4_BootInfo *b = bi();
    CHECK_EQ(b->userImagePaging.start, seL4_NumInitialCaps);
    CHECK_EQ(b->extraBIPages.start, b->userImagePaging.end);
    CHECK_EQ(b->userImageFrames.start, b->extraBIPages.end);
    CHECK_EQ(b->untyped.start, b->userImageFrames.end);
    CHECK_EQ(b->empty.start, b->untyped.end);
    CHECK_EQ(b->empty.end, 1ul << CONFIG_ROOT_CNODE_SIZE_BITS);
    CHECK_TRUE(regionSize(b->untyped) > 0);
    CHECK_TRUE(regionSize(b->untyped) <= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
}

TEST(bootinfo_image_frames_cover_image)
{
    seL4_Word pages = (ROUND_UP_PAGE((seL4_Word)_end) - IMAGE_START) / PAGE_SIZE;
    CHECK_EQ(regionSize(bi()->userImageFrames), pages);
}

/* One table per 512 GiB, 1 GiB and 2 MiB block the mapped range touches. */
static seL4_Word blocks(seL4_Word start, seL4_Word end, unsigned bits)
{
    seL4_Word lo = start >> bits, hi = (end + (1ul << bits) - 1) >> bits;
    return hi - lo;
}

TEST(bootinfo_paging_caps_cover_range)
{
    seL4_Word end = (seL4_Word)bi() + PAGE_SIZE + regionSize(bi()->extraBIPages) * PAGE_SIZE;
    seL4_Word expected =
        blocks(IMAGE_START, end, 39) + blocks(IMAGE_START, end, 30) + blocks(IMAGE_START, end, 21);
    CHECK_EQ(regionSize(bi()->userImagePaging), expected);
}

TEST(bootinfo_untyped_sizes_aligned)
{
    seL4_Word n = regionSize(bi()->untyped);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_UntypedDesc *u = &bi()->untypedList[i];
        if (!CHECK_TRUE(u->sizeBits >= seL4_MinUntypedBits && u->sizeBits <= seL4_MaxUntypedBits)) {
            printf("  untyped %lu has size bits %u\n", (unsigned long)i, u->sizeBits);
        }
        if (!CHECK_EQ(u->paddr & ((1ul << u->sizeBits) - 1), 0)) {
            printf("  untyped %lu at %#lx is not aligned to 2^%u\n", (unsigned long)i,
                   (unsigned long)u->paddr, u->sizeBits);
        }
        CHECK_TRUE(u->isDevice == 0 || u->isDevice == 1);
        for (int p = 0; p < 6; p++) {
            CHECK_EQ(u->padding[p], 0);
        }
    }
}

TEST(bootinfo_untypeds_disjoint)
{
    seL4_Word n = regionSize(bi()->untyped);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_UntypedDesc *a = &bi()->untypedList[i];
        seL4_Word aEnd = a->paddr + (1ul << a->sizeBits);
        for (seL4_Word j = i + 1; j < n; j++) {
            seL4_UntypedDesc *b = &bi()->untypedList[j];
            seL4_Word bEnd = b->paddr + (1ul << b->sizeBits);
            if (!CHECK_TRUE(aEnd <= b->paddr || bEnd <= a->paddr)) {
                printf("  untyped %lu [%#lx,%#lx) overlaps %lu [%#lx,%#lx)\n", (unsigned long)i,
                       (unsigned long)a->paddr, (unsigned long)aEnd, (unsigned long)j,
                       (unsigned long)b->paddr, (unsigned long)bEnd);
            }
        }
    }
}

TEST(bootinfo_untyped_order_device_first)
{
    /* Device untypeds come first, then RAM, each in increasing address order. */
    seL4_Word n = regionSize(bi()->untyped);
    int seenRAM = 0;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_UntypedDesc *u = &bi()->untypedList[i];
        if (!u->isDevice) {
            seenRAM = 1;
        } else {
            CHECK_TRUE(!seenRAM);
        }
        if (i > 0 && bi()->untypedList[i - 1].isDevice == u->isDevice) {
            CHECK_TRUE(bi()->untypedList[i - 1].paddr < u->paddr);
        }
    }
    CHECK_TRUE(seenRAM);
}
