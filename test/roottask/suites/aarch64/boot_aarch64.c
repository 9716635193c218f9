/*
 * The AArch64 boot contract (seL4-abi.md 5.3, 12.2; semantics.md 11): the
 * device tree in the extra bootinfo, untypeds that cover RAM and the
 * device space except what the kernel drives itself, and the initial
 * thread's registers.
 */
#include "../captypes.h"
#include "../framework/test.h"

#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define RAM_START 0x40000000ul
#define RAM_END 0xc0000000ul /* -m 2G */
#define UART 0x09000000ul
#define GICD 0x08000000ul

static uint32_t be32(const void *p)
{
    const unsigned char *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

ARCH_TEST(aarch64_extra_bootinfo_is_the_fdt)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    const seL4_BootInfoHeader *h = (const void *)((seL4_Word)bi + PAGE_SIZE);
    if (!CHECK_TRUE(bi->extraLen > sizeof(*h))) {
        return;
    }
    CHECK_EQ(h->id, SEL4_BOOTINFO_HEADER_FDT);
    CHECK_EQ(h->len, bi->extraLen);
    const unsigned char *fdt = (const unsigned char *)(h + 1);
    CHECK_EQ(be32(fdt), FDT_MAGIC);
    CHECK_EQ(be32(fdt + 4) + sizeof(*h), bi->extraLen); /* totalsize */
    /* One frame cap per page of the chunk. */
    seL4_Word pages = (bi->extraLen + PAGE_SIZE - 1) / PAGE_SIZE;
    CHECK_EQ(bi->extraBIPages.end - bi->extraBIPages.start, pages);
}

/* [base, base + 2^bits) of untyped i. */
static int covers(const seL4_UntypedDesc *u, seL4_Word addr)
{
    return addr >= u->paddr && addr - u->paddr < (1ul << u->sizeBits);
}

ARCH_TEST(aarch64_untypeds_cover_ram_and_devices)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    seL4_Word ram = 0, top = 0;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        seL4_Word end = u->paddr + (1ul << u->sizeBits);
        if (u->isDevice) {
            CHECK_TRUE(end <= RAM_START || u->paddr >= RAM_END);
            /* The kernel's own UART and GIC distributor are not handed out. */
            CHECK_TRUE(!covers(u, UART) && !covers(u, GICD));
            top = end > top ? end : top;
        } else {
            CHECK_TRUE(u->paddr >= RAM_START && end <= RAM_END);
            ram += 1ul << u->sizeBits;
        }
    }
    /* Devices reach the CPU's physical-address limit (40 bits on a
     * cortex-a53, 44 on a cortex-a57). */
    CHECK_TRUE(top == 1ul << 40 || top == 1ul << 44);
    /* Most of the 2 GiB is free RAM. */
    CHECK_TRUE(ram > (RAM_END - RAM_START) / 2);
}

ARCH_TEST(aarch64_root_task_registers)
{
    seL4_Word sp, el;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(el));
    CHECK_EQ(el, 0);
    CHECK_TRUE(sp >= IMAGE_START && sp < (seL4_Word)_end);
    /* The root task's own context through its TCB is off limits. */
    seL4_UserContext ctx;
    CHECK_ERR(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &ctx), seL4_IllegalOperation);
}
