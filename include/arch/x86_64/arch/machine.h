/*
 * x86_64 machine layer: the kernel window, port and MSR access, control
 * registers. Everything here is a thin inline wrapper over one instruction
 * or one address computation.
 */
#pragma once

#include <basic_types.h>
#include <util.h>

/* All physical memory below 510 GiB is mapped at PPTR_BASE; the kernel
 * image is linked at KERNEL_ELF_BASE (physical 0 there). */
#define PPTR_BASE 0xffffff8000000000ull
#define KERNEL_ELF_BASE 0xffffffff80000000ull
#define PADDR_TOP (KERNEL_ELF_BASE - PPTR_BASE)
/* Device untypeds cover physical addresses up to here. */
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
    return (word_t)p - KERNEL_ELF_BASE;
}

static inline void out8(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out16(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void out32(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t in8(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t in16(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t in32(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_FMASK 0xc0000084u
#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u

static inline word_t readCR0(void)
{
    word_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline void writeCR0(word_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline word_t readCR2(void)
{
    word_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline word_t readCR3(void)
{
    word_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline void writeCR3(word_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline word_t readCR4(void)
{
    word_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void writeCR4(word_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

typedef struct {
    uint32_t eax, ebx, ecx, edx;
} cpuid_ret_t;

static inline cpuid_ret_t cpuid(uint32_t leaf, uint32_t sub)
{
    cpuid_ret_t r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(sub));
    return r;
}

static inline bool isCanonical(word_t v)
{
    return v < 0x0000800000000000ull || v >= 0xffff800000000000ull;
}
