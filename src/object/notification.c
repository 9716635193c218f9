/*
 * Notification objects: Signal (OR-ing badges into the word), Wait and
 * Poll, waiter queues, binding to a TCB, and cancellation.
 */
#include <api/invocation.h>
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

void bindNotification(tcb_t *tcb, notification_t *ntfn)
{
    notification_ptr_set_ntfnBoundTCB(ntfn, (word_t)tcb);
    tcb->tcbBoundNotification = ntfn;
}

static void wakeWithBadge(tcb_t *tcb, word_t badge)
{
    setThreadState(tcb, ThreadState_Running);
    setRegister(tcb, badgeRegister, badge);
    possibleSwitchTo(tcb);
}

void sendSignal(notification_t *ntfn, word_t badge)
{
    switch (notification_ptr_get_state(ntfn)) {
    case NtfnState_Idle: {
        tcb_t *bound = (tcb_t *)notification_ptr_get_ntfnBoundTCB(ntfn);
        if (bound && thread_state_type(bound) == ThreadState_BlockedOnReceive) {
            /* A bound thread waiting on an endpoint gets the badge only. */
            cancelIPC(bound);
            wakeWithBadge(bound, badge);
        } else {
            notification_ptr_set_ntfnMsgIdentifier(ntfn, badge);
            notification_ptr_set_state(ntfn, NtfnState_Active);
        }
        break;
    }
    case NtfnState_Waiting: {
        ep_queue_t q = ntfnQueue(ntfn);
        tcb_t *dest = q.head;
        q = tcbEPDequeue(dest, q);
        ntfnSetQueue(ntfn, q);
        if (q.head == NULL) {
            notification_ptr_set_state(ntfn, NtfnState_Idle);
        }
        wakeWithBadge(dest, badge);
        break;
    }
    default:
        notification_ptr_set_ntfnMsgIdentifier(ntfn, notification_ptr_get_ntfnMsgIdentifier(ntfn) |
                                                         badge);
        break;
    }
}

/* Hand the pending word to `thread` and go idle. */
static void completeSignal(notification_t *ntfn, tcb_t *thread)
{
    setRegister(thread, badgeRegister, notification_ptr_get_ntfnMsgIdentifier(ntfn));
    notification_ptr_set_ntfnMsgIdentifier(ntfn, 0);
    notification_ptr_set_state(ntfn, NtfnState_Idle);
}

bool completeBoundSignal(tcb_t *thread)
{
    notification_t *ntfn = thread->tcbBoundNotification;
    if (ntfn && notification_ptr_get_state(ntfn) == NtfnState_Active) {
        completeSignal(ntfn, thread);
        return true;
    }
    return false;
}

void receiveSignal(tcb_t *thread, cap_t cap, bool isBlocking)
{
    notification_t *ntfn = (notification_t *)cap_notification_cap_get_capNtfnPtr(cap);
    if (notification_ptr_get_state(ntfn) == NtfnState_Active) {
        completeSignal(ntfn, thread);
        return;
    }
    if (!isBlocking) {
        setRegister(thread, badgeRegister, 0);
        return;
    }
    thread_state_ptr_set_blockingObject(&thread->tcbState, (word_t)ntfn);
    setThreadState(thread, ThreadState_BlockedOnNotification);
    ntfnSetQueue(ntfn, tcbEPAppend(thread, ntfnQueue(ntfn)));
    notification_ptr_set_state(ntfn, NtfnState_Waiting);
}

exception_t decodeNotificationInvocation(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (!cap_notification_cap_get_capNtfnCanSend(cap)) {
        userError("Notification signal: the cap has no Write right");
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    sendSignal((notification_t *)cap_notification_cap_get_capNtfnPtr(cap),
               cap_notification_cap_get_capNtfnBadge(cap));
    return EXCEPTION_NONE;
}
