/*
 * Endpoints: synchronous IPC rendezvous with a FIFO of blocked senders or
 * receivers (semantics.md 6). The queue is threaded through tcbEPNext and
 * tcbEPPrev; state says what the queue holds.
 */
#pragma once

#include <object/objecttype.h>
#include <object/structures.h>

typedef enum {
    EPState_Idle = 0,
    EPState_Send = 1,
    EPState_Recv = 2,
} endpoint_state_t;

typedef struct {
    tcb_t *head;
    tcb_t *end;
} ep_queue_t;

static inline ep_queue_t epQueue(const endpoint_t *ep)
{
    return (ep_queue_t){ (tcb_t *)endpoint_ptr_get_epQueue_head(ep),
                         (tcb_t *)endpoint_ptr_get_epQueue_tail(ep) };
}

static inline void epSetQueue(endpoint_t *ep, ep_queue_t q)
{
    endpoint_ptr_set_epQueue_head(ep, (word_t)q.head);
    endpoint_ptr_set_epQueue_tail(ep, (word_t)q.end);
}

ep_queue_t tcbEPAppend(tcb_t *tcb, ep_queue_t q);
ep_queue_t tcbEPDequeue(tcb_t *tcb, ep_queue_t q);

/* Wake every queued thread (Restart, head of its ready queue): the
 * endpoint's final cap is gone. */
void cancelAllIPC(endpoint_t *ep);
/* Wake the senders queued with `badge`. */
void cancelBadgedSends(endpoint_t *ep, word_t badge);
/* Take a thread out of whatever IPC it is blocked in. */
void cancelIPC(tcb_t *tcb);

exception_t decodeEndpointInvocation(const invocation_t *inv);
exception_t decodeReplyInvocation(const invocation_t *inv);

/* Send on `ep` as `thread` (semantics.md 6.2). */
void sendIPC(bool blocking, bool doCall, word_t badge, bool canGrant, bool canGrantReply,
             tcb_t *thread, endpoint_t *ep);
/* Receive on the endpoint named by `cap` (semantics.md 6.3). */
void receiveIPC(tcb_t *thread, cap_t cap, bool isBlocking);
