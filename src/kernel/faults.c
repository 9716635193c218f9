/*
 * Fault delivery and fault replies. A fault is sent as if the faulting
 * thread did a Call on its handler endpoint (found by CPtr in its own
 * CSpace at fault time); the reply restarts it, possibly with new
 * registers. No usable handler: the thread stops (a "double fault").
 */
#include <api/invocation.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/faults.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/endpoint.h>

/* One line describing a fault, for diagnostics. */
static void describeFault(char *buf, size_t size, fault_t f)
{
    switch (fault_get_faultType(f)) {
    case fault_cap_fault:
        ksnprintf(buf, size, "cap fault in %s phase at address %#lx",
                  fault_cap_fault_get_inReceivePhase(f) ? "receive" : "send",
                  (unsigned long)fault_cap_fault_get_address(f));
        break;
    case fault_vm_fault: {
        word_t fsr = fault_vm_fault_get_fsr(f);
        ksnprintf(buf, size, "vm fault on %s at address %#lx with status %#lx (%s)",
                  fault_vm_fault_get_instructionFault(f) ? "code" : "data",
                  (unsigned long)fault_vm_fault_get_address(f), (unsigned long)fsr,
                  Arch_describeVMFault(fsr, fault_vm_fault_get_instructionFault(f)));
        break;
    }
    case fault_unknown_syscall:
        ksnprintf(buf, size, "unknown syscall %#lx",
                  (unsigned long)fault_unknown_syscall_get_syscallNumber(f));
        break;
    case fault_user_exception:
        ksnprintf(buf, size, "user exception %lu code %lu",
                  (unsigned long)fault_user_exception_get_number(f),
                  (unsigned long)fault_user_exception_get_code(f));
        break;
    default:
        ksnprintf(buf, size, "no fault");
        break;
    }
}

static void handleDoubleFault(tcb_t *tptr, fault_t first, fault_t second)
{
    char a[128], b[128];
    describeFault(a, sizeof(a), second);
    describeFault(b, sizeof(b), first);
    debugPrintf("Caught %s\nwhile trying to handle:\n%s\nin thread %p \"%s\" at address %#lx\n", a,
                b, (void *)tptr, tptr->tcbName, (unsigned long)getRegister(tptr, FaultIP));
    (void)a;
    (void)b;
    setThreadState(tptr, ThreadState_Inactive);
}

void handleFault(tcb_t *tptr, fault_t fault)
{
    lookup_fault_t originalLookup = ksCurLookupFault;
    cptr_t handlerCPtr = tptr->tcbFaultHandler;
    lookupCap_ret_t lu = lookupCap(tptr, handlerCPtr);
    if (lu.status != EXCEPTION_NONE) {
        handleDoubleFault(tptr, fault, capFault(handlerCPtr, false));
        return;
    }
    cap_t h = lu.cap;
    if (cap_get_capType(h) != cap_endpoint_cap || !cap_endpoint_cap_get_capCanSend(h) ||
        (!cap_endpoint_cap_get_capCanGrant(h) && !cap_endpoint_cap_get_capCanGrantReply(h))) {
        ksCurLookupFault = lookupFaultMissingCap(0);
        handleDoubleFault(tptr, fault, capFault(handlerCPtr, false));
        return;
    }
    tptr->tcbFault = fault;
    if (fault_get_faultType(fault) == fault_cap_fault) {
        tptr->tcbLookupFailure = originalLookup;
    }
    sendIPC(true, true, cap_endpoint_cap_get_capEPBadge(h), cap_endpoint_cap_get_capCanGrant(h),
            true, tptr, (endpoint_t *)cap_endpoint_cap_get_capEPPtr(h));
}

/* Registers in `count` fault-message words, starting at MR0. */
static word_t copyRegisterList(tcb_t *sender, tcb_t *receiver, word_t *buf, word_t count,
                               unsigned (*reg)(word_t))
{
    word_t n = 0;
    for (word_t i = 0; i < count; i++) {
        n = setMR(receiver, buf, i, getRegister(sender, reg(i)));
    }
    return n;
}

word_t setMRsFault(tcb_t *sender, tcb_t *receiver, word_t *buf)
{
    fault_t f = sender->tcbFault;
    switch (fault_get_faultType(f)) {
    case fault_cap_fault:
        setMR(receiver, buf, seL4_CapFault_IP, getRegister(sender, FaultIP));
        setMR(receiver, buf, seL4_CapFault_Addr, fault_cap_fault_get_address(f));
        setMR(receiver, buf, seL4_CapFault_InRecvPhase, fault_cap_fault_get_inReceivePhase(f));
        return setMRsLookupFailure(receiver, buf, sender->tcbLookupFailure,
                                   seL4_CapFault_LookupFailureType);
    case fault_vm_fault:
        setMR(receiver, buf, seL4_VMFault_IP, getRegister(sender, FaultIP));
        setMR(receiver, buf, seL4_VMFault_Addr, fault_vm_fault_get_address(f));
        setMR(receiver, buf, seL4_VMFault_PrefetchFault, fault_vm_fault_get_instructionFault(f));
        return setMR(receiver, buf, seL4_VMFault_FSR, fault_vm_fault_get_fsr(f));
    case fault_unknown_syscall:
        copyRegisterList(sender, receiver, buf, n_syscallMessage, syscallMessageRegister);
        return setMR(receiver, buf, n_syscallMessage, fault_unknown_syscall_get_syscallNumber(f));
    case fault_user_exception:
        copyRegisterList(sender, receiver, buf, n_exceptionMessage, exceptionMessageRegister);
        setMR(receiver, buf, n_exceptionMessage, fault_user_exception_get_number(f));
        return setMR(receiver, buf, n_exceptionMessage + 1, fault_user_exception_get_code(f));
    default:
        return 0;
    }
}

/* Write the first min(length, count) reply words into the register list. */
static void applyReplyRegisters(tcb_t *receiver, tcb_t *sender, word_t count,
                                unsigned (*reg)(word_t))
{
    seL4_MessageInfo_t info = { { getRegister(sender, msgInfoRegister) } };
    word_t *sendBuf = Arch_lookupIPCBuffer(false, sender);
    word_t n = MIN(MIN(seL4_MessageInfo_get_length(info), count), (word_t)seL4_MsgMaxLength);
    for (word_t i = 0; i < n; i++) {
        word_t v;
        if (i < n_msgRegisters) {
            v = getRegister(sender, msgRegister(i));
        } else if (sendBuf) {
            v = sendBuf[i + 1];
        } else {
            break;
        }
        setRegister(receiver, reg(i), Arch_sanitiseRegister(reg(i), v));
    }
}

bool handleFaultReply(tcb_t *receiver, tcb_t *sender)
{
    seL4_MessageInfo_t info = { { getRegister(sender, msgInfoRegister) } };
    word_t label = seL4_MessageInfo_get_label(info);
    switch (fault_get_faultType(receiver->tcbFault)) {
    case fault_unknown_syscall:
        applyReplyRegisters(receiver, sender, n_syscallMessage, syscallMessageRegister);
        return label == 0;
    case fault_user_exception:
        applyReplyRegisters(receiver, sender, n_exceptionMessage, exceptionMessageRegister);
        return label == 0;
    default:
        /* Cap and VM faults: the reply's contents do not matter. */
        return true;
    }
}
