/*
 * AArch64 CPU set-up, trap entry points and the machine drivers shared by
 * the arch files: the GIC (v2 or v3, chosen at build time), the generic
 * timer and the FP/SIMD state.
 */
#pragma once

#include <basic_types.h>
#include <object/structures.h>

/* ESR_EL1 exception classes (Arm ARM D17.2.37). */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_FP_ACCESS 0x07
#define ESR_EC_SVC64 0x15
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_SAME 0x21
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_SAME 0x25
#define ESR_WNR BIT(6)

static inline word_t esrClass(word_t esr)
{
    return (esr >> ESR_EC_SHIFT) & 0x3f;
}

/* traps.S */
extern char arm_vector_table[];
extern char kernel_stack_top[];
NORETURN void aarch64_return_to_user(word_t *context);
NORETURN void aarch64_idle_loop(void);

/* fpu.S: FP/SIMD registers <-> memory. */
void aarch64FpuSave(fpu_state_t *state);
void aarch64FpuRestore(const fpu_state_t *state);

/* c_traps.c: called from traps.S. */
NORETURN void c_handle_syscall(word_t cptr, word_t msgInfo, word_t syscall);
NORETURN void c_handle_user_sync(word_t esr);
NORETURN void c_handle_interrupt(void);
NORETURN void c_handle_kernel_exception(word_t kind, word_t *frame);

/* machine.c */
void aarch64InitCPU(void);
/* Make the FP/SIMD unit ready for `tcb` to return to EL0. */
void aarch64FpuPrepareReturn(tcb_t *tcb);

/* vspace.c: the kernel window (TTBR1) and the empty user table. */
void aarch64InitKernelWindow(void);
/* Point TTBR0 at `tcb`'s VSpace (or the empty table). */
void setVMRoot(tcb_t *tcb);

/* GIC: interrupt IDs are the generic kernel's IRQ numbers. */
#define IRQ_NONE ((word_t)-1)
void gicInit(void);
/* The highest-priority pending interrupt, now active; IRQ_NONE if none. */
word_t gicAcknowledge(void);
void gicEndOfInterrupt(word_t irq);
void gicMask(bool mask, word_t irq);
bool gicPending(void);
/* Edge- (true) or level-triggered; SPIs only (SGIs/PPIs are fixed). */
void gicSetTrigger(word_t irq, bool edge);
void gicSendSGI(word_t sgi, word_t targetList);
/* Number of interrupt IDs the distributor implements. */
word_t gicNumIRQs(void);

/* Generic timer: the kernel tick on the EL1 physical timer. */
void timerInit(void);
void timerAck(void);

/* FDT (fdt.c): the /memory nodes of a flattened device tree. */
typedef struct {
    paddr_t base;
    word_t size;
} fdt_region_t;
/* Check the header; returns the blob's total size or 0 if invalid. */
word_t fdtCheck(const void *fdt, word_t maxSize);
/* Call `fn` for each reg entry of every memory node; false on a
 * malformed tree. */
bool fdtForEachMemory(const void *fdt, void (*fn)(fdt_region_t));
