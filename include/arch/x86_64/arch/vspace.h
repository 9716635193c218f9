/*
 * x86_64 address-space objects shared by the arch files: frame sizes,
 * mapping types and the ASID table.
 */
#pragma once

#include <basic_types.h>
#include <object/structures.h>

enum { X86_SmallPage = 0, X86_LargePage = 1, X64_HugePage = 2 };
enum { X86_MappingNone = 0, X86_MappingVSpace = 1 };

#define ASID_POOL_INDEX_BITS 9
#define NUM_ASID_POOLS 8
#define ASID_BITS 12

static inline word_t frameSizeBits(word_t size)
{
    return size == X86_SmallPage ? 12 : size == X86_LargePage ? 21 : 30;
}

/* Remove whatever mapping a frame or table cap records (a stale mapping
 * is silently ignored). */
void unmapFrameCap(cap_t cap);
void unmapPagingStructureCap(cap_t cap);
void deleteASID(word_t asid, pptr_t pml4);
void deleteASIDPool(word_t asidBase, pptr_t pool);
