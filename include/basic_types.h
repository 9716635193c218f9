/*
 * Basic kernel types. The kernel is freestanding C11: only the compiler's
 * own <stdint.h>, <stdbool.h> and <stddef.h> are used.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t; /* one machine word */
typedef int64_t sword_t; /* signed machine word */
typedef word_t paddr_t;  /* physical address */
typedef word_t pptr_t;   /* kernel virtual address of an object */
typedef word_t vptr_t;   /* user virtual address */
typedef word_t cptr_t;   /* capability pointer (user-chosen address) */
typedef word_t prio_t;   /* thread priority, 0..255 */
typedef word_t dom_t;    /* scheduling domain */

/* Half-open ranges [start, end). */
typedef struct {
    paddr_t start;
    paddr_t end;
} p_region_t;

typedef struct {
    pptr_t start;
    pptr_t end;
} region_t;

typedef struct {
    vptr_t start;
    vptr_t end;
} v_region_t;

#define wordBits 64
#define wordSizeBits 3
