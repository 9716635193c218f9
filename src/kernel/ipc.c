/*
 * Message transfer. Message registers MR0..MR3 travel register to
 * register; the rest go IPC buffer to IPC buffer when both threads have
 * one. Caps travel only with the Grant right, at most one is inserted, and
 * caps to the endpoint being used are unwrapped into their badges.
 */
#include <api/invocation.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/faults.h>
#include <kernel/ipc.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/objecttype.h>

lookupExtraCaps_ret_t lookupExtraCaps(tcb_t *thread, word_t *buffer, seL4_MessageInfo_t info)
{
    for (word_t i = 0; i < seL4_MsgMaxExtraCaps; i++) {
        ksCurExtraCaps[i] = NULL;
    }
    if (buffer == NULL) {
        return (lookupExtraCaps_ret_t){ EXCEPTION_NONE, 0 };
    }
    word_t n = seL4_MessageInfo_get_extraCaps(info);
    for (word_t i = 0; i < n; i++) {
        cptr_t cptr = buffer[IPCBUF_CAPS_OR_BADGES + i];
        lookupSlot_ret_t r = lookupSlot(thread, cptr);
        if (r.status != EXCEPTION_NONE) {
            for (word_t j = 0; j < seL4_MsgMaxExtraCaps; j++) {
                ksCurExtraCaps[j] = NULL;
            }
            return (lookupExtraCaps_ret_t){ EXCEPTION_LOOKUP_FAULT, cptr };
        }
        ksCurExtraCaps[i] = r.slot;
    }
    return (lookupExtraCaps_ret_t){ EXCEPTION_NONE, 0 };
}

static word_t copyMRs(tcb_t *sender, word_t *sendBuf, tcb_t *receiver, word_t *recvBuf, word_t n)
{
    word_t i = 0;
    for (; i < n && i < n_msgRegisters; i++) {
        setRegister(receiver, msgRegister(i), getRegister(sender, msgRegister(i)));
    }
    if (sendBuf && recvBuf) {
        for (; i < n; i++) {
            recvBuf[i + 1] = sendBuf[i + 1];
        }
    }
    return i;
}

/* The receiver's receive slot, or NULL if it named none that is empty. */
static cte_t *getReceiveSlot(tcb_t *receiver, word_t *buffer)
{
    lookupCap_ret_t root = lookupCap(receiver, buffer[IPCBUF_RECEIVE_CNODE]);
    if (root.status != EXCEPTION_NONE) {
        return NULL;
    }
    lookupSlot_ret_t slot = lookupSlotForCNodeOp(false, root.cap, buffer[IPCBUF_RECEIVE_INDEX],
                                                 buffer[IPCBUF_RECEIVE_DEPTH]);
    if (slot.status != EXCEPTION_NONE || cap_get_capType(slot.slot->cap) != cap_null_cap) {
        return NULL;
    }
    return slot.slot;
}

static seL4_MessageInfo_t transferCaps(seL4_MessageInfo_t info, endpoint_t *ep, tcb_t *receiver,
                                       word_t *recvBuf)
{
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    if (ksCurExtraCaps[0] == NULL || recvBuf == NULL) {
        return info;
    }
    cte_t *dest = getReceiveSlot(receiver, recvBuf);
    word_t i = 0, unwrapped = 0;
    for (; i < seL4_MsgMaxExtraCaps && ksCurExtraCaps[i] != NULL; i++) {
        cte_t *slot = ksCurExtraCaps[i];
        cap_t cap = slot->cap;
        if (cap_get_capType(cap) == cap_endpoint_cap &&
            (endpoint_t *)cap_endpoint_cap_get_capEPPtr(cap) == ep) {
            recvBuf[IPCBUF_CAPS_OR_BADGES + i] = cap_endpoint_cap_get_capEPBadge(cap);
            unwrapped |= BIT(i);
            continue;
        }
        if (dest == NULL) {
            break;
        }
        deriveCap_ret_t d = deriveCap(slot, cap);
        if (d.status != EXCEPTION_NONE || cap_get_capType(d.cap) == cap_null_cap) {
            break;
        }
        cteInsert(d.cap, slot, dest);
        dest = NULL;
    }
    info = seL4_MessageInfo_set_extraCaps(info, i);
    return seL4_MessageInfo_set_capsUnwrapped(info, unwrapped);
}

static void doNormalTransfer(tcb_t *sender, word_t *sendBuf, endpoint_t *ep, word_t badge,
                             bool grant, tcb_t *receiver, word_t *recvBuf)
{
    seL4_MessageInfo_t info = { { getRegister(sender, msgInfoRegister) } };
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    if (grant) {
        /* Looked up again now; a cap that no longer resolves means no caps. */
        (void)lookupExtraCaps(sender, sendBuf, info);
    } else {
        for (word_t i = 0; i < seL4_MsgMaxExtraCaps; i++) {
            ksCurExtraCaps[i] = NULL;
        }
    }
    word_t sent = copyMRs(sender, sendBuf, receiver, recvBuf, length);
    info = transferCaps(info, ep, receiver, recvBuf);
    info = seL4_MessageInfo_set_length(info, sent);
    setRegister(receiver, msgInfoRegister, info.words[0]);
    setRegister(receiver, badgeRegister, badge);
}

static void doFaultTransfer(word_t badge, tcb_t *sender, tcb_t *receiver, word_t *recvBuf)
{
    word_t length = setMRsFault(sender, receiver, recvBuf);
    setMessageInfo(receiver, fault_get_faultType(sender->tcbFault), length);
    setRegister(receiver, badgeRegister, badge);
}

void doIPCTransfer(tcb_t *sender, endpoint_t *ep, word_t badge, bool grant, tcb_t *receiver)
{
    word_t *recvBuf = Arch_lookupIPCBuffer(true, receiver);
    if (fault_get_faultType(sender->tcbFault) == fault_null_fault) {
        word_t *sendBuf = Arch_lookupIPCBuffer(false, sender);
        doNormalTransfer(sender, sendBuf, ep, badge, grant, receiver, recvBuf);
    } else {
        doFaultTransfer(badge, sender, receiver, recvBuf);
    }
}

void doReplyTransfer(tcb_t *sender, tcb_t *receiver, cte_t *slot, bool grant)
{
    assert(thread_state_type(receiver) == ThreadState_BlockedOnReply);
    if (fault_get_faultType(receiver->tcbFault) == fault_null_fault) {
        doIPCTransfer(sender, NULL, 0, grant, receiver);
        cteDeleteOne(slot);
        setThreadState(receiver, ThreadState_Running);
        possibleSwitchTo(receiver);
        return;
    }
    cteDeleteOne(slot);
    bool restart = handleFaultReply(receiver, sender);
    receiver->tcbFault = fault_null_fault_new();
    if (restart) {
        setThreadState(receiver, ThreadState_Restart);
        possibleSwitchTo(receiver);
    } else {
        setThreadState(receiver, ThreadState_Inactive);
    }
}

void setupCallerCap(tcb_t *sender, tcb_t *receiver, bool canGrant)
{
    setThreadState(sender, ThreadState_BlockedOnReply);
    cte_t *master = tcbSlot(sender, tcbReply);
    cte_t *caller = tcbSlot(receiver, tcbCaller);
    assert(cap_get_capType(caller->cap) == cap_null_cap);
    cteInsert(cap_reply_cap_new((word_t)sender, canGrant, false), master, caller);
}

void deleteCallerCap(tcb_t *receiver)
{
    cteDeleteOne(tcbSlot(receiver, tcbCaller));
}
