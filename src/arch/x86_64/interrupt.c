/*
 * x86_64 interrupt sources for user level: IRQControl_GetIOAPIC and
 * GetMSI (semantics.md 9.2). IRQ n is CPU vector n + 32; user vectors
 * 0..107 become CPU vectors 48..155, i.e. IRQs 16..123.
 */
#include <api/invocation.h>
#include <arch/apic.h>
#include <arch/machine.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/interrupt.h>
#include <plat/ioapic.h>

#define USER_VECTOR_MAX 107
#define USER_VECTOR_IRQ_OFFSET 16
#define PCI_BUS_MAX 255
#define PCI_DEV_MAX 31
#define PCI_FUNC_MAX 7

/* Where each IRQ comes from, so that it can be masked. */
typedef enum { IRQSourceNone = 0, IRQSourceIOAPIC, IRQSourceMSI } irq_source_t;
static struct {
    uint8_t type;
    uint8_t ioapic;
    uint8_t pin;
} x86KSIRQSource[NUM_IRQS];

void Arch_maskInterrupt(bool mask, word_t irq)
{
    if (irq < NUM_IRQS && x86KSIRQSource[irq].type == IRQSourceIOAPIC) {
        ioapicSetMask(x86KSIRQSource[irq].ioapic, x86KSIRQSource[irq].pin, mask);
    }
}

static exception_t rangeError(const char *what, word_t value, word_t max)
{
    userError("IRQControl: %s %lu, expected 0..%lu", what, (unsigned long)value,
              (unsigned long)max);
    return syscallErrorRange(0, max);
}

/* The checks GetIOAPIC and GetMSI share: vector, IRQ free, destination. */
typedef struct {
    exception_t status;
    word_t irq;
    cte_t *dest;
} irq_target_t;

static irq_target_t checkIRQTarget(word_t index, word_t depth, word_t vector)
{
    irq_target_t t = { EXCEPTION_SYSCALL_ERROR, 0, NULL };
    if (vector > USER_VECTOR_MAX) {
        t.status = rangeError("vector", vector, USER_VECTOR_MAX);
        return t;
    }
    t.irq = vector + USER_VECTOR_IRQ_OFFSET;
    if (ksIRQState[t.irq] != IRQInactive) {
        userError("IRQControl: IRQ %lu is already in use", (unsigned long)t.irq);
        t.status = syscallError(seL4_RevokeFirst);
        return t;
    }
    lookupSlot_ret_t dest = lookupSlotForCNodeOp(false, ksCurExtraCaps[0]->cap, index, depth);
    if (dest.status != EXCEPTION_NONE) {
        userError("IRQControl: destination lookup failed");
        t.status = dest.status;
        return t;
    }
    if (cap_get_capType(dest.slot->cap) != cap_null_cap) {
        userError("IRQControl: destination slot is not empty");
        t.status = syscallError(seL4_DeleteFirst);
        return t;
    }
    t.dest = dest.slot;
    t.status = EXCEPTION_NONE;
    return t;
}

static void issueHandler(const invocation_t *inv, irq_target_t t)
{
    setIRQState(IRQSignal, t.irq);
    cteInsert(cap_irq_handler_cap_new(t.irq), inv->slot, t.dest);
}

static exception_t decodeGetIOAPIC(const invocation_t *inv)
{
    if (inv->length < X86IRQIssueIRQHandlerIOAPIC_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IRQControl GetIOAPIC: needs 7 words and a root CNode");
        return syscallError(seL4_TruncatedMessage);
    }
    struct X86IRQIssueIRQHandlerIOAPIC_args a = unpackX86IRQIssueIRQHandlerIOAPICArgs(inv->buffer);
    irq_target_t t = checkIRQTarget(a.index, a.depth, a.vector);
    if (t.status != EXCEPTION_NONE) {
        return t.status;
    }
    if (ioapicCount() == 0) {
        userError("IRQControl GetIOAPIC: there is no IOAPIC");
        return syscallError(seL4_IllegalOperation);
    }
    if (a.ioapic >= ioapicCount()) {
        return rangeError("ioapic", a.ioapic, ioapicCount() - 1);
    }
    if (a.pin >= ioapicPins(a.ioapic)) {
        return rangeError("pin", a.pin, ioapicPins(a.ioapic) - 1);
    }
    if (a.level > 1) {
        return rangeError("level", a.level, 1);
    }
    if (a.polarity > 1) {
        return rangeError("polarity", a.polarity, 1);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    x86KSIRQSource[t.irq].type = IRQSourceIOAPIC;
    x86KSIRQSource[t.irq].ioapic = (uint8_t)a.ioapic;
    x86KSIRQSource[t.irq].pin = (uint8_t)a.pin;
    ioapicMapPin(a.ioapic, a.pin, a.level, a.polarity, t.irq + IRQ_VECTOR_OFFSET, true);
    issueHandler(inv, t);
    return EXCEPTION_NONE;
}

static exception_t decodeGetMSI(const invocation_t *inv)
{
    if (inv->length < X86IRQIssueIRQHandlerMSI_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("IRQControl GetMSI: needs 7 words and a root CNode");
        return syscallError(seL4_TruncatedMessage);
    }
    struct X86IRQIssueIRQHandlerMSI_args a = unpackX86IRQIssueIRQHandlerMSIArgs(inv->buffer);
    irq_target_t t = checkIRQTarget(a.index, a.depth, a.vector);
    if (t.status != EXCEPTION_NONE) {
        return t.status;
    }
    if (a.pci_bus > PCI_BUS_MAX) {
        return rangeError("PCI bus", a.pci_bus, PCI_BUS_MAX);
    }
    if (a.pci_dev > PCI_DEV_MAX) {
        return rangeError("PCI device", a.pci_dev, PCI_DEV_MAX);
    }
    if (a.pci_func > PCI_FUNC_MAX) {
        return rangeError("PCI function", a.pci_func, PCI_FUNC_MAX);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    x86KSIRQSource[t.irq].type = IRQSourceMSI;
    issueHandler(inv, t);
    return EXCEPTION_NONE;
}

exception_t Arch_decodeIRQControlGet(const invocation_t *inv)
{
    (void)inv;
    userError("IRQControl Get: not available with the IOAPIC; use GetIOAPIC or GetMSI");
    return syscallError(seL4_IllegalOperation);
}

exception_t Arch_decodeIRQControlInvocation(const invocation_t *inv)
{
    switch (inv->label) {
    case X86IRQIssueIRQHandlerIOAPIC:
        return decodeGetIOAPIC(inv);
    case X86IRQIssueIRQHandlerMSI:
        return decodeGetMSI(inv);
    default:
        userError("IRQControl: label %lu is not an IRQControl method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}
