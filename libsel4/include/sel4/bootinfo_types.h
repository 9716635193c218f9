/*
 * The boot information the kernel hands to the root task (seL4-abi.md
 * sections 5.1-5.4): the fixed initial slots, seL4_BootInfo (non-MCS, 64-bit)
 * and the extra-bootinfo chunk header.
 *
 * Shared with the kernel, so it depends on no generated header; user code
 * gets the full seL4_IPCBuffer type from <sel4/types.h> (or <sel4/bootinfo.h>).
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/basic_types.h>
#include <sel4/arch/constants.h>

/* Completed in <sel4/types.h>. */
struct seL4_IPCBuffer_;

/* Fixed slots of the root CNode. */
enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,
    seL4_CapSMMUCBControl = 13,
    seL4_CapInitThreadSC = 14,
    seL4_CapSMC = 15,
    seL4_NumInitialCaps = 16
};

/* Legacy name of the VSpace slot. */
#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace

typedef struct seL4_BootInfo {
    seL4_Word extraLen;                /* bytes of extra bootinfo after this frame */
    seL4_NodeId nodeID;                /* 0 */
    seL4_Word numNodes;                /* 1 */
    seL4_Word numIOPTLevels;           /* x86_64 without IOMMU: -1; AArch64: 0 */
    struct seL4_IPCBuffer_ *ipcBuffer; /* the initial thread's IPC buffer */
    seL4_SlotRegion empty;             /* free slots of the root CNode */
    seL4_SlotRegion sharedFrames;      /* unused: {0, 0} */
    seL4_SlotRegion userImageFrames;   /* frame caps of the root-task image */
    seL4_SlotRegion userImagePaging;   /* paging-structure caps of the image */
    seL4_SlotRegion ioSpaceCaps;       /* unused: {0, 0} */
    seL4_SlotRegion extraBIPages;      /* frame caps of the extra bootinfo */
    seL4_Word initThreadCNodeSizeBits; /* radix of the root CNode */
    seL4_Domain initThreadDomain;      /* 0 */
    seL4_SlotRegion untyped;           /* untyped caps, described by untypedList */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

/* Extra bootinfo: chunks placed back to back after the bootinfo frame. */
typedef struct seL4_BootInfoHeader {
    seL4_Word id;  /* SEL4_BOOTINFO_HEADER_* */
    seL4_Word len; /* length of the chunk including this header */
} seL4_BootInfoHeader;

#define SEL4_BOOTINFO_HEADER_PADDING 0
#define SEL4_BOOTINFO_HEADER_X86_VBE 1
#define SEL4_BOOTINFO_HEADER_X86_MBMMAP 2
#define SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP 3
#define SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER 4
#define SEL4_BOOTINFO_HEADER_X86_TSC_FREQ 5
#define SEL4_BOOTINFO_HEADER_FDT 6
#define SEL4_BOOTINFO_HEADER_NUM 7

/* Arch-specific extra bootinfo payloads. */
#include <sel4/arch/bootinfo_types.h>

SEL4_COMPILE_ASSERT(bi_extraLen, SEL4_OFFSETOF(seL4_BootInfo, extraLen) == 0);
SEL4_COMPILE_ASSERT(bi_nodeID, SEL4_OFFSETOF(seL4_BootInfo, nodeID) == 8);
SEL4_COMPILE_ASSERT(bi_numNodes, SEL4_OFFSETOF(seL4_BootInfo, numNodes) == 16);
SEL4_COMPILE_ASSERT(bi_numIOPTLevels, SEL4_OFFSETOF(seL4_BootInfo, numIOPTLevels) == 24);
SEL4_COMPILE_ASSERT(bi_ipcBuffer, SEL4_OFFSETOF(seL4_BootInfo, ipcBuffer) == 32);
SEL4_COMPILE_ASSERT(bi_empty, SEL4_OFFSETOF(seL4_BootInfo, empty) == 40);
SEL4_COMPILE_ASSERT(bi_sharedFrames, SEL4_OFFSETOF(seL4_BootInfo, sharedFrames) == 56);
SEL4_COMPILE_ASSERT(bi_userImageFrames, SEL4_OFFSETOF(seL4_BootInfo, userImageFrames) == 72);
SEL4_COMPILE_ASSERT(bi_userImagePaging, SEL4_OFFSETOF(seL4_BootInfo, userImagePaging) == 88);
SEL4_COMPILE_ASSERT(bi_ioSpaceCaps, SEL4_OFFSETOF(seL4_BootInfo, ioSpaceCaps) == 104);
SEL4_COMPILE_ASSERT(bi_extraBIPages, SEL4_OFFSETOF(seL4_BootInfo, extraBIPages) == 120);
SEL4_COMPILE_ASSERT(bi_cnodeSizeBits, SEL4_OFFSETOF(seL4_BootInfo, initThreadCNodeSizeBits) == 136);
SEL4_COMPILE_ASSERT(bi_domain, SEL4_OFFSETOF(seL4_BootInfo, initThreadDomain) == 144);
SEL4_COMPILE_ASSERT(bi_untyped, SEL4_OFFSETOF(seL4_BootInfo, untyped) == 152);
SEL4_COMPILE_ASSERT(bi_untypedList, SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 168);
SEL4_COMPILE_ASSERT(bi_size,
                    sizeof(seL4_BootInfo) == 168 + 16 * CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
SEL4_COMPILE_ASSERT(bi_fits_frame, sizeof(seL4_BootInfo) <= (1 << seL4_BootInfoFrameBits));
SEL4_COMPILE_ASSERT(bi_header_size, sizeof(seL4_BootInfoHeader) == 16);
