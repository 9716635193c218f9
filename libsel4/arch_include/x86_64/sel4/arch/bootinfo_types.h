/*
 * x86 extra-bootinfo payloads (seL4-abi.md section 5.3). All packed; each
 * chunk starts with a seL4_BootInfoHeader. Included from
 * <sel4/bootinfo_types.h>.
 */
#pragma once

/* VBE controller information block (512 bytes). */
typedef struct seL4_VBEInfoBlock {
    char signature[4];
    seL4_Uint16 version;
    seL4_Uint32 oemStringPtr;
    seL4_Uint32 capabilities;
    seL4_Uint32 modeListPtr;
    seL4_Uint16 totalMemory;
    seL4_Uint16 oemSoftwareRev;
    seL4_Uint32 oemVendorNamePtr;
    seL4_Uint32 oemProductNamePtr;
    seL4_Uint32 oemProductRevPtr;
    seL4_Uint8 reserved[222];
    seL4_Uint8 oemData[256];
} SEL4_PACKED seL4_VBEInfoBlock_t;

/* VBE mode information block (256 bytes). */
typedef struct seL4_VBEModeInfoCommon {
    seL4_Uint16 modeAttr;
    seL4_Uint8 winAAttr;
    seL4_Uint8 winBAttr;
    seL4_Uint16 winGranularity;
    seL4_Uint16 winSize;
    seL4_Uint16 winASeg;
    seL4_Uint16 winBSeg;
    seL4_Uint32 winFuncPtr;
    seL4_Uint16 bytesPerScanLine;
} SEL4_PACKED seL4_VBEModeInfoCommon_t;

typedef struct seL4_VBEInfo12Part1 {
    seL4_Uint16 xRes;
    seL4_Uint16 yRes;
    seL4_Uint8 xCharSize;
    seL4_Uint8 yCharSize;
    seL4_Uint8 planes;
    seL4_Uint8 bitsPerPixel;
    seL4_Uint8 banks;
    seL4_Uint8 memoryModel;
    seL4_Uint8 bankSize;
    seL4_Uint8 imagePages;
    seL4_Uint8 reserved1;
} SEL4_PACKED seL4_VBEInfo12Part1_t;

typedef struct seL4_VBEInfo12Part2 {
    seL4_Uint8 redLen;
    seL4_Uint8 redOff;
    seL4_Uint8 greenLen;
    seL4_Uint8 greenOff;
    seL4_Uint8 blueLen;
    seL4_Uint8 blueOff;
    seL4_Uint8 rsvdLen;
    seL4_Uint8 rsvdOff;
    seL4_Uint8 directColorInfo;
} SEL4_PACKED seL4_VBEInfo12Part2_t;

typedef struct seL4_VBEInfo20 {
    seL4_Uint32 physBasePtr;
    seL4_Uint8 reserved2[6];
} SEL4_PACKED seL4_VBEInfo20_t;

typedef struct seL4_VBEInfo30 {
    seL4_Uint16 linBytesPerScanLine;
    seL4_Uint8 bnkImagePages;
    seL4_Uint8 linImagePages;
    seL4_Uint8 linRedLen;
    seL4_Uint8 linRedOff;
    seL4_Uint8 linGreenLen;
    seL4_Uint8 linGreenOff;
    seL4_Uint8 linBlueLen;
    seL4_Uint8 linBlueOff;
    seL4_Uint8 linRsvdLen;
    seL4_Uint8 linRsvdOff;
    seL4_Uint32 maxPixelClock;
} SEL4_PACKED seL4_VBEInfo30_t;

typedef struct seL4_VBEModeInfoBlock {
    seL4_VBEModeInfoCommon_t vbe_common;
    seL4_VBEInfo12Part1_t vbe12_part1;
    seL4_VBEInfo12Part2_t vbe12_part2;
    seL4_VBEInfo20_t vbe20;
    seL4_VBEInfo30_t vbe30;
    seL4_Uint8 reserved3[190];
} SEL4_PACKED seL4_VBEModeInfoBlock_t;

/* Chunk SEL4_BOOTINFO_HEADER_X86_VBE (800 bytes). */
typedef struct seL4_X86_BootInfo_VBE {
    seL4_BootInfoHeader header;
    seL4_VBEInfoBlock_t vbeInfoBlock;
    seL4_VBEModeInfoBlock_t vbeModeInfoBlock;
    seL4_Uint32 vbeMode;
    seL4_Uint32 vbeInterfaceSeg;
    seL4_Uint32 vbeInterfaceOff;
    seL4_Uint32 vbeInterfaceLen;
} SEL4_PACKED seL4_X86_BootInfo_VBE;

/* One multiboot memory-map entry (24 bytes). type 1 = RAM. */
typedef struct seL4_X86_mb_mmap {
    seL4_Uint32 size;
    seL4_Uint64 base_addr;
    seL4_Uint64 length;
    seL4_Uint32 type;
} SEL4_PACKED seL4_X86_mb_mmap_t;

#define SEL4_MULTIBOOT_MAX_MMAP_ENTRIES 50
#define SEL4_MULTIBOOT_RAM_REGION_TYPE 1

/* Chunk SEL4_BOOTINFO_HEADER_X86_MBMMAP (1220 bytes). */
typedef struct seL4_X86_BootInfo_mmap {
    seL4_BootInfoHeader header;
    seL4_Uint32 mmap_length; /* bytes of valid entries */
    seL4_X86_mb_mmap_t mmap[SEL4_MULTIBOOT_MAX_MMAP_ENTRIES];
} SEL4_PACKED seL4_X86_BootInfo_mmap_t;

/* Multiboot 2 framebuffer description (22 bytes). */
typedef struct seL4_X86_mb2_fb {
    seL4_Uint64 addr;
    seL4_Uint32 pitch;
    seL4_Uint32 width;
    seL4_Uint32 height;
    seL4_Uint8 bpp;
    seL4_Uint8 type;
} SEL4_PACKED seL4_X86_mb2_fb_t;

/* Chunk SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER. */
typedef struct seL4_X86_BootInfo_fb {
    seL4_BootInfoHeader header;
    seL4_X86_mb2_fb_t fb_info;
} SEL4_PACKED seL4_X86_BootInfo_fb_t;

/* ACPI RSDP as copied into chunk SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP (36 bytes). */
typedef struct seL4_X86_RSDP {
    char signature[8];
    seL4_Uint8 checksum;
    char oem_id[6];
    seL4_Uint8 revision;
    seL4_Uint32 rsdt_address;
    seL4_Uint32 length;
    seL4_Uint64 xsdt_address;
    seL4_Uint8 extended_checksum;
    char reserved[3];
} SEL4_PACKED seL4_X86_RSDP_t;

typedef struct seL4_X86_BootInfo_RSDP {
    seL4_BootInfoHeader header;
    seL4_X86_RSDP_t rsdp;
} SEL4_PACKED seL4_X86_BootInfo_RSDP_t;

/* Chunk SEL4_BOOTINFO_HEADER_X86_TSC_FREQ: TSC frequency in MHz. */
typedef struct seL4_X86_BootInfo_TSCFreq {
    seL4_BootInfoHeader header;
    seL4_Uint32 tsc_freq_mhz;
} SEL4_PACKED seL4_X86_BootInfo_TSCFreq_t;

SEL4_COMPILE_ASSERT(vbe_info_block_size, sizeof(seL4_VBEInfoBlock_t) == 512);
SEL4_COMPILE_ASSERT(vbe_mode_info_block_size, sizeof(seL4_VBEModeInfoBlock_t) == 256);
SEL4_COMPILE_ASSERT(bootinfo_vbe_size, sizeof(seL4_X86_BootInfo_VBE) == 800);
SEL4_COMPILE_ASSERT(bootinfo_vbe_mode, SEL4_OFFSETOF(seL4_X86_BootInfo_VBE, vbeMode) == 784);
SEL4_COMPILE_ASSERT(mb_mmap_size, sizeof(seL4_X86_mb_mmap_t) == 24);
SEL4_COMPILE_ASSERT(bootinfo_mmap_size, sizeof(seL4_X86_BootInfo_mmap_t) == 1220);
SEL4_COMPILE_ASSERT(mb2_fb_size, sizeof(seL4_X86_mb2_fb_t) == 22);
SEL4_COMPILE_ASSERT(bootinfo_fb_size, sizeof(seL4_X86_BootInfo_fb_t) == 38);
SEL4_COMPILE_ASSERT(rsdp_size, sizeof(seL4_X86_RSDP_t) == 36);
SEL4_COMPILE_ASSERT(bootinfo_tsc_size, sizeof(seL4_X86_BootInfo_TSCFreq_t) == 20);
