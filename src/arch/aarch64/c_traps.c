/*
 * AArch64 trap handling in C: the syscall, user-exception and interrupt
 * entry points called from traps.S, kernel exceptions (a kernel bug: panic
 * with the registers), and the return to user level.
 */
#include <api/syscall.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/interrupt.h>
#include <plat/platform.h>

static void dumpContext(const word_t *r)
{
    static const char *const names[n_contextRegisters] = {
        "x0",  "x1",  "x2",  "x3",   "x4",       "x5",    "x6",      "x7",  "x8",  "x9",
        "x10", "x11", "x12", "x13",  "x14",      "x15",   "x16",     "x17", "x18", "x19",
        "x20", "x21", "x22", "x23",  "x24",      "x25",   "x26",     "x27", "x28", "x29",
        "x30", "sp",  "elr", "spsr", "fault_ip", "tpidr", "tpidrro",
    };
    for (unsigned i = 0; i < n_contextRegisters; i++) {
        kprintf("  %-8s %#018lx%s", names[i], (unsigned long)r[i],
                i % 3 == 2 || i + 1 == n_contextRegisters ? "\n" : "");
    }
}

void Arch_dumpRegisters(const tcb_t *tcb)
{
    dumpContext(tcb->tcbArch.context.registers);
}

/* Frame pushed by KERNEL_EXCEPTION in traps.S. */
enum { KF_ELR = 31, KF_SPSR = 32, KF_ESR = 33, KF_FAR = 34, KF_SP = 35 };

NORETURN void c_handle_kernel_exception(word_t kind, word_t *frame)
{
    static const char *const kinds[] = {
        "synchronous exception at EL1",
        "IRQ at EL1",
        "FIQ at EL1",
        "SError at EL1",
        "FIQ/SError from EL0",
        "exception from AArch32",
        "exception on SP_EL0",
    };
    word_t esr = frame[KF_ESR];
    kprintf("\nKERNEL EXCEPTION: %s, ESR %#lx (class %#lx), FAR %#lx\n",
            kind < ARRAY_SIZE(kinds) ? kinds[kind] : "unknown", (unsigned long)esr,
            (unsigned long)esrClass(esr), (unsigned long)frame[KF_FAR]);
    if (esrClass(esr) == ESR_EC_DABT_SAME || esrClass(esr) == ESR_EC_IABT_SAME) {
        kprintf("  %s\n", Arch_describeVMFault(esr, esrClass(esr) == ESR_EC_IABT_SAME));
    }
    kprintf("  at pc %#lx, sp %#lx, spsr %#lx, current thread \"%s\"\n",
            (unsigned long)frame[KF_ELR], (unsigned long)frame[KF_SP],
            (unsigned long)frame[KF_SPSR], ksCurThread ? ksCurThread->tcbName : "(none)");
    for (unsigned i = 0; i < 31; i++) {
        kprintf("  x%-7u %#018lx%s", i, (unsigned long)frame[i], i % 3 == 2 ? "\n" : "");
    }
    kprintf("\n");
    Arch_halt(false);
}

/* Fault status codes of ESR.ISS[5:0] for aborts (Arm ARM D17.2.37). */
static const char *faultKind(word_t fsc)
{
    switch (fsc >> 2) {
    case 0:
        return "address size fault";
    case 1:
        return "translation fault";
    case 2:
        return "access flag fault";
    case 3:
        return "permission fault";
    default:
        break;
    }
    switch (fsc) {
    case 0x10:
        return "synchronous external abort";
    case 0x21:
        return "alignment fault";
    case 0x30:
        return "TLB conflict abort";
    default:
        return "other abort";
    }
}

/* Diagnostic scratch for the decoded fault text (not kernel state: only
 * ever read right after it is written, within one kernel entry). */
static char vmFaultText[80];

const char *Arch_describeVMFault(word_t fsr, bool instructionFault)
{
    word_t fsc = fsr & 0x3f;
    const char *access = instructionFault ? "exec" : (fsr & ESR_WNR) ? "write" : "read";
    if ((fsc >> 2) <= 3) {
        ksnprintf(vmFaultText, sizeof(vmFaultText), "%s, %s, level %lu", access, faultKind(fsc),
                  (unsigned long)(fsc & 3));
    } else {
        ksnprintf(vmFaultText, sizeof(vmFaultText), "%s, %s", access, faultKind(fsc));
    }
    return vmFaultText;
}

/* A synchronous exception from EL0 other than svc becomes a fault for the
 * thread's handler (seL4-abi.md 10.3, semantics.md 8.1). */
static fault_t userSyncFault(word_t esr)
{
    tcb_t *cur = ksCurThread;
    word_t far;
    switch (esrClass(esr)) {
    case ESR_EC_DABT_LOWER:
        MRS("far_el1", far);
        return fault_vm_fault_new(far, (uint32_t)esr, 0);
    case ESR_EC_IABT_LOWER:
        return fault_vm_fault_new(getRegister(cur, FaultIP), (uint32_t)esr, 1);
    default:
        return fault_user_exception_new((uint32_t)esr, 0);
    }
}

NORETURN void c_handle_user_sync(word_t esr)
{
    tcb_t *cur = ksCurThread;
    /* The faulting instruction is the restart PC. */
    setRegister(cur, FaultIP, getRegister(cur, NextIP));
    handleUserFault(userSyncFault(esr));
    Arch_restoreUserContext();
}

NORETURN void c_handle_syscall(word_t cptr, word_t msgInfo, word_t syscall)
{
    (void)cptr;
    (void)msgInfo;
    tcb_t *cur = ksCurThread;
    /* svc is four bytes; the restart PC is the svc itself. */
    setRegister(cur, FaultIP, getRegister(cur, NextIP) - 4);
    handleSyscall((sword_t)syscall);
    Arch_restoreUserContext();
}

NORETURN void c_handle_interrupt(void)
{
    tcb_t *cur = ksCurThread;
    if (cur != ksIdleThread) {
        /* Interrupted between instructions: continue at the same PC. */
        setRegister(cur, FaultIP, getRegister(cur, NextIP));
    }
    word_t irq = gicAcknowledge();
    if (irq == KERNEL_TIMER_IRQ) {
        timerAck();
    }
    if (irq != IRQ_NONE) {
        handleInterrupt(irq);
    }
    schedule();
    activateThread();
    Arch_restoreUserContext();
}

void Arch_ackInterrupt(word_t irq)
{
    gicEndOfInterrupt(irq);
}

/* The kernel timer line belongs to the kernel and always stays enabled. */
void Arch_maskInterrupt(bool mask, word_t irq)
{
    if (irq == KERNEL_TIMER_IRQ) {
        mask = false;
    }
    gicMask(mask, irq);
}

bool Arch_isIRQPending(void)
{
    return gicPending();
}

NORETURN void Arch_restoreUserContext(void)
{
    tcb_t *cur = ksCurThread;
    if (cur == ksIdleThread) {
        aarch64_idle_loop();
    }
    aarch64FpuPrepareReturn(cur);
    aarch64_return_to_user(cur->tcbArch.context.registers);
}
