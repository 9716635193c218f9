/*
 * Generic boot: turns the memory description and the loaded root-server
 * image handed over by the arch boot code into the root server's CSpace,
 * VSpace, TCB, bootinfo frame and untyped caps (semantics.md section 11).
 */
#pragma once

#include <api/abi.h>
#include <basic_types.h>
#include <object/structures.h>

#define MAX_NUM_FREEMEM_REG 64
#define MAX_NUM_RESV_REG 16

/* The root-server image as loaded into physical memory. */
typedef struct {
    p_region_t p_reg; /* physical frames holding [v_reg.start, v_reg.end) */
    v_region_t v_reg; /* its virtual range, page aligned */
    vptr_t v_entry;   /* entry point */
} ui_info_t;

/* Memory as seen by the arch boot code. RAM regions are sorted and
 * disjoint; reserved regions are RAM that must never become untyped, or
 * device memory the kernel keeps for itself (left out of the device
 * untypeds). */
typedef struct {
    p_region_t ram[MAX_NUM_FREEMEM_REG];
    word_t nRam;
    p_region_t reserved[MAX_NUM_RESV_REG];
    word_t nReserved;
    paddr_t deviceTop; /* device untypeds cover [0, deviceTop) minus RAM */
} boot_mem_t;

/* Add RAM [start, end) (whole pages inside it), keeping the list sorted
 * and merged. */
void bootAddRAM(boot_mem_t *mem, paddr_t start, paddr_t end);
/* Add a reserved range; panics if the table is full. */
void bootReserve(boot_mem_t *mem, p_region_t reg);
/* Remove [start,end) from every RAM region's free part; used by the arch
 * code to place the root-server image. Returns the start or 0. */
paddr_t bootFindFree(const boot_mem_t *mem, word_t size, word_t alignBits, paddr_t above);

NORETURN void initKernel(boot_mem_t *mem, ui_info_t ui);

/* Helpers for the arch hooks that build the root server's VSpace. */
pptr_t bootAllocPage(void);
void bootProvideCap(cap_t cap);
seL4_SlotPos bootNextSlot(void);
cte_t *bootRootCNodeSlot(seL4_SlotPos slot);
