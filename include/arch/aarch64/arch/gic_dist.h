/*
 * The GIC distributor registers GICv2 (Arm IHI 0048B) and GICv3 (Arm IHI
 * 0069) share, and the distributor code both drivers use. Only the GIC
 * drivers include this.
 */
#pragma once

#include <arch/machine.h>
#include <basic_types.h>
#include <plat/platform.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_SGIR 0x0f00
#define GICD_IROUTER 0x6000

/* The one priority every interrupt gets, and the first special INTID. */
#define GIC_IRQ_PRIORITY 0xa0
#define GIC_SPURIOUS_FIRST 1020

static inline pptr_t gicd(word_t off)
{
    return ptrFromPaddr(PLAT_GICD_PADDR) + off;
}

/* With the distributor disabled: disable, clear and deactivate interrupts
 * first..n-1 (a multiple of 32), give them GIC_IRQ_PRIORITY, and make the
 * SPIs among them level-triggered. */
void gicDistReset(word_t first, word_t n);
