/*
 * Capability slots and the derivation tree (MDB): insertion of derived
 * caps and the revocability rules (semantics.md 2.1-2.2).
 */
#pragma once

#include <object/structures.h>

static inline cte_t *mdbNextSlot(const cte_t *slot)
{
    return (cte_t *)mdb_node_get_mdbNext(slot->cteMDBNode);
}

static inline cte_t *mdbPrevSlot(const cte_t *slot)
{
    return (cte_t *)mdb_node_get_mdbPrev(slot->cteMDBNode);
}

bool isCapRevocable(cap_t derivedCap, cap_t srcCap);
/* Put newCap into the empty destSlot as a child (or sibling) of srcSlot. */
void cteInsert(cap_t newCap, cte_t *srcSlot, cte_t *destSlot);
/* Write a cap into an empty slot as a root of the derivation tree. */
void cteInsertRoot(cap_t cap, cte_t *slot);
