/*
 * GICv3 (Arm IHI 0069): distributor with affinity routing, the
 * redistributor of CPU 0 and the system-register CPU interface. Every
 * interrupt is non-secure group 1, routed to affinity 0.0.0.0. Built when
 * KernelArmGICVersion is 3.
 */
#include <config.h>

#if CONFIG_ARM_GIC_VERSION == 3

#include <arch/cpu.h>
#include <arch/gic_dist.h>
#include <machine/io.h>

#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_ENABLE_G1 BIT(1)
#define GICD_CTLR_ENABLE_G0 BIT(0)

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB above. */
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_ICPENDR0 (GICR_SGI_BASE + 0x0280)
#define GICR_ICACTIVER0 (GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400)
#define WAKER_PROCESSOR_SLEEP BIT(1)
#define WAKER_CHILDREN_ASLEEP BIT(2)

static pptr_t gicr(word_t off)
{
    return ptrFromPaddr(PLAT_GICR_PADDR) + off;
}

static void waitRWP(void)
{
    while (mmioRead32(gicd(GICD_CTLR)) & GICD_CTLR_RWP) {
    }
}

static BOOT_CODE void initDistributor(word_t n)
{
    mmioWrite32(gicd(GICD_CTLR), 0);
    waitRWP();
    /* SGIs and PPIs live in the redistributor under affinity routing. */
    gicDistReset(32, n);
    for (word_t i = 32; i < n; i += 32) {
        mmioWrite32(gicd(GICD_IGROUPR + i / 8), 0xffffffffu); /* non-secure group 1 */
    }
    for (word_t i = 32; i < n; i++) {
        *(volatile uint64_t *)gicd(GICD_IROUTER + i * 8) = 0;
    }
    mmioWrite32(gicd(GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
    waitRWP();
}

static BOOT_CODE void initRedistributor(void)
{
    mmioWrite32(gicr(GICR_WAKER), mmioRead32(gicr(GICR_WAKER)) & ~WAKER_PROCESSOR_SLEEP);
    while (mmioRead32(gicr(GICR_WAKER)) & WAKER_CHILDREN_ASLEEP) {
    }
    mmioWrite32(gicr(GICR_ICENABLER0), 0xffffffffu);
    mmioWrite32(gicr(GICR_ICPENDR0), 0xffffffffu);
    mmioWrite32(gicr(GICR_ICACTIVER0), 0xffffffffu);
    mmioWrite32(gicr(GICR_IGROUPR0), 0xffffffffu);
    for (word_t i = 0; i < 32; i += 4) {
        mmioWrite32(gicr(GICR_IPRIORITYR + i), GIC_IRQ_PRIORITY * 0x01010101u);
    }
}

BOOT_CODE void gicInit(void)
{
    word_t n = gicNumIRQs();
    initDistributor(n);
    initRedistributor();
    /* System-register interface, priority mask open, group 1 on. */
    MSR("S3_0_C12_C12_5", 0x7); /* ICC_SRE_EL1: SRE, DFB, DIB */
    isb();
    MSR("S3_0_C4_C6_0", 0xff); /* ICC_PMR_EL1 */
    MSR("S3_0_C12_C12_3", 0);  /* ICC_BPR1_EL1 */
    MSR("S3_0_C12_C12_4", 0);  /* ICC_CTLR_EL1: EOI also deactivates */
    MSR("S3_0_C12_C12_7", 1);  /* ICC_IGRPEN1_EL1 */
    isb();
    kprintf("GICv3: %lu interrupt IDs\n", (unsigned long)n);
}

word_t gicAcknowledge(void)
{
    word_t irq;
    MRS("S3_0_C12_C12_0", irq); /* ICC_IAR1_EL1 */
    irq &= 0xffffff;
    return irq >= GIC_SPURIOUS_FIRST ? IRQ_NONE : irq;
}

void gicEndOfInterrupt(word_t irq)
{
    if (irq < NUM_IRQS) {
        MSR("S3_0_C12_C12_1", irq); /* ICC_EOIR1_EL1 */
        isb();
    }
}

void gicMask(bool mask, word_t irq)
{
    if (irq >= NUM_IRQS) {
        return;
    }
    uint32_t bit = 1u << (irq % 32);
    if (irq < 32) {
        mmioWrite32(gicr(mask ? GICR_ICENABLER0 : GICR_ISENABLER0), bit);
    } else {
        mmioWrite32(gicd((mask ? GICD_ICENABLER : GICD_ISENABLER) + (irq / 32) * 4), bit);
    }
}

bool gicPending(void)
{
    word_t irq;
    MRS("S3_0_C12_C12_2", irq); /* ICC_HPPIR1_EL1 */
    return (irq & 0xffffff) < GIC_SPURIOUS_FIRST;
}

void gicSendSGI(word_t sgi, word_t targetList)
{
    /* ICC_SGI1R_EL1: INTID [27:24], affinity 0.0.0, target list [15:0]. */
    MSR("S3_0_C12_C11_5", ((sgi & 0xf) << 24) | (targetList & 0xffff));
    isb();
}

#endif /* CONFIG_ARM_GIC_VERSION == 3 */
