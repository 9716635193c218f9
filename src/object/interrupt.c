/*
 * IRQ control and handler caps, and interrupt delivery: an IRQ with a
 * handler signals the stored notification with its badge and stays masked
 * until IRQHandler_Ack (semantics.md 9). How IRQs are obtained is arch
 * specific (x86: GetIOAPIC/GetMSI; ARM: Get/GetTrigger).
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

static exception_t decodeSetNotification(const invocation_t *inv, word_t irq)
{
    if (ksCurExtraCaps[0] == NULL) {
        userError("IRQHandler SetNotification: no notification cap");
        return syscallError(seL4_TruncatedMessage);
    }
    cte_t *src = ksCurExtraCaps[0];
    cap_t ntfn = src->cap;
    if (cap_get_capType(ntfn) != cap_notification_cap ||
        !cap_notification_cap_get_capNtfnCanSend(ntfn)) {
        userError("IRQHandler SetNotification: not a notification cap with Write");
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    (void)inv;
    setThreadState(ksCurThread, ThreadState_Restart);
    cteDeleteOne(&ksIRQNode[irq]);
    cteInsert(ntfn, src, &ksIRQNode[irq]);
    return EXCEPTION_NONE;
}

exception_t decodeIRQHandlerInvocation(const invocation_t *inv)
{
    word_t irq = cap_irq_handler_cap_get_capIRQ(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        setThreadState(ksCurThread, ThreadState_Restart);
        Arch_maskInterrupt(false, irq);
        return EXCEPTION_NONE;
    case IRQSetIRQHandler:
        return decodeSetNotification(inv, irq);
    case IRQClearIRQHandler:
        setThreadState(ksCurThread, ThreadState_Restart);
        cteDeleteOne(&ksIRQNode[irq]);
        return EXCEPTION_NONE;
    default:
        userError("IRQHandler: label %lu is not an IRQHandler method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
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
