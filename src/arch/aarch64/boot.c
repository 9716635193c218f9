/*
 * AArch64 boot: take the loader's hand-off registers (seL4-abi.md 12.2),
 * switch to the kernel's own tables, find RAM in the device tree, check
 * the already-loaded root-server image, start the GIC and the timer and
 * hand over to the generic initKernel(). Any problem with the boot input
 * ends in a one-line panic naming it.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/boot.h>
#include <machine/io.h>
#include <plat/platform.h>

/* Linker symbols: the extent of the kernel image (kernel window). */
extern char ki_phys_start[], ki_end[];

static BOOT_DATA boot_mem_t bootMem;

/* The device tree the loader passed (0 if none); kept for the extra
 * bootinfo. */
static BOOT_DATA paddr_t armBootDTB;
static BOOT_DATA word_t armBootDTBSize;

static BOOT_CODE void addRAM(fdt_region_t r)
{
    paddr_t end = r.base + r.size < r.base ? PADDR_TOP : r.base + r.size;
    kprintf("  RAM [%#014lx, %#014lx)\n", (unsigned long)r.base, (unsigned long)(r.base + r.size));
    bootAddRAM(&bootMem, r.base, MIN(end, (paddr_t)PADDR_TOP));
}

static BOOT_CODE bool inRAM(p_region_t r)
{
    for (word_t i = 0; i < bootMem.nRam; i++) {
        if (bootMem.ram[i].start <= r.start && r.end <= bootMem.ram[i].end) {
            return true;
        }
    }
    return false;
}

static BOOT_CODE bool overlaps(p_region_t a, p_region_t b)
{
    return a.start < b.end && b.start < a.end;
}

/* RAM from the /memory nodes of the device tree. */
static BOOT_CODE void parseDeviceTree(paddr_t dtb, word_t size)
{
    if (dtb == 0) {
        kpanic("boot: the loader passed no device tree (x4 = 0), so RAM is unknown");
    }
    if (dtb + size < dtb || dtb + size > PADDR_TOP) {
        kpanic("boot: device tree [%#lx, +%#lx) lies outside the kernel window", (unsigned long)dtb,
               (unsigned long)size);
    }
    const void *fdt = (const void *)ptrFromPaddr(dtb);
    word_t total = fdtCheck(fdt, size);
    if (total == 0) {
        kpanic("boot: no valid device tree at %#lx (size %#lx)", (unsigned long)dtb,
               (unsigned long)size);
    }
    kprintf("Device tree at %#lx, %lu bytes; physical memory:\n", (unsigned long)dtb,
            (unsigned long)total);
    if (!fdtForEachMemory(fdt, addRAM)) {
        kpanic("boot: the device tree at %#lx is malformed", (unsigned long)dtb);
    }
    if (bootMem.nRam == 0) {
        kpanic("boot: the device tree has no /memory node with usable RAM");
    }
    armBootDTB = dtb;
    armBootDTBSize = total;
}

/* The kernel image, the DTB and the devices the kernel drives. */
static BOOT_CODE void reserveKernelRegions(void)
{
    p_region_t kernel = { addrFromKPPtr(ki_phys_start), ROUND_UP(addrFromKPPtr(ki_end), 12) };
    bootReserve(&bootMem, kernel);
    bootReserve(&bootMem, (p_region_t){ ROUND_DOWN(armBootDTB, 12),
                                        ROUND_UP(armBootDTB + armBootDTBSize, 12) });
    bootReserve(&bootMem, (p_region_t){ PLAT_UART_PADDR, PLAT_UART_PADDR + PLAT_UART_SIZE });
    bootReserve(&bootMem, (p_region_t){ PLAT_GICD_PADDR, PLAT_GICD_PADDR + PLAT_GICD_SIZE });
#if CONFIG_ARM_GIC_VERSION == 2
    bootReserve(&bootMem, (p_region_t){ PLAT_GICC_PADDR, PLAT_GICC_PADDR + PLAT_GICC_SIZE });
#else
    bootReserve(&bootMem, (p_region_t){ PLAT_GICR_PADDR, PLAT_GICR_PADDR + PLAT_GICR_SIZE });
#endif
}

/* Check the root-server image the loader placed at [start, end). */
static BOOT_CODE ui_info_t checkRootServer(paddr_t start, paddr_t end, sword_t pvOffset,
                                           vptr_t entry)
{
    p_region_t p = { start, end };
    if (start == 0 || end <= start || !IS_ALIGNED(start, 12) || !IS_ALIGNED(end, 12)) {
        kpanic("boot: no root server from the loader (image [%#lx, %#lx) in x0/x1 is empty or "
               "not page aligned)",
               (unsigned long)start, (unsigned long)end);
    }
    if (!inRAM(p)) {
        kpanic("boot: root server image [%#lx, %#lx) lies outside RAM", (unsigned long)start,
               (unsigned long)end);
    }
    for (word_t i = 0; i < bootMem.nReserved; i++) {
        if (overlaps(p, bootMem.reserved[i])) {
            kpanic("boot: root server image [%#lx, %#lx) overlaps the kernel or the device tree",
                   (unsigned long)start, (unsigned long)end);
        }
    }
    v_region_t v = { start - (word_t)pvOffset, end - (word_t)pvOffset };
    /* The IPC buffer, bootinfo and extra bootinfo pages follow the image. */
    if (v.end < v.start || v.end > USER_TOP || USER_TOP - v.end < (3ul << 12)) {
        kpanic("boot: root server image leaves no room below the user top ([%#lx, %#lx))",
               (unsigned long)v.start, (unsigned long)v.end);
    }
    if (entry < v.start || entry >= v.end) {
        kpanic("boot: root server entry point outside the image (%#lx not in [%#lx, %#lx))",
               (unsigned long)entry, (unsigned long)v.start, (unsigned long)v.end);
    }
    kprintf("Root server: virtual [%#lx, %#lx), physical [%#lx, %#lx), entry %#lx\n",
            (unsigned long)v.start, (unsigned long)v.end, (unsigned long)start, (unsigned long)end,
            (unsigned long)entry);
    return (ui_info_t){ .p_reg = p, .v_reg = v, .v_entry = entry };
}

/* The physical-address size of this CPU (ID_AA64MMFR0_EL1.PARange). */
static BOOT_CODE paddr_t physicalAddressTop(void)
{
    static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };
    word_t mmfr0;
    MRS("id_aa64mmfr0_el1", mmfr0);
    word_t range = mmfr0 & 0xf;
    word_t pa = range < ARRAY_SIZE(bits) ? bits[range] : 48;
    return MIN(BIT(pa), (paddr_t)PADDR_USER_DEVICE_TOP);
}

NORETURN BOOT_CODE void bootKernel(paddr_t uiStart, paddr_t uiEnd, sword_t pvOffset, vptr_t entry,
                                   paddr_t dtb, word_t dtbSize);

NORETURN BOOT_CODE void bootKernel(paddr_t uiStart, paddr_t uiEnd, sword_t pvOffset, vptr_t entry,
                                   paddr_t dtb, word_t dtbSize)
{
    aarch64InitKernelWindow();
    platInitConsole();
    aarch64InitCPU();
    kprintf("\nBootstrapping kernel\nMicrokernel for AArch64 (seL4 ABI), %s build\n",
#ifdef CONFIG_DEBUG_BUILD
            "debug"
#else
            "release"
#endif
    );
    parseDeviceTree(dtb, dtbSize);
    bootMem.deviceTop = physicalAddressTop();
    reserveKernelRegions();
    ui_info_t ui = checkRootServer(uiStart, uiEnd, pvOffset, entry);

    gicInit();
    timerInit();
    initKernel(&bootMem, ui);
}

BOOT_CODE word_t Arch_extraBootinfoSize(void)
{
    return armBootDTB ? sizeof(seL4_BootInfoHeader) + armBootDTBSize : 0;
}

/* One chunk: the device tree (SEL4_BOOTINFO_HEADER_FDT). */
BOOT_CODE void Arch_fillExtraBootinfo(uint8_t *dest, word_t size)
{
    (void)size;
    seL4_BootInfoHeader h = { .id = SEL4_BOOTINFO_HEADER_FDT,
                              .len = sizeof(seL4_BootInfoHeader) + armBootDTBSize };
    memcpy(dest, &h, sizeof(h));
    memcpy(dest + sizeof(h), (const void *)ptrFromPaddr(armBootDTB), armBootDTBSize);
}

BOOT_CODE void Arch_initBootInfo(seL4_BootInfo *bi)
{
    bi->numIOPTLevels = 0;
}

BOOT_CODE void Arch_createBootCaps(cte_t *root)
{
    (void)root; /* no IO-port control, SMMU or SMC caps on this platform */
}
