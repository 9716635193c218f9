/*
 * GICv2 (Arm IHI 0048B): distributor and memory-mapped CPU interface.
 * Every interrupt goes to CPU 0, group 0 (no Security Extensions on QEMU
 * virt), one priority. Built when KernelArmGICVersion is 2.
 */
#include <config.h>

#if CONFIG_ARM_GIC_VERSION == 2

#include <arch/cpu.h>
#include <arch/machine.h>
#include <machine/io.h>
#include <plat/platform.h>

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_HPPIR 0x018

#define IRQ_PRIORITY 0xa0
#define SPURIOUS_FIRST 1020

static pptr_t gicd(word_t off)
{
    return ptrFromPaddr(PLAT_GICD_PADDR) + off;
}

static pptr_t gicc(word_t off)
{
    return ptrFromPaddr(PLAT_GICC_PADDR) + off;
}

word_t gicNumIRQs(void)
{
    word_t n = 32 * ((mmioRead32(gicd(GICD_TYPER)) & 0x1f) + 1);
    return MIN(n, (word_t)NUM_IRQS);
}

BOOT_CODE void gicInit(void)
{
    word_t n = gicNumIRQs();
    mmioWrite32(gicd(GICD_CTLR), 0);
    for (word_t i = 0; i < n; i += 32) {
        mmioWrite32(gicd(GICD_ICENABLER + i / 8), 0xffffffffu);
        mmioWrite32(gicd(GICD_ICPENDR + i / 8), 0xffffffffu);
        mmioWrite32(gicd(GICD_ICACTIVER + i / 8), 0xffffffffu);
    }
    for (word_t i = 0; i < n; i += 4) {
        mmioWrite32(gicd(GICD_IPRIORITYR + i), IRQ_PRIORITY * 0x01010101u);
        if (i >= 32) {
            mmioWrite32(gicd(GICD_ITARGETSR + i), 0x01010101u);
        }
    }
    /* SPIs start level-triggered. */
    for (word_t i = 32; i < n; i += 16) {
        mmioWrite32(gicd(GICD_ICFGR + i / 4), 0);
    }
    mmioWrite32(gicd(GICD_CTLR), 1);
    mmioWrite32(gicc(GICC_PMR), 0xf0);
    mmioWrite32(gicc(GICC_BPR), 0);
    mmioWrite32(gicc(GICC_CTLR), 1);
    kprintf("GICv2: %lu interrupt IDs\n", (unsigned long)n);
}

word_t gicAcknowledge(void)
{
    word_t irq = mmioRead32(gicc(GICC_IAR)) & 0x3ff;
    return irq >= SPURIOUS_FIRST ? IRQ_NONE : irq;
}

void gicEndOfInterrupt(word_t irq)
{
    if (irq < NUM_IRQS) {
        mmioWrite32(gicc(GICC_EOIR), (uint32_t)irq);
    }
}

void gicMask(bool mask, word_t irq)
{
    if (irq >= NUM_IRQS) {
        return;
    }
    word_t reg = (mask ? GICD_ICENABLER : GICD_ISENABLER) + (irq / 32) * 4;
    mmioWrite32(gicd(reg), 1u << (irq % 32));
}

bool gicPending(void)
{
    return (mmioRead32(gicc(GICC_HPPIR)) & 0x3ff) < SPURIOUS_FIRST;
}

void gicSetTrigger(word_t irq, bool edge)
{
    if (irq < 32 || irq >= NUM_IRQS) {
        return;
    }
    pptr_t reg = gicd(GICD_ICFGR + (irq / 16) * 4);
    uint32_t bit = 2u << ((irq % 16) * 2);
    uint32_t v = mmioRead32(reg);
    mmioWrite32(reg, edge ? (v | bit) : (v & ~bit));
}

void gicSendSGI(word_t sgi, word_t targetList)
{
    mmioWrite32(gicd(GICD_SGIR), (uint32_t)(((targetList & 0xff) << 16) | (sgi & 0xf)));
}

#endif /* CONFIG_ARM_GIC_VERSION == 2 */
