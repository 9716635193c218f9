/*
 * Kernel cap-type tags as reported by seL4_DebugCapIdentify
 * (seL4-abi.md 13.6). The numbers are part of the debug ABI.
 */
#pragma once

enum {
    CT_NULL = 0,
    CT_FRAME = 1,
    CT_UNTYPED = 2,
    CT_PAGE_TABLE = 3,
    CT_ENDPOINT = 4,
    CT_PAGE_DIRECTORY = 5,
    CT_NOTIFICATION = 6,
    CT_PDPT = 7,
    CT_REPLY = 8,
    CT_VSPACE = 9, /* x86_64 PML4, AArch64 VSpace */
    CT_CNODE = 10,
    CT_ASID_CONTROL = 11,
    CT_THREAD = 12,
    CT_ASID_POOL = 13,
    CT_IRQ_CONTROL = 14,
    CT_IRQ_HANDLER = 16,
    CT_ZOMBIE = 18,
    CT_IO_PORT = 19,
    CT_DOMAIN = 20,
    CT_IO_PORT_CONTROL = 31,
};

/* First byte after the root task's image (roottask.ld) and its start. */
extern char _end[];
#define IMAGE_START 0x400000ul
#define PAGE_SIZE 4096ul
#define ROUND_UP_PAGE(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
