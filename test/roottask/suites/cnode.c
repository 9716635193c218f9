/*
 * CNode methods (semantics 2.4-2.6, seL4-abi.md 8.4): success paths of
 * Copy, Mint, Move, Mutate, Rotate, Delete, Revoke, SaveCaller and
 * CancelBadgedSends, and their errors in the documented check order.
 *
 * Slot contents are checked by behaviour (helpers.h): occupancy with a
 * Move-self probe, "endpoint with all four rights" with CancelBadgedSends,
 * CNode radix with a lookup through the cap; the debug suites check the
 * same slots with seL4_DebugCapIdentify.
 */
#include "helpers.h"

/* Rights sets missing exactly one right (constructor order: grantReply,
 * grant, read, write). */
#define NO_GRANT_REPLY seL4_CapRights_new(0, 1, 1, 1)
#define NO_GRANT seL4_CapRights_new(1, 0, 1, 1)

/* ---- Copy ------------------------------------------------------------------ */

KTEST(cnode_copy_endpoint)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc_range(2);
    if (!ep || !c) {
        return;
    }
    CHECK_OK(copy_root(c, ep, seL4_AllRights));
    CHECK_OCCUPIED(ep);
    CHECK_OCCUPIED(c);
    CHECK_FULL_ENDPOINT(ep);
    CHECK_FULL_ENDPOINT(c);
    /* A copy of a copy. */
    CHECK_OK(copy_root(c + 1, c, seL4_AllRights));
    CHECK_FULL_ENDPOINT(c + 1);
}

KTEST(cnode_copy_masks_endpoint_rights)
{
    /* maskCapRights: each endpoint right is ANDed with the mask; a later
     * copy with all rights cannot add one back. CancelBadgedSends needs all
     * four, so it tells a full cap from a reduced one. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc_range(8);
    if (!ep || !c) {
        return;
    }
    seL4_CapRights_t masks[] = { seL4_NoWrite, seL4_NoRead, NO_GRANT, NO_GRANT_REPLY };
    for (int i = 0; i < 4; i++) {
        CHECK_OK(copy_root(c + 2 * i, ep, masks[i]));
        CHECK_NOT_FULL_ENDPOINT(c + 2 * i);
        CHECK_OK(copy_root(c + 2 * i + 1, c + 2 * i, seL4_AllRights));
        CHECK_NOT_FULL_ENDPOINT(c + 2 * i + 1);
    }
    CHECK_FULL_ENDPOINT(ep);
}

KTEST(cnode_copy_ignores_rights_of_cnode_and_untyped)
{
    /* Types other than EP/NTFN/reply/frame ignore the rights mask. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr v = ut_new(12);
    seL4_CPtr c = slot_alloc_range(3);
    if (!cn || !v || !c) {
        return;
    }
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    if (!ep) {
        return;
    }
    CHECK_OK(copy_root(c, cn, seL4_NoRights));
    CHECK_TRUE(cnode_has_radix(c, 2));
    CHECK_OK(seL4_CNode_Copy(c, 1, 2, ROOT, ep, 64, seL4_AllRights)); /* writable through it */
    CHECK_SLOT_STATE(cn, 1, 2, 1);
    CHECK_OK(copy_root(c + 1, v, seL4_NoRights));
    CHECK_OK(retype_root(c + 1, seL4_EndpointObject, 0, c + 2, 1));
    CHECK_OCCUPIED(c + 2);
}

KTEST(cnode_copy_onto_itself)
{
    /* semantics 2.6: occupied => DeleteFirst (step 5); empty => the source
     * lookup finds nothing (step 7). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr e = slot_alloc();
    if (!ep || !e) {
        return;
    }
    CHECK_ERR(copy_root(ep, ep, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(move_root(ep, ep), seL4_DeleteFirst);
    CHECK_LOOKUP_MISSING(copy_root(e, e, seL4_AllRights), 1, 64);
    CHECK_LOOKUP_MISSING(move_root(e, e), 1, 64);
    CHECK_OCCUPIED(ep);
    CHECK_FULL_ENDPOINT(ep);
}

/* ---- Mint ------------------------------------------------------------------ */

KTEST(cnode_mint_endpoint_badge)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr m = slot_alloc_range(5);
    if (!ep || !m) {
        return;
    }
    CHECK_OK(mint_root(m, ep, seL4_AllRights, 0x1234));
    CHECK_FULL_ENDPOINT(m); /* badge != 0: the real CancelBadgedSends path */
    /* A badged cap cannot be re-badged, not even to 0 (updateCapData). */
    CHECK_ERR(mint_root(m + 1, m, seL4_AllRights, 5), seL4_IllegalOperation);
    CHECK_ERR(mint_root(m + 1, m, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(m + 1);
    /* But it can be copied (badge kept). */
    CHECK_OK(copy_root(m + 1, m, seL4_AllRights));
    /* A full 64-bit badge. */
    CHECK_OK(mint_root(m + 2, ep, seL4_AllRights, ~0ul));
    /* Minting badge 0 from an unbadged cap gives an unbadged cap, which can
     * still be badged. */
    CHECK_OK(mint_root(m + 3, ep, seL4_AllRights, 0));
    CHECK_OK(mint_root(m + 4, m + 3, seL4_AllRights, 77));
}

KTEST(cnode_mint_notification_badge)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr m = slot_alloc_range(3);
    if (!n || !m) {
        return;
    }
    CHECK_OK(mint_root(m, n, seL4_AllRights, 0x80));
    CHECK_ERR(mint_root(m + 1, m, seL4_AllRights, 0x40), seL4_IllegalOperation);
    CHECK_OK(copy_root(m + 1, m, seL4_AllRights));
    CHECK_OK(mint_root(m + 2, n, seL4_CanWrite, 0x40));
    /* Not an endpoint: CancelBadgedSends refuses it. */
    CHECK_NOT_FULL_ENDPOINT(m);
}

KTEST(cnode_mint_masks_rights)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr m = slot_alloc_range(2);
    if (!ep || !m) {
        return;
    }
    CHECK_OK(mint_root(m, ep, seL4_NoWrite, 9));
    CHECK_NOT_FULL_ENDPOINT(m);
    CHECK_OK(mint_root(m + 1, ep, seL4_AllRights, 9));
    CHECK_FULL_ENDPOINT(m + 1);
}

/* ---- Move / Mutate ---------------------------------------------------------- */

KTEST(cnode_move_endpoint)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr d = slot_alloc();
    if (!ep || !d) {
        return;
    }
    CHECK_OK(move_root(d, ep));
    CHECK_EMPTY(ep);
    CHECK_OCCUPIED(d);
    CHECK_FULL_ENDPOINT(d);
    /* The moved cap keeps its place in the derivation tree: still a child
     * of the untyped, so the untyped cannot be copied (RevokeFirst), and
     * revoking the untyped deletes it. */
    seL4_CPtr t = slot_alloc();
    CHECK_ERR(copy_root(t, ut, seL4_AllRights), seL4_RevokeFirst);
    CHECK_OK(move_root(ep, d));
    CHECK_EMPTY(d);
    CHECK_FULL_ENDPOINT(ep);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(ep);
    CHECK_BYTES_LEFT(ut, 4096);
}

KTEST(cnode_move_irq_control_and_back)
{
    /* Move does not derive: even a cap that cannot be copied moves. */
    seL4_CPtr t = slot_alloc();
    seL4_CPtr u = slot_alloc();
    if (!t || !u) {
        return;
    }
    if (!CHECK_OK(move_root(t, seL4_CapIRQControl))) {
        return;
    }
    CHECK_EMPTY(seL4_CapIRQControl);
    CHECK_OCCUPIED(t);
    CHECK_ERR(copy_root(u, t, seL4_AllRights), seL4_IllegalOperation);
    if (!CHECK_OK(move_root(seL4_CapIRQControl, t))) {
        slot_forget(t); /* never delete the IRQ control cap */
        return;
    }
    CHECK_OCCUPIED(seL4_CapIRQControl);
    CHECK_EMPTY(t);
}

KTEST(cnode_mutate_endpoint_and_notification_illegal)
{
    /* updateCapData with preserve = true gives a null cap for every EP/NTFN
     * cap, badged or not => IllegalOperation; nothing moves. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr b = slot_alloc();
    seL4_CPtr d = slot_alloc();
    if (!ep || !n || !b || !d) {
        return;
    }
    CHECK_OK(mint_root(b, ep, seL4_AllRights, 3));
    CHECK_ERR(mutate_root(d, ep, 0), seL4_IllegalOperation);
    CHECK_ERR(mutate_root(d, ep, 5), seL4_IllegalOperation);
    CHECK_ERR(mutate_root(d, b, 0), seL4_IllegalOperation);
    CHECK_ERR(mutate_root(d, n, 0), seL4_IllegalOperation);
    CHECK_OCCUPIED(ep);
    CHECK_OCCUPIED(b);
    CHECK_OCCUPIED(n);
    CHECK_EMPTY(d);
}

KTEST(cnode_mutate_untyped_and_cnode)
{
    /* Untyped ignores the data word; a CNode takes it as its guard. */
    seL4_CPtr v = ut_new(12);
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr d = slot_alloc_range(2);
    if (!v || !cn || !d) {
        return;
    }
    CHECK_OK(mutate_root(d, v, 0x55));
    CHECK_EMPTY(v);
    CHECK_BYTES_LEFT(d, 4096);
    CHECK_OK(mutate_root(d + 1, cn, GUARD(1, 1)));
    CHECK_EMPTY(cn);
    CHECK_SLOT_STATE(d + 1, (1 << 2) | 3, 3, 0);
    /* Moved back with guard data 0: guard size 0 again. */
    CHECK_OK(mutate_root(cn, d + 1, 0));
    CHECK_TRUE(cnode_has_radix(cn, 2));
}

/* ---- Rotate ------------------------------------------------------------------- */

/* Three CNodes told apart by their radix (2, 3, 4), plus two empty slots. */
typedef struct {
    seL4_CPtr ut, a, b, c, e1, e2;
} rot_t;

static int rot_setup(rot_t *r)
{
    r->ut = ut_new(14);
    r->a = new_object(r->ut, seL4_CapTableObject, 2);
    r->b = new_object(r->ut, seL4_CapTableObject, 3);
    r->c = new_object(r->ut, seL4_CapTableObject, 4);
    r->e1 = slot_alloc();
    r->e2 = slot_alloc();
    return r->ut && r->a && r->b && r->c && r->e1 && r->e2;
}

#define ROTATE(dest, destData, pivot, pivotData, src) \
    seL4_CNode_Rotate(ROOT, (dest), 64, (destData), ROOT, (pivot), 64, (pivotData), ROOT, (src), 64)

KTEST(cnode_rotate_three_slots)
{
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    /* pivot -> dest, src -> pivot. */
    if (!CHECK_OK(ROTATE(r.e1, 0, r.b, 0, r.a))) {
        return;
    }
    CHECK_TRUE(cnode_has_radix(r.e1, 3));
    CHECK_TRUE(cnode_has_radix(r.b, 2));
    CHECK_EMPTY(r.a);
}

KTEST(cnode_rotate_swap)
{
    /* src == dest: src and pivot swap. */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    if (!CHECK_OK(ROTATE(r.a, 0, r.b, 0, r.a))) {
        return;
    }
    CHECK_TRUE(cnode_has_radix(r.a, 3));
    CHECK_TRUE(cnode_has_radix(r.b, 2));
    /* And back. */
    CHECK_OK(ROTATE(r.b, 0, r.a, 0, r.b));
    CHECK_TRUE(cnode_has_radix(r.a, 2));
    CHECK_TRUE(cnode_has_radix(r.b, 3));
}

KTEST(cnode_rotate_applies_guard_data)
{
    /* dest_badge applies to the pivot cap (moving to dest), pivot_badge to
     * the src cap (moving to the pivot slot). */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    if (!CHECK_OK(ROTATE(r.e1, GUARD(1, 2), r.b, GUARD(2, 3), r.a))) {
        return;
    }
    /* e1: radix 3, guard 1/2 => 5 bits. */
    CHECK_SLOT_STATE(r.e1, (1 << 3) | 5, 5, 0);
    CHECK_LOOKUP_GUARD(seL4_CNode_Move(r.e1, 5, 5, r.e1, 5, 5), 0, 5, 1, 2);
    /* b: radix 2, guard 2/3 => 5 bits. */
    CHECK_SLOT_STATE(r.b, (2 << 2) | 3, 5, 0);
    CHECK_LOOKUP_GUARD(seL4_CNode_Move(r.b, 3, 5, r.b, 3, 5), 0, 5, 2, 3);
}

KTEST(cnode_rotate_pivot_same_as_src_or_dest)
{
    /* semantics 2.6 Rotate step 7, before the DeleteFirst of step 8. */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    CHECK_ERR(ROTATE(r.e1, 0, r.a, 0, r.a), seL4_IllegalOperation);
    CHECK_ERR(ROTATE(r.b, 0, r.b, 0, r.a), seL4_IllegalOperation); /* dest occupied */
    CHECK_ERR(ROTATE(r.a, 0, r.a, 0, r.a), seL4_IllegalOperation);
    /* pivot == src while src is empty: still IllegalOperation (step 7
     * precedes the emptiness checks of step 9). */
    CHECK_ERR(ROTATE(r.e1, 0, r.e2, 0, r.e2), seL4_IllegalOperation);
    CHECK_TRUE(cnode_has_radix(r.a, 2));
    CHECK_TRUE(cnode_has_radix(r.b, 3));
    CHECK_EMPTY(r.e1);
}

KTEST(cnode_rotate_dest_occupied)
{
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    CHECK_ERR(ROTATE(r.c, 0, r.b, 0, r.a), seL4_DeleteFirst);
    /* DeleteFirst precedes the empty-source check. */
    CHECK_ERR(ROTATE(r.c, 0, r.b, 0, r.e1), seL4_DeleteFirst);
    CHECK_TRUE(cnode_has_radix(r.a, 2));
    CHECK_TRUE(cnode_has_radix(r.b, 3));
    CHECK_TRUE(cnode_has_radix(r.c, 4));
}

KTEST(cnode_rotate_empty_src_and_pivot)
{
    /* Step 9: src empty => FailedLookup(flag 1, Missing, src depth), then
     * pivot empty => FailedLookup(flag 0, Missing, pivot depth). */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    seL4_CPtr d = slot_alloc();
    CHECK_LOOKUP_MISSING(ROTATE(d, 0, r.b, 0, r.e1), 1, 64);
    CHECK_LOOKUP_MISSING(ROTATE(d, 0, r.e2, 0, r.e1), 1, 64); /* both empty: src first */
    CHECK_LOOKUP_MISSING(ROTATE(d, 0, r.e2, 0, r.a), 0, 64);
    /* Depth reported is the lookup's depth: slots inside CNode c (radix 4). */
    CHECK_LOOKUP_MISSING(seL4_CNode_Rotate(ROOT, d, 64, 0, ROOT, r.b, 64, 0, r.c, 7, 4), 1, 4);
    CHECK_LOOKUP_MISSING(seL4_CNode_Rotate(ROOT, d, 64, 0, r.c, 7, 4, 0, ROOT, r.a, 64), 0, 4);
    CHECK_EMPTY(d);
    CHECK_TRUE(cnode_has_radix(r.a, 2));
    CHECK_TRUE(cnode_has_radix(r.b, 3));
}

KTEST(cnode_rotate_lookup_order)
{
    /* Steps 3, 5, 6: destination, then src, then pivot lookup; src and
     * pivot lookups carry source flag 1. */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    seL4_CPtr d = slot_alloc();
    /* dest and src and pivot bad: dest reported. */
    CHECK_LOOKUP_DEPTH(seL4_CNode_Rotate(ROOT, 0, 60, 0, ROOT, 0, 61, 0, ROOT, 0, 32), 0, 60, 64);
    /* src (GuardMismatch at 32) and pivot (DepthMismatch at 60) bad: src. */
    CHECK_LOOKUP_GUARD(seL4_CNode_Rotate(ROOT, d, 64, 0, ROOT, 0, 60, 0, ROOT, 0, 32), 1, 32, 0,
                       51);
    /* Only the pivot lookup bad. */
    CHECK_LOOKUP_DEPTH(seL4_CNode_Rotate(ROOT, d, 64, 0, ROOT, 0, 60, 0, ROOT, r.a, 64), 1, 60, 64);
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_CNode_Rotate(ROOT, d, 64, 0, seL4_CapInitThreadTCB, r.b, 64, 0, ROOT, r.a, 64), 1);
    CHECK_RANGE_ERR(seL4_CNode_Rotate(ROOT, d, 64, 0, ROOT, r.b, 0, 0, ROOT, r.a, 64), 1, 64);
    CHECK_EMPTY(d);
}

KTEST(cnode_rotate_endpoint_illegal)
{
    /* Step 10: updateCapData(preserve) of an EP/NTFN cap is null: src
     * checked first, then pivot; nothing moves. */
    rot_t r;
    if (!rot_setup(&r)) {
        return;
    }
    seL4_CPtr ep = new_object(r.ut, seL4_EndpointObject, 0);
    seL4_CPtr n = new_object(r.ut, seL4_NotificationObject, 0);
    if (!ep || !n) {
        return;
    }
    CHECK_ERR(ROTATE(r.e1, 0, r.b, 0, ep), seL4_IllegalOperation);
    CHECK_ERR(ROTATE(r.e1, 0, n, 0, r.a), seL4_IllegalOperation);
    CHECK_ERR(ROTATE(ep, 0, n, 0, ep), seL4_IllegalOperation);
    CHECK_FULL_ENDPOINT(ep);
    CHECK_OCCUPIED(n);
    CHECK_TRUE(cnode_has_radix(r.a, 2));
    CHECK_TRUE(cnode_has_radix(r.b, 3));
    CHECK_EMPTY(r.e1);
}

/* ---- Delete / Revoke ------------------------------------------------------------ */

KTEST(cnode_delete)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc();
    if (!ep || !c) {
        return;
    }
    CHECK_OK(copy_root(c, ep, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, c, 64));
    CHECK_EMPTY(c);
    CHECK_FULL_ENDPOINT(ep); /* the object lives on through the original */
    /* Deleting an empty slot succeeds. */
    CHECK_OK(seL4_CNode_Delete(ROOT, c, 64));
    CHECK_OK(seL4_CNode_Delete(ROOT, ep, 64));
    CHECK_EMPTY(ep);
}

KTEST(cnode_revoke)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc_range(3);
    seL4_CPtr e = slot_alloc();
    if (!ep || !c || !e) {
        return;
    }
    CHECK_OK(copy_root(c, ep, seL4_AllRights));
    CHECK_OK(copy_root(c + 1, c, seL4_AllRights));
    CHECK_OK(mint_root(c + 2, ep, seL4_AllRights, 4));
    /* A plain copy has no children: revoking it does nothing. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, c, 64));
    CHECK_OCCUPIED(c);
    CHECK_OCCUPIED(c + 1);
    /* An empty slot: success. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, e, 64));
    /* The original: every copy and mint goes, the original stays. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ep, 64));
    CHECK_EMPTY(c);
    CHECK_EMPTY(c + 1);
    CHECK_EMPTY(c + 2);
    CHECK_FULL_ENDPOINT(ep);
}

/* ---- SaveCaller / CancelBadgedSends ------------------------------------------------ */

KTEST(cnode_save_caller)
{
    /* The root task has never received a Call: its caller slot is empty, so
     * SaveCaller succeeds and leaves the slot empty. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr s = slot_alloc();
    if (!ep || !s) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT, ep, 64), seL4_DeleteFirst);
    CHECK_FULL_ENDPOINT(ep);
    CHECK_LOOKUP_GUARD(seL4_CNode_SaveCaller(ROOT, s, 40), 0, 40, 0, 51);
}

KTEST(cnode_cancel_badged_sends)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr c = slot_alloc_range(4);
    if (!ep || !n || !cn || !c) {
        return;
    }
    /* Badge 0: no-op success. Badged: success (no senders queued). */
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, ep, 64));
    CHECK_OK(mint_root(c, ep, seL4_AllRights, 0x99));
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, c, 64));
    /* Every right is required. */
    CHECK_OK(mint_root(c + 1, ep, NO_GRANT, 0x98));
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, c + 1, 64), seL4_IllegalOperation);
    /* Not an endpoint, or nothing at all. */
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, n, 64), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, cn, 64), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, c + 2, 64), seL4_IllegalOperation);
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, seL4_CapInitThreadTCB, 64), seL4_IllegalOperation);
    /* Caps are untouched. */
    CHECK_OCCUPIED(c);
    CHECK_OCCUPIED(c + 1);
    CHECK_FULL_ENDPOINT(ep);
}

/* ---- Error order of Copy / Mint / Move / Mutate --------------------------------------- */

KTEST(cnode_dest_occupied_before_source_lookup)
{
    /* Step 5 (DeleteFirst) precedes the source lookup (step 6) and its
     * emptiness (step 7). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr e = slot_alloc();
    if (!ep || !e) {
        return;
    }
    seL4_CPtr T = seL4_CapInitThreadTCB;
    /* source empty */
    CHECK_ERR(copy_root(ep, e, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(mint_root(ep, e, seL4_AllRights, 1), seL4_DeleteFirst);
    CHECK_ERR(move_root(ep, e), seL4_DeleteFirst);
    CHECK_ERR(mutate_root(ep, e, 0), seL4_DeleteFirst);
    /* source root invalid, source depth out of range, source guard wrong */
    CHECK_ERR(seL4_CNode_Copy(ROOT, ep, 64, T, e, 64, seL4_AllRights), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_Mint(ROOT, ep, 64, ROOT, e, 0, seL4_AllRights, 1), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_Move(ROOT, ep, 64, ROOT, e, 32), seL4_DeleteFirst);
    CHECK_ERR(seL4_CNode_Mutate(ROOT, ep, 64, T, e, 65, 0), seL4_DeleteFirst);
    CHECK_FULL_ENDPOINT(ep);
}

KTEST(cnode_source_empty_missing_capability)
{
    /* Step 7: FailedLookup, source flag 1, MissingCapability with bitsLeft
     * = the source depth argument. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 3);
    seL4_CPtr d = slot_alloc();
    seL4_CPtr e = slot_alloc();
    if (!cn || !d || !e) {
        return;
    }
    CHECK_LOOKUP_MISSING(copy_root(d, e, seL4_AllRights), 1, 64);
    CHECK_LOOKUP_MISSING(mint_root(d, e, seL4_AllRights, 1), 1, 64);
    CHECK_LOOKUP_MISSING(move_root(d, e), 1, 64);
    CHECK_LOOKUP_MISSING(mutate_root(d, e, 0), 1, 64);
    /* In a radix-3 CNode: bitsLeft 3. */
    CHECK_LOOKUP_MISSING(seL4_CNode_Copy(ROOT, d, 64, cn, 5, 3, seL4_AllRights), 1, 3);
    CHECK_LOOKUP_MISSING(seL4_CNode_Move(ROOT, d, 64, cn, 5, 3), 1, 3);
    /* Null cap slot 0 of the root CNode is empty too. */
    CHECK_LOOKUP_MISSING(copy_root(d, seL4_CapNull, seL4_AllRights), 1, 64);
    CHECK_EMPTY(d);
}

KTEST(cnode_copy_uncopyable_caps)
{
    /* deriveCap gives null for IRQControl (and IOPortControl on x86):
     * Copy/Mint => IllegalOperation. */
    seL4_CPtr d = slot_alloc();
    if (!d) {
        return;
    }
    CHECK_ERR(copy_root(d, seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(mint_root(d, seL4_CapIRQControl, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(d);
    CHECK_OCCUPIED(seL4_CapIRQControl);
}

KTEST(cnode_copy_untyped_with_children_revoke_first)
{
    /* deriveCap of an untyped with children => RevokeFirst. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr d = slot_alloc();
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    if (!ep || !d) {
        return;
    }
    CHECK_ERR(copy_root(d, ut, seL4_AllRights), seL4_RevokeFirst);
    CHECK_ERR(mint_root(d, ut, seL4_AllRights, 0), seL4_RevokeFirst);
    CHECK_EMPTY(d);
    /* Move does not derive. */
    CHECK_OK(move_root(d, ut));
    CHECK_OK(move_root(ut, d));
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(ep);
    CHECK_OK(copy_root(d, ut, seL4_AllRights));
}

KTEST(cnode_copy_untyped_marks_source_full)
{
    /* semantics 2.2: copying an untyped over the same range sets the
     * source's free index to full. The copy is the source's child. */
    seL4_CPtr v = ut_new(12);
    seL4_CPtr c = slot_alloc();
    seL4_CPtr o = slot_alloc_range(2);
    if (!v || !c || !o) {
        return;
    }
    CHECK_BYTES_LEFT(v, 4096);
    if (!CHECK_OK(copy_root(c, v, seL4_AllRights))) {
        return;
    }
    CHECK_BYTES_LEFT(v, 0);
    CHECK_NOT_ENOUGH_MEM(retype_root(v, seL4_EndpointObject, 0, o, 1), 0);
    CHECK_BYTES_LEFT(c, 4096);
    CHECK_OK(retype_root(c, seL4_EndpointObject, 0, o + 1, 1));
    CHECK_BYTES_LEFT(c, 4096 - 16);
    /* Without the copy (and so without children) v is whole again. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, v, 64));
    CHECK_EMPTY(c);
    CHECK_EMPTY(o + 1);
    CHECK_BYTES_LEFT(v, 4096);
}

/* ---- Messages and labels ---------------------------------------------------------------- */

KTEST(cnode_truncated_messages)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr d = slot_alloc();
    seL4_CPtr e = slot_alloc();
    if (!ep || !cn || !d || !e) {
        return;
    }
    seL4_Word R = seL4_AllRights.words[0];
#define LABEL(tag) seL4_MessageInfo_get_label(tag)
    /* Step 2: fewer than 2 words. */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeDelete, 1, RAW_MRS(e, 64), 0, RAW_CAPS(0))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeRevoke, 0, RAW_MRS(e, 64), 0, RAW_CAPS(0))),
              seL4_TruncatedMessage);
    /* ... which comes before the destination lookup (depth 0 here). */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeCopy, 1, RAW_MRS(d, 0, ep, 64, R), 1, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    /* The destination lookup comes before step 4. */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeCopy, 3, RAW_MRS(d, 0, ep, 64, R), 1, RAW_CAPS(ROOT))),
              seL4_RangeError);
    /* Step 4: fewer than 4 words, or no extra cap. */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeMove, 3, RAW_MRS(d, 64, ep, 64), 1, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeCopy, 5, RAW_MRS(d, 64, ep, 64, R), 0, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    /* Step 8 after step 7: a short Copy with an empty source reports the
     * source; with a real source, TruncatedMessage. */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeCopy, 4, RAW_MRS(d, 64, e, 64, R), 1, RAW_CAPS(ROOT))),
              seL4_FailedLookup);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeCopy, 4, RAW_MRS(d, 64, ep, 64, R), 1, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeMint, 5, RAW_MRS(d, 64, ep, 64, R, 7), 1, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeMutate, 4, RAW_MRS(d, 64, cn, 64, 0), 1, RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    /* Rotate: fewer than 8 words, or fewer than 2 extra caps. */
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeRotate, 7, RAW_MRS(d, 64, 0, cn, 64, 0, ut, 64), 2,
                             RAW_CAPS(ROOT, ROOT))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ROOT, CNodeRotate, 8, RAW_MRS(d, 64, 0, cn, 64, 0, ut, 64), 1,
                             RAW_CAPS(ROOT, ROOT))),
              seL4_TruncatedMessage);
#undef LABEL
    CHECK_EMPTY(d);
    CHECK_OCCUPIED(ep);
    CHECK_OCCUPIED(cn);
}

KTEST(cnode_illegal_labels)
{
    /* A label outside the CNode methods => IllegalOperation, checked
     * before the length. */
    seL4_CPtr d = slot_alloc();
    seL4_Word labels[] = { InvalidInvocation, UntypedRetype, TCBSuspend, CNodeSaveCaller + 1,
                           0xfffff };
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        seL4_MessageInfo_t tag = raw_call(ROOT, labels[i], 0, RAW_MRS(d, 64), 0, RAW_CAPS(0));
        if (!CHECK_ERR(seL4_MessageInfo_get_label(tag), seL4_IllegalOperation)) {
            printf("  label %lu\n", (unsigned long)labels[i]);
        }
    }
    CHECK_EMPTY(d);
}

KTEST(cnode_invoke_empty_slot)
{
    /* Invoking a null cap => InvalidCapability(0) (semantics 0.2 step 6). */
    seL4_CPtr e = slot_alloc();
    CHECK_INVALID_CAP(seL4_CNode_Delete(e, 0, 1), 0);
    CHECK_INVALID_CAP(seL4_CNode_Copy(seL4_CapNull, 0, 1, ROOT, ROOT, 64, seL4_AllRights), 0);
}

KTEST(cnode_error_reply_lengths)
{
    /* semantics 0.4 / seL4-abi.md 9.1: the reply carries exactly the detail
     * words of the error. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr d = slot_alloc();
    seL4_CPtr e = slot_alloc();
    if (!ep || !d || !e) {
        return;
    }
    seL4_Word R = seL4_AllRights.words[0];
    struct {
        const char *what;
        seL4_Word label, len, ncaps, mrs[8];
        seL4_CPtr caps[3];
        seL4_Word err, replyLen;
    } cases[] = {
        { "RangeError", CNodeDelete, 2, 0, { d, 0 }, { 0 }, seL4_RangeError, 2 },
        { "InvalidRoot",
          CNodeCopy,
          5,
          1,
          { d, 64, e, 64, R },
          { seL4_CapInitThreadTCB },
          seL4_FailedLookup,
          2 },
        { "MissingCapability",
          CNodeCopy,
          5,
          1,
          { d, 64, e, 64, R },
          { ROOT },
          seL4_FailedLookup,
          3 },
        { "DepthMismatch", CNodeDelete, 2, 0, { 0, 60 }, { 0 }, seL4_FailedLookup, 4 },
        { "GuardMismatch", CNodeDelete, 2, 0, { 0, 32 }, { 0 }, seL4_FailedLookup, 5 },
        { "DeleteFirst", CNodeCopy, 5, 1, { ep, 64, e, 64, R }, { ROOT }, seL4_DeleteFirst, 0 },
        { "IllegalOperation",
          CNodeCancelBadgedSends,
          2,
          0,
          { e, 64 },
          { 0 },
          seL4_IllegalOperation,
          0 },
        { "TruncatedMessage",
          CNodeCopy,
          4,
          1,
          { d, 64, ep, 64, R },
          { ROOT },
          seL4_TruncatedMessage,
          0 },
        { "RevokeFirst", CNodeCopy, 5, 1, { d, 64, ut, 64, R }, { ROOT }, seL4_RevokeFirst, 0 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seL4_MessageInfo_t tag = raw_call(ROOT, cases[i].label, cases[i].len, cases[i].mrs,
                                          cases[i].ncaps, cases[i].caps);
        int ok = CHECK_ERR(seL4_MessageInfo_get_label(tag), cases[i].err);
        ok &= CHECK_EQ(seL4_MessageInfo_get_length(tag), cases[i].replyLen);
        ok &= CHECK_EQ(seL4_MessageInfo_get_extraCaps(tag), 0);
        if (!ok) {
            printf("  case %s\n", cases[i].what);
        }
    }
    CHECK_EMPTY(d);
}
