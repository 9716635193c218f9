/*
 * Syscall dispatch. Every kernel entry handles exactly one event and ends
 * with schedule() and activateThread(); the arch code then returns to
 * whichever thread is current.
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <api/syscall_gen.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <machine/io.h>
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

static void notImplemented(sword_t number)
{
    char what[64];
    ksnprintf(what, sizeof(what), "syscall %ld is not implemented yet", (long)number);
    stopThreadWithReport(ksCurThread, what);
}

/* A cap lookup failed where a fault handler would hear of it. */
static void reportCapFault(cptr_t cptr, bool inRecvPhase)
{
    char what[96];
    ksnprintf(what, sizeof(what), "cap fault in %s phase at address %#lx (lookup failure %u)",
              inRecvPhase ? "receive" : "send", (unsigned long)cptr, ksCurLookupFault.type);
    stopThreadWithReport(ksCurThread, what);
}

/* Resolve the extra caps listed in the IPC buffer. On failure returns
 * EXCEPTION_LOOKUP_FAULT with the failing CPtr in *failed. */
static exception_t lookupExtraCaps(tcb_t *thread, word_t *buffer, seL4_MessageInfo_t info,
                                   cptr_t *failed)
{
    word_t n = seL4_MessageInfo_get_extraCaps(info);
    for (word_t i = 0; i < seL4_MsgMaxExtraCaps; i++) {
        ksCurExtraCaps[i] = NULL;
    }
    if (buffer == NULL) {
        return EXCEPTION_NONE;
    }
    for (word_t i = 0; i < n; i++) {
        cptr_t cptr = buffer[seL4_MsgMaxLength + 2 + i];
        lookupSlot_ret_t r = lookupSlot(thread, cptr);
        if (r.status != EXCEPTION_NONE) {
            *failed = cptr;
            return EXCEPTION_LOOKUP_FAULT;
        }
        ksCurExtraCaps[i] = r.slot;
    }
    return EXCEPTION_NONE;
}

/* Send, NBSend or Call on a cap: lookup, decode, invoke (semantics.md 0.2). */
static void handleInvocation(bool isCall, bool isBlocking)
{
    tcb_t *thread = ksCurThread;
    seL4_MessageInfo_t info = { { getRegister(thread, msgInfoRegister) } };
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    cptr_t cptr = getRegister(thread, capRegister);

    lookupCap_ret_t lu = lookupCap(thread, cptr);
    if (lu.status != EXCEPTION_NONE) {
        if (isBlocking) {
            reportCapFault(cptr, false);
        }
        return;
    }
    word_t *buffer = Arch_lookupIPCBuffer(false, thread);
    cptr_t failed = 0;
    if (lookupExtraCaps(thread, buffer, info, &failed) != EXCEPTION_NONE) {
        if (isBlocking) {
            reportCapFault(failed, false);
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
    exception_t status = decodeInvocation(&inv);
    if (status == EXCEPTION_PREEMPTED) {
        /* Still Restart: the syscall runs again and continues the work. */
        Arch_handlePendingInterrupt();
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

void handleSyscall(sword_t number)
{
    switch (number) {
    case SysYield:
        handleYield();
        break;
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
    case SysNBRecv:
    case SysReply:
    case SysReplyRecv:
        notImplemented(number);
        break;
    default:
        if (!handleDebugSyscall(number)) {
            notImplemented(number);
        }
        break;
    }
    schedule();
    activateThread();
}
