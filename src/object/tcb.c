/*
 * TCB objects: creation, deletion, thread control (suspend, resume,
 * priorities), and the TCB and DomainSet invocations (semantics.md 4.3).
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/endpoint.h>
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

static exception_t truncated(const char *method, word_t length, word_t need)
{
    userError("TCB %s: message of %lu words, need %lu and the extra caps", method,
              (unsigned long)length, (unsigned long)need);
    return syscallError(seL4_TruncatedMessage);
}

/* ---- Thread control primitives ---- */

static bool isStopped(const tcb_t *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_Inactive:
    case ThreadState_BlockedOnReceive:
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnNotification:
    case ThreadState_BlockedOnReply:
        return true;
    default:
        return false;
    }
}

void restartThread(tcb_t *tcb)
{
    if (isStopped(tcb)) {
        cancelIPC(tcb);
        setupReplyMaster(tcb);
        setThreadState(tcb, ThreadState_Restart);
        tcbSchedEnqueue(tcb);
        possibleSwitchTo(tcb);
    }
}

static void setPriority(tcb_t *tcb, prio_t prio)
{
    tcbSchedDequeue(tcb);
    tcb->tcbPriority = prio;
    if (isRunnable(tcb)) {
        if (tcb == ksCurThread) {
            rescheduleRequired();
        } else {
            possibleSwitchTo(tcb);
        }
    }
}

static word_t readContextWord(const tcb_t *t, word_t i)
{
    return i < n_frameRegisters ? getRegister(t, frameRegister(i))
                                : getRegister(t, gpRegister(i - n_frameRegisters));
}

static unsigned contextRegister(word_t i)
{
    return i < n_frameRegisters ? frameRegister(i) : gpRegister(i - n_frameRegisters);
}

/* ---- ReadRegisters / WriteRegisters / CopyRegisters ---- */

static exception_t decodeReadRegisters(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBReadRegisters_MinLength) {
        return truncated("ReadRegisters", inv->length, TCBReadRegisters_MinLength);
    }
    struct TCBReadRegisters_args a = unpackTCBReadRegistersArgs(inv->buffer);
    word_t max = n_frameRegisters + n_gpRegisters;
    if (a.count < 1 || a.count > max) {
        userError("TCB ReadRegisters: count %lu, expected 1..%lu", (unsigned long)a.count,
                  (unsigned long)max);
        return syscallErrorRange(1, max);
    }
    if (target == ksCurThread) {
        userError("TCB ReadRegisters: a thread cannot read its own registers");
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    if (a.suspend_source) {
        suspendThread(target);
    }
    if (inv->call) {
        tcb_t *cur = ksCurThread;
        word_t *buf = Arch_lookupIPCBuffer(true, cur);
        word_t n = 0;
        for (word_t i = 0; i < a.count; i++) {
            n = setMR(cur, buf, i, readContextWord(target, i));
        }
        setRegister(cur, badgeRegister, 0);
        setMessageInfo(cur, 0, n);
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

static exception_t decodeWriteRegisters(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBWriteRegisters_MinLength) {
        return truncated("WriteRegisters", inv->length, TCBWriteRegisters_MinLength);
    }
    struct TCBWriteRegisters_args a = unpackTCBWriteRegistersArgs(inv->buffer);
    if (inv->length - TCBWriteRegisters_MinLength < a.count) {
        userError("TCB WriteRegisters: %lu registers announced, %lu sent", (unsigned long)a.count,
                  (unsigned long)(inv->length - TCBWriteRegisters_MinLength));
        return syscallError(seL4_TruncatedMessage);
    }
    if (target == ksCurThread) {
        userError("TCB WriteRegisters: a thread cannot write its own registers");
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    word_t n = MIN(a.count, (word_t)(n_frameRegisters + n_gpRegisters));
    for (word_t i = 0; i < n; i++) {
        unsigned reg = contextRegister(i);
        word_t v = getSyscallArg(TCBWriteRegisters_MinLength + i, inv->buffer);
        setRegister(target, reg, Arch_sanitiseRegister(reg, v));
    }
    setRegister(target, NextIP, getRegister(target, FaultIP));
    Arch_postModifyRegisters(target);
    if (a.resume_target) {
        restartThread(target);
    }
    return EXCEPTION_NONE;
}

static exception_t decodeCopyRegisters(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBCopyRegisters_MinLength || ksCurExtraCaps[0] == NULL) {
        return truncated("CopyRegisters", inv->length, TCBCopyRegisters_MinLength);
    }
    struct TCBCopyRegisters_args a = unpackTCBCopyRegistersArgs(inv->buffer);
    cap_t srcCap = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(srcCap) != cap_thread_cap) {
        userError("TCB CopyRegisters: the source is not a TCB");
        return syscallErrorInvalidCap(1);
    }
    tcb_t *src = tcbFromCap(srcCap);
    setThreadState(ksCurThread, ThreadState_Restart);
    if (a.suspend_source) {
        suspendThread(src);
    }
    if (a.resume_target) {
        restartThread(target);
    }
    if (a.transfer_frame) {
        for (word_t i = 0; i < n_frameRegisters; i++) {
            setRegister(target, frameRegister(i), getRegister(src, frameRegister(i)));
        }
        setRegister(target, NextIP, getRegister(target, FaultIP));
    }
    if (a.transfer_integer) {
        for (word_t i = 0; i < n_gpRegisters; i++) {
            setRegister(target, gpRegister(i), getRegister(src, gpRegister(i)));
        }
    }
    Arch_postModifyRegisters(target);
    if (target == ksCurThread) {
        rescheduleRequired();
    }
    return EXCEPTION_NONE;
}

/* ---- Configure / SetSpace / SetIPCBuffer ---- */

/* The derived buffer frame cap for `addr`, after checkValidIPCBuffer. */
static deriveCap_ret_t checkBuffer(const char *method, vptr_t addr, cte_t *slot)
{
    deriveCap_ret_t d = deriveCap(slot, slot->cap);
    if (d.status != EXCEPTION_NONE) {
        userError("TCB %s: the buffer frame cap cannot be derived", method);
        return d;
    }
    if (!Arch_isUsableIPCBufferFrame(d.cap)) {
        userError("TCB %s: the IPC buffer cap is not a RAM frame", method);
        d.status = syscallError(seL4_IllegalOperation);
        return d;
    }
    if (!IS_ALIGNED(addr, seL4_IPCBufferSizeBits)) {
        userError("TCB %s: buffer address %#lx is not 2^%u aligned", method, (unsigned long)addr,
                  seL4_IPCBufferSizeBits);
        d.status = syscallError(seL4_AlignmentError);
    }
    return d;
}

/* A root cap for SetSpace/Configure: optional cap data, then derive. */
static deriveCap_ret_t rootCap(const char *method, cte_t *slot, word_t data, bool isCSpace)
{
    cap_t cap = slot->cap;
    if (data != 0 && isCSpace) {
        cap = updateCapData(false, data, cap);
    }
    deriveCap_ret_t d = deriveCap(slot, cap);
    if (d.status != EXCEPTION_NONE) {
        userError("TCB %s: the %s root cannot be derived", method, isCSpace ? "CSpace" : "VSpace");
        return d;
    }
    bool valid = isCSpace ? cap_get_capType(d.cap) == cap_cnode_cap : Arch_isValidVTableRoot(d.cap);
    if (!valid) {
        userError("TCB %s: the %s root is not a usable %s", method, isCSpace ? "CSpace" : "VSpace",
                  isCSpace ? "CNode" : "VSpace root");
        d.status = syscallError(seL4_IllegalOperation);
    }
    return d;
}

/* Replace one of the TCB's own slots with a copy of the cap in `src`,
 * unless the source or the TCB cap moved while the old cap was deleted. */
static exception_t replaceTCBSlot(tcb_t *tcb, enum tcb_cnode_index index, cap_t newCap, cte_t *src,
                                  cte_t *tcbCapSlot)
{
    cap_t srcBefore = src->cap;
    cap_t tcbCapBefore = tcbCapSlot->cap;
    exception_t status = cteDelete(tcbSlot(tcb, index), true);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (sameObjectAs(newCap, src->cap) && sameObjectAs(srcBefore, src->cap) &&
        sameObjectAs(tcbCapBefore, tcbCapSlot->cap)) {
        cteInsert(newCap, src, tcbSlot(tcb, index));
    }
    return EXCEPTION_NONE;
}

typedef struct {
    bool setSpace;
    cptr_t faultEP;
    cap_t cRoot, vRoot;
    cte_t *cRootSlot, *vRootSlot;
    bool setBuffer;
    vptr_t bufferAddr;
    cap_t bufferCap;
    cte_t *bufferSlot;
} thread_control_t;

static exception_t invokeThreadControl(tcb_t *target, cte_t *tcbCapSlot, const thread_control_t *c)
{
    exception_t status;
    if (c->setSpace) {
        target->tcbFaultHandler = c->faultEP;
        status = replaceTCBSlot(target, tcbCTable, c->cRoot, c->cRootSlot, tcbCapSlot);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        status = replaceTCBSlot(target, tcbVTable, c->vRoot, c->vRootSlot, tcbCapSlot);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    if (c->setBuffer) {
        status = cteDelete(tcbSlot(target, tcbBuffer), true);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        target->tcbIPCBuffer = c->bufferAddr;
        if (c->bufferSlot && sameObjectAs(c->bufferCap, c->bufferSlot->cap)) {
            cteInsert(c->bufferCap, c->bufferSlot, tcbSlot(target, tcbBuffer));
        }
    }
    if (target == ksCurThread) {
        rescheduleRequired();
    }
    return EXCEPTION_NONE;
}

/* Steps 3-5 of Configure, shared with SetSpace. */
static exception_t checkSpace(const char *method, tcb_t *target, word_t cData, word_t vData,
                              thread_control_t *c)
{
    if (slotCapLongRunningDelete(tcbSlot(target, tcbCTable)) ||
        slotCapLongRunningDelete(tcbSlot(target, tcbVTable))) {
        userError("TCB %s: the thread's current roots are being deleted", method);
        return syscallError(seL4_IllegalOperation);
    }
    deriveCap_ret_t c1 = rootCap(method, ksCurExtraCaps[0], cData, true);
    if (c1.status != EXCEPTION_NONE) {
        return c1.status;
    }
    deriveCap_ret_t v = rootCap(method, ksCurExtraCaps[1], vData, false);
    if (v.status != EXCEPTION_NONE) {
        return v.status;
    }
    c->setSpace = true;
    c->cRoot = c1.cap;
    c->cRootSlot = ksCurExtraCaps[0];
    c->vRoot = v.cap;
    c->vRootSlot = ksCurExtraCaps[1];
    return EXCEPTION_NONE;
}

static exception_t decodeConfigure(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBConfigure_MinLength || ksCurExtraCaps[0] == NULL ||
        ksCurExtraCaps[1] == NULL || ksCurExtraCaps[2] == NULL) {
        return truncated("Configure", inv->length, TCBConfigure_MinLength);
    }
    struct TCBConfigure_args a = unpackTCBConfigureArgs(inv->buffer);
    thread_control_t c = { .faultEP = a.fault_ep, .setBuffer = true, .bufferAddr = a.buffer };
    if (a.buffer != 0) {
        deriveCap_ret_t b = checkBuffer("Configure", a.buffer, ksCurExtraCaps[2]);
        if (b.status != EXCEPTION_NONE) {
            return b.status;
        }
        c.bufferCap = b.cap;
        c.bufferSlot = ksCurExtraCaps[2];
    }
    exception_t status =
        checkSpace("Configure", target, a.cspace_root_data, a.vspace_root_data, &c);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeThreadControl(target, inv->slot, &c);
}

static exception_t decodeSetSpace(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBSetSpace_MinLength || ksCurExtraCaps[0] == NULL ||
        ksCurExtraCaps[1] == NULL) {
        return truncated("SetSpace", inv->length, TCBSetSpace_MinLength);
    }
    struct TCBSetSpace_args a = unpackTCBSetSpaceArgs(inv->buffer);
    thread_control_t c = { .faultEP = a.fault_ep };
    exception_t status = checkSpace("SetSpace", target, a.cspace_root_data, a.vspace_root_data, &c);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeThreadControl(target, inv->slot, &c);
}

static exception_t decodeSetIPCBuffer(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBSetIPCBuffer_MinLength || ksCurExtraCaps[0] == NULL) {
        return truncated("SetIPCBuffer", inv->length, TCBSetIPCBuffer_MinLength);
    }
    struct TCBSetIPCBuffer_args a = unpackTCBSetIPCBufferArgs(inv->buffer);
    thread_control_t c = { .setBuffer = true, .bufferAddr = a.buffer };
    if (a.buffer != 0) {
        deriveCap_ret_t b = checkBuffer("SetIPCBuffer", a.buffer, ksCurExtraCaps[0]);
        if (b.status != EXCEPTION_NONE) {
            return b.status;
        }
        c.bufferCap = b.cap;
        c.bufferSlot = ksCurExtraCaps[0];
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    return invokeThreadControl(target, inv->slot, &c);
}

/* ---- Priorities ---- */

/* The authority TCB for a priority change, or an error. */
static tcb_t *priorityAuthority(const char *method, exception_t *status)
{
    cap_t auth = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(auth) != cap_thread_cap) {
        userError("TCB %s: the authority is not a TCB", method);
        ksCurSyscallError.invalidCapNumber = 1;
        *status = syscallError(seL4_InvalidCapability);
        return NULL;
    }
    *status = EXCEPTION_NONE;
    return tcbFromCap(auth);
}

static exception_t checkPrio(const char *method, word_t value, const tcb_t *auth)
{
    if (value > auth->tcbMCP) {
        userError("TCB %s: %lu is above the authority's MCP %lu", method, (unsigned long)value,
                  (unsigned long)auth->tcbMCP);
        return syscallErrorRange(0, auth->tcbMCP);
    }
    return EXCEPTION_NONE;
}

static exception_t decodeSetPriority(const invocation_t *inv, tcb_t *target, bool mcp)
{
    const char *method = mcp ? "SetMCPriority" : "SetPriority";
    if (inv->length < TCBSetPriority_MinLength || ksCurExtraCaps[0] == NULL) {
        return truncated(method, inv->length, TCBSetPriority_MinLength);
    }
    word_t value = getSyscallArg(0, inv->buffer);
    exception_t status;
    tcb_t *auth = priorityAuthority(method, &status);
    if (auth == NULL) {
        return status;
    }
    status = checkPrio(method, value, auth);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    if (mcp) {
        target->tcbMCP = value;
    } else {
        setPriority(target, value);
    }
    return EXCEPTION_NONE;
}

static exception_t decodeSetSchedParams(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBSetSchedParams_MinLength || ksCurExtraCaps[0] == NULL) {
        return truncated("SetSchedParams", inv->length, TCBSetSchedParams_MinLength);
    }
    struct TCBSetSchedParams_args a = unpackTCBSetSchedParamsArgs(inv->buffer);
    exception_t status;
    tcb_t *auth = priorityAuthority("SetSchedParams", &status);
    if (auth == NULL) {
        return status;
    }
    status = checkPrio("SetSchedParams", a.mcp, auth);
    if (status == EXCEPTION_NONE) {
        status = checkPrio("SetSchedParams", a.priority, auth);
    }
    if (status != EXCEPTION_NONE) {
        return status;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    target->tcbMCP = a.mcp;
    setPriority(target, a.priority);
    return EXCEPTION_NONE;
}

/* ---- Notifications, TLS, flags ---- */

static exception_t decodeBindNotification(tcb_t *target)
{
    if (ksCurExtraCaps[0] == NULL) {
        userError("TCB BindNotification: no notification cap");
        return syscallError(seL4_TruncatedMessage);
    }
    if (target->tcbBoundNotification) {
        userError("TCB BindNotification: the thread is already bound");
        return syscallError(seL4_IllegalOperation);
    }
    cap_t cap = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(cap) != cap_notification_cap) {
        userError("TCB BindNotification: the cap is not a notification");
        return syscallError(seL4_IllegalOperation);
    }
    notification_t *ntfn = (notification_t *)cap_notification_cap_get_capNtfnPtr(cap);
    if (!cap_notification_cap_get_capNtfnCanReceive(cap)) {
        userError("TCB BindNotification: the notification cap has no Read right");
        return syscallError(seL4_IllegalOperation);
    }
    if (notification_ptr_get_ntfnQueue_head(ntfn) || notification_ptr_get_ntfnBoundTCB(ntfn)) {
        userError("TCB BindNotification: the notification has waiters or is bound");
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    bindNotification(target, ntfn);
    return EXCEPTION_NONE;
}

static exception_t decodeUnbindNotification(tcb_t *target)
{
    if (target->tcbBoundNotification == NULL) {
        userError("TCB UnbindNotification: the thread is not bound");
        return syscallError(seL4_IllegalOperation);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    unbindNotification(target);
    return EXCEPTION_NONE;
}

static exception_t decodeSetTLSBase(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBSetTLSBase_MinLength) {
        return truncated("SetTLSBase", inv->length, TCBSetTLSBase_MinLength);
    }
    struct TCBSetTLSBase_args a = unpackTCBSetTLSBaseArgs(inv->buffer);
    setThreadState(ksCurThread, ThreadState_Restart);
    Arch_setTLSRegister(target, a.tls_base);
    if (target == ksCurThread) {
        rescheduleRequired();
    }
    return EXCEPTION_NONE;
}

static exception_t decodeSetFlags(const invocation_t *inv, tcb_t *target)
{
    if (inv->length < TCBSetFlags_MinLength) {
        return truncated("SetFlags", inv->length, TCBSetFlags_MinLength);
    }
    struct TCBSetFlags_args a = unpackTCBSetFlagsArgs(inv->buffer);
    setThreadState(ksCurThread, ThreadState_Restart);
    target->tcbFlags = (target->tcbFlags & ~a.clear) | (a.set & seL4_TCBFlag_MASK);
    if (inv->call) {
        tcb_t *cur = ksCurThread;
        setMR(cur, NULL, 0, target->tcbFlags);
        setRegister(cur, badgeRegister, 0);
        setMessageInfo(cur, 0, 1);
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

exception_t decodeTCBInvocation(const invocation_t *inv)
{
    tcb_t *target = tcbFromCap(inv->cap);
    switch (inv->label) {
    case TCBReadRegisters:
        return decodeReadRegisters(inv, target);
    case TCBWriteRegisters:
        return decodeWriteRegisters(inv, target);
    case TCBCopyRegisters:
        return decodeCopyRegisters(inv, target);
    case TCBConfigure:
        return decodeConfigure(inv, target);
    case TCBSetPriority:
        return decodeSetPriority(inv, target, false);
    case TCBSetMCPriority:
        return decodeSetPriority(inv, target, true);
    case TCBSetSchedParams:
        return decodeSetSchedParams(inv, target);
    case TCBSetIPCBuffer:
        return decodeSetIPCBuffer(inv, target);
    case TCBSetSpace:
        return decodeSetSpace(inv, target);
    case TCBSuspend:
        setThreadState(ksCurThread, ThreadState_Restart);
        suspendThread(target);
        return EXCEPTION_NONE;
    case TCBResume:
        setThreadState(ksCurThread, ThreadState_Restart);
        restartThread(target);
        return EXCEPTION_NONE;
    case TCBBindNotification:
        return decodeBindNotification(target);
    case TCBUnbindNotification:
        return decodeUnbindNotification(target);
    case TCBSetTLSBase:
        return decodeSetTLSBase(inv, target);
    case TCBSetFlags:
        return decodeSetFlags(inv, target);
    default:
        userError("TCB: label %lu is not a TCB method", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
}

exception_t decodeDomainInvocation(const invocation_t *inv)
{
    if (inv->label != DomainSetSet) {
        userError("Domain: label %lu is not Set", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    if (inv->length < DomainSetSet_MinLength) {
        userError("DomainSet Set: no domain argument");
        return syscallError(seL4_TruncatedMessage);
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
        return syscallError(seL4_TruncatedMessage);
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
