/*
 * The capability derivation tree and finalisation (semantics 2.1-2.3,
 * 2.7, 2.8): which caps are children of which, what Revoke removes, and
 * that deleting the last cap of each object type leaves the system
 * consistent. "An untyped has no children" is observed through its bytes
 * left: an untyped without children reports its full size (3.2 step 13).
 */
#include "helpers.h"

KTEST(mdb_revoke_untyped_deletes_objects_and_copies)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr o = new_objects(ut, seL4_EndpointObject, 0, 3);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr t = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr c = slot_alloc_range(4);
    if (!o || !n || !t || !cn || !c) {
        return;
    }
    CHECK_OK(copy_root(c, o, seL4_AllRights));
    CHECK_OK(mint_root(c + 1, o + 1, seL4_AllRights, 11));
    CHECK_OK(copy_root(c + 2, t, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 1, 2, ROOT, o + 2, 64, seL4_AllRights));
    CHECK_OK(copy_root(c + 3, cn, seL4_AllRights));
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    for (int i = 0; i < 3; i++) {
        CHECK_EMPTY(o + i);
    }
    CHECK_EMPTY(n);
    CHECK_EMPTY(t);
    CHECK_EMPTY(cn);
    for (int i = 0; i < 4; i++) {
        CHECK_EMPTY(c + i);
    }
    CHECK_OCCUPIED(ut);
    CHECK_BYTES_LEFT(ut, 1ul << 14);
}

KTEST(mdb_copy_of_copy_is_sibling)
{
    /* Copies are not revocable: a copy of a copy is another child of the
     * original, not of the first copy. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc_range(2);
    if (!o || !c) {
        return;
    }
    CHECK_OK(copy_root(c, o, seL4_AllRights));
    CHECK_OK(copy_root(c + 1, c, seL4_AllRights));
    CHECK_OK(seL4_CNode_Revoke(ROOT, c, 64));
    CHECK_OCCUPIED(c);
    CHECK_OCCUPIED(c + 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, o, 64));
    CHECK_EMPTY(c);
    CHECK_EMPTY(c + 1);
    CHECK_OCCUPIED(o);
}

KTEST(mdb_badged_mints_are_children_of_original)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr m = slot_alloc_range(5);
    if (!o || !n || !m) {
        return;
    }
    CHECK_OK(mint_root(m, o, seL4_AllRights, 1));
    CHECK_OK(copy_root(m + 1, m, seL4_AllRights)); /* child of the badged original m */
    CHECK_OK(mint_root(m + 2, o, seL4_AllRights, 2));
    CHECK_OK(mint_root(m + 3, n, seL4_AllRights, 3));
    CHECK_OK(copy_root(m + 4, m + 3, seL4_AllRights));
    CHECK_OK(seL4_CNode_Revoke(ROOT, o, 64));
    CHECK_EMPTY(m);
    CHECK_EMPTY(m + 1);
    CHECK_EMPTY(m + 2);
    CHECK_OCCUPIED(m + 3); /* another object */
    CHECK_OK(seL4_CNode_Revoke(ROOT, n, 64));
    CHECK_EMPTY(m + 3);
    CHECK_EMPTY(m + 4);
    CHECK_FULL_ENDPOINT(o);
    CHECK_OCCUPIED(n);
}

KTEST(mdb_revoke_badged_cap_keeps_other_badges)
{
    /* A badged original's children are the caps with its badge derived
     * from it; caps with other badges and the unbadged original stay. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr m = slot_alloc_range(4);
    if (!o || !m) {
        return;
    }
    CHECK_OK(mint_root(m, o, seL4_AllRights, 1));
    CHECK_OK(copy_root(m + 1, m, seL4_AllRights));
    CHECK_OK(copy_root(m + 2, m + 1, seL4_AllRights));
    CHECK_OK(mint_root(m + 3, o, seL4_AllRights, 2));
    CHECK_OK(seL4_CNode_Revoke(ROOT, m, 64));
    CHECK_OCCUPIED(m);
    CHECK_EMPTY(m + 1);
    CHECK_EMPTY(m + 2);
    CHECK_OCCUPIED(m + 3);
    CHECK_FULL_ENDPOINT(o);
}

KTEST(mdb_second_mint_of_same_badge_is_not_child)
{
    /* Two separate mints with the same badge: each is "first badged", so
     * revoking the newer one (which sits right before the older one in
     * the list) leaves the older one alone. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr m = slot_alloc_range(2);
    if (!o || !m) {
        return;
    }
    CHECK_OK(mint_root(m, o, seL4_AllRights, 5));
    CHECK_OK(mint_root(m + 1, o, seL4_AllRights, 5));
    CHECK_OK(seL4_CNode_Revoke(ROOT, m + 1, 64));
    CHECK_OCCUPIED(m);
    CHECK_OCCUPIED(m + 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, m, 64));
    CHECK_OCCUPIED(m);
    CHECK_OCCUPIED(m + 1);
    CHECK_OK(seL4_CNode_Revoke(ROOT, o, 64));
    CHECK_EMPTY(m);
    CHECK_EMPTY(m + 1);
}

KTEST(mdb_deleting_first_badged_passes_flag_on)
{
    /* semantics 2.3: when a firstBadged node is deleted its successor
     * becomes firstBadged. List after the steps: o, m2, c (c was m's
     * child and inherited the flag), so revoking m2 must not take c. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr m = slot_alloc();
    seL4_CPtr c = slot_alloc();
    seL4_CPtr m2 = slot_alloc();
    if (!o || !m || !c || !m2) {
        return;
    }
    CHECK_OK(mint_root(m, o, seL4_AllRights, 5));
    CHECK_OK(copy_root(c, m, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, m, 64));
    CHECK_OK(mint_root(m2, o, seL4_AllRights, 5));
    CHECK_OK(seL4_CNode_Revoke(ROOT, m2, 64));
    CHECK_OCCUPIED(c);
    CHECK_OCCUPIED(m2);
    CHECK_OK(seL4_CNode_Revoke(ROOT, o, 64));
    CHECK_EMPTY(c);
    CHECK_EMPTY(m2);
}

KTEST(mdb_untyped_copy_and_child_untyped_are_children)
{
    /* Untyped caps are always revocable: a copy is the source's child and
     * objects of a child untyped are descendants of the parent. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr v = new_object(ut, seL4_UntypedObject, 12);
    seL4_CPtr w = new_object(ut, seL4_UntypedObject, 12);
    seL4_CPtr c = slot_alloc();
    if (!v || !w || !c) {
        return;
    }
    seL4_CPtr e = new_objects(v, seL4_EndpointObject, 0, 4);
    CHECK_OK(copy_root(c, w, seL4_AllRights));
    seL4_CPtr f = new_object(c, seL4_NotificationObject, 0);
    if (!e || !f) {
        return;
    }
    /* Revoking the copy's source takes the copy and what was made from it. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, w, 64));
    CHECK_EMPTY(c);
    CHECK_EMPTY(f);
    CHECK_OCCUPIED(e);
    /* Revoking the grandparent takes the child untyped and its objects. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(v);
    CHECK_EMPTY(w);
    for (int i = 0; i < 4; i++) {
        CHECK_EMPTY(e + i);
    }
    CHECK_BYTES_LEFT(ut, 1ul << 14);
}

KTEST(mdb_delete_non_final_cap_keeps_object)
{
    /* Deleting the original while a copy exists removes only that cap; the
     * copy remains a descendant of the untyped. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr o = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr c = slot_alloc();
    if (!o || !c) {
        return;
    }
    CHECK_OK(copy_root(c, o, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, o, 64));
    CHECK_EMPTY(o);
    CHECK_FULL_ENDPOINT(c);
    CHECK_BYTES_LEFT(ut, 4096 - 16);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(c);
    CHECK_BYTES_LEFT(ut, 4096);
}

/* Deleting the only cap of one object of `type` leaves its untyped without
 * children: whole again, and a retype of its full size succeeds. */
static void delete_final_cap_of(seL4_Word type, seL4_Word bits)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr x = new_object(ut, type, bits);
    seL4_CPtr d = slot_alloc();
    if (!x || !d) {
        return;
    }
    CHECK_ERR(copy_root(d, ut, seL4_AllRights), seL4_RevokeFirst);
    if (!CHECK_OK(seL4_CNode_Delete(ROOT, x, 64))) {
        return;
    }
    CHECK_EMPTY(x);
    CHECK_BYTES_LEFT(ut, 4096);
    CHECK_OK(retype_root(ut, seL4_UntypedObject, 12, d, 1));
}

KTEST(mdb_delete_final_endpoint)
{
    delete_final_cap_of(seL4_EndpointObject, 0);
}

KTEST(mdb_delete_final_notification)
{
    delete_final_cap_of(seL4_NotificationObject, 0);
}

KTEST(mdb_delete_final_tcb)
{
    delete_final_cap_of(seL4_TCBObject, 0);
}

KTEST(mdb_delete_final_cnode)
{
    delete_final_cap_of(seL4_CapTableObject, 4);
}

KTEST(mdb_delete_final_untyped)
{
    delete_final_cap_of(seL4_UntypedObject, 8);
}

KTEST(mdb_delete_cnode_deletes_its_contents)
{
    /* Finalising a CNode deletes every cap in it: the objects whose only
     * caps were inside are finalised, their untypeds lose their children,
     * and copies inside vanish. (CNode and TCB caps inside are the subject
     * of the next two tests.) */
    seL4_CPtr u1 = ut_new(12);
    seL4_CPtr u2 = ut_new(12);
    seL4_CPtr u3 = ut_new(12);
    seL4_CPtr x = new_object(u1, seL4_CapTableObject, 3);
    seL4_CPtr ep = new_object(u3, seL4_EndpointObject, 0);
    seL4_CPtr d = slot_alloc_range(2);
    if (!x || !ep || !d) {
        return;
    }
    /* Objects retyped straight into x (root = x, depth 0). */
    CHECK_OK(seL4_Untyped_Retype(u2, seL4_EndpointObject, 0, x, 0, 0, 0, 2));
    CHECK_OK(seL4_Untyped_Retype(u2, seL4_NotificationObject, 0, x, 0, 0, 2, 1));
    CHECK_OK(seL4_Untyped_Retype(u2, seL4_UntypedObject, 8, x, 0, 0, 3, 1));
    /* A copy of an endpoint whose original stays in the root CNode, and a
     * badged mint of it. */
    CHECK_OK(seL4_CNode_Copy(x, 4, 3, ROOT, ep, 64, seL4_AllRights));
    CHECK_OK(seL4_CNode_Mint(x, 5, 3, ROOT, ep, 64, seL4_AllRights, 9));
    CHECK_SLOT_STATE(x, 3, 3, 1);
    CHECK_ERR(copy_root(d, u2, seL4_AllRights), seL4_RevokeFirst);
    if (!CHECK_OK(seL4_CNode_Delete(ROOT, x, 64))) {
        return;
    }
    CHECK_EMPTY(x);
    CHECK_BYTES_LEFT(u1, 4096);
    CHECK_BYTES_LEFT(u2, 4096);
    CHECK_OK(copy_root(d + 1, u2, seL4_AllRights));
    /* The endpoint lives on through its original: its untyped still has
     * that one child. */
    CHECK_FULL_ENDPOINT(ep);
    CHECK_BYTES_LEFT(u3, 4096 - 16);
}

/*
 * SPEC AMBIGUITY (semantics 2.7, "CNode: becomes a Zombie ...; every slot is
 * deleted (recursively, last slot first)"): when the CNode being deleted
 * holds the last cap of another CNode or of a TCB, seL4's finaliseSlot /
 * reduceZombie (non-exposed case) turns that inner object into a cyclic
 * zombie parked in the object's own first slot; the object and whatever it
 * still holds stay allocated (a child of its untyped) until that untyped is
 * revoked. A kernel that destroys the inner objects at once also meets the
 * text. The next two tests therefore only check what holds either way: the
 * deleted CNode itself is gone at once, and after revoking the inner
 * objects' untyped everything (also caps held inside them) is gone.
 */
KTEST(mdb_delete_cnode_holding_last_tcb_and_cnode_caps)
{
    seL4_CPtr u1 = ut_new(12);
    seL4_CPtr u2 = ut_new(13);
    seL4_CPtr v = ut_new(12);
    seL4_CPtr x = new_object(u1, seL4_CapTableObject, 2);
    if (!x || !u2 || !v) {
        return;
    }
    /* x[0] = the only cap to a TCB, x[1] = the only cap to CNode y, and
     * y[2] = the only cap to an endpoint from v. */
    CHECK_OK(seL4_Untyped_Retype(u2, seL4_TCBObject, 0, x, 0, 0, 0, 1));
    CHECK_OK(seL4_Untyped_Retype(u2, seL4_CapTableObject, 2, x, 0, 0, 1, 1));
    CHECK_OK(seL4_Untyped_Retype(v, seL4_EndpointObject, 0, x, 1, 2, 2, 1));
    CHECK_SLOT_STATE(x, (1 << 2) | 2, 4, 1);
    if (!CHECK_OK(seL4_CNode_Delete(ROOT, x, 64))) {
        return;
    }
    CHECK_EMPTY(x);
    CHECK_BYTES_LEFT(u1, 4096);
    CHECK_OK(seL4_CNode_Revoke(ROOT, u2, 64));
    CHECK_BYTES_LEFT(u2, 8192);
    CHECK_BYTES_LEFT(v, 4096);
}

KTEST(mdb_delete_nested_cnodes)
{
    /* x holds y, y holds z, z holds an endpoint (see the note above). */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr x = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr y = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr z = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr v = ut_new(12);
    if (!x || !y || !z || !v) {
        return;
    }
    CHECK_OK(seL4_Untyped_Retype(v, seL4_EndpointObject, 0, z, 0, 0, 3, 1));
    CHECK_OK(seL4_CNode_Move(y, 1, 2, ROOT, z, 64));
    CHECK_OK(seL4_CNode_Move(x, 2, 2, ROOT, y, 64));
    /* x -> y (slot 2) -> z (slot 1) -> endpoint (slot 3): 6 bits. */
    CHECK_SLOT_STATE(x, (2 << 4) | (1 << 2) | 3, 6, 1);
    CHECK_OK(seL4_CNode_Delete(ROOT, x, 64));
    CHECK_EMPTY(x);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_BYTES_LEFT(ut, 1ul << 14);
    CHECK_BYTES_LEFT(v, 4096);
}

KTEST(mdb_revoke_deletes_caps_stored_in_other_cnodes)
{
    /* Objects of untyped a, whose caps live in a CNode made from untyped b:
     * revoking a empties those slots; the CNode stays. */
    seL4_CPtr a = ut_new(12);
    seL4_CPtr b = ut_new(12);
    seL4_CPtr x = new_object(b, seL4_CapTableObject, 3);
    if (!a || !x) {
        return;
    }
    CHECK_OK(seL4_Untyped_Retype(a, seL4_NotificationObject, 0, x, 0, 0, 0, 8));
    for (int i = 0; i < 8; i++) {
        CHECK_SLOT_STATE(x, i, 3, 1);
    }
    CHECK_OK(seL4_CNode_Revoke(ROOT, a, 64));
    for (int i = 0; i < 8; i++) {
        CHECK_SLOT_STATE(x, i, 3, 0);
    }
    CHECK_TRUE(cnode_has_radix(x, 3));
    CHECK_BYTES_LEFT(a, 4096);
}

KTEST(mdb_moved_and_mutated_caps_keep_their_parent)
{
    /* Move and Mutate carry the CDT position along (semantics 2.6 step 11). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr e = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr d = slot_alloc_range(2);
    if (!e || !cn || !d) {
        return;
    }
    CHECK_OK(move_root(d, e));
    CHECK_OK(mutate_root(d + 1, cn, GUARD(0, 3)));
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(d);
    CHECK_EMPTY(d + 1);
    CHECK_BYTES_LEFT(ut, 4096);
}

KTEST(mdb_revoke_cnode_holding_cap_to_itself)
{
    /* A CNode whose only remaining cap is stored in one of its own slots:
     * revoking its untyped must still delete it (the zombie case of
     * semantics 2.7) and leave the untyped whole. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr x = new_object(ut, seL4_CapTableObject, 2);
    if (!x) {
        return;
    }
    CHECK_OK(seL4_CNode_Copy(x, 0, 2, ROOT, x, 64, seL4_AllRights));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, x, 0, 0, 1, 1));
    CHECK_OK(seL4_CNode_Delete(ROOT, x, 64)); /* not final: the copy inside remains */
    CHECK_EMPTY(x);
    CHECK_BYTES_LEFT(ut, 4096 - 128 - 16); /* 2^(2+5)-byte CNode, then the endpoint */
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_BYTES_LEFT(ut, 4096);
}
