/*
 * IRQ control and handler caps. The x86_64 target uses the IOAPIC, where
 * the plain IRQControl_Get is not available (seL4-abi.md 8.5); the arch
 * methods and handler caps arrive with interrupt support.
 */
#include <api/invocation.h>
#include <kernel/arch_hooks.h>
#include <object/interrupt.h>

exception_t decodeIRQControlInvocation(const invocation_t *inv)
{
    if (inv->label == IRQIssueIRQHandler) {
        return Arch_decodeIRQControlGet(inv);
    }
    return Arch_decodeIRQControlInvocation(inv);
}

exception_t decodeIRQHandlerInvocation(const invocation_t *inv)
{
    userError("IRQHandler: label %lu is not available yet", (unsigned long)inv->label);
    ksCurSyscallError.type = seL4_IllegalOperation;
    return EXCEPTION_SYSCALL_ERROR;
}

void deletingIRQHandler(word_t irq)
{
    (void)irq;
}

void deletedIRQHandler(word_t irq)
{
    (void)irq;
}
