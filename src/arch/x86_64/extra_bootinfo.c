/*
 * x86 extra bootinfo (seL4-abi.md 5.3): the VBE information when the boot
 * loader gives it, the ACPI RSDP copy, the multiboot memory map and the TSC
 * frequency, gathered during boot and written after
 * the bootinfo frame in the ABI's chunk format.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <kernel/arch_hooks.h>
#include <machine/io.h>
#include <plat/pit.h>

#define CALIBRATION_ROUNDS 16

static BOOT_DATA struct {
    seL4_X86_BootInfo_VBE vbe; /* valid when haveVBE */
    bool haveVBE;
    seL4_X86_BootInfo_RSDP_t rsdp; /* valid when haveRSDP */
    bool haveRSDP;
    paddr_t rsdpPaddr;                   /* where the firmware keeps it */
    seL4_X86_BootInfo_mmap_t mmap;       /* always present */
    seL4_X86_BootInfo_TSCFreq_t tscFreq; /* always present */
} x86BootExtra;

BOOT_CODE void x86RecordVBE(const void *controlInfo, const void *modeInfo, uint32_t mode,
                            uint32_t seg, uint32_t off, uint32_t len)
{
    seL4_X86_BootInfo_VBE *v = &x86BootExtra.vbe;
    memcpy(&v->vbeInfoBlock, controlInfo, sizeof(v->vbeInfoBlock));
    memcpy(&v->vbeModeInfoBlock, modeInfo, sizeof(v->vbeModeInfoBlock));
    v->vbeMode = mode;
    v->vbeInterfaceSeg = seg;
    v->vbeInterfaceOff = off;
    v->vbeInterfaceLen = len;
    x86BootExtra.haveVBE = true;
}

BOOT_CODE void x86RecordMemoryMapEntry(uint64_t base, uint64_t length, uint32_t type)
{
    seL4_X86_BootInfo_mmap_t *m = &x86BootExtra.mmap;
    word_t n = m->mmap_length / sizeof(seL4_X86_mb_mmap_t);
    if (n == SEL4_MULTIBOOT_MAX_MMAP_ENTRIES) {
        return;
    }
    m->mmap[n] =
        (seL4_X86_mb_mmap_t){ .size = 20, .base_addr = base, .length = length, .type = type };
    m->mmap_length += sizeof(seL4_X86_mb_mmap_t);
}

static BOOT_CODE bool checksumOK(const uint8_t *p, word_t len)
{
    uint8_t sum = 0;
    for (word_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    return sum == 0;
}

static BOOT_CODE bool scanRSDP(paddr_t start, paddr_t end)
{
    for (paddr_t p = start; p + 20 <= end; p += 16) {
        const uint8_t *b = (const uint8_t *)ptrFromPaddr(p);
        if (memcmp(b, "RSD PTR ", 8) == 0 && checksumOK(b, 20)) {
            const seL4_X86_RSDP_t *r = (const seL4_X86_RSDP_t *)b;
            word_t len = r->revision >= 2 ? sizeof(*r) : 20;
            memcpy(&x86BootExtra.rsdp.rsdp, b, len);
            x86BootExtra.haveRSDP = true;
            x86BootExtra.rsdpPaddr = p;
            kprintf("ACPI: RSDP revision %u at %#lx\n", r->revision, (unsigned long)p);
            return true;
        }
    }
    return false;
}

/* ACPI 6.x 5.2.5.1: the first KiB of the EBDA, then 0xE0000-0xFFFFF.
 * Returns its physical address, or 0. */
BOOT_CODE paddr_t x86FindRSDP(void)
{
    paddr_t ebda = (paddr_t)(*(const uint16_t *)ptrFromPaddr(0x40e)) << 4;
    if (!(ebda && scanRSDP(ebda, ebda + 1024)) && !scanRSDP(0xe0000, 0x100000)) {
        kprintf("ACPI: no RSDP found; the extra bootinfo has no RSDP chunk\n");
    }
    return x86BootExtra.rsdpPaddr;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

BOOT_CODE void x86CalibrateTSC(void)
{
    uint64_t ticks = pitMeasure(rdtsc, CALIBRATION_ROUNDS);
    x86BootExtra.tscFreq.tsc_freq_mhz = (uint32_t)(ticks / (PIT_CALIBRATE_MS * 1000u));
    kprintf("TSC: %u MHz\n", x86BootExtra.tscFreq.tsc_freq_mhz);
}

BOOT_CODE word_t Arch_extraBootinfoSize(void)
{
    word_t size = sizeof(seL4_X86_BootInfo_mmap_t) + sizeof(seL4_X86_BootInfo_TSCFreq_t);
    if (x86BootExtra.haveVBE) {
        size += sizeof(seL4_X86_BootInfo_VBE);
    }
    if (x86BootExtra.haveRSDP) {
        size += sizeof(seL4_X86_BootInfo_RSDP_t);
    }
    return size;
}

static BOOT_CODE uint8_t *putChunk(uint8_t *dest, seL4_Word id, void *chunk, word_t len)
{
    seL4_BootInfoHeader *h = chunk;
    h->id = id;
    h->len = len;
    memcpy(dest, chunk, len);
    return dest + len;
}

/* Chunks in seL4's order: VBE, RSDP, memory map, TSC frequency. */
BOOT_CODE void Arch_fillExtraBootinfo(uint8_t *dest, word_t size)
{
    (void)size;
    if (x86BootExtra.haveVBE) {
        dest = putChunk(dest, SEL4_BOOTINFO_HEADER_X86_VBE, &x86BootExtra.vbe,
                        sizeof(x86BootExtra.vbe));
    }
    if (x86BootExtra.haveRSDP) {
        dest = putChunk(dest, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP, &x86BootExtra.rsdp,
                        sizeof(x86BootExtra.rsdp));
    }
    dest = putChunk(dest, SEL4_BOOTINFO_HEADER_X86_MBMMAP, &x86BootExtra.mmap,
                    sizeof(x86BootExtra.mmap));
    putChunk(dest, SEL4_BOOTINFO_HEADER_X86_TSC_FREQ, &x86BootExtra.tscFreq,
             sizeof(x86BootExtra.tscFreq));
}
