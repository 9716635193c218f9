/*
 * AArch64 address-space objects shared by the arch files: frame sizes,
 * translation-table geometry, the ASID table and the operations the cap
 * code and the invocations need.
 */
#pragma once

#include <basic_types.h>
#include <object/asidpool.h>
#include <object/objecttype.h>
#include <object/structures.h>

enum { ARMSmallPage = 0, ARMLargePage = 1, ARMHugePage = 2 };

/* 4 KiB granule, 48-bit virtual addresses: levels 0..3. */
#define PT_INDEX_BITS 9
#define PT_LEVELS 4
#define PAGE_BITS 12

#define IT_ASID 1

/* MAIR_EL1 attribute indices (src/arch/aarch64/vspace.c sets MAIR). */
#define MAIR_DEVICE_nGnRnE 0
#define MAIR_NORMAL_WB 1
#define MAIR_NORMAL_NC 2
#define MAIR_VALUE 0x000000000444ff00ull /* attr3 Device-nGnRE, attr2..0 as above */

/* Access permissions of a leaf (pte_leaf.ap). */
#define AP_EL1_RW 0
#define AP_ALL_RW 1
#define AP_ALL_RO 3

typedef uint64_t pte_word_t;

static inline word_t frameSizeBits(word_t size)
{
    return size == ARMSmallPage ? 12 : size == ARMLargePage ? 21 : 30;
}

/* Address bits translated by one entry of a level-`level` table. */
static inline unsigned levelShift(unsigned level)
{
    return PAGE_BITS + PT_INDEX_BITS * (PT_LEVELS - 1 - level);
}

static inline word_t tableIndex(vptr_t v, unsigned level)
{
    return (v >> levelShift(level)) & MASK(PT_INDEX_BITS);
}

/* Where a walk from the VSpace root towards a vaddr stopped: the entry
 * and its level. The walk descends while entries are tables. */
typedef struct {
    pte_word_t *entry;
    unsigned level;
} lookupPTSlot_ret_t;

lookupPTSlot_ret_t lookupPTSlot(pptr_t root, vptr_t vaddr);

/* Leaf entry for a user frame at `paddr` of VM rights `rights`. */
pte_word_t makeUserLeaf(paddr_t paddr, word_t rights, bool cacheable, bool executeNever, bool page);
static inline bool pteIsValid(pte_word_t e)
{
    return (e & 1) != 0;
}
static inline bool pteIsTable(pte_word_t e, unsigned level)
{
    return level < PT_LEVELS - 1 && (e & 3) == 3;
}
static inline bool pteIsLeaf(pte_word_t e, unsigned level)
{
    return level == PT_LEVELS - 1 ? (e & 3) == 3 : (level > 0 && (e & 3) == 1);
}
static inline paddr_t pteAddress(pte_word_t e)
{
    return e & 0x0000fffffffff000ull;
}
pte_word_t makeTableEntry(pptr_t table);

/* Remove whatever mapping a frame or table cap records (a stale mapping
 * is silently ignored). */
void unmapFrameCap(cap_t cap);
void unmapPageTableCap(cap_t cap);
void deleteASID(word_t asid, pptr_t vspace);
void deleteASIDPool(word_t asidBase, pptr_t pool);

/* The level-`level` entry that maps the frame `cap` records, if the
 * tables still map exactly that frame there; NULL otherwise. */
pte_word_t *frameMappingEntry(cap_t cap);

/* Invocations of the VM caps (vspace_invocations.c). */
exception_t decodeARMFrameInvocation(const invocation_t *inv);
exception_t decodeARMPageTableInvocation(const invocation_t *inv);
exception_t decodeARMVSpaceInvocation(const invocation_t *inv);
