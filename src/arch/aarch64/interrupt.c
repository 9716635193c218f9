/*
 * AArch64 IRQControl methods (semantics.md 9.2): Get and GetTrigger issue
 * an IRQHandler cap for a GIC interrupt ID (SGIs, PPIs and SPIs alike;
 * only SPIs have a configurable trigger), IssueSGISignal issues a cap that
 * raises a software-generated interrupt. The handler methods and IRQ
 * delivery are generic (src/object/interrupt.c).
 */
#include <api/invocation.h>
#include <arch/cpu.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/interrupt.h>

#define NUM_SGIS 16

/* The empty destination slot (index, depth) below the root CNode passed
 * as extra cap 0, or NULL with the error set. */
static cte_t *destinationSlot(const char *method, word_t index, word_t depth)
{
    lookupSlot_ret_t dest = lookupSlotForCNodeOp(false, ksCurExtraCaps[0]->cap, index, depth);
    if (dest.status != EXCEPTION_NONE) {
        userError("IRQControl %s: destination lookup failed", method);
        return NULL;
    }
    if (ensureEmptySlot(dest.slot) != EXCEPTION_NONE) {
        userError("IRQControl %s: destination slot is not empty", method);
        return NULL;
    }
    return dest.slot;
}

/* Shared by Get and GetTrigger after the length check: range, state,
 * destination; then the handler cap. `edge` < 0 keeps the trigger. */
static exception_t issueIRQHandler(const invocation_t *inv, const char *method, word_t irq,
                                   int edge, word_t index, word_t depth)
{
    word_t maxIRQ = gicNumIRQs() - 1;
    if (irq > maxIRQ) {
        userError("IRQControl %s: IRQ %lu, expected 0..%lu", method, (unsigned long)irq,
                  (unsigned long)maxIRQ);
        return syscallErrorRange(0, maxIRQ);
    }
    if (ksIRQState[irq] != IRQInactive) {
        userError("IRQControl %s: IRQ %lu is already in use", method, (unsigned long)irq);
        return syscallError(seL4_RevokeFirst);
    }
    cte_t *dest = destinationSlot(method, index, depth);
    if (dest == NULL) {
        return EXCEPTION_SYSCALL_ERROR;
    }

    setThreadState(ksCurThread, ThreadState_Restart);
    if (edge >= 0) {
        gicSetTrigger(irq, edge != 0);
    }
    setIRQState(IRQSignal, irq);
    cteInsert(cap_irq_handler_cap_new(irq), inv->slot, dest);
    return EXCEPTION_NONE;
}

exception_t Arch_decodeIRQControlGet(const invocation_t *inv)
{
    if (inv->length < IRQIssueIRQHandler_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IRQControl Get: need 3 words and a CNode cap");
        return syscallError(seL4_TruncatedMessage);
    }
    struct IRQIssueIRQHandler_args a = unpackIRQIssueIRQHandlerArgs(inv->buffer);
    return issueIRQHandler(inv, "Get", a.irq, -1, a.index, a.depth);
}

static exception_t decodeGetTrigger(const invocation_t *inv)
{
    if (inv->length < ARMIRQIssueIRQHandlerTrigger_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IRQControl GetTrigger: need 4 words and a CNode cap");
        return syscallError(seL4_TruncatedMessage);
    }
    struct ARMIRQIssueIRQHandlerTrigger_args a =
        unpackARMIRQIssueIRQHandlerTriggerArgs(inv->buffer);
    return issueIRQHandler(inv, "GetTrigger", a.irq, a.trigger != 0, a.index, a.depth);
}

static exception_t decodeIssueSGISignal(const invocation_t *inv)
{
    if (inv->length < ARMIRQIssueSGISignal_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IRQControl IssueSGISignal: need 4 words and a CNode cap");
        return syscallError(seL4_TruncatedMessage);
    }
    struct ARMIRQIssueSGISignal_args a = unpackARMIRQIssueSGISignalArgs(inv->buffer);
    if (a.irq >= NUM_SGIS) {
        userError("IRQControl IssueSGISignal: SGI %lu, expected 0..%u", (unsigned long)a.irq,
                  NUM_SGIS - 1);
        return syscallErrorRange(0, NUM_SGIS - 1);
    }
    if (a.target >= CONFIG_MAX_NUM_NODES) {
        userError("IRQControl IssueSGISignal: target %lu, expected 0..%u", (unsigned long)a.target,
                  CONFIG_MAX_NUM_NODES - 1);
        return syscallErrorRange(0, CONFIG_MAX_NUM_NODES - 1);
    }
    cte_t *dest = destinationSlot("IssueSGISignal", a.index, a.depth);
    if (dest == NULL) {
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    cteInsert(cap_sgi_signal_cap_new(a.irq, a.target), inv->slot, dest);
    return EXCEPTION_NONE;
}

exception_t Arch_decodeIRQControlInvocation(const invocation_t *inv)
{
    switch (inv->label) {
    case ARMIRQIssueIRQHandlerTrigger:
        return decodeGetTrigger(inv);
    case ARMIRQIssueSGISignal:
        return decodeIssueSGISignal(inv);
    default:
        userError("IRQControl: label %lu is not an IRQControl method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}
