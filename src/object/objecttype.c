/*
 * Per-cap-type operations, dispatched on the cap type: derivation, rights
 * and data updates, identity in the derivation tree, finalisation, object
 * creation and the first level of invocation decoding. Arch caps go to the
 * Arch_* hooks in one branch each.
 */
#include <api/invocation.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/endpoint.h>
#include <object/interrupt.h>
#include <object/notification.h>
#include <object/objecttype.h>
#include <object/tcb.h>
#include <object/untyped.h>

static bool isArchCap(cap_t cap)
{
    switch (cap_get_capType(cap)) {
    case cap_null_cap:
    case cap_untyped_cap:
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_reply_cap:
    case cap_cnode_cap:
    case cap_thread_cap:
    case cap_irq_control_cap:
    case cap_irq_handler_cap:
    case cap_zombie_cap:
    case cap_domain_cap:
        return false;
    default:
        return true;
    }
}

deriveCap_ret_t deriveCap(cte_t *slot, cap_t cap)
{
    deriveCap_ret_t ret = { EXCEPTION_NONE, cap };
    if (isArchCap(cap)) {
        return Arch_deriveCap(slot, cap);
    }
    switch (cap_get_capType(cap)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
    case cap_reply_cap:
        ret.cap = cap_null_cap_new();
        break;
    case cap_untyped_cap:
        ret.status = ensureNoChildren(slot);
        if (ret.status != EXCEPTION_NONE) {
            ret.cap = cap_null_cap_new();
        }
        break;
    default:
        break;
    }
    return ret;
}

word_t maskVMRights(word_t vm, seL4_CapRights_t rights)
{
    bool read = seL4_CapRights_get_capAllowRead(rights);
    bool write = seL4_CapRights_get_capAllowWrite(rights);
    if (vm == VMReadOnly && read) {
        return VMReadOnly;
    }
    if (vm == VMReadWrite && read) {
        return write ? VMReadWrite : VMReadOnly;
    }
    return VMKernelOnly;
}

cap_t maskCapRights(seL4_CapRights_t rights, cap_t cap)
{
    if (isArchCap(cap)) {
        return Arch_maskCapRights(rights, cap);
    }
    switch (cap_get_capType(cap)) {
    case cap_endpoint_cap: {
        word_t w = seL4_CapRights_get_capAllowWrite(rights);
        word_t r = seL4_CapRights_get_capAllowRead(rights);
        word_t g = seL4_CapRights_get_capAllowGrant(rights);
        word_t gr = seL4_CapRights_get_capAllowGrantReply(rights);
        cap = cap_endpoint_cap_set_capCanSend(cap, cap_endpoint_cap_get_capCanSend(cap) & w);
        cap = cap_endpoint_cap_set_capCanReceive(cap, cap_endpoint_cap_get_capCanReceive(cap) & r);
        cap = cap_endpoint_cap_set_capCanGrant(cap, cap_endpoint_cap_get_capCanGrant(cap) & g);
        return cap_endpoint_cap_set_capCanGrantReply(
            cap, cap_endpoint_cap_get_capCanGrantReply(cap) & gr);
    }
    case cap_notification_cap: {
        word_t w = seL4_CapRights_get_capAllowWrite(rights);
        word_t r = seL4_CapRights_get_capAllowRead(rights);
        cap = cap_notification_cap_set_capNtfnCanSend(
            cap, cap_notification_cap_get_capNtfnCanSend(cap) & w);
        return cap_notification_cap_set_capNtfnCanReceive(
            cap, cap_notification_cap_get_capNtfnCanReceive(cap) & r);
    }
    case cap_reply_cap:
        return cap_reply_cap_set_capReplyCanGrant(cap,
                                                  cap_reply_cap_get_capReplyCanGrant(cap) &
                                                      seL4_CapRights_get_capAllowGrant(rights));
    default:
        return cap;
    }
}

cap_t updateCapData(bool preserve, word_t data, cap_t cap)
{
    if (isArchCap(cap)) {
        return Arch_updateCapData(preserve, data, cap);
    }
    switch (cap_get_capType(cap)) {
    /* A badge is set once, on an unbadged cap, and only by Mint. */
    case cap_endpoint_cap:
        if (!preserve && cap_endpoint_cap_get_capEPBadge(cap) == 0) {
            return cap_endpoint_cap_set_capEPBadge(cap, data);
        }
        return cap_null_cap_new();
    case cap_notification_cap:
        if (!preserve && cap_notification_cap_get_capNtfnBadge(cap) == 0) {
            return cap_notification_cap_set_capNtfnBadge(cap, data);
        }
        return cap_null_cap_new();
    case cap_cnode_cap: {
        seL4_CNode_CapData_t w = { { data } };
        word_t guardSize = seL4_CNode_CapData_get_guardSize(w);
        if (guardSize + cap_cnode_cap_get_capCNodeRadix(cap) > wordBits) {
            return cap_null_cap_new();
        }
        word_t guard = seL4_CNode_CapData_get_guard(w) & MASK_SAFE(guardSize);
        cap = cap_cnode_cap_set_capCNodeGuard(cap, guard);
        return cap_cnode_cap_set_capCNodeGuardSize(cap, guardSize);
    }
    default:
        return cap;
    }
}

/* The memory region a cap's object occupies, for caps that name memory. */
typedef struct {
    bool physical;
    pptr_t base;
    word_t sizeBits;
} cap_region_t;

static cap_region_t capRegion(cap_t cap)
{
    switch (cap_get_capType(cap)) {
    case cap_untyped_cap:
        return (cap_region_t){ true, cap_untyped_cap_get_capPtr(cap),
                               cap_untyped_cap_get_capBlockSize(cap) };
    case cap_endpoint_cap:
        return (cap_region_t){ true, cap_endpoint_cap_get_capEPPtr(cap), seL4_EndpointBits };
    case cap_notification_cap:
        return (cap_region_t){ true, cap_notification_cap_get_capNtfnPtr(cap),
                               seL4_NotificationBits };
    case cap_cnode_cap:
        return (cap_region_t){ true, cap_cnode_cap_get_capCNodePtr(cap),
                               cap_cnode_cap_get_capCNodeRadix(cap) + seL4_SlotBits };
    case cap_thread_cap:
        return (cap_region_t){ true, cap_thread_cap_get_capTCBPtr(cap), seL4_TCBBits };
    case cap_zombie_cap: {
        word_t type = cap_zombie_cap_get_capZombieType(cap);
        word_t bits = type == ZOMBIE_TYPE_TCB ? seL4_TCBBits : type + seL4_SlotBits;
        return (cap_region_t){ true, (pptr_t)zombiePtr(cap), bits };
    }
    case cap_null_cap:
    case cap_reply_cap:
    case cap_irq_control_cap:
    case cap_irq_handler_cap:
    case cap_domain_cap:
        return (cap_region_t){ false, 0, 0 };
    default: {
        arch_cap_region_t r = Arch_capRegion(cap);
        return (cap_region_t){ r.physical, r.base, r.sizeBits };
    }
    }
}

bool regionContains(pptr_t aBase, word_t aBits, pptr_t bBase, word_t bBits)
{
    pptr_t aTop = aBase + MASK(aBits);
    pptr_t bTop = bBase + MASK(bBits);
    return aBase <= bBase && bTop <= aTop && bBase <= bTop;
}

bool sameRegionAs(cap_t a, cap_t b)
{
    switch (cap_get_capType(a)) {
    case cap_untyped_cap: {
        cap_region_t rb = capRegion(b);
        if (!rb.physical) {
            return false;
        }
        return regionContains(cap_untyped_cap_get_capPtr(a), cap_untyped_cap_get_capBlockSize(a),
                              rb.base, rb.sizeBits);
    }
    case cap_endpoint_cap:
        return cap_get_capType(b) == cap_endpoint_cap &&
               cap_endpoint_cap_get_capEPPtr(a) == cap_endpoint_cap_get_capEPPtr(b);
    case cap_notification_cap:
        return cap_get_capType(b) == cap_notification_cap &&
               cap_notification_cap_get_capNtfnPtr(a) == cap_notification_cap_get_capNtfnPtr(b);
    case cap_cnode_cap:
        return cap_get_capType(b) == cap_cnode_cap &&
               cap_cnode_cap_get_capCNodePtr(a) == cap_cnode_cap_get_capCNodePtr(b) &&
               cap_cnode_cap_get_capCNodeRadix(a) == cap_cnode_cap_get_capCNodeRadix(b);
    case cap_thread_cap:
        return cap_get_capType(b) == cap_thread_cap &&
               cap_thread_cap_get_capTCBPtr(a) == cap_thread_cap_get_capTCBPtr(b);
    case cap_reply_cap:
        return cap_get_capType(b) == cap_reply_cap &&
               cap_reply_cap_get_capTCBPtr(a) == cap_reply_cap_get_capTCBPtr(b);
    case cap_domain_cap:
        return cap_get_capType(b) == cap_domain_cap;
    case cap_irq_control_cap:
        return cap_get_capType(b) == cap_irq_control_cap ||
               cap_get_capType(b) == cap_irq_handler_cap;
    case cap_irq_handler_cap:
        return cap_get_capType(b) == cap_irq_handler_cap &&
               cap_irq_handler_cap_get_capIRQ(a) == cap_irq_handler_cap_get_capIRQ(b);
    case cap_null_cap:
    case cap_zombie_cap:
        return false;
    default:
        return isArchCap(b) && Arch_sameRegionAs(a, b);
    }
}

bool sameObjectAs(cap_t a, cap_t b)
{
    word_t type = cap_get_capType(a);
    if (type == cap_untyped_cap || type == cap_irq_control_cap) {
        return false;
    }
    if (isArchCap(a) && isArchCap(b)) {
        return Arch_sameObjectAs(a, b);
    }
    return sameRegionAs(a, b);
}

bool isCapRevocable(cap_t derivedCap, cap_t srcCap)
{
    switch (cap_get_capType(derivedCap)) {
    case cap_endpoint_cap:
        return cap_endpoint_cap_get_capEPBadge(derivedCap) !=
               cap_endpoint_cap_get_capEPBadge(srcCap);
    case cap_notification_cap:
        return cap_notification_cap_get_capNtfnBadge(derivedCap) !=
               cap_notification_cap_get_capNtfnBadge(srcCap);
    case cap_irq_handler_cap:
        return cap_get_capType(srcCap) == cap_irq_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return Arch_isCapRevocable(derivedCap, srcCap);
    }
}

finaliseCap_ret_t finaliseCap(cap_t cap, bool final, bool exposed)
{
    finaliseCap_ret_t ret = { cap_null_cap_new(), cap_null_cap_new() };
    if (isArchCap(cap)) {
        return Arch_finaliseCap(cap, final);
    }
    switch (cap_get_capType(cap)) {
    case cap_endpoint_cap:
        if (final) {
            cancelAllIPC((endpoint_t *)cap_endpoint_cap_get_capEPPtr(cap));
        }
        return ret;
    case cap_notification_cap:
        if (final) {
            notification_t *ntfn = (notification_t *)cap_notification_cap_get_capNtfnPtr(cap);
            unbindMaybeNotification(ntfn);
            cancelAllSignals(ntfn);
        }
        return ret;
    case cap_reply_cap:
    case cap_null_cap:
    case cap_domain_cap:
    case cap_irq_control_cap:
    case cap_untyped_cap:
        return ret;
    default:
        break;
    }

    /* The rest may need more than one step; cteDeleteOne never sees them. */
    assert(!exposed);
    (void)exposed;
    switch (cap_get_capType(cap)) {
    case cap_cnode_cap:
        if (final) {
            word_t radix = cap_cnode_cap_get_capCNodeRadix(cap);
            ret.remainder =
                zombieNew(radix, (cte_t *)cap_cnode_cap_get_capCNodePtr(cap), BIT(radix));
        }
        return ret;
    case cap_thread_cap:
        if (final) {
            tcb_t *tcb = tcbFromCap(cap);
            prepareThreadDelete(tcb);
            ret.remainder = zombieNew(ZOMBIE_TYPE_TCB, tcb->tcbCTable, tcbCNodeEntries);
        }
        return ret;
    case cap_zombie_cap:
        ret.remainder = cap;
        return ret;
    case cap_irq_handler_cap:
        if (final) {
            deletingIRQHandler(cap_irq_handler_cap_get_capIRQ(cap));
            ret.cleanupInfo = cap;
        }
        return ret;
    default:
        kpanic("finaliseCap: unknown cap type %lu", (unsigned long)cap_get_capType(cap));
    }
}

void postCapDeletion(cap_t cleanupInfo)
{
    switch (cap_get_capType(cleanupInfo)) {
    case cap_null_cap:
        break;
    case cap_irq_handler_cap:
        deletedIRQHandler(cap_irq_handler_cap_get_capIRQ(cleanupInfo));
        break;
    default:
        Arch_postCapDeletion(cleanupInfo);
        break;
    }
}

word_t getObjectSize(word_t type, word_t userBits)
{
    switch (type) {
    case seL4_UntypedObject:
        return userBits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return userBits + seL4_SlotBits;
    default:
        return Arch_getObjectSize(type);
    }
}

cap_t createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory)
{
    switch (type) {
    case seL4_UntypedObject:
        /* The new untyped's memory is already zero (or device): start empty. */
        return cap_untyped_cap_new(0, deviceMemory, userBits, region);
    case seL4_TCBObject:
        return cap_thread_cap_new((word_t)initialiseTCB((tcb_t *)region));
    case seL4_EndpointObject:
        return cap_endpoint_cap_new(0, true, true, true, true, region);
    case seL4_NotificationObject:
        return cap_notification_cap_new(0, true, true, region);
    case seL4_CapTableObject:
        return cap_cnode_cap_new(userBits, 0, 0, region);
    default:
        return Arch_createObject(type, region, userBits, deviceMemory);
    }
}

exception_t decodeInvocation(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (isArchCap(cap)) {
        return Arch_decodeInvocation(inv);
    }
    switch (cap_get_capType(cap)) {
    case cap_untyped_cap:
        return decodeUntypedInvocation(inv);
    case cap_cnode_cap:
        return decodeCNodeInvocation(inv);
    case cap_thread_cap:
        return decodeTCBInvocation(inv);
    case cap_endpoint_cap:
        return decodeEndpointInvocation(inv);
    case cap_notification_cap:
        return decodeNotificationInvocation(inv);
    case cap_reply_cap:
        return decodeReplyInvocation(inv);
    case cap_irq_control_cap:
        return decodeIRQControlInvocation(inv);
    case cap_irq_handler_cap:
        return decodeIRQHandlerInvocation(inv);
    case cap_domain_cap:
        return decodeDomainInvocation(inv);
    default:
        userError("invoked a null or zombie cap (CPtr %#lx)", (unsigned long)inv->cptr);
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
}
