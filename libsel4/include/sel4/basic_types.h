/*
 * Word-sized interface types that need no generated header: words, cap
 * pointers, slot regions and untyped descriptors. Included by <sel4/types.h>
 * and by <sel4/bootinfo_types.h>; the kernel includes the latter directly,
 * next to its own copies of the packed words, so nothing here may pull in
 * <sel4/shared_types_gen.h>.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>

typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Uint64 seL4_Time;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;

/* Slot bookkeeping used by bootinfo. */
typedef seL4_Word seL4_SlotPos;

typedef struct seL4_SlotRegion {
    seL4_SlotPos start; /* first slot of the region */
    seL4_SlotPos end;   /* first slot after the region */
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;     /* physical base */
    seL4_Uint8 sizeBits; /* size is 2^sizeBits bytes */
    seL4_Uint8 isDevice; /* 1 for device memory */
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

SEL4_COMPILE_ASSERT(word_is_64_bits, sizeof(seL4_Word) == 8);
SEL4_COMPILE_ASSERT(untyped_desc_size, sizeof(seL4_UntypedDesc) == 16);
SEL4_COMPILE_ASSERT(slot_region_size, sizeof(seL4_SlotRegion) == 16);
