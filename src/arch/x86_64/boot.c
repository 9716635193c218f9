/*
 * x86_64 boot: read the Multiboot 1 information, describe memory, check and
 * load the root-server module, then hand over to the generic initKernel().
 * Any problem with the boot input ends in a one-line panic naming it.
 */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <kernel/boot.h>
#include <kernel/elf.h>
#include <machine/io.h>
#include <object/interrupt.h>
#include <plat/ioapic.h>
#include <plat/pc99.h>

#define MULTIBOOT_BOOT_MAGIC 0x2BADB002u
#define MBI_FLAG_MEM BIT(0)
#define MBI_FLAG_MODS BIT(3)
#define MBI_FLAG_MMAP BIT(6)
#define MBI_FLAG_VBE BIT(11)
#define MMAP_TYPE_RAM 1
#define LOW_MEMORY_END 0x100000u

typedef struct {
    uint32_t flags;
    uint32_t mem_lower;
    uint32_t mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count;
    uint32_t mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length;
    uint32_t mmap_addr;
    uint32_t drives_length;
    uint32_t drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info;
    uint32_t vbe_mode_info;
    uint16_t vbe_mode;
    uint16_t vbe_interface_seg;
    uint16_t vbe_interface_off;
    uint16_t vbe_interface_len;
} PACKED multiboot_info_t;

typedef struct {
    uint32_t mod_start;
    uint32_t mod_end;
    uint32_t string;
    uint32_t reserved;
} PACKED multiboot_module_t;

typedef struct {
    uint32_t size;
    uint64_t base_addr;
    uint64_t length;
    uint32_t type;
} PACKED multiboot_mmap_t;

/* Linker symbols: the physical extent of the kernel image. */
extern char ki_phys_start[], ki_end[];

static BOOT_DATA boot_mem_t bootMem;

/* The kernel uses RAM from 1 MiB up to the end of its window. */
static BOOT_CODE void addRAM(paddr_t start, paddr_t end)
{
    bootAddRAM(&bootMem, MAX(start, (paddr_t)LOW_MEMORY_END), MIN(end, (paddr_t)PADDR_TOP));
}

static BOOT_CODE void parseMemoryMap(const multiboot_info_t *mbi)
{
    if (mbi->flags & MBI_FLAG_MMAP) {
        kprintf("Physical memory map (multiboot):\n");
        word_t off = 0;
        while (off + sizeof(multiboot_mmap_t) <= mbi->mmap_length) {
            const multiboot_mmap_t *e = (const void *)ptrFromPaddr(mbi->mmap_addr + off);
            kprintf("  [%#014lx, %#014lx) %s\n", (unsigned long)e->base_addr,
                    (unsigned long)(e->base_addr + e->length),
                    e->type == MMAP_TYPE_RAM ? "RAM" : "reserved");
            x86RecordMemoryMapEntry(e->base_addr, e->length, e->type);
            if (e->type == MMAP_TYPE_RAM) {
                addRAM(e->base_addr, e->base_addr + e->length);
            }
            off += e->size + sizeof(e->size);
        }
    } else if (mbi->flags & MBI_FLAG_MEM) {
        kprintf("Physical memory: %u KiB above 1 MiB (no memory map)\n", mbi->mem_upper);
        addRAM(LOW_MEMORY_END, LOW_MEMORY_END + ((paddr_t)mbi->mem_upper << 10));
    }
    if (bootMem.nRam == 0) {
        kpanic("boot: the boot loader reported no usable RAM");
    }
}

static BOOT_CODE const multiboot_module_t *rootServerModule(const multiboot_info_t *mbi)
{
    if (!(mbi->flags & MBI_FLAG_MODS) || mbi->mods_count == 0) {
        kpanic("boot: no root server module (pass the root-server ELF as the first module, "
               "e.g. QEMU -initrd)");
    }
    const multiboot_module_t *mods = (const void *)ptrFromPaddr(mbi->mods_addr);
    /* Everything from the kernel's end to the last module stays reserved
     * until the image is loaded: the module list and its strings live there. */
    paddr_t end = addrFromKPPtr(ki_end);
    for (word_t i = 0; i < mbi->mods_count; i++) {
        end = MAX(end, (paddr_t)mods[i].mod_end);
    }
    bootReserve(&bootMem,
                (p_region_t){ ROUND_DOWN((paddr_t)addrFromKPPtr(ki_end), 12), ROUND_UP(end, 12) });
    kprintf("Root server module: [%#x, %#x), %u bytes\n", mods[0].mod_start, mods[0].mod_end,
            mods[0].mod_end - mods[0].mod_start);
    return &mods[0];
}

/* Check the module, place its image in free RAM and load it. */
static BOOT_CODE ui_info_t loadRootServer(const multiboot_module_t *mod)
{
    if (mod->mod_end < mod->mod_start) {
        kpanic("boot: root server module has a negative size");
    }
    const void *elf = (const void *)ptrFromPaddr(mod->mod_start);
    word_t size = mod->mod_end - mod->mod_start;
    /* The IPC buffer, bootinfo and extra bootinfo pages follow the image. */
    elf_check_ret_t chk = elfCheck(elf, size, ELF_EM_X86_64, USER_TOP, 3);
    if (chk.error) {
        if (chk.v_reg.end != 0) {
            kpanic("boot: root server is not a usable ELF64 x86_64 executable: %s "
                   "([%#lx, %#lx))",
                   chk.error, (unsigned long)chk.v_reg.start, (unsigned long)chk.v_reg.end);
        }
        kpanic("boot: root server is not a usable ELF64 x86_64 executable: %s", chk.error);
    }

    word_t imageSize = chk.v_reg.end - chk.v_reg.start;
    paddr_t dest = bootFindFree(&bootMem, imageSize, seL4_PageBitsK, 0);
    if (dest == 0) {
        kpanic("boot: not enough memory for the root server (its image needs %lu KiB)",
               (unsigned long)(imageSize >> 10));
    }
    elfLoad(elf, chk.v_reg, (void *)ptrFromPaddr(dest));
    kprintf("Root server: virtual [%#lx, %#lx), physical [%#lx, %#lx), entry %#lx\n",
            (unsigned long)chk.v_reg.start, (unsigned long)chk.v_reg.end, (unsigned long)dest,
            (unsigned long)(dest + imageSize), (unsigned long)chk.entry);
    return (
        ui_info_t){ .p_reg = { dest, dest + imageSize }, .v_reg = chk.v_reg, .v_entry = chk.entry };
}

NORETURN BOOT_CODE void bootKernel(uint32_t magic, uint32_t mbiPaddr);

NORETURN BOOT_CODE void bootKernel(uint32_t magic, uint32_t mbiPaddr)
{
    pc99InitSerial();
    x86InitCPU();
    kprintf("\nMicrokernel for x86_64 (seL4 ABI), %s build\n",
#ifdef CONFIG_DEBUG_BUILD
            "debug"
#else
            "release"
#endif
    );
    if (magic != MULTIBOOT_BOOT_MAGIC) {
        kpanic("boot: not started by a Multiboot 1 loader (EAX = %#x)", magic);
    }
    const multiboot_info_t *mbi = (const void *)ptrFromPaddr(mbiPaddr);
    parseMemoryMap(mbi);
    if (mbi->flags & MBI_FLAG_VBE) {
        x86RecordVBE((const void *)ptrFromPaddr(mbi->vbe_control_info),
                     (const void *)ptrFromPaddr(mbi->vbe_mode_info), mbi->vbe_mode,
                     mbi->vbe_interface_seg, mbi->vbe_interface_off, mbi->vbe_interface_len);
    }
    paddr_t rsdp = x86FindRSDP();
    x86CalibrateTSC();
    apicInit();
    ioapicInit(rsdp);

    bootMem.deviceTop = PADDR_USER_DEVICE_TOP;
    bootReserve(&bootMem, (p_region_t){ addrFromKPPtr(ki_phys_start) & ~MASK(12),
                                        ROUND_UP(addrFromKPPtr(ki_end), 12) });
    const multiboot_module_t *mod = rootServerModule(mbi);
    ui_info_t ui = loadRootServer(mod);

    /* The module copy and the loader's lists are no longer needed. */
    bootMem.nReserved = 1;
    x86FinishBootMappings();
    setIRQState(IRQTimer, KERNEL_TIMER_IRQ);
    apicStartTimer();
    initKernel(&bootMem, ui);
}
