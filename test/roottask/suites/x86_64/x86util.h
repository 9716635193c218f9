/*
 * Small x86_64 helpers shared by the VM, ASID, fault, process, IRQ, I/O-port
 * and boot-information suites of this directory (prefix xu_):
 *
 *   - time: rdtsc, the TSC rate from the extra bootinfo, bounded spins;
 *   - the extra bootinfo chunks;
 *   - paging: retype-and-map of tables and frames, fresh VSpaces (PML4 with
 *     an ASID), 4 KiB windows in the root task's own VSpace, device frames
 *     at a given physical address carved out of a device untyped;
 *   - memory and port accesses at known instruction addresses (written in
 *     assembly), so a fault message can be checked for the exact IP;
 *   - receiving a fault on an endpoint.
 *
 * Everything allocates through helpers.h (slots, untypeds), so KTEST /
 * TTEST clean-up removes it.
 */
#pragma once

#include "../helpers.h"

#include <stdint.h>

#define KiB (1ul << 10)
#define MiB (1ul << 20)
#define GiB (1ul << 30)
#define PAGE_4K 4096ul

/* Windows in the root task's VSpace. The root PD (0..1 GiB) has only the
 * image's PT at 0x400000; these 2 MiB regions are free. Each test uses its
 * own index, maps a PT there and removes it at clean-up. */
#define XU_WIN(i) (0x20000000ul + (seL4_Word)(i)*0x200000ul)
/* A free 2 MiB-aligned region of the root PD for large pages. */
#define XU_LARGE_WIN(i) (0x30000000ul + (seL4_Word)(i)*0x200000ul)
/* PDPT entry 1 of the root VSpace (1..2 GiB) is free: huge pages. */
#define XU_HUGE_WIN 0x40000000ul

/* ---- time ------------------------------------------------------------------ */

static inline uint64_t xu_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* The TSC rate of the bootinfo (a fallback if it is absurd), for bounded
 * waits only: kHz, and whole ticks per us. */
uint64_t xu_tsc_khz(void);
uint64_t xu_tsc_per_us(void);
/* Microseconds since TSC value t0. */
uint64_t xu_us_since(uint64_t t0);
/* TSC value `us` microseconds from now. */
uint64_t xu_deadline(uint64_t us);
static inline int xu_before(uint64_t deadline)
{
    return xu_rdtsc() < deadline;
}
void xu_spin_us(uint64_t us);

/* The ACPI PM timer (port 0x608, 24 bits, 3.579545 MHz) as a time base
 * independent of the TSC; `pm` is an IO-port cap covering 0x608-0x60B. */
#define XU_PM_PORT 0x608
#define XU_PM_MASK 0xffffffu
#define XU_PM_HZ 3579545ul
uint32_t xu_pm_read(seL4_CPtr pm);
/* Busy-wait until the PM timer advanced by `ticks` (< 2^23); returns the
 * ticks actually seen (fewer only if it stopped, bounded by the TSC). */
uint32_t xu_pm_wait(seL4_CPtr pm, uint32_t ticks);

/* TSC rate in kHz measured over `ticks` of PIT channel 2 (mode 0, OUT2 on
 * port 0x61 bit 5), best of `rounds`; caps for ports 0x40-0x43 and 0x61.
 * 0 on error. Leaves port 0x61 as it was. */
uint64_t xu_measure_tsc_khz(seL4_CPtr pit, seL4_CPtr p61, seL4_Word ticks, int rounds);

/* ---- bootinfo --------------------------------------------------------------- */

/* The extra-bootinfo chunk with this id, or NULL. */
void *xu_bi_chunk(seL4_Word id);

/* ---- paging --------------------------------------------------------------- */

/* Retype one object of `type` from `ut` and map it (table Map or, for
 * frames, Page_Map with `rights`) at vaddr in `vspace`. Returns the slot, 0
 * (with a reported failure) if anything fails. */
#define xu_table(ut, type, vspace, vaddr) \
    xu_table_at((ut), (type), (vspace), (vaddr), __FILE__, __LINE__)
seL4_CPtr xu_table_at(seL4_CPtr ut, seL4_Word type, seL4_CPtr vspace, seL4_Word vaddr,
                      const char *file, int line);
#define xu_map(frame, vspace, vaddr, rights, attr) \
    xu_map_at((frame), (vspace), (vaddr), (rights), (attr), __FILE__, __LINE__)
int xu_map_at(seL4_CPtr frame, seL4_CPtr vspace, seL4_Word vaddr, seL4_CapRights_t rights,
              seL4_Word attr, const char *file, int line);

/* A PT mapped in the root VSpace at XU_WIN(win). Returns the PT slot. */
#define xu_root_window(ut, win) \
    xu_table((ut), seL4_X86_PageTableObject, seL4_CapInitThreadVSpace, XU_WIN(win))

/* A new PML4 from `ut`, assigned an ASID from `pool`. 0 on failure. */
#define xu_new_vspace(ut, pool) xu_new_vspace_at((ut), (pool), __FILE__, __LINE__)
seL4_CPtr xu_new_vspace_at(seL4_CPtr ut, seL4_CPtr pool, const char *file, int line);

/* PDPT, PD and PT for vaddr in `vspace` (each retyped from ut); the PT slot
 * is returned, 0 on failure. */
#define xu_tables_for(ut, vspace, vaddr) \
    xu_tables_for_at((ut), (vspace), (vaddr), __FILE__, __LINE__)
seL4_CPtr xu_tables_for_at(seL4_CPtr ut, seL4_CPtr vspace, seL4_Word vaddr, const char *file,
                           int line);

/* Index of the boot untyped (device or RAM) that contains [paddr, paddr+len), or -1. */
int xu_untyped_covering(seL4_Word paddr, seL4_Word len, int device);

/* n consecutive 4 KiB frame caps (n <= 256) for the physical range that
 * starts at paddr, carved from the boot untyped that covers it (which the
 * test's clean-up then revokes). Returns the first slot, 0 if impossible
 * (reported). */
#define xu_phys_frames(paddr, n, device) \
    xu_phys_frames_at((paddr), (n), (device), __FILE__, __LINE__)
seL4_CPtr xu_phys_frames_at(seL4_Word paddr, seL4_Word n, int device, const char *file, int line);

/* Physical address of a frame (0 and a failed check on error). */
seL4_Word xu_paddr(seL4_CPtr frame);

/* ---- accesses at known instruction addresses (x86util.c, assembly) ------- */

seL4_Word xu_load64(const volatile void *p);    /* movq (%rdi), %rax at xu_load64 */
void xu_store64(volatile void *p, seL4_Word v); /* movq %rsi, (%rdi) at xu_store64 */
uint8_t xu_raw_inb(uint16_t port);              /* inb %dx, %al at xu_raw_inb_insn (1 byte) */
void xu_raw_outb(uint16_t port, uint8_t v);     /* outb %al, %dx at xu_raw_outb_insn (1 byte) */
extern char xu_raw_inb_insn[], xu_raw_outb_insn[];

/* ---- faults ------------------------------------------------------------------ */

/*
 * Receive one message on ep (blocking; under TTEST the watchdog turns a
 * message that never comes into label WD_LABEL). MR0..MR(n-1) are copied
 * into mrs (MR4.. from the IPC buffer). Returns the tag; *badge gets the
 * badge.
 */
seL4_MessageInfo_t xu_recv(seL4_CPtr ep, seL4_Word *badge, seL4_Word *mrs, int n);

/* Check a VM fault message: label, length, IP, address, prefetch flag, FSR. */
#define CHECK_VMFAULT(info, mrs, ip, addr, fsr) \
    xu_check_vmfault((info), (mrs), (ip), (addr), (fsr), __FILE__, __LINE__)
int xu_check_vmfault(seL4_MessageInfo_t info, const seL4_Word *mrs, seL4_Word ip, seL4_Word addr,
                     seL4_Word fsr, const char *file, int line);

/* x86 page-fault error-code bits (FSR, seL4-abi.md 0.1 item 10). */
#define PF_PRESENT 0x1ul
#define PF_WRITE 0x2ul
#define PF_USER 0x4ul
