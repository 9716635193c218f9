/*
 * Syscall dispatch. Every kernel entry handles exactly one event and ends
 * with schedule() and activateThread(); the arch code then returns to
 * whichever thread is current. Send/NBSend/Call invoke caps (lookup ->
 * decode -> invoke); Recv/NBRecv wait on endpoints and notifications.
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <api/syscall_gen.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/faults.h>
#include <kernel/ipc.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/objecttype.h>

void stopThreadWithReport(tcb_t *thread, const char *what)
{
    debugPrintf("kernel: thread \"%s\": %s (ip %#lx); thread stopped\n", thread->tcbName, what,
                (unsigned long)getRegister(thread, FaultIP));
    suspendThread(thread);
}

static void handleYield(void)
{
    tcbSchedDequeue(ksCurThread);
    tcbSchedAppend(ksCurThread);
    rescheduleRequired();
}

/* Send, NBSend or Call on a cap: lookup, decode, invoke (semantics.md 0.2).
 * A failed lookup is a cap fault for Send and Call; NBSend just returns. */
static void handleInvocation(bool isCall, bool isBlocking)
{
    tcb_t *thread = ksCurThread;
    seL4_MessageInfo_t info = { { getRegister(thread, msgInfoRegister) } };
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    cptr_t cptr = getRegister(thread, capRegister);

    lookupCap_ret_t lu = lookupCap(thread, cptr);
    if (lu.status != EXCEPTION_NONE) {
        if (isBlocking) {
            handleFault(thread, capFault(cptr, false));
        }
        return;
    }
    word_t *buffer = Arch_lookupIPCBuffer(false, thread);
    lookupExtraCaps_ret_t ex = lookupExtraCaps(thread, buffer, info);
    if (ex.status != EXCEPTION_NONE) {
        if (isBlocking) {
            handleFault(thread, capFault(ex.failedCPtr, false));
        }
        return;
    }
    if (buffer == NULL && length > n_msgRegisters) {
        length = n_msgRegisters;
    }

    invocation_t inv = { .label = seL4_MessageInfo_get_label(info),
                         .length = length,
                         .cptr = cptr,
                         .slot = lu.slot,
                         .cap = lu.cap,
                         .call = isCall,
                         .block = isBlocking,
                         .buffer = buffer };
    ksCurSyscallError.type = seL4_NoError;
    exception_t status = decodeInvocation(&inv);
    /* Every error path names its error; NoError here is a kernel bug. */
    assert(status != EXCEPTION_SYSCALL_ERROR || ksCurSyscallError.type != seL4_NoError);
    if (status == EXCEPTION_PREEMPTED) {
        /* Still Restart: the syscall runs again and continues the work. */
        return;
    }
    if (status == EXCEPTION_SYSCALL_ERROR) {
        if (isCall) {
            replyFromKernelError(thread);
        }
        return;
    }
    if (thread_state_type(thread) == ThreadState_Restart) {
        if (isCall) {
            replyFromKernelSuccessEmpty(thread);
        }
        setThreadState(thread, ThreadState_Running);
    }
}

/* Recv/NBRecv, and the receive half of ReplyRecv (semantics.md 6.3). */
static void handleRecv(bool isBlocking)
{
    tcb_t *thread = ksCurThread;
    cptr_t cptr = getRegister(thread, capRegister);
    lookupCap_ret_t lu = lookupCap(thread, cptr);
    if (lu.status != EXCEPTION_NONE) {
        handleFault(thread, capFault(cptr, true));
        return;
    }
    cap_t cap = lu.cap;
    switch (cap_get_capType(cap)) {
    case cap_endpoint_cap:
        if (cap_endpoint_cap_get_capCanReceive(cap)) {
            deleteCallerCap(thread);
            receiveIPC(thread, cap, isBlocking);
            return;
        }
        break;
    case cap_notification_cap: {
        notification_t *ntfn = (notification_t *)cap_notification_cap_get_capNtfnPtr(cap);
        tcb_t *bound = (tcb_t *)notification_ptr_get_ntfnBoundTCB(ntfn);
        if (cap_notification_cap_get_capNtfnCanReceive(cap) && (!bound || bound == thread)) {
            receiveSignal(thread, cap, isBlocking);
            return;
        }
        break;
    }
    default:
        break;
    }
    ksCurLookupFault = lookupFaultMissingCap(0);
    handleFault(thread, capFault(cptr, true));
}

static void handleReply(void)
{
    tcb_t *thread = ksCurThread;
    cte_t *slot = tcbSlot(thread, tcbCaller);
    cap_t cap = slot->cap;
    if (cap_get_capType(cap) == cap_reply_cap && !cap_reply_cap_get_capReplyMaster(cap)) {
        doReplyTransfer(thread, (tcb_t *)cap_reply_cap_get_capTCBPtr(cap), slot,
                        cap_reply_cap_get_capReplyCanGrant(cap));
    }
}

/* Not a real syscall: a configured debug syscall, or an UnknownSyscall
 * fault carrying the number. */
static void handleUnknownSyscall(sword_t number)
{
    if (!handleDebugSyscall(number)) {
        handleFault(ksCurThread, fault_unknown_syscall_new((word_t)number));
    }
}

void handleSyscall(sword_t number)
{
    switch (number) {
    case SysSend:
        handleInvocation(false, true);
        break;
    case SysNBSend:
        handleInvocation(false, false);
        break;
    case SysCall:
        handleInvocation(true, true);
        break;
    case SysRecv:
        handleRecv(true);
        break;
    case SysNBRecv:
        handleRecv(false);
        break;
    case SysReply:
        handleReply();
        break;
    case SysReplyRecv:
        handleReply();
        handleRecv(true);
        break;
    case SysYield:
        handleYield();
        break;
    default:
        handleUnknownSyscall(number);
        break;
    }
    schedule();
    activateThread();
}

void handleUserFault(fault_t fault)
{
    handleFault(ksCurThread, fault);
    schedule();
    activateThread();
}
