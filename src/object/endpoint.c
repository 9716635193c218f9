/*
 * Endpoints: the send and receive rendezvous, their FIFO queues, and
 * cancellation; invoking an endpoint sends, invoking a saved reply cap
 * replies. The transfer itself is in kernel/ipc.c.
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <assert.h>
#include <kernel/ipc.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/endpoint.h>
#include <object/notification.h>

ep_queue_t tcbEPAppend(tcb_t *tcb, ep_queue_t q)
{
    if (q.head == NULL) {
        q.head = tcb;
    } else {
        q.end->tcbEPNext = tcb;
    }
    tcb->tcbEPPrev = q.end;
    tcb->tcbEPNext = NULL;
    q.end = tcb;
    return q;
}

ep_queue_t tcbEPDequeue(tcb_t *tcb, ep_queue_t q)
{
    if (tcb->tcbEPPrev) {
        tcb->tcbEPPrev->tcbEPNext = tcb->tcbEPNext;
    } else {
        q.head = tcb->tcbEPNext;
    }
    if (tcb->tcbEPNext) {
        tcb->tcbEPNext->tcbEPPrev = tcb->tcbEPPrev;
    } else {
        q.end = tcb->tcbEPPrev;
    }
    tcb->tcbEPNext = tcb->tcbEPPrev = NULL;
    return q;
}

static void restartBlocked(tcb_t *tcb)
{
    setThreadState(tcb, ThreadState_Restart);
    tcbSchedEnqueue(tcb);
}

void cancelAllIPC(endpoint_t *ep)
{
    if (endpoint_ptr_get_state(ep) == EPState_Idle) {
        return;
    }
    tcb_t *t = epQueue(ep).head;
    epSetQueue(ep, (ep_queue_t){ NULL, NULL });
    endpoint_ptr_set_state(ep, EPState_Idle);
    while (t) {
        tcb_t *next = t->tcbEPNext;
        t->tcbEPNext = t->tcbEPPrev = NULL;
        restartBlocked(t);
        t = next;
    }
    rescheduleRequired();
}

void cancelBadgedSends(endpoint_t *ep, word_t badge)
{
    if (endpoint_ptr_get_state(ep) != EPState_Send) {
        return;
    }
    ep_queue_t q = epQueue(ep);
    for (tcb_t *t = q.head; t;) {
        tcb_t *next = t->tcbEPNext;
        if (thread_state_get_blockingIPCBadge(t->tcbState) == badge) {
            q = tcbEPDequeue(t, q);
            restartBlocked(t);
        }
        t = next;
    }
    epSetQueue(ep, q);
    if (q.head == NULL) {
        endpoint_ptr_set_state(ep, EPState_Idle);
    }
    rescheduleRequired();
}

void cancelIPC(tcb_t *tcb)
{
    switch (thread_state_type(tcb)) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive: {
        endpoint_t *ep = (endpoint_t *)thread_state_get_blockingObject(tcb->tcbState);
        ep_queue_t q = tcbEPDequeue(tcb, epQueue(ep));
        epSetQueue(ep, q);
        if (q.head == NULL) {
            endpoint_ptr_set_state(ep, EPState_Idle);
        }
        setThreadState(tcb, ThreadState_Inactive);
        break;
    }
    case ThreadState_BlockedOnNotification:
        cancelSignal(tcb, (notification_t *)thread_state_get_blockingObject(tcb->tcbState));
        break;
    case ThreadState_BlockedOnReply: {
        /* The pending fault and the reply cap in the server's caller slot
         * go; nobody is woken. */
        tcb->tcbFault = fault_null_fault_new();
        cte_t *master = tcbSlot(tcb, tcbReply);
        cte_t *reply = mdbNextSlot(master);
        if (reply && cap_get_capType(reply->cap) == cap_reply_cap &&
            !cap_reply_cap_get_capReplyMaster(reply->cap)) {
            cteDeleteOne(reply);
        }
        break;
    }
    default:
        break;
    }
}

/* A thread blocked in IPC records what it needs to finish the transfer. */
static void blockOnEndpoint(tcb_t *thread, _thread_state_t state, endpoint_t *ep, word_t badge,
                            bool canGrant, bool canGrantReply, bool isCall)
{
    thread_state_t *ts = &thread->tcbState;
    thread_state_ptr_set_blockingObject(ts, (word_t)ep);
    thread_state_ptr_set_blockingIPCBadge(ts, badge);
    thread_state_ptr_set_blockingIPCCanGrant(ts, canGrant);
    thread_state_ptr_set_blockingIPCCanGrantReply(ts, canGrantReply);
    thread_state_ptr_set_blockingIPCIsCall(ts, isCall);
    setThreadState(thread, state);
}

static tcb_t *dequeueHead(endpoint_t *ep)
{
    ep_queue_t q = epQueue(ep);
    tcb_t *head = q.head;
    q = tcbEPDequeue(head, q);
    epSetQueue(ep, q);
    if (q.head == NULL) {
        endpoint_ptr_set_state(ep, EPState_Idle);
    }
    return head;
}

void sendIPC(bool blocking, bool doCall, word_t badge, bool canGrant, bool canGrantReply,
             tcb_t *thread, endpoint_t *ep)
{
    if (endpoint_ptr_get_state(ep) != EPState_Recv) {
        if (blocking) {
            blockOnEndpoint(thread, ThreadState_BlockedOnSend, ep, badge, canGrant, canGrantReply,
                            doCall);
            epSetQueue(ep, tcbEPAppend(thread, epQueue(ep)));
            endpoint_ptr_set_state(ep, EPState_Send);
        }
        return;
    }
    tcb_t *dest = dequeueHead(ep);
    doIPCTransfer(thread, ep, badge, canGrant, dest);
    bool replyCanGrant = thread_state_get_blockingIPCCanGrant(dest->tcbState);
    setThreadState(dest, ThreadState_Running);
    possibleSwitchTo(dest);
    if (doCall) {
        if (canGrant || canGrantReply) {
            setupCallerCap(thread, dest, replyCanGrant);
        } else {
            setThreadState(thread, ThreadState_Inactive);
        }
    }
}

void receiveIPC(tcb_t *thread, cap_t cap, bool isBlocking)
{
    endpoint_t *ep = (endpoint_t *)cap_endpoint_cap_get_capEPPtr(cap);
    if (completeBoundSignal(thread)) {
        return;
    }
    if (endpoint_ptr_get_state(ep) != EPState_Send) {
        if (isBlocking) {
            blockOnEndpoint(thread, ThreadState_BlockedOnReceive, ep, 0,
                            cap_endpoint_cap_get_capCanGrant(cap), false, false);
            epSetQueue(ep, tcbEPAppend(thread, epQueue(ep)));
            endpoint_ptr_set_state(ep, EPState_Recv);
        } else {
            setRegister(thread, badgeRegister, 0);
        }
        return;
    }
    tcb_t *sender = dequeueHead(ep);
    thread_state_t ts = sender->tcbState;
    bool canGrant = thread_state_get_blockingIPCCanGrant(ts);
    bool canGrantReply = thread_state_get_blockingIPCCanGrantReply(ts);
    doIPCTransfer(sender, ep, thread_state_get_blockingIPCBadge(ts), canGrant, thread);
    if (thread_state_get_blockingIPCIsCall(ts)) {
        if (canGrant || canGrantReply) {
            setupCallerCap(sender, thread, cap_endpoint_cap_get_capCanGrant(cap));
        } else {
            setThreadState(sender, ThreadState_Inactive);
        }
    } else {
        setThreadState(sender, ThreadState_Running);
        possibleSwitchTo(sender);
    }
}

exception_t decodeEndpointInvocation(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (!cap_endpoint_cap_get_capCanSend(cap)) {
        userError("Endpoint send: the cap has no Write right");
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    sendIPC(inv->block, inv->call, cap_endpoint_cap_get_capEPBadge(cap),
            cap_endpoint_cap_get_capCanGrant(cap), cap_endpoint_cap_get_capCanGrantReply(cap),
            ksCurThread, (endpoint_t *)cap_endpoint_cap_get_capEPPtr(cap));
    return EXCEPTION_NONE;
}

exception_t decodeReplyInvocation(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (cap_reply_cap_get_capReplyMaster(cap)) {
        userError("Reply: a master reply cap cannot be invoked");
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    doReplyTransfer(ksCurThread, (tcb_t *)cap_reply_cap_get_capTCBPtr(cap), inv->slot,
                    cap_reply_cap_get_capReplyCanGrant(cap));
    return EXCEPTION_NONE;
}
