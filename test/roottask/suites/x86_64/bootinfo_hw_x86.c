/*
 * The x86 extra bootinfo against the machine (seL4-abi.md 5.3, semantics
 * 11, platform-facts.md 1.4-1.8): the RSDP chunk (signature, checksum,
 * revision) and the ACPI tables it leads to, read through frames of a
 * device untyped; the memory-map chunk equals QEMU's e820 map for -m 3G;
 * the TSC frequency equals the rate measured against the PIT (channel 2,
 * gated through port 0x61) and against the ACPI PM timer.
 */
#include "x86util.h"

#include <string.h>

static uint8_t sum8(const volatile uint8_t *p, seL4_Word n)
{
    uint8_t s = 0;
    for (seL4_Word i = 0; i < n; i++) {
        s = (uint8_t)(s + p[i]);
    }
    return s;
}

KARCH_TEST(x86_bi_rsdp_chunk)
{
    seL4_X86_BootInfo_RSDP_t *c = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    if (!CHECK_TRUE(c != NULL)) {
        return;
    }
    CHECK_EQ(c->header.id, SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    CHECK_EQ(c->header.len, sizeof(*c));
    seL4_X86_RSDP_t *r = &c->rsdp;
    CHECK_EQ(memcmp(r->signature, "RSD PTR ", 8), 0);
    /* ACPI 1.0 checksum: the first 20 bytes sum to 0. */
    CHECK_EQ(sum8((const uint8_t *)r, 20), 0);
    /* SeaBIOS on QEMU pc: revision 0, OEM "BOCHS ", RSDT in the ACPI
     * reserved area at the top of low RAM, no XSDT. */
    CHECK_EQ(r->revision, 0);
    CHECK_EQ(memcmp(r->oem_id, "BOCHS ", 6), 0);
    CHECK_TRUE(r->rsdt_address >= 0xbffe0000u && r->rsdt_address < 0xc0000000u);
    if (r->revision >= 2) {
        CHECK_EQ(sum8((const uint8_t *)r, r->length), 0);
    }
}

KARCH_TEST(x86_bi_mmap_is_qemu_e820)
{
    seL4_X86_BootInfo_mmap_t *m = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_MBMMAP);
    if (!CHECK_TRUE(m != NULL)) {
        return;
    }
    static const struct {
        uint64_t base, len;
        uint32_t type;
    } e820[] = {
        { 0x00000000, 0x0009fc00, 1 }, { 0x0009fc00, 0x00000400, 2 }, { 0x000f0000, 0x00010000, 2 },
        { 0x00100000, 0xbfee0000, 1 }, { 0xbffe0000, 0x00020000, 2 }, { 0xfffc0000, 0x00040000, 2 },
    };
    seL4_Word n = sizeof(e820) / sizeof(e820[0]);
    CHECK_EQ(m->header.len, 1220);
    if (!CHECK_EQ(m->mmap_length, n * 24)) {
        return;
    }
    for (seL4_Word i = 0; i < n; i++) {
        seL4_X86_mb_mmap_t *e = &m->mmap[i];
        int ok = CHECK_EQ(e->size, 20);
        ok &= CHECK_EQ(e->base_addr, e820[i].base);
        ok &= CHECK_EQ(e->length, e820[i].len);
        ok &= CHECK_EQ(e->type, e820[i].type);
        if (!ok) {
            printf("  entry %lu\n", (unsigned long)i);
        }
    }
    /* Nothing after the valid entries. */
    CHECK_EQ(m->mmap[n].size, 0);
    CHECK_EQ(m->mmap[n].length, 0);
}

KARCH_TEST(x86_bi_tsc_freq_matches_pit)
{
    seL4_X86_BootInfo_TSCFreq_t *t = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    seL4_CPtr pit = slot_alloc(), p61 = slot_alloc();
    if (!CHECK_TRUE(t != NULL) || !pit || !p61) {
        return;
    }
    CHECK_EQ(t->header.len, 20);
    uint64_t mhz = t->tsc_freq_mhz;
    CHECK_TRUE(mhz >= 500 && mhz <= 10000);
    if (!CHECK_OK(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x40, 0x43, ROOT, pit,
                                               ROOT_DEPTH)) ||
        !CHECK_OK(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x61, 0x61, ROOT, p61,
                                               ROOT_DEPTH))) {
        return;
    }
    /* 59659 PIT ticks = 50 ms; best of 6 (x86util.c). A late look at the
     * PIT only lengthens a round, hence more room above than below. */
    uint64_t khz = xu_measure_tsc_khz(pit, p61, 59659, 6);
    if (!CHECK_NE(khz, 0)) {
        return;
    }
    uint64_t lo = mhz * 1000 * 97 / 100, hi = mhz * 1000 * 106 / 100;
    if (!CHECK_TRUE(khz >= lo && khz <= hi)) {
        printf("  bootinfo TSC %lu MHz, measured against the PIT %lu kHz\n", (unsigned long)mhz,
               (unsigned long)khz);
    }
}

KARCH_TEST(x86_bi_tsc_freq_matches_pm_timer)
{
    seL4_X86_BootInfo_TSCFreq_t *t = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    seL4_CPtr pm = slot_alloc();
    if (!CHECK_TRUE(t != NULL) || !pm ||
        !CHECK_OK(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x608, 0x60b, ROOT, pm,
                                               ROOT_DEPTH))) {
        return;
    }
    /* 71591 PM-timer ticks (3.579545 MHz) = 20 ms; the shortest of ten
     * rounds (disturbances only lengthen a round). */
    uint64_t best = ~0ull;
    for (int r = 0; r < 10; r++) {
        uint64_t t0 = xu_rdtsc();
        uint32_t p0 = seL4_X86_IOPort_In32(pm, 0x608).result & 0xffffff;
        uint32_t p1 = p0;
        uint64_t limit = xu_deadline(1000000);
        while (((p1 - p0) & 0xffffff) < 71591 && xu_before(limit)) {
            p1 = seL4_X86_IOPort_In32(pm, 0x608).result & 0xffffff;
        }
        uint64_t t1 = xu_rdtsc();
        uint64_t ticks = (p1 - p0) & 0xffffff;
        if (!CHECK_TRUE(ticks >= 71591)) {
            return;
        }
        uint64_t scaled = (t1 - t0) * 71591 / ticks;
        best = scaled < best ? scaled : best;
    }
    uint64_t khz = best * 3579545ul / 71591 / 1000ul;
    uint64_t mhz = t->tsc_freq_mhz;
    if (!CHECK_TRUE(khz >= mhz * 970 && khz <= mhz * 1060)) {
        printf("  bootinfo TSC %lu MHz, measured against the PM timer %lu kHz\n",
               (unsigned long)mhz, (unsigned long)khz);
    }
}

/* ---- ACPI tables through a device untyped ------------------------------------------------ */

#define ACPI_BASE 0xbffe0000ul
#define ACPI_PAGES 32
#define ACPI_WIN 25

static const volatile uint8_t *acpi_at(uint64_t paddr)
{
    if (paddr < ACPI_BASE || paddr >= ACPI_BASE + ACPI_PAGES * PAGE_4K) {
        return NULL;
    }
    return (const volatile uint8_t *)(XU_WIN(ACPI_WIN) + (paddr - ACPI_BASE));
}

static uint32_t rd32(const volatile uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const volatile uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int sig_is(const volatile uint8_t *t, const char *s)
{
    return t[0] == (uint8_t)s[0] && t[1] == (uint8_t)s[1] && t[2] == (uint8_t)s[2] &&
           t[3] == (uint8_t)s[3];
}

KARCH_TEST(x86_bi_acpi_tables_via_device_untyped)
{
    seL4_X86_BootInfo_RSDP_t *c = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP);
    seL4_CPtr ut = ut_new(12);
    if (!CHECK_TRUE(c != NULL) || !ut) {
        return;
    }
    /* The ACPI area (e820 type 2) is device memory for the kernel. */
    seL4_CPtr f = xu_phys_frames(ACPI_BASE, ACPI_PAGES, 1);
    if (!f || !xu_root_window(ut, ACPI_WIN)) {
        return;
    }
    for (seL4_Word i = 0; i < ACPI_PAGES; i++) {
        if (!xu_map(f + i, seL4_CapInitThreadVSpace, XU_WIN(ACPI_WIN) + i * PAGE_4K, seL4_CanRead,
                    seL4_X86_Default_VMAttributes)) {
            return;
        }
    }
    const volatile uint8_t *rsdt = acpi_at(c->rsdp.rsdt_address);
    if (!CHECK_TRUE(rsdt != NULL)) {
        return;
    }
    CHECK_TRUE(sig_is(rsdt, "RSDT"));
    uint32_t len = rd32(rsdt + 4);
    if (!CHECK_TRUE(len >= 36 && len < 1024 && acpi_at(c->rsdp.rsdt_address + len - 1))) {
        return;
    }
    CHECK_EQ(sum8(rsdt, len), 0);
    int seen_hpet = 0, seen_apic = 0, seen_facp = 0;
    for (uint32_t off = 36; off + 4 <= len; off += 4) {
        uint32_t pa = rd32(rsdt + off);
        const volatile uint8_t *t = acpi_at(pa);
        if (!CHECK_TRUE(t != NULL)) {
            printf("  table at 0x%x outside the ACPI area\n", pa);
            continue;
        }
        uint32_t tl = rd32(t + 4);
        if (!CHECK_TRUE(tl >= 36 && acpi_at(pa + tl - 1) != NULL)) {
            continue;
        }
        if (!CHECK_EQ(sum8(t, tl), 0)) {
            printf("  table %c%c%c%c: bad checksum\n", t[0], t[1], t[2], t[3]);
        }
        if (sig_is(t, "HPET")) {
            seen_hpet = 1;
            /* Generic address structure at 40: space 0 (memory), address at 44. */
            CHECK_EQ(t[40], 0);
            CHECK_EQ(rd64(t + 44), 0xfed00000ul);
        } else if (sig_is(t, "APIC")) {
            seen_apic = 1;
            CHECK_EQ(rd32(t + 36), 0xfee00000u);
            int ioapics = 0;
            for (uint32_t e = 44; e + 2 <= tl && t[e + 1] >= 2; e += t[e + 1]) {
                if (t[e] == 1 && t[e + 1] == 12) {
                    ioapics++;
                    CHECK_EQ(rd32(t + e + 4), 0xfec00000u);
                    CHECK_EQ(rd32(t + e + 8), 0); /* GSI base */
                }
            }
            CHECK_EQ(ioapics, 1);
        } else if (sig_is(t, "FACP")) {
            seen_facp = 1;
            CHECK_EQ(rd32(t + 76), 0x608); /* PM timer block */
        }
    }
    CHECK_TRUE(seen_hpet);
    CHECK_TRUE(seen_apic);
    CHECK_TRUE(seen_facp);
}
