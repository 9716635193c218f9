/*
 * AArch64 sizes and limits (seL4-abi.md section 5.7), 4 KiB granule, 48-bit
 * virtual addresses, no hypervisor. Plain #defines so that they work in #if
 * and in assembly.
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

/* Translation tables: every level is one 4 KiB table of 512 entries. */
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_PageTableBits 12
#define seL4_VSpaceEntryBits 3
#define seL4_VSpaceIndexBits 9
#define seL4_VSpaceBits 12
#define seL4_IOPageTableBits 12
#define seL4_ARM_VCPUBits 12

/* Deprecated names for the same tables. */
#define seL4_PageDirBits seL4_PageTableBits
#define seL4_PageDirEntryBits seL4_PageTableEntryBits
#define seL4_PageDirIndexBits seL4_PageTableIndexBits
#define seL4_PUDBits seL4_PageTableBits
#define seL4_PUDEntryBits seL4_PageTableEntryBits
#define seL4_PUDIndexBits seL4_PageTableIndexBits
#define seL4_PGDBits seL4_VSpaceBits
#define seL4_PGDEntryBits seL4_VSpaceEntryBits
#define seL4_PGDIndexBits seL4_VSpaceIndexBits

/* ASIDs. */
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 7

/* IPC. */
#define seL4_IPCBufferSizeBits 10
#define seL4_FastMessageRegisters 4
#define seL4_BootInfoFrameBits 12

/* Top of the user address space. */
#define seL4_UserTop 0x00007fffffffffffUL
#define seL4_UserVSpaceTop 0x00007fffffffffffUL
