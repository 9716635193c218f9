/*
 * x86_64 address-space objects shared by the arch files: frame sizes,
 * mapping types, the ASID table and page-table walks.
 */
#pragma once

#include <api/failures.h>
#include <basic_types.h>
#include <object/asidpool.h>
#include <object/objecttype.h>
#include <object/structures.h>

enum { X86_SmallPage = 0, X86_LargePage = 1, X64_HugePage = 2 };
enum { X86_MappingNone = 0, X86_MappingVSpace = 1 };

#define PT_INDEX_BITS 9
#define PML4_SHIFT 39
#define PDPT_SHIFT 30
#define PD_SHIFT 21
#define PT_SHIFT 12
#define PTE_PRESENT BIT(0)
#define PTE_PAGE_SIZE BIT(7)

static inline word_t frameSizeBits(word_t size)
{
    return size == X86_SmallPage ? PT_SHIFT : size == X86_LargePage ? PD_SHIFT : PDPT_SHIFT;
}

/* Result of walking a VSpace towards the entry that covers `vaddr` at the
 * level of `shift`: the entry, or the missing level as a lookup failure. */
typedef struct {
    exception_t status; /* NONE, or LOOKUP_FAULT with ksCurLookupFault set */
    uint64_t *entry;
} lookupEntry_ret_t;
lookupEntry_ret_t lookupEntry(pptr_t pml4, vptr_t vaddr, unsigned shift);
pptr_t entryTable(uint64_t entry);
void invalidatePage(vptr_t vaddr);
void flushTLB(void);

/* Remove whatever mapping a frame or table cap records (a stale mapping
 * is silently ignored). */
void unmapFrameCap(cap_t cap);
void unmapPagingStructureCap(cap_t cap);
void deleteASID(word_t asid, pptr_t pml4);
void deleteASIDPool(word_t asidBase, pptr_t pool);

exception_t decodeX86MMUInvocation(const invocation_t *inv);
exception_t decodeX86IOPortInvocation(const invocation_t *inv);
/* An IO port cap is gone for good: its ports may be issued again. */
void x86FreeIOPortRange(cap_t cap);
