/*
 * Caps whose checks need the kernel's IPC: badges and rights set by
 * Mint/Copy observed through notification signalling (semantics 7: a Call on
 * a notification cap signals it with the cap's badge, needs Write else
 * InvalidCapability(0), and never blocks; Poll on the original reads and
 * clears the word), and a real reply cap for SaveCaller / Copy / Move
 * (semantics 2.4, 2.6, 6.5).
 *
 * The file name sorts it after the other generic suites, so a kernel
 * without IPC stops the run only here.
 */
#include "helpers.h"

/* Signal through `cap` with Call; returns the error (the reply's label). */
static seL4_Word signal_call(seL4_CPtr cap)
{
    mr_poison();
    seL4_MessageInfo_t tag = seL4_Call(cap, seL4_MessageInfo_new(0, 0, 0, 0));
    return seL4_MessageInfo_get_label(tag);
}

static seL4_Word poll_word(seL4_CPtr ntfn)
{
    seL4_Word badge = 0xdeadbeef;
    seL4_Poll(ntfn, &badge);
    return badge;
}

KTEST(ntfn_signal_carries_minted_badge)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr m = slot_alloc_range(2);
    if (!n || !m) {
        return;
    }
    CHECK_OK(mint_root(m, n, seL4_AllRights, 0x30));
    CHECK_OK(copy_root(m + 1, m, seL4_AllRights)); /* copies keep the badge */
    CHECK_EQ(poll_word(n), 0);
    CHECK_ERR(signal_call(m), seL4_NoError);
    CHECK_EQ(poll_word(n), 0x30);
    CHECK_EQ(poll_word(n), 0);
    CHECK_ERR(signal_call(m + 1), seL4_NoError);
    CHECK_EQ(poll_word(n), 0x30);
}

KTEST(ntfn_badges_accumulate)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr m = slot_alloc_range(2);
    if (!n || !m) {
        return;
    }
    CHECK_OK(mint_root(m, n, seL4_AllRights, 0x1));
    CHECK_OK(mint_root(m + 1, n, seL4_CanWrite, 0x4));
    CHECK_ERR(signal_call(m), seL4_NoError);
    CHECK_ERR(signal_call(m + 1), seL4_NoError);
    CHECK_EQ(poll_word(n), 0x5);
}

KTEST(ntfn_copy_without_write_cannot_signal)
{
    /* maskCapRights on a notification: Read/Write ANDed with the mask. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr n = new_object(ut, seL4_NotificationObject, 0);
    seL4_CPtr c = slot_alloc_range(4);
    if (!n || !c) {
        return;
    }
    CHECK_OK(copy_root(c, n, seL4_CanRead));
    CHECK_OK(copy_root(c + 1, c, seL4_AllRights)); /* cannot add Write back */
    CHECK_OK(mint_root(c + 2, n, seL4_NoWrite, 0x8));
    CHECK_OK(mint_root(c + 3, n, seL4_CanWrite, 0x9));
    for (int i = 0; i < 3; i++) {
        if (!CHECK_ERR_MRS(signal_call(c + i), seL4_InvalidCapability, 0)) {
            printf("  cap %d\n", i);
        }
    }
    CHECK_EQ(poll_word(n), 0);
    CHECK_ERR(signal_call(c + 3), seL4_NoError);
    CHECK_EQ(poll_word(n), 0x9);
}

KTEST(cnode_reply_cap_save_caller_move_not_copy)
{
    /* A helper thread Calls an endpoint; we receive, so our caller slot
     * holds a reply cap. SaveCaller moves it into the CSpace; deriveCap
     * gives null for a reply cap (Copy/Mint => IllegalOperation) but Move
     * works; using it (Send) replies and deletes it. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr b = slot_alloc();
    seL4_CPtr r = slot_alloc_range(3);
    if (!ep || !b || !r) {
        return;
    }
    CHECK_OK(mint_root(b, ep, seL4_AllRights, 0x55));
    seL4_Word label = 0, badge = 0;
    if (!reply_cap_from_helper(ut, ep, 0x77, r, &label, &badge)) {
        return;
    }
    CHECK_EQ(label, 0x77);
    CHECK_EQ(badge, 0);
    CHECK_OCCUPIED(r);
    /* The caller slot is empty now: SaveCaller does nothing. */
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, r + 1, 64));
    CHECK_EMPTY(r + 1);
    CHECK_ERR(copy_root(r + 1, r, seL4_AllRights), seL4_IllegalOperation);
    CHECK_ERR(mint_root(r + 1, r, seL4_AllRights, 0), seL4_IllegalOperation);
    CHECK_EMPTY(r + 1);
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT, r, 64), seL4_DeleteFirst);
    if (!CHECK_OK(move_root(r + 2, r))) {
        return;
    }
    CHECK_EMPTY(r);
    CHECK_OCCUPIED(r + 2);
    /* Replying through it consumes it. */
    seL4_Send(r + 2, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EMPTY(r + 2);
}
