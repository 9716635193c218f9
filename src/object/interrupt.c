/*
 * IRQ control and handler caps. The x86_64 target uses the IOAPIC, where
 * the plain IRQControl_Get is not available (seL4-abi.md 8.5); the arch
 * methods and handler caps arrive with interrupt support.
 */
#include <api/invocation.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/interrupt.h>
#include <object/notification.h>

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

void setIRQState(irq_state_t state, word_t irq)
{
    ksIRQState[irq] = state;
    Arch_maskInterrupt(state != IRQSignal, irq);
}

void handleInterrupt(word_t irq)
{
    if (irq >= NUM_IRQS) {
        ksSpuriousIRQs++;
        debugPrintf("kernel: interrupt %lu out of range, ignored\n", (unsigned long)irq);
        Arch_ackInterrupt(irq);
        return;
    }
    switch (ksIRQState[irq]) {
    case IRQTimer:
        timerTick();
        break;
    case IRQSignal: {
        cap_t cap = ksIRQNode[irq].cap;
        if (cap_get_capType(cap) == cap_notification_cap &&
            cap_notification_cap_get_capNtfnCanSend(cap)) {
            sendSignal((notification_t *)cap_notification_cap_get_capNtfnPtr(cap),
                       cap_notification_cap_get_capNtfnBadge(cap));
        }
        Arch_maskInterrupt(true, irq); /* until the handler acknowledges it */
        break;
    }
    default:
        ksSpuriousIRQs++;
        debugPrintf("kernel: unclaimed interrupt %lu (%lu so far), masked\n", (unsigned long)irq,
                    (unsigned long)ksSpuriousIRQs);
        Arch_maskInterrupt(true, irq);
        break;
    }
    Arch_ackInterrupt(irq);
}

void deletingIRQHandler(word_t irq)
{
    cteDeleteOne(&ksIRQNode[irq]);
}

void deletedIRQHandler(word_t irq)
{
    setIRQState(IRQInactive, irq);
}
