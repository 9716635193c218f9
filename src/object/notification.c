/*
 * Notification objects: waiter queues, binding to a TCB, and cancellation.
 * Signal and Wait arrive with the IPC path.
 */
#include <api/syscall.h>
#include <kernel/thread.h>
#include <object/endpoint.h>
#include <object/notification.h>

static ep_queue_t ntfnQueue(const notification_t *n)
{
    return (ep_queue_t){ (tcb_t *)notification_ptr_get_ntfnQueue_head(n),
                         (tcb_t *)notification_ptr_get_ntfnQueue_tail(n) };
}

static void ntfnSetQueue(notification_t *n, ep_queue_t q)
{
    notification_ptr_set_ntfnQueue_head(n, (word_t)q.head);
    notification_ptr_set_ntfnQueue_tail(n, (word_t)q.end);
}

void cancelAllSignals(notification_t *ntfn)
{
    if (notification_ptr_get_state(ntfn) != NtfnState_Waiting) {
        return;
    }
    tcb_t *t = ntfnQueue(ntfn).head;
    ntfnSetQueue(ntfn, (ep_queue_t){ NULL, NULL });
    notification_ptr_set_state(ntfn, NtfnState_Idle);
    while (t) {
        tcb_t *next = t->tcbEPNext;
        t->tcbEPNext = t->tcbEPPrev = NULL;
        setThreadState(t, ThreadState_Restart);
        tcbSchedEnqueue(t);
        t = next;
    }
    rescheduleRequired();
}

void cancelSignal(tcb_t *tcb, notification_t *ntfn)
{
    ep_queue_t q = tcbEPDequeue(tcb, ntfnQueue(ntfn));
    ntfnSetQueue(ntfn, q);
    if (q.head == NULL) {
        notification_ptr_set_state(ntfn, NtfnState_Idle);
    }
    setThreadState(tcb, ThreadState_Inactive);
}

void unbindMaybeNotification(notification_t *ntfn)
{
    tcb_t *bound = (tcb_t *)notification_ptr_get_ntfnBoundTCB(ntfn);
    if (bound) {
        unbindNotification(bound);
    }
}

void unbindNotification(tcb_t *tcb)
{
    notification_t *ntfn = tcb->tcbBoundNotification;
    if (ntfn) {
        notification_ptr_set_ntfnBoundTCB(ntfn, 0);
        tcb->tcbBoundNotification = NULL;
    }
}

exception_t decodeNotificationInvocation(const invocation_t *inv)
{
    (void)inv;
    stopThreadWithReport(ksCurThread, "Signal on notifications is not implemented yet");
    return EXCEPTION_NONE;
}
