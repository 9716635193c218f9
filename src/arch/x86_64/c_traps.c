/*
 * x86_64 trap handling in C: the syscall and vector entry points called
 * from traps.S, and the return to user level.
 */
#include <api/syscall.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <machine/io.h>

#define VECTOR_PAGE_FAULT 14
#define VECTOR_FIRST_IRQ 32
#define VECTOR_SPURIOUS 255
#define INT_TRAP_MIN 158
#define INT_TRAP_MAX 254

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

static void handleUserException(word_t vector)
{
    tcb_t *cur = ksCurThread;
    char what[96];
    if (vector == VECTOR_PAGE_FAULT) {
        word_t code = getRegister(cur, Error);
        ksnprintf(what, sizeof(what), "vm fault on %s at address %#lx (%s, status %#lx)",
                  (code & BIT(4)) ? "code" : "data", (unsigned long)readCR2(),
                  (code & BIT(1)) ? "write" : "read", (unsigned long)(code & 0x1f));
    } else {
        ksnprintf(what, sizeof(what), "user exception %lu (%s) code %#lx", (unsigned long)vector,
                  exceptionName(vector), (unsigned long)getRegister(cur, Error));
    }
    stopThreadWithReport(cur, what);
}

NORETURN void c_handle_trap(word_t vector, word_t *frame)
{
    if ((frame[CS] & 3) == 0 && !(ksCurThread == ksIdleThread && vector >= VECTOR_FIRST_IRQ)) {
        kernelTrap(vector, frame);
    }
    tcb_t *cur = ksCurThread;
    if (cur != ksIdleThread) {
        /* Exceptions restart at the faulting instruction. */
        setRegister(cur, FaultIP, getRegister(cur, NextIP));
    }

    if (vector < VECTOR_FIRST_IRQ) {
        handleUserException(vector);
    } else if (vector >= INT_TRAP_MIN && vector <= INT_TRAP_MAX && cur != ksIdleThread) {
        /* `int n` from user level: an unknown syscall, restart PC on the int. */
        setRegister(cur, FaultIP, getRegister(cur, NextIP) - 2);
        char what[64];
        ksnprintf(what, sizeof(what), "unknown syscall via int %lu", (unsigned long)vector);
        stopThreadWithReport(cur, what);
    } else if (vector != VECTOR_SPURIOUS) {
        debugPrintf("kernel: unexpected interrupt vector %lu ignored\n", (unsigned long)vector);
    }
    schedule();
    activateThread();
    Arch_restoreUserContext();
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
    wrmsr(MSR_FS_BASE, getRegister(cur, FS_BASE));
    wrmsr(MSR_GS_BASE, getRegister(cur, GS_BASE));
    x86_return_to_user(cur->tcbArch.context.registers);
}
