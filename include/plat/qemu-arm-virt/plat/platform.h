/*
 * QEMU `virt` (AArch64): the physical addresses and interrupt IDs the
 * kernel uses itself (platform-facts.md 2.3, 2.4), and the exit statuses
 * the QEMU runner maps back to outcomes (tools/run_qemu.py, runner.json).
 */
#pragma once

#include <config.h>

/* PL011 UART (console), 4 KiB. */
#define PLAT_UART_PADDR 0x09000000ull
#define PLAT_UART_SIZE 0x1000ull

/* GIC distributor and CPU interface (GICv2) or redistributors (GICv3). */
#define PLAT_GICD_PADDR 0x08000000ull
#define PLAT_GICD_SIZE 0x10000ull
#define PLAT_GICC_PADDR 0x08010000ull
#define PLAT_GICC_SIZE 0x10000ull
#define PLAT_GICR_PADDR 0x080a0000ull
#define PLAT_GICR_SIZE 0xf60000ull

/* The kernel tick: the non-secure EL1 physical timer, PPI 14. */
#define KERNEL_TIMER_IRQ 30

/* Semihosting SYS_EXIT statuses: halt (seL4_DebugHalt) and panic. */
#define PLAT_EXIT_HALT 33
#define PLAT_EXIT_PANIC 3

void platInitConsole(void);
