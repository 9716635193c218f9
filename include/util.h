/*
 * Small helpers used everywhere in the kernel: bit arithmetic, alignment,
 * attributes and compile-time checks.
 */
#pragma once

#include <basic_types.h>

#define BIT(n) (((word_t)1) << (n))
#define MASK(n) (BIT(n) - 1ul)
/* MASK that also works for n == 64. */
#define MASK_SAFE(n) ((n) >= 64 ? ~(word_t)0 : MASK(n))
#define ROUND_DOWN(x, bits) ((x) & ~MASK(bits))
#define ROUND_UP(x, bits) ROUND_DOWN((x) + MASK(bits), bits)
#define IS_ALIGNED(x, bits) (((x)&MASK(bits)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PACKED __attribute__((packed))
#define NORETURN __attribute__((noreturn))
#define UNUSED __attribute__((unused))
#define ALIGN(n) __attribute__((aligned(n)))
#define SECTION(s) __attribute__((section(s)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define UNREACHABLE() __builtin_unreachable()

/* Code and data only needed while booting live in their own sections. */
#define BOOT_CODE SECTION(".boot.text")
#define BOOT_DATA SECTION(".boot.data")

#define compile_assert(name, expr) _Static_assert(expr, #name)

/* Provided by src/machine/string.c; the compiler may also call them. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);
int strncmp(const char *a, const char *b, size_t n);

static inline void memzero(void *s, size_t n)
{
    memset(s, 0, n);
}

/* Index of the highest / lowest set bit; x must be non-zero. */
static inline unsigned highestBit(word_t x)
{
    return 63u - (unsigned)__builtin_clzl(x);
}

static inline unsigned lowestBit(word_t x)
{
    return (unsigned)__builtin_ctzl(x);
}
