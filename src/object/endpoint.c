/*
 * Endpoint queues and their cancellation. Sending and receiving arrive
 * with the IPC path (kernel/ipc.c); until then invoking an endpoint or a
 * reply cap stops the caller with a report.
 */
#include <api/syscall.h>
#include <assert.h>
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
        /* The reply cap in the server's caller slot goes; nobody is woken. */
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

static exception_t ipcNotImplemented(const invocation_t *inv)
{
    (void)inv;
    stopThreadWithReport(ksCurThread, "IPC on endpoints and reply caps is not implemented yet");
    return EXCEPTION_NONE;
}

exception_t decodeEndpointInvocation(const invocation_t *inv)
{
    return ipcNotImplemented(inv);
}

exception_t decodeReplyInvocation(const invocation_t *inv)
{
    return ipcNotImplemented(inv);
}
