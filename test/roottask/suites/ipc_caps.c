/*
 * Capability transfer over endpoints (semantics 6.4 steps 2 and 4, 6.5;
 * seL4-abi.md 2.3, 4.1, 13.7): Grant, receive slots, unwrapping of caps to
 * the endpoint the message travels through, and where transfer stops.
 */
#include "threads.h"

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

/* Sender: extra caps sh[60..62], count arg1; label 0x50, MR0 0x5150. */
static void h_send_caps(seL4_Word ep, seL4_Word ncaps)
{
    for (int i = 0; i < 3; i++) {
        seL4_SetCap(i, sh[60 + i]);
    }
    seL4_SetMR(0, 0x5150);
    sh[0] = 1;
    seL4_Send(ep, seL4_MessageInfo_new(0x50, 0, ncaps, 1));
    sh[1] = 1;
}

/* Start the sender (255) and receive its message in the root task with
 * the given receive path. Returns 0 if nothing arrived. */
static int send_caps(seL4_CPtr via, seL4_CPtr ep, seL4_Word ncaps, seL4_CPtr rslot,
                     seL4_Word *badge, seL4_MessageInfo_t *info)
{
    if (rslot != 0) {
        seL4_SetCapReceivePath(ROOT, rslot, 64);
    } else {
        seL4_SetCapReceivePath(0, 0, 0);
    }
    for (int i = 0; i < 3; i++) {
        seL4_GetIPCBuffer()->caps_or_badges[i] = 0x5eed;
    }
    if (!thread_run(ROOT_PRIO, h_send_caps, via, ncaps) ||
        !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return 0;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, badge, info))) {
        return 0;
    }
    CHECK_EQ(seL4_GetMR(0), 0x5150);
    return 1;
}

/* The notification cap in `slot` signals `ntfn` with badge `expected`. */
static void check_signals(seL4_CPtr slot, seL4_CPtr ntfn, seL4_Word expected)
{
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    CHECK_EQ(badge, 0);
    seL4_Signal(slot);
    seL4_Poll(ntfn, &badge);
    CHECK_EQ(badge, expected);
}

TTEST(ipc_cap_transfer_with_grant)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x21) : 0;
    seL4_CPtr r = slot_alloc();
    if (!ep || !nb || !r) {
        return;
    }
    sh[60] = nb;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 1, 1);
    CHECK_EQ(badge, 0);
    CHECK_OCCUPIED(r);
    check_signals(r, n, 0x21);
    CHECK_OCCUPIED(nb); /* copy semantics: the sender keeps its cap */
}

TTEST(ipc_cap_transfer_without_grant_sends_no_caps)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr via = ep ? tt_mint(ep, seL4_CapRights_new(1, 0, 1, 1), 0x6) : 0;
    seL4_CPtr r = slot_alloc();
    if (!via || !n || !r) {
        return;
    }
    sh[60] = n;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(via, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 0, 1);
    CHECK_EQ(badge, 6);
    CHECK_EMPTY(r);
}

TTEST(ipc_cap_unwrap_same_endpoint)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr via = ep ? tt_mint(ep, seL4_AllRights, 5) : 0;
    seL4_CPtr other = ep ? tt_mint(ep, seL4_AllRights, 0x77) : 0;
    seL4_CPtr r = slot_alloc();
    if (!via || !other || !r) {
        return;
    }
    sh[60] = other;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(via, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 1, 1, 1);
    CHECK_EQ(badge, 5);
    CHECK_EQ(seL4_GetBadge(0), 0x77);
    CHECK_EMPTY(r); /* the receive slot is not used */
}

TTEST(ipc_cap_unwrap_needs_no_receive_slot)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr via = ep ? tt_mint(ep, seL4_AllRights, 0x10) : 0;
    if (!via) {
        return;
    }
    sh[60] = ep; /* unbadged original: badge 0 is delivered */
    sh[61] = via;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(via, ep, 2, 0, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 3, 2, 1);
    CHECK_EQ(seL4_GetBadge(0), 0);
    CHECK_EQ(seL4_GetBadge(1), 0x10);
}

TTEST(ipc_cap_unwrap_three_caps)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    for (int i = 0; i < 3; i++) {
        sh[60 + i] = tt_mint(ep, seL4_AllRights, 0x100 + (seL4_Word)i);
    }
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 3, 0, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 7, 3, 1);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(seL4_GetBadge(i), 0x100 + (seL4_Word)i);
    }
}

TTEST(ipc_cap_transfer_other_endpoint_is_not_unwrapped)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), e2 = tt_ep();
    seL4_CPtr r = slot_alloc();
    if (!ep || !e2 || !r) {
        return;
    }
    sh[60] = e2;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 1, 1);
    CHECK_OCCUPIED(r);
    CHECK_FULL_ENDPOINT(r);
}

TTEST(ipc_cap_transfer_stops_without_receive_slot)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr e9 = ep ? tt_mint(ep, seL4_AllRights, 9) : 0;
    if (!e9 || !n) {
        return;
    }
    sh[60] = n;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, 0, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 0, 1);

    /* Unwrapped first, then a cap needing a slot: one processed. */
    sh_reset();
    sh[60] = e9;
    sh[61] = n;
    if (!send_caps(ep, ep, 2, 0, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 1, 1, 1);
    CHECK_EQ(seL4_GetBadge(0), 9);
}

TTEST(ipc_cap_transfer_one_slot_two_caps)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr n1 = n ? tt_mint(n, seL4_AllRights, 0x1) : 0;
    seL4_CPtr n2 = n ? tt_mint(n, seL4_AllRights, 0x2) : 0;
    seL4_CPtr r = slot_alloc();
    if (!ep || !n1 || !n2 || !r) {
        return;
    }
    sh[60] = n1;
    sh[61] = n2;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 2, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 1, 1);
    check_signals(r, n, 0x1);
}

TTEST(ipc_cap_transfer_slot_then_unwrap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr n1 = n ? tt_mint(n, seL4_AllRights, 0x4) : 0;
    seL4_CPtr e = ep ? tt_mint(ep, seL4_AllRights, 0x44) : 0;
    seL4_CPtr r = slot_alloc();
    if (!n1 || !e || !r) {
        return;
    }
    sh[60] = n1;
    sh[61] = e;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 2, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 2, 2, 1);
    CHECK_EQ(seL4_GetBadge(1), 0x44);
    check_signals(r, n, 0x4);
}

TTEST(ipc_cap_transfer_receive_slot_occupied)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn(), n2 = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x8) : 0;
    seL4_CPtr r = n2 ? tt_mint(n2, seL4_AllRights, 0x3) : 0;
    if (!ep || !nb || !r) {
        return;
    }
    sh[60] = nb;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 0, 1);
    check_signals(r, n2, 0x3); /* still the old cap */
}

TTEST(ipc_cap_transfer_bad_receive_path)
{
    /* Receive depth 63 in the 64-bit root CSpace cannot name a slot. */
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr r = slot_alloc();
    if (!ep || !n || !r) {
        return;
    }
    sh[60] = n;
    if (!thread_run(ROOT_PRIO, h_send_caps, ep, 1) ||
        !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_SetCapReceivePath(ROOT, r, 63);
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 0, 1);
    CHECK_EMPTY(r);
}

TTEST(ipc_cap_transfer_empty_source_slot_stops)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr empty = slot_alloc();
    seL4_CPtr r = slot_alloc();
    if (!ep || !empty || !r) {
        return;
    }
    sh[60] = empty;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 0, 1);
    CHECK_EMPTY(r);
}

TTEST(ipc_cap_transfer_keeps_rights)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr ro = n ? tt_mint(n, seL4_CanRead, 0x5) : 0;
    seL4_CPtr r = slot_alloc();
    if (!ep || !ro || !r) {
        return;
    }
    sh[60] = ro;
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!send_caps(ep, ep, 1, r, &badge, &info)) {
        return;
    }
    CHECK_INFO(info, 0x50, 0, 1, 1);
    /* A notification cap without Write cannot signal. */
    seL4_MessageInfo_t res = seL4_Call(r, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_INFO(res, seL4_InvalidCapability, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 0);
    seL4_Word b = 1;
    seL4_Poll(n, &b);
    CHECK_EQ(b, 0);
}

/* Caller that accepts a cap in the reply: receive slot arg1 of the root
 * CNode; records the reply info in sh[40]. */
static void h_call_recv_cap(seL4_Word ep, seL4_Word rslot)
{
    seL4_SetCapReceivePath(ROOT, rslot, 64);
    sh[2] = 1;
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x60, 0, 0, 0));
    sh[40] = r.words[0];
    sh[41] = seL4_GetMR(0);
    sh[3] = 1;
}

static void reply_with_cap(seL4_CPtr recvcap, seL4_CPtr ep, seL4_CPtr cap, seL4_CPtr rslot)
{
    if (!thread_run(ROOT_PRIO, h_call_recv_cap, ep, rslot) ||
        !CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(recvcap, NULL, NULL))) {
        return;
    }
    seL4_SetCap(0, cap);
    seL4_SetMR(0, 0x61);
    seL4_Reply(seL4_MessageInfo_new(0x62, 0, 1, 1));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
}

TTEST(ipc_cap_transfer_in_reply_with_grant)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x11) : 0;
    seL4_CPtr r = slot_alloc();
    if (!ep || !nb || !r) {
        return;
    }
    /* The root task receives through a cap with Grant: the reply cap has
     * Grant and can carry caps. */
    reply_with_cap(ep, ep, nb, r);
    seL4_MessageInfo_t got = { { sh[40] } };
    CHECK_INFO(got, 0x62, 0, 1, 1);
    CHECK_EQ(sh[41], 0x61);
    CHECK_OCCUPIED(r);
    check_signals(r, n, 0x11);
}

TTEST(ipc_cap_transfer_in_reply_without_grant)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x12) : 0;
    seL4_CPtr recvcap = ep ? tt_mint(ep, seL4_CapRights_new(1, 0, 1, 1), 0) : 0;
    seL4_CPtr r = slot_alloc();
    if (!recvcap || !nb || !r) {
        return;
    }
    reply_with_cap(recvcap, ep, nb, r);
    seL4_MessageInfo_t got = { { sh[40] } };
    CHECK_INFO(got, 0x62, 0, 0, 1);
    CHECK_EMPTY(r);
}

static void h_foreign_receiver(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    /* CSpace: 1 = endpoint, 2 = own TCB, 3 = a cap to another CNode (radix 2) */
    seL4_SetCapReceivePath(3, 1, 2);
    seL4_Word badge;
    sh[2] = 1;
    seL4_MessageInfo_t info = seL4_Recv(1, &badge);
    sh[40] = info.words[0];
    sh[41] = badge;
    sh[3] = 1;
}

TTEST(ipc_cap_transfer_into_other_cspace)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x13) : 0;
    seL4_CPtr cn = tt_cnode(4);
    seL4_CPtr dest = tt_cnode(2);
    seL4_CPtr tmp = slot_alloc();
    thread_t *t = thread_new(ROOT_PRIO, h_foreign_receiver, 0, 0);
    if (!ep || !nb || !cn || !dest || !tmp || !t) {
        return;
    }
    CHECK_OK(seL4_CNode_Copy(cn, 1, 4, ROOT, ep, 64, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 2, 4, ROOT, t->tcb, 64, seL4_AllRights));
    CHECK_OK(seL4_CNode_Mint(cn, 3, 4, ROOT, dest, 64, seL4_AllRights, GUARD(0, 0)));
    if (!thread_set_cspace(t, 0, cn, GUARD(0, 60), 2)) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_SetCap(0, nb);
    seL4_SetMR(0, 0x70);
    seL4_Send(ep, seL4_MessageInfo_new(0x71, 0, 1, 1));
    if (!CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT))) {
        return;
    }
    seL4_MessageInfo_t got = { { sh[40] } };
    CHECK_INFO(got, 0x71, 0, 1, 1);
    CHECK_EQ(sh[41], 0);
    CHECK_SLOT_STATE(dest, 1, 2, 1);
    CHECK_SLOT_STATE(dest, 0, 2, 0);
    CHECK_OK(seL4_CNode_Copy(ROOT, tmp, 64, dest, 1, 2, seL4_AllRights));
    check_signals(tmp, n, 0x13);
}

TTEST(ipc_cap_in_reply_is_never_unwrapped)
{
    /* semantics 6.4: replies travel through no endpoint, so a cap to the
     * endpoint the Call used is transferred, not unwrapped. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr eb = ep ? tt_mint(ep, seL4_AllRights, 0x5) : 0;
    seL4_CPtr r = slot_alloc();
    if (!eb || !r) {
        return;
    }
    reply_with_cap(ep, ep, eb, r);
    seL4_MessageInfo_t got = { { sh[40] } };
    CHECK_INFO(got, 0x62, 0, 1, 1);
    CHECK_OCCUPIED(r);
    CHECK_FULL_ENDPOINT(r);
}
