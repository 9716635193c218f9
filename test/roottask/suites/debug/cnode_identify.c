/*
 * Slot contents after CNode methods and Untyped_Retype, read with
 * seL4_DebugCapIdentify (kernel cap-type tags, seL4-abi.md 13.6). The
 * generic suites check the same things by behaviour; these name the type.
 */
#include "../captypes.h"
#include "../helpers.h"

#define ID(slot) seL4_DebugCapIdentify(slot)

KTEST(dbg_retype_creates_each_type)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr s = slot_alloc_range(6);
    if (!ut || !s) {
        return;
    }
    struct {
        seL4_Word type, bits, tag;
    } kinds[] = {
        { seL4_UntypedObject, 8, CT_UNTYPED },   { seL4_TCBObject, 0, CT_THREAD },
        { seL4_EndpointObject, 0, CT_ENDPOINT }, { seL4_NotificationObject, 0, CT_NOTIFICATION },
        { seL4_CapTableObject, 3, CT_CNODE },
    };
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(ID(s + i), CT_NULL);
        if (!CHECK_OK(retype_root(ut, kinds[i].type, kinds[i].bits, s + i, 1)) ||
            !CHECK_EQ(ID(s + i), kinds[i].tag)) {
            printf("  type %lu\n", (unsigned long)kinds[i].type);
        }
    }
    CHECK_EQ(ID(s + 5), CT_NULL);
}

KTEST(dbg_fan_out_fills_exactly_the_window)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(258);
    if (!ut || !s) {
        return;
    }
    if (!CHECK_OK(retype_root(ut, seL4_NotificationObject, 0, s + 1, 128))) {
        return;
    }
    CHECK_EQ(ID(s), CT_NULL);
    for (int i = 1; i <= 128; i++) {
        if (!CHECK_EQ(ID(s + i), CT_NOTIFICATION)) {
            break;
        }
    }
    CHECK_EQ(ID(s + 129), CT_NULL);
}

KTEST(dbg_failed_retype_creates_nothing)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(4);
    seL4_CPtr dev = ut_new_device(12);
    if (!ut || !s || !dev) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s + 3, 1));
    CHECK_ERR(retype_root(ut, seL4_EndpointObject, 0, s, 4), seL4_DeleteFirst);
    CHECK_ERR(retype_root(ut, seL4_TCBObject, 0, s, 3), seL4_NotEnoughMemory);
    CHECK_ERR(retype_root(ut, seL4_CapTableObject, 0, s, 1), seL4_InvalidArgument);
    CHECK_ERR(retype_root(dev, seL4_TCBObject, 0, s, 1), seL4_InvalidArgument);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(ID(s + i), CT_NULL);
    }
    CHECK_EQ(ID(s + 3), CT_ENDPOINT);
}

KTEST(dbg_copy_mint_keep_type)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr t = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr d = slot_alloc_range(6);
    if (!ep || !n || !t || !cn || !d) {
        return;
    }
    CHECK_OK(copy_root(d, ep, seL4_CanRead));
    CHECK_OK(mint_root(d + 1, n, seL4_AllRights, 0x42));
    CHECK_OK(copy_root(d + 2, t, seL4_AllRights));
    CHECK_OK(mint_root(d + 3, cn, seL4_AllRights, GUARD(0, 4)));
    CHECK_EQ(ID(d), CT_ENDPOINT);
    CHECK_EQ(ID(d + 1), CT_NOTIFICATION);
    CHECK_EQ(ID(d + 2), CT_THREAD);
    CHECK_EQ(ID(d + 3), CT_CNODE);
    /* Failed copies leave the destination empty. */
    CHECK_ERR(copy_root(d + 4, seL4_CapIRQControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(mint_root(d + 4, d + 1, seL4_AllRights, 1), seL4_IllegalOperation);
    CHECK_ERR(copy_root(d + 4, ut, seL4_AllRights), seL4_RevokeFirst);
    CHECK_EQ(ID(d + 4), CT_NULL);
    /* Copy of the root CNode cap and of the TCB's own cap. */
    CHECK_OK(copy_root(d + 4, ROOT, seL4_AllRights));
    CHECK_EQ(ID(d + 4), CT_CNODE);
    CHECK_OK(copy_root(d + 5, seL4_CapInitThreadTCB, seL4_AllRights));
    CHECK_EQ(ID(d + 5), CT_THREAD);
}

KTEST(dbg_move_and_mutate_empty_the_source)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr t = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr d = slot_alloc_range(2);
    if (!t || !cn || !d) {
        return;
    }
    CHECK_OK(move_root(d, t));
    CHECK_EQ(ID(t), CT_NULL);
    CHECK_EQ(ID(d), CT_THREAD);
    CHECK_OK(mutate_root(d + 1, cn, GUARD(2, 2)));
    CHECK_EQ(ID(cn), CT_NULL);
    CHECK_EQ(ID(d + 1), CT_CNODE);
    /* A failed mutate moves nothing. */
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    CHECK_ERR(mutate_root(cn, ep, 0), seL4_IllegalOperation);
    CHECK_EQ(ID(ep), CT_ENDPOINT);
    CHECK_EQ(ID(cn), CT_NULL);
}

KTEST(dbg_rotate_moves_caps)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr t = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr v = new_object(ut, seL4_UntypedObject, 10);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr e = slot_alloc();
    if (!t || !cn || !v || !ep || !e) {
        return;
    }
    /* pivot (TCB) -> dest, src (CNode) -> pivot. */
    CHECK_OK(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, t, 64, 0, ROOT, cn, 64));
    CHECK_EQ(ID(e), CT_THREAD);
    CHECK_EQ(ID(t), CT_CNODE);
    CHECK_EQ(ID(cn), CT_NULL);
    /* Swap an untyped and the TCB (src == dest). */
    CHECK_OK(seL4_CNode_Rotate(ROOT, v, 64, 0, ROOT, e, 64, 0, ROOT, v, 64));
    CHECK_EQ(ID(v), CT_THREAD);
    CHECK_EQ(ID(e), CT_UNTYPED);
    /* A failing rotate changes nothing. */
    CHECK_ERR(seL4_CNode_Rotate(ROOT, cn, 64, 0, ROOT, t, 64, 0, ROOT, ep, 64),
              seL4_IllegalOperation);
    CHECK_EQ(ID(cn), CT_NULL);
    CHECK_EQ(ID(t), CT_CNODE);
    CHECK_EQ(ID(ep), CT_ENDPOINT);
}

KTEST(dbg_delete_and_revoke_empty_slots)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr s = new_objects(ut, seL4_EndpointObject, 0, 4);
    seL4_CPtr t = new_object(ut, seL4_TCBObject, 0);
    seL4_CPtr d = slot_alloc_range(3);
    if (!s || !t || !d) {
        return;
    }
    CHECK_OK(copy_root(d, s, seL4_AllRights));
    CHECK_OK(mint_root(d + 1, s + 1, seL4_AllRights, 1));
    CHECK_OK(copy_root(d + 2, t, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, s + 3, 64));
    CHECK_EQ(ID(s + 3), CT_NULL);
    CHECK_OK(seL4_CNode_Revoke(ROOT, s, 64));
    CHECK_EQ(ID(d), CT_NULL);
    CHECK_EQ(ID(s), CT_ENDPOINT);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(ID(s + i), CT_NULL);
        CHECK_EQ(ID(d + i), CT_NULL);
    }
    CHECK_EQ(ID(t), CT_NULL);
    CHECK_EQ(ID(ut), CT_UNTYPED);
}

KTEST(dbg_save_caller_and_irq_control)
{
    seL4_CPtr s = slot_alloc();
    seL4_CPtr t = slot_alloc();
    if (!s || !t) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EQ(ID(s), CT_NULL);
    CHECK_EQ(ID(seL4_CapIRQControl), CT_IRQ_CONTROL);
    if (!CHECK_OK(move_root(t, seL4_CapIRQControl))) {
        return;
    }
    CHECK_EQ(ID(t), CT_IRQ_CONTROL);
    CHECK_EQ(ID(seL4_CapIRQControl), CT_NULL);
    if (!CHECK_OK(move_root(seL4_CapIRQControl, t))) {
        slot_forget(t);
        return;
    }
    CHECK_EQ(ID(seL4_CapIRQControl), CT_IRQ_CONTROL);
}

KTEST(dbg_nested_cnode_contents)
{
    /* Caps retyped into a nested CNode, copied back out to be identified. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr x = new_object(ut, seL4_CapTableObject, 3);
    seL4_CPtr d = slot_alloc_range(3);
    if (!x || !d) {
        return;
    }
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT, x, 64, 6, 1));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, x, 0, 0, 7, 1));
    CHECK_OK(seL4_CNode_Copy(ROOT, d, 64, x, 6, 3, seL4_AllRights));
    CHECK_OK(seL4_CNode_Move(ROOT, d + 1, 64, x, 7, 3));
    CHECK_EQ(ID(d), CT_THREAD);
    CHECK_EQ(ID(d + 1), CT_NOTIFICATION);
    CHECK_LOOKUP_MISSING(seL4_CNode_Copy(ROOT, d + 2, 64, x, 7, 3, seL4_AllRights), 1, 3);
    CHECK_EQ(ID(d + 2), CT_NULL);
}

KTEST(dbg_reply_cap_from_save_caller)
{
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr r = slot_alloc_range(2);
    if (!ep || !r) {
        return;
    }
    seL4_Word label = 0, badge = 0;
    if (!reply_cap_from_helper(ut, ep, 1, r, &label, &badge)) {
        return;
    }
    CHECK_EQ(ID(r), CT_REPLY);
    CHECK_ERR(copy_root(r + 1, r, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(ID(r + 1), CT_NULL);
    CHECK_OK(move_root(r + 1, r));
    CHECK_EQ(ID(r), CT_NULL);
    CHECK_EQ(ID(r + 1), CT_REPLY);
    seL4_Send(r + 1, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(ID(r + 1), CT_NULL);
}
