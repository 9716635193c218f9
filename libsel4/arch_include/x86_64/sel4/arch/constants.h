/*
 * x86_64 sizes and limits (seL4-abi.md section 5.7). Plain #defines so that
 * they work in #if and in assembly.
 */
#pragma once

#define seL4_WordBits 64
#define seL4_WordSizeBits 3

/* Frames. */
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30

/* Kernel objects. */
#define seL4_SlotBits 5
#define seL4_TCBBits 11
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_MinUntypedBits 4
#define seL4_MaxUntypedBits 47

/* Paging structures: every level is one 4 KiB table of 512 8-byte entries. */
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_PageTableBits 12
#define seL4_PageDirEntryBits 3
#define seL4_PageDirIndexBits 9
#define seL4_PageDirBits 12
#define seL4_PDPTEntryBits 3
#define seL4_PDPTIndexBits 9
#define seL4_PDPTBits 12
#define seL4_PML4EntryBits 3
#define seL4_PML4IndexBits 9
#define seL4_PML4Bits 12
#define seL4_VSpaceBits seL4_PML4Bits
#define seL4_IOPageTableBits 12
#define seL4_X86_VCPUBits 14

/* ASIDs. */
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 3

/* IPC. */
#define seL4_IPCBufferSizeBits 10
#define seL4_FastMessageRegisters 4
#define seL4_BootInfoFrameBits 12

/* Top of the user address space. */
#define seL4_UserTop 0x00007ffffffff000ul
#define seL4_UserVSpaceTop 0x00007fffffffefffUL

/* IRQ vectors for IRQControl_GetIOAPIC / GetMSI: the argument is 0..VECTOR_MAX,
 * the CPU vector is argument + IRQ_OFFSET. (The kernel accepts up to 107.) */
#define IRQ_OFFSET (0x20 + 16)
#define VECTOR_MIN 0
#define VECTOR_MAX 107
#define MSI_MIN VECTOR_MIN
#define MSI_MAX VECTOR_MAX
