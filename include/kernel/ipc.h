/*
 * Message transfer between threads: ordinary messages with their caps,
 * fault messages, and replies (semantics.md 6.4-6.5, 8).
 */
#pragma once

#include <api/failures.h>
#include <object/structures.h>

/* IPC-buffer word indices (seL4-abi.md 4.1). */
#define IPCBUF_CAPS_OR_BADGES (seL4_MsgMaxLength + 2)
#define IPCBUF_RECEIVE_CNODE (seL4_MsgMaxLength + 5)
#define IPCBUF_RECEIVE_INDEX (seL4_MsgMaxLength + 6)
#define IPCBUF_RECEIVE_DEPTH (seL4_MsgMaxLength + 7)

/* Resolve the extra caps named in `buffer` into ksCurExtraCaps; on a
 * failed lookup returns EXCEPTION_LOOKUP_FAULT and the CPtr. */
typedef struct {
    exception_t status;
    cptr_t failedCPtr;
} lookupExtraCaps_ret_t;
lookupExtraCaps_ret_t lookupExtraCaps(tcb_t *thread, word_t *buffer, seL4_MessageInfo_t info);

/* Deliver the sender's message (or its pending fault) to the receiver.
 * `ep` is the endpoint it travels through (NULL for replies). */
void doIPCTransfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver);
/* `sender` replies to `receiver` (BlockedOnReply) with the reply cap in `slot`. */
void doReplyTransfer(tcb_t *sender, tcb_t *receiver, cte_t *slot, bool grant);
/* A Call was received: the caller waits, the receiver gets a reply cap. */
void setupCallerCap(tcb_t *sender, tcb_t *receiver, bool canGrant);
/* Drop a reply cap left in the receiver's caller slot. */
void deleteCallerCap(tcb_t *receiver);
