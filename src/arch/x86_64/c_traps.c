/*
 * x86_64 trap handling in C: the syscall and vector entry points called
 * from traps.S, and the return to user level.
 */
#include <api/syscall.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/interrupt.h>

#define VECTOR_PAGE_FAULT 14
#define VECTOR_FIRST_IRQ 32
#define INT_TRAP_MIN 158
#define INT_TRAP_MAX 254
#define PF_ERROR_CODE_BITS 0x1f

static const char *const exceptionNames[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FPU error",
    "alignment check",
    "machine check",
    "SIMD FP exception",
    "virtualization",
    "control protection",
};

static const char *exceptionName(word_t v)
{
    return v < 32 && exceptionNames[v] ? exceptionNames[v] : "reserved";
}

static void dumpFrame(const word_t *r)
{
    static const char *const names[n_contextRegisters] = {
        "rax",     "rbx",      "rcx",   "rdx", "rsi", "rdi",    "rbp", "r8",
        "r9",      "r10",      "r11",   "r12", "r13", "r14",    "r15", "fs_base",
        "gs_base", "fault_ip", "error", "rip", "cs",  "rflags", "rsp", "ss",
    };
    for (unsigned i = 0; i < n_contextRegisters; i++) {
        kprintf("  %-8s %#018lx%s", names[i], (unsigned long)r[i], i % 3 == 2 ? "\n" : "");
    }
}

void Arch_dumpRegisters(const tcb_t *tcb)
{
    dumpFrame(tcb->tcbArch.context.registers);
}

/* An exception in kernel mode is a kernel bug: report everything, halt. */
static NORETURN void kernelTrap(word_t vector, const word_t *frame)
{
    kprintf("\nKERNEL EXCEPTION: vector %lu (%s), error code %#lx\n", (unsigned long)vector,
            exceptionName(vector), (unsigned long)frame[Error]);
    kprintf("  at rip %#lx, faulting address (cr2) %#lx, current thread \"%s\"\n",
            (unsigned long)frame[NextIP], (unsigned long)readCR2(),
            ksCurThread ? ksCurThread->tcbName : "(none)");
    dumpFrame(frame);
    Arch_halt(false);
}

/* A CPU exception in user mode becomes a fault for the thread's handler
 * (seL4-abi.md 10.3 and 0.1 item 10). */
static fault_t userExceptionFault(word_t vector)
{
    tcb_t *cur = ksCurThread;
    if (vector == VECTOR_PAGE_FAULT) {
        word_t code = getRegister(cur, Error) & PF_ERROR_CODE_BITS;
        /* No NXE: instruction fetches are never reported as such. */
        return fault_vm_fault_new(readCR2(), code, 0);
    }
    return fault_user_exception_new(vector, getRegister(cur, Error));
}

/* `int n` for n in 158..254: an unknown syscall whose number combines n
 * with the low 24 bits of RAX, sign-extended from 32 bits; the restart PC
 * goes back onto the two-byte int instruction. */
static fault_t intTrapFault(word_t vector)
{
    tcb_t *cur = ksCurThread;
    setRegister(cur, FaultIP, getRegister(cur, NextIP) - 2);
    uint32_t number = (uint32_t)((vector << 24) | (getRegister(cur, RAX) & MASK(24)));
    return fault_unknown_syscall_new((word_t)(int64_t)(int32_t)number);
}

NORETURN void c_handle_trap(word_t vector, word_t *frame)
{
    bool fromUser = (frame[CS] & 3) != 0;
    if (!fromUser && !(ksCurThread == ksIdleThread && vector >= VECTOR_FIRST_IRQ)) {
        kernelTrap(vector, frame);
    }
    tcb_t *cur = ksCurThread;
    if (fromUser) {
        /* Exceptions and interrupts restart at the interrupted instruction. */
        setRegister(cur, FaultIP, getRegister(cur, NextIP));
    }

    if (vector == SPURIOUS_VECTOR) {
        /* `int 0xff` or a spurious APIC interrupt: nothing to do. */
    } else if (vector < VECTOR_FIRST_IRQ) {
        handleUserFault(userExceptionFault(vector));
        Arch_restoreUserContext();
    } else if (fromUser && vector >= INT_TRAP_MIN && vector <= INT_TRAP_MAX) {
        handleUserFault(intTrapFault(vector));
        Arch_restoreUserContext();
    } else {
        handleInterrupt(vector - IRQ_VECTOR_OFFSET);
    }
    schedule();
    activateThread();
    Arch_restoreUserContext();
}

void Arch_ackInterrupt(word_t irq)
{
    (void)irq;
    apicAck();
}

bool Arch_isIRQPending(void)
{
    return apicInterruptPending();
}

const char *Arch_describeVMFault(word_t fsr, bool instructionFault)
{
    (void)instructionFault;
    if (fsr & BIT(3)) {
        return "reserved bit set";
    }
    if (fsr & BIT(1)) {
        return (fsr & BIT(0)) ? "write, protection" : "write, not present";
    }
    return (fsr & BIT(0)) ? "read, protection" : "read, not present";
}

NORETURN void c_handle_syscall(word_t cptr, word_t msgInfo, word_t syscall)
{
    (void)cptr;
    (void)msgInfo;
    tcb_t *cur = ksCurThread;
    /* `syscall` is two bytes long. */
    setRegister(cur, FaultIP, getRegister(cur, NextIP) - 2);
    handleSyscall((sword_t)syscall);
    Arch_restoreUserContext();
}

NORETURN void Arch_restoreUserContext(void)
{
    tcb_t *cur = ksCurThread;
    if (cur == ksIdleThread) {
        x86_idle_loop();
    }
    x86SetKernelStack(cur);
    x86FpuPrepareReturn(cur);
    wrmsr(MSR_FS_BASE, getRegister(cur, FS_BASE));
    wrmsr(MSR_GS_BASE, getRegister(cur, GS_BASE));
    x86_return_to_user(cur->tcbArch.context.registers);
}
