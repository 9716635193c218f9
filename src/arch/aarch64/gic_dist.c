/*
 * Distributor code common to the GICv2 and GICv3 drivers: the number of
 * interrupt IDs, the reset of a range of interrupts, and trigger modes.
 */
#include <arch/cpu.h>
#include <arch/gic_dist.h>
#include <machine/io.h>

word_t gicNumIRQs(void)
{
    /* GICD_TYPER.ITLinesNumber: 32 * (N + 1) interrupt IDs. */
    word_t n = 32 * ((mmioRead32(gicd(GICD_TYPER)) & 0x1f) + 1);
    return MIN(n, (word_t)NUM_IRQS);
}

BOOT_CODE void gicDistReset(word_t first, word_t n)
{
    for (word_t i = first; i < n; i += 32) {
        mmioWrite32(gicd(GICD_ICENABLER + i / 8), 0xffffffffu);
        mmioWrite32(gicd(GICD_ICPENDR + i / 8), 0xffffffffu);
        mmioWrite32(gicd(GICD_ICACTIVER + i / 8), 0xffffffffu);
    }
    for (word_t i = first; i < n; i += 4) {
        mmioWrite32(gicd(GICD_IPRIORITYR + i), GIC_IRQ_PRIORITY * 0x01010101u);
    }
    for (word_t i = MAX(first, (word_t)32); i < n; i += 16) {
        mmioWrite32(gicd(GICD_ICFGR + i / 4), 0);
    }
}

void gicSetTrigger(word_t irq, bool edge)
{
    if (irq < 32 || irq >= NUM_IRQS) {
        return;
    }
    /* Two bits per interrupt; the upper one selects edge. */
    pptr_t reg = gicd(GICD_ICFGR + (irq / 16) * 4);
    uint32_t bit = 2u << ((irq % 16) * 2);
    uint32_t v = mmioRead32(reg);
    mmioWrite32(reg, edge ? (v | bit) : (v & ~bit));
}
