/*
 * AArch64 machine layer: the kernel window, system-register access,
 * barriers and TLB/cache maintenance. Everything here is a thin inline
 * wrapper over one instruction or one address computation.
 */
#pragma once

#include <basic_types.h>
#include <util.h>

/* All physical memory below 512 GiB is mapped at PPTR_BASE (TTBR1, one
 * level-0 entry); the kernel image is linked inside that window, at
 * PPTR_BASE + its physical load address. */
#define PPTR_BASE 0xffffff8000000000ull
#define PADDR_TOP (1ull << 39)
/* Device untypeds never go above this (the generic deviceTop limit). */
#define PADDR_USER_DEVICE_TOP BIT(47)

/* Kernel pointer for a physical address (wraps for device memory beyond
 * the window, which the kernel never dereferences). */
static inline pptr_t ptrFromPaddr(paddr_t p)
{
    return p + PPTR_BASE;
}

static inline paddr_t addrFromPPtr(pptr_t p)
{
    return p - PPTR_BASE;
}

/* Physical address of a symbol of the kernel image. */
static inline paddr_t addrFromKPPtr(const void *p)
{
    return (word_t)p - PPTR_BASE;
}

#define MRS(reg, v) __asm__ volatile("mrs %0, " reg : "=r"(v))
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0" : : "r"((word_t)(v)) : "memory")

static inline void isb(void)
{
    __asm__ volatile("isb" : : : "memory");
}

static inline void dsbSy(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

static inline void dsbIsh(void)
{
    __asm__ volatile("dsb ish" : : : "memory");
}

static inline void dsbIshst(void)
{
    __asm__ volatile("dsb ishst" : : : "memory");
}

/* TLB maintenance (inner shareable). */
static inline void tlbiAll(void)
{
    dsbIshst();
    __asm__ volatile("tlbi vmalle1is" : : : "memory");
    dsbIsh();
    isb();
}

static inline void tlbiASID(word_t asid)
{
    dsbIshst();
    __asm__ volatile("tlbi aside1is, %0" : : "r"(asid << 48) : "memory");
    dsbIsh();
    isb();
}

static inline void tlbiPage(word_t asid, vptr_t vaddr)
{
    dsbIshst();
    __asm__ volatile("tlbi vae1is, %0"
                     :
                     : "r"((asid << 48) | ((vaddr >> 12) & MASK(44)))
                     : "memory");
    dsbIsh();
    isb();
}

/* Data/instruction cache maintenance of one line, by virtual address. */
static inline void cleanByVA(word_t va)
{
    __asm__ volatile("dc cvac, %0" : : "r"(va) : "memory");
}

static inline void cleanByVAPoU(word_t va)
{
    __asm__ volatile("dc cvau, %0" : : "r"(va) : "memory");
}

static inline void invalidateByVA(word_t va)
{
    __asm__ volatile("dc ivac, %0" : : "r"(va) : "memory");
}

static inline void cleanInvalidateByVA(word_t va)
{
    __asm__ volatile("dc civac, %0" : : "r"(va) : "memory");
}

static inline void invalidateICacheByVA(word_t va)
{
    __asm__ volatile("ic ivau, %0" : : "r"(va) : "memory");
}

static inline void invalidateICacheAll(void)
{
    __asm__ volatile("ic iallu" : : : "memory");
}

/* Smallest data / instruction cache line sizes (CTR_EL0). */
static inline word_t dcacheLineSize(void)
{
    word_t ctr;
    MRS("ctr_el0", ctr);
    return 4ul << ((ctr >> 16) & 0xf);
}

static inline word_t icacheLineSize(void)
{
    word_t ctr;
    MRS("ctr_el0", ctr);
    return 4ul << (ctr & 0xf);
}

static inline uint32_t mmioRead32(pptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmioWrite32(pptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint8_t mmioRead8(pptr_t addr)
{
    return *(volatile uint8_t *)addr;
}

static inline void mmioWrite8(pptr_t addr, uint8_t v)
{
    *(volatile uint8_t *)addr = v;
}
