/*
 * x86_64 parts of the boot contract: fixed slots, paging caps, the extra
 * bootinfo chunks and the multiboot memory map against the untyped list.
 */
#include "../../framework/test.h"
#include "../captypes.h"

#include <stdint.h>
#include <string.h>

static seL4_BootInfo *bi(void)
{
    return seL4_GetBootInfo();
}

/* Walk the extra bootinfo chunks; returns the chunk with `id` or NULL. */
static seL4_BootInfoHeader *findChunk(seL4_Word id)
{
    uint8_t *p = (uint8_t *)bi() + PAGE_SIZE;
    uint8_t *end = p + bi()->extraLen;
    while (p < end) {
        seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)p;
        if (h->len < sizeof(*h)) {
            return NULL;
        }
        if (h->id == id) {
            return h;
        }
        p += h->len;
    }
    return NULL;
}

ARCH_TEST(x86_extra_bootinfo_chunks)
{
    CHECK_TRUE(bi()->extraLen > 0);
    CHECK_TRUE(bi()->extraBIPages.end > bi()->extraBIPages.start);
    /* The chunks tile extraLen exactly. */
    seL4_Word total = 0, count = 0;
    uint8_t *p = (uint8_t *)bi() + PAGE_SIZE;
    while (total < bi()->extraLen && count < 16) {
        seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)(p + total);
        CHECK_TRUE(h->id > SEL4_BOOTINFO_HEADER_PADDING && h->id < SEL4_BOOTINFO_HEADER_NUM);
        if (!CHECK_TRUE(h->len >= sizeof(*h))) {
            return;
        }
        total += h->len;
        count++;
    }
    CHECK_EQ(total, bi()->extraLen);

    seL4_X86_BootInfo_mmap_t *mm = (void *)findChunk(SEL4_BOOTINFO_HEADER_X86_MBMMAP);
    if (CHECK_TRUE(mm != NULL)) {
        CHECK_EQ(mm->header.len, 1220);
        CHECK_TRUE(mm->mmap_length > 0 && mm->mmap_length % 24 == 0);
    }
    seL4_X86_BootInfo_TSCFreq_t *tsc = (void *)findChunk(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    if (CHECK_TRUE(tsc != NULL)) {
        CHECK_EQ(tsc->header.len, 20);
        CHECK_TRUE(tsc->tsc_freq_mhz > 100 && tsc->tsc_freq_mhz < 100000);
    }
    seL4_X86_BootInfo_RSDP_t *rsdp = (void *)findChunk(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    if (CHECK_TRUE(rsdp != NULL)) {
        CHECK_EQ(rsdp->header.len, 16 + 36);
        CHECK_EQ(memcmp(rsdp->rsdp.signature, "RSD PTR ", 8), 0);
    }
}

/* RAM the kernel manages: multiboot RAM at or above 1 MiB, whole pages. */
typedef struct {
    seL4_Word start, end;
} range_t;

#define MAX_RANGES 64

static int ramRanges(seL4_X86_BootInfo_mmap_t *mm, range_t *out)
{
    int n = 0;
    for (seL4_Word i = 0; i < mm->mmap_length / 24 && n < MAX_RANGES; i++) {
        seL4_X86_mb_mmap_t *e = &mm->mmap[i];
        if (e->type != SEL4_MULTIBOOT_RAM_REGION_TYPE) {
            continue;
        }
        seL4_Word lo = ROUND_UP_PAGE(e->base_addr < 0x100000 ? 0x100000 : e->base_addr);
        seL4_Word hi = (e->base_addr + e->length) & ~(PAGE_SIZE - 1);
        if (hi > lo) {
            out[n++] = (range_t){ lo, hi };
        }
    }
    return n;
}

static seL4_Word overlap(range_t r, seL4_Word start, seL4_Word end)
{
    seL4_Word lo = r.start > start ? r.start : start;
    seL4_Word hi = r.end < end ? r.end : end;
    return hi > lo ? hi - lo : 0;
}

/* Bytes the kernel takes from RAM for the root server: its image and the
 * objects of seL4-abi.md 5.4 (root CNode, VSpace root, paging structures,
 * ASID pool, IPC buffer, bootinfo, extra bootinfo, TCB). */
static seL4_Word rootServerBytes(void)
{
    seL4_BootInfo *b = bi();
    seL4_Word pages = (b->userImageFrames.end - b->userImageFrames.start) +
                      (b->userImagePaging.end - b->userImagePaging.start) +
                      (b->extraBIPages.end - b->extraBIPages.start) + 4;
    return pages * PAGE_SIZE + (1ul << (b->initThreadCNodeSizeBits + seL4_SlotBits)) +
           (1ul << seL4_TCBBits);
}

ARCH_TEST(x86_untypeds_cover_memory)
{
    seL4_X86_BootInfo_mmap_t *mm = (void *)findChunk(SEL4_BOOTINFO_HEADER_X86_MBMMAP);
    if (!CHECK_TRUE(mm != NULL)) {
        return;
    }
    range_t ram[MAX_RANGES];
    int nRam = ramRanges(mm, ram);
    seL4_Word ramBytes = 0;
    for (int r = 0; r < nRam; r++) {
        ramBytes += ram[r].end - ram[r].start;
    }
    seL4_Word ramUntyped = 0, device = 0, kernelBlock = 0;
    for (seL4_Word i = 0; i < bi()->untyped.end - bi()->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi()->untypedList[i];
        seL4_Word size = 1ul << u->sizeBits, inRAM = 0;
        for (int r = 0; r < nRam; r++) {
            inRAM += overlap(ram[r], u->paddr, u->paddr + size);
        }
        if (u->isDevice) {
            device += size;
            if (!CHECK_EQ(inRAM, 0)) {
                printf("  device untyped at %#lx overlaps RAM\n", (unsigned long)u->paddr);
            }
        } else {
            ramUntyped += size;
            if (!CHECK_EQ(inRAM, size)) {
                printf("  RAM untyped at %#lx lies outside RAM\n", (unsigned long)u->paddr);
            }
        }
    }
    /* The kernel image starts at 1 MiB: the first untyped above it marks
     * its end. */
    seL4_Word firstAbove = ~0ul;
    for (seL4_Word i = 0; i < bi()->untyped.end - bi()->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi()->untypedList[i];
        if (!u->isDevice && u->paddr >= 0x100000 && u->paddr < firstAbove) {
            firstAbove = u->paddr;
        }
    }
    kernelBlock = firstAbove - 0x100000;
    /* Device untypeds cover exactly everything below 2^47 that is not RAM. */
    CHECK_EQ(device + ramBytes, 1ul << 47);
    /* All other RAM is handed out, except exactly the root server's image
     * and objects. */
    CHECK_TRUE(kernelBlock > 0 && kernelBlock < (1ul << 20));
    if (!CHECK_EQ(ramBytes - ramUntyped - kernelBlock, rootServerBytes())) {
        printf("  RAM %lu KiB, in untypeds %lu KiB, kernel image %lu KiB\n",
               (unsigned long)(ramBytes >> 10), (unsigned long)(ramUntyped >> 10),
               (unsigned long)(kernelBlock >> 10));
    }
}
