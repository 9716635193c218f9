/*
 * CNode slots and the capability derivation tree. All caps form one
 * doubly linked list in depth-first pre-order of the tree; a node's
 * descendants follow it directly.
 */
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <object/cnode.h>

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

void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot)
{
    assert(cap_get_capType(destSlot->cap) == cap_null_cap);
    bool revocable = isCapRevocable(newCap, srcSlot->cap);
    cte_t *next = mdbNextSlot(srcSlot);

    destSlot->cap = newCap;
    destSlot->cteMDBNode = mdb_node_new((word_t)next, revocable, revocable, (word_t)srcSlot);
    mdb_node_ptr_set_mdbNext(&srcSlot->cteMDBNode, (word_t)destSlot);
    if (next) {
        mdb_node_ptr_set_mdbPrev(&next->cteMDBNode, (word_t)destSlot);
    }
}

void cteInsertRoot(cap_t cap, cte_t *slot)
{
    assert(cap_get_capType(slot->cap) == cap_null_cap);
    slot->cap = cap;
    slot->cteMDBNode = mdb_node_new(0, true, true, 0);
}
