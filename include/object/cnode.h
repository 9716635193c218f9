/*
 * Capability slots and the derivation tree (MDB), deletion and revocation,
 * and the CNode invocations (semantics.md 2).
 *
 * The MDB is one doubly linked list of every non-empty slot in depth-first
 * pre-order of the derivation tree: a cap's descendants follow it directly.
 * An empty slot has a null cap and a zero MDB node.
 */
#pragma once

#include <api/failures.h>
#include <object/objecttype.h>
#include <object/structures.h>

static inline cte_t *mdbNextSlot(const cte_t *slot)
{
    return (cte_t *)mdb_node_get_mdbNext(slot->cteMDBNode);
}

static inline cte_t *mdbPrevSlot(const cte_t *slot)
{
    return (cte_t *)mdb_node_get_mdbPrev(slot->cteMDBNode);
}

/* Put newCap into the empty destSlot as a child (or sibling) of srcSlot. */
void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot);
/* Write a cap into an empty slot as a root of the derivation tree. */
void cteInsertRoot(cap_t cap, cte_t *slot);
/* A freshly retyped object's cap: child of the untyped in `parent`. */
void insertNewCap(cte_t *parent, cte_t *slot, cap_t cap);
/* Move (with its MDB position) a cap to an empty slot, replacing it by newCap. */
void cteMove(cap_t newCap, cte_t *srcSlot, cte_t *destSlot);
/* Exchange two slots' caps and MDB positions, installing the given caps. */
void cteSwap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);

/* Delete the cap in `slot`, finalising its object if it is the last one.
 * `exposed`: the slot is visible to user level (empty it in any case). */
exception_t cteDelete(cte_t *slot, bool exposed);
/* Delete a cap that finalises in one step (endpoint, notification, reply, ...). */
void cteDeleteOne(cte_t *slot);
exception_t cteRevoke(cte_t *slot);

bool isMDBParentOf(const cte_t *a, const cte_t *b);
bool isFinalCapability(const cte_t *slot);
bool slotCapLongRunningDelete(const cte_t *slot);
exception_t ensureNoChildren(const cte_t *slot);
exception_t ensureEmptySlot(const cte_t *slot);
void setupReplyMaster(tcb_t *thread);

exception_t decodeCNodeInvocation(const invocation_t *inv);
