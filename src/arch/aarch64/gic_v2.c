/*
 * GICv2 (Arm IHI 0048B): distributor and memory-mapped CPU interface.
 * Every interrupt goes to CPU 0, group 0 (no Security Extensions on QEMU
 * virt), one priority. Built when KernelArmGICVersion is 2.
 */
#include <config.h>

#if CONFIG_ARM_GIC_VERSION == 2

#include <arch/cpu.h>
#include <arch/gic_dist.h>
#include <machine/io.h>

#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_HPPIR 0x018

static pptr_t gicc(word_t off)
{
    return ptrFromPaddr(PLAT_GICC_PADDR) + off;
}

BOOT_CODE void gicInit(void)
{
    word_t n = gicNumIRQs();
    mmioWrite32(gicd(GICD_CTLR), 0);
    /* SGIs and PPIs are banked per CPU but reset through the distributor. */
    gicDistReset(0, n);
    for (word_t i = 32; i < n; i += 4) {
        mmioWrite32(gicd(GICD_ITARGETSR + i), 0x01010101u); /* CPU 0 */
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
    return irq >= GIC_SPURIOUS_FIRST ? IRQ_NONE : irq;
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
    return (mmioRead32(gicc(GICC_HPPIR)) & 0x3ff) < GIC_SPURIOUS_FIRST;
}

void gicSendSGI(word_t sgi, word_t targetList)
{
    mmioWrite32(gicd(GICD_SGIR), (uint32_t)(((targetList & 0xff) << 16) | (sgi & 0xf)));
}

#endif /* CONFIG_ARM_GIC_VERSION == 2 */
