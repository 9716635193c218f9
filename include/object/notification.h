/*
 * Notifications: a word of OR-ed badges, a FIFO of waiters, and an optional
 * bound TCB (semantics.md 7).
 */
#pragma once

#include <object/objecttype.h>
#include <object/structures.h>

typedef enum {
    NtfnState_Idle = 0,
    NtfnState_Waiting = 1,
    NtfnState_Active = 2,
} notification_state_t;

void cancelAllSignals(notification_t *ntfn);
void cancelSignal(tcb_t *tcb, notification_t *ntfn);
void unbindMaybeNotification(notification_t *ntfn);
void unbindNotification(tcb_t *tcb);

exception_t decodeNotificationInvocation(const invocation_t *inv);

void sendSignal(notification_t *ntfn, word_t badge);
void receiveSignal(tcb_t *thread, cap_t cap, bool isBlocking);
/* Deliver a pending signal of the thread's bound notification, if any. */
bool completeBoundSignal(tcb_t *thread);
void bindNotification(tcb_t *tcb, notification_t *ntfn);
