/*
 * x86_64 helpers of the hardware-facing suites (x86util.h).
 */
#include "x86util.h"

#include <string.h>

/* ---- accesses at known instruction addresses --------------------------------- */

__asm__(".text\n"
        ".p2align 4\n"
        ".globl xu_load64\n"
        ".type xu_load64, @function\n"
        "xu_load64:\n"
        "    movq (%rdi), %rax\n"
        "    ret\n"
        ".size xu_load64, . - xu_load64\n"
        ".p2align 4\n"
        ".globl xu_store64\n"
        ".type xu_store64, @function\n"
        "xu_store64:\n"
        "    movq %rsi, (%rdi)\n"
        "    ret\n"
        ".size xu_store64, . - xu_store64\n"
        ".p2align 4\n"
        ".globl xu_raw_inb\n"
        ".globl xu_raw_inb_insn\n"
        ".type xu_raw_inb, @function\n"
        "xu_raw_inb:\n"
        "    movl %edi, %edx\n"
        "    xorl %eax, %eax\n"
        "xu_raw_inb_insn:\n"
        "    inb %dx, %al\n"
        "    ret\n"
        ".size xu_raw_inb, . - xu_raw_inb\n"
        ".p2align 4\n"
        ".globl xu_raw_outb\n"
        ".globl xu_raw_outb_insn\n"
        ".type xu_raw_outb, @function\n"
        "xu_raw_outb:\n"
        "    movl %edi, %edx\n"
        "    movl %esi, %eax\n"
        "xu_raw_outb_insn:\n"
        "    outb %al, %dx\n"
        "    ret\n"
        ".size xu_raw_outb, . - xu_raw_outb\n");

/* ---- time -------------------------------------------------------------------- */

/* The TSC rate for bounded waits comes from the bootinfo (x86_bi_tsc_*
 * check it). Rate checks of devices compare devices with each other (PIT,
 * PM timer, HPET), never with the TSC: under a loaded host QEMU's TSC and
 * its device clocks can drift apart for a while. */
static uint64_t bootinfo_tsc_khz(void)
{
    seL4_X86_BootInfo_TSCFreq_t *t = xu_bi_chunk(SEL4_BOOTINFO_HEADER_X86_TSC_FREQ);
    if (t != NULL && t->tsc_freq_mhz >= 10 && t->tsc_freq_mhz < 100000) {
        return (uint64_t)t->tsc_freq_mhz * 1000;
    }
    return 2000000;
}

uint64_t xu_measure_tsc_khz(seL4_CPtr pit, seL4_CPtr p61, seL4_Word ticks, int rounds)
{
    /* Gate high and speaker off first; then the count is written and the
     * channel counts down (mode 0); OUT2 (port 0x61 bit 5) goes high at
     * the end. Every disturbance (a descheduled vCPU, syscall latency)
     * only lengthens the measured interval, so the shortest round wins. */
    seL4_X86_IOPort_In8_t v = seL4_X86_IOPort_In8(p61, 0x61);
    if (v.error != seL4_NoError) {
        return 0;
    }
    seL4_Word orig = v.result;
    uint64_t best = ~0ull;
    uint64_t limit_ticks = bootinfo_tsc_khz() * 1000; /* about a second */
    for (int r = 0; r < rounds; r++) {
        if (seL4_X86_IOPort_Out8(p61, 0x61, (orig & ~0x02ul) | 0x01) != seL4_NoError ||
            seL4_X86_IOPort_Out8(pit, 0x43, 0xb0) != seL4_NoError ||
            seL4_X86_IOPort_Out8(pit, 0x42, ticks & 0xff) != seL4_NoError) {
            best = ~0ull;
            break;
        }
        uint64_t t0 = xu_rdtsc();
        seL4_X86_IOPort_Out8(pit, 0x42, (ticks >> 8) & 0xff);
        int done = 0;
        while (xu_rdtsc() - t0 < limit_ticks) {
            if (seL4_X86_IOPort_In8(p61, 0x61).result & 0x20) {
                done = 1;
                break;
            }
        }
        uint64_t t1 = xu_rdtsc();
        if (!done) {
            best = ~0ull;
            break;
        }
        if (t1 - t0 < best) {
            best = t1 - t0;
        }
    }
    seL4_X86_IOPort_Out8(p61, 0x61, orig);
    if (best == ~0ull) {
        return 0;
    }
    return best * 1193182ull / ticks / 1000ull;
}

uint64_t xu_tsc_khz(void)
{
    return bootinfo_tsc_khz();
}

uint64_t xu_tsc_per_us(void)
{
    uint64_t r = xu_tsc_khz() / 1000;
    return r != 0 ? r : 1;
}

uint64_t xu_us_since(uint64_t t0)
{
    return (xu_rdtsc() - t0) * 1000 / xu_tsc_khz();
}

uint64_t xu_deadline(uint64_t us)
{
    return xu_rdtsc() + us * xu_tsc_khz() / 1000;
}

void xu_spin_us(uint64_t us)
{
    uint64_t end = xu_deadline(us);
    while (xu_before(end)) {
        __asm__ __volatile__("pause");
    }
}

uint32_t xu_pm_read(seL4_CPtr pm)
{
    return seL4_X86_IOPort_In32(pm, XU_PM_PORT).result & XU_PM_MASK;
}

uint32_t xu_pm_wait(seL4_CPtr pm, uint32_t ticks)
{
    uint32_t p0 = xu_pm_read(pm), p1 = p0;
    uint64_t limit = xu_deadline(10 * (uint64_t)ticks + 1000000);
    while (((p1 - p0) & XU_PM_MASK) < ticks && xu_before(limit)) {
        p1 = xu_pm_read(pm);
    }
    return (p1 - p0) & XU_PM_MASK;
}

/* ---- bootinfo ------------------------------------------------------------------ */

void *xu_bi_chunk(seL4_Word id)
{
    seL4_BootInfo *b = bootinfo();
    uint8_t *p = (uint8_t *)b + PAGE_4K;
    seL4_Word off = 0;
    while (off + sizeof(seL4_BootInfoHeader) <= b->extraLen) {
        seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)(p + off);
        if (h->len < sizeof(*h)) {
            return NULL;
        }
        if (h->id == id) {
            return h;
        }
        off += h->len;
    }
    return NULL;
}

/* ---- paging -------------------------------------------------------------------- */

static seL4_Error map_table(seL4_Word type, seL4_CPtr obj, seL4_CPtr vspace, seL4_Word vaddr)
{
    switch (type) {
    case seL4_X86_PDPTObject:
        return seL4_X86_PDPT_Map(obj, vspace, vaddr, seL4_X86_Default_VMAttributes);
    case seL4_X86_PageDirectoryObject:
        return seL4_X86_PageDirectory_Map(obj, vspace, vaddr, seL4_X86_Default_VMAttributes);
    case seL4_X86_PageTableObject:
        return seL4_X86_PageTable_Map(obj, vspace, vaddr, seL4_X86_Default_VMAttributes);
    default:
        return seL4_X86_Page_Map(obj, vspace, vaddr, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
    }
}

seL4_CPtr xu_table_at(seL4_CPtr ut, seL4_Word type, seL4_CPtr vspace, seL4_Word vaddr,
                      const char *file, int line)
{
    seL4_CPtr obj = new_objects_at(ut, type, 0, 1, file, line);
    if (obj == 0) {
        return 0;
    }
    mr_poison();
    seL4_Error err = map_table(type, obj, vspace, vaddr);
    if (err != seL4_NoError) {
        test_fail_at(file, line,
                     "mapping object type %lu at 0x%lx in VSpace slot %lu: got %s "
                     "(MR0 0x%lx MR1 0x%lx MR2 0x%lx), expected seL4_NoError",
                     (unsigned long)type, (unsigned long)vaddr, (unsigned long)vspace,
                     test_error_name(err), err_mr(0), err_mr(1), err_mr(2));
        return 0;
    }
    return obj;
}

int xu_map_at(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
              seL4_Word attr, const char *file, int line)
{
    mr_poison();
    seL4_Error err = seL4_X86_Page_Map(frame, vspace, vaddr, rights, (seL4_X86_VMAttributes)attr);
    if (err != seL4_NoError) {
        test_fail_at(file, line,
                     "Page_Map of slot %lu at 0x%lx in VSpace slot %lu: got %s (MR0 0x%lx "
                     "MR1 0x%lx MR2 0x%lx), expected seL4_NoError",
                     (unsigned long)frame, (unsigned long)vaddr, (unsigned long)vspace,
                     test_error_name(err), err_mr(0), err_mr(1), err_mr(2));
        return 0;
    }
    return 1;
}

seL4_CPtr xu_new_vspace_at(seL4_CPtr ut, seL4_CPtr pool, const char *file, int line)
{
    seL4_CPtr pml4 = new_objects_at(ut, seL4_X64_PML4Object, 0, 1, file, line);
    if (pml4 == 0) {
        return 0;
    }
    mr_poison();
    seL4_Error err = seL4_X86_ASIDPool_Assign(pool, pml4);
    if (err != seL4_NoError) {
        test_fail_at(file, line, "ASIDPool_Assign(pool %lu, PML4 %lu): got %s (MR0 0x%lx)",
                     (unsigned long)pool, (unsigned long)pml4, test_error_name(err), err_mr(0));
        return 0;
    }
    return pml4;
}

seL4_CPtr xu_tables_for_at(seL4_CPtr ut, seL4_CPtr vspace, seL4_Word vaddr, const char *file,
                           int line)
{
    if (xu_table_at(ut, seL4_X86_PDPTObject, vspace, vaddr, file, line) == 0 ||
        xu_table_at(ut, seL4_X86_PageDirectoryObject, vspace, vaddr, file, line) == 0) {
        return 0;
    }
    return xu_table_at(ut, seL4_X86_PageTableObject, vspace, vaddr, file, line);
}

int xu_untyped_covering(seL4_Word paddr, seL4_Word len, int device)
{
    seL4_BootInfo *b = bootinfo();
    for (seL4_Word i = 0; i < b->untyped.end - b->untyped.start; i++) {
        seL4_UntypedDesc *u = &b->untypedList[i];
        seL4_Word size = 1ul << u->sizeBits;
        if (!u->isDevice == !device && u->paddr <= paddr && paddr + len <= u->paddr + size) {
            return (int)i;
        }
    }
    return -1;
}

seL4_CPtr xu_phys_frames_at(seL4_Word paddr, seL4_Word n, int device, const char *file, int line)
{
    int idx = xu_untyped_covering(paddr, n * PAGE_4K, device);
    if (idx < 0) {
        test_fail_at(file, line, "no %s boot untyped covers [0x%lx, 0x%lx)",
                     device ? "device" : "RAM", (unsigned long)paddr,
                     (unsigned long)(paddr + n * PAGE_4K));
        return 0;
    }
    use_boot_untyped(idx);
    seL4_CPtr ut = boot_untyped_slot(idx);
    seL4_Word off = paddr - bootinfo()->untypedList[idx].paddr;
    /* The untyped has no children, so its watermark starts at 0. Children
     * of decreasing size, each aligned to itself, move it to `off`. */
    for (int bit = seL4_MaxUntypedBits - 1; bit >= 12; bit--) {
        if (off & (1ul << bit)) {
            if (new_objects_at(ut, seL4_UntypedObject, (seL4_Word)bit, 1, file, line) == 0) {
                return 0;
            }
        }
    }
    seL4_CPtr first = new_objects_at(ut, seL4_X86_4K, 0, n, file, line);
    if (first == 0) {
        return 0;
    }
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(first);
    if (ga.error != seL4_NoError || ga.paddr != paddr) {
        test_fail_at(file, line, "frame carved for 0x%lx: GetAddress gave %s, 0x%lx",
                     (unsigned long)paddr, test_error_name((seL4_Word)ga.error),
                     (unsigned long)ga.paddr);
        return 0;
    }
    return first;
}

seL4_Word xu_paddr(seL4_CPtr frame)
{
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(frame);
    if (ga.error != seL4_NoError) {
        TEST_FAIL("Page_GetAddress(slot %lu) returned %s", (unsigned long)frame,
                  test_error_name((seL4_Word)ga.error));
        return 0;
    }
    return ga.paddr;
}

/* ---- faults ----------------------------------------------------------------------- */

seL4_MessageInfo_t xu_recv(seL4_CPtr ep, seL4_Word *badge, seL4_Word *mrs, int n)
{
    seL4_Word b = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &b);
    if (badge != NULL) {
        *badge = b;
    }
    seL4_Word len = seL4_MessageInfo_get_length(info);
    for (int i = 0; i < n; i++) {
        mrs[i] = (seL4_Word)i < len ? seL4_GetMR(i) : 0;
    }
    return info;
}

int xu_check_vmfault(seL4_MessageInfo_t info, const seL4_Word *mrs, seL4_Word ip, seL4_Word addr,
                     seL4_Word fsr, const char *file, int line)
{
    seL4_Word label = seL4_MessageInfo_get_label(info);
    seL4_Word len = seL4_MessageInfo_get_length(info);
    int ok = label == seL4_Fault_VMFault && len == seL4_VMFault_Length &&
             mrs[seL4_VMFault_IP] == ip && mrs[seL4_VMFault_Addr] == addr &&
             mrs[seL4_VMFault_PrefetchFault] == 0 && mrs[seL4_VMFault_FSR] == fsr;
    if (ok) {
        return 1;
    }
    test_fail_at(file, line,
                 "VM fault message:\n"
                 "    expected label %lu length %lu IP 0x%lx Addr 0x%lx Prefetch 0 FSR 0x%lx\n"
                 "    got      label %lu length %lu IP 0x%lx Addr 0x%lx Prefetch %lu FSR 0x%lx",
                 (unsigned long)seL4_Fault_VMFault, (unsigned long)seL4_VMFault_Length,
                 (unsigned long)ip, (unsigned long)addr, (unsigned long)fsr, (unsigned long)label,
                 (unsigned long)len, (unsigned long)mrs[0], (unsigned long)mrs[1],
                 (unsigned long)mrs[2], (unsigned long)mrs[3]);
    return 0;
}
