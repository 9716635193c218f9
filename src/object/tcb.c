/*
 * TCB objects: creation, deletion, and the TCB and DomainSet invocations.
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/notification.h>
#include <object/tcb.h>

tcb_t *initialiseTCB(tcb_t *tcb)
{
    Arch_initUserContext(tcb);
    tcb->tcbDomain = ksCurDomain;
    tcb->tcbTimeSlice = CONFIG_TIME_SLICE;
    thread_state_ptr_set_tsType(&tcb->tcbState, ThreadState_Inactive);
    char name[TCB_NAME_LENGTH];
    ksnprintf(name, sizeof(name), "child of: '%s'", ksCurThread->tcbName);
    setThreadName(tcb, name);
    tcbDebugAppend(tcb);
    return tcb;
}

void prepareThreadDelete(tcb_t *tcb)
{
    unbindNotification(tcb);
    suspendThread(tcb);
    tcbDebugRemove(tcb);
    Arch_prepareThreadDelete(tcb);
}

exception_t decodeTCBInvocation(const invocation_t *inv)
{
    (void)inv;
    stopThreadWithReport(ksCurThread, "TCB invocations are not implemented yet");
    return EXCEPTION_NONE;
}

exception_t decodeDomainInvocation(const invocation_t *inv)
{
    if (inv->label != DomainSetSet) {
        userError("Domain: label %lu is not Set", (unsigned long)inv->label);
        ksCurSyscallError.type = seL4_IllegalOperation;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (inv->length < DomainSetSet_MinLength) {
        userError("DomainSet Set: no domain argument");
        ksCurSyscallError.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    struct DomainSetSet_args args = unpackDomainSetSetArgs(inv->buffer);
    if (args.domain >= CONFIG_NUM_DOMAINS) {
        userError("DomainSet Set: domain %lu, there are %u", (unsigned long)args.domain,
                  CONFIG_NUM_DOMAINS);
        ksCurSyscallError.type = seL4_InvalidArgument;
        ksCurSyscallError.invalidArgumentNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    if (ksCurExtraCaps[0] == NULL) {
        userError("DomainSet Set: no TCB cap");
        ksCurSyscallError.type = seL4_TruncatedMessage;
        return EXCEPTION_SYSCALL_ERROR;
    }
    cap_t tcbCap = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(tcbCap) != cap_thread_cap) {
        userError("DomainSet Set: extra cap is not a TCB");
        ksCurSyscallError.type = seL4_InvalidArgument;
        ksCurSyscallError.invalidArgumentNumber = 1;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    tcb_t *tcb = tcbFromCap(tcbCap);
    tcbSchedDequeue(tcb);
    tcb->tcbDomain = args.domain;
    if (isRunnable(tcb)) {
        tcbSchedEnqueue(tcb);
    }
    if (tcb == ksCurThread) {
        rescheduleRequired();
    }
    return EXCEPTION_NONE;
}
