/*
 * Notifications: Signal / Wait / Poll, badge accumulation, waiter queues,
 * binding to a TCB and the bound-notification wake-up of an endpoint
 * receive (semantics 4.3 Bind/Unbind, 6.3, 7; seL4-abi.md 2.4, 13.7).
 */
#include "threads.h"

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

TTEST(ntfn_signal_then_poll)
{
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x5) : 0;
    if (!nb) {
        return;
    }
    seL4_Signal(nb);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x5);
    (void)info;
    badge = 7;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

TTEST(ntfn_badges_are_ored)
{
    seL4_CPtr n = tt_ntfn();
    if (!n) {
        return;
    }
    static const seL4_Word b[] = { 0x1, 0x2, 0x100, 0x8000000000000000ul, 0x3 };
    for (int i = 0; i < 5; i++) {
        seL4_CPtr m = tt_mint(n, seL4_AllRights, b[i]);
        if (!m) {
            return;
        }
        seL4_Signal(m);
    }
    /* Active: a blocking Wait returns at once with the accumulated word. */
    seL4_Word badge = 0;
    seL4_Wait(n, &badge);
    CHECK_EQ(badge, 0x8000000000000103ul);
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

TTEST(ntfn_unbadged_signal_makes_it_active_with_zero)
{
    /* semantics 7: Idle -> Active with word := badge, even 0. A Wait then
     * returns at once (the watchdog would fail the test otherwise). */
    seL4_CPtr n = tt_ntfn();
    if (!n) {
        return;
    }
    seL4_Signal(n);
    seL4_Word badge = 0x77;
    seL4_Wait(n, &badge);
    CHECK_EQ(badge, 0);
    CHECK_EQ(wd_fired(), 0);
}

TTEST(ntfn_poll_with_nothing_writes_only_badge)
{
    seL4_CPtr n = tt_ntfn();
    if (!n) {
        return;
    }
    seL4_Word cap = n;
    seL4_Word info = NO_MSG_INFO;
    seL4_Word mr0 = 0xa, mr1 = 0xb, mr2 = 0xc, mr3 = 0xd;
    libsel4_arch_syscall((seL4_Word)seL4_SysNBRecv, &cap, &info, &mr0, &mr1, &mr2, &mr3);
    CHECK_EQ(cap, 0);
    CHECK_EQ(info, NO_MSG_INFO);
    CHECK_EQ(mr0, 0xa);
    CHECK_EQ(mr3, 0xd);
}

TTEST(ntfn_wait_writes_only_badge)
{
    /* Notification delivery writes only the badge register (0.5). */
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x42) : 0;
    if (!nb) {
        return;
    }
    seL4_Signal(nb);
    seL4_Word cap = n;
    seL4_Word info = 0x123456789ul;
    seL4_Word mr0 = 0xa, mr1 = 0xb, mr2 = 0xc, mr3 = 0xd;
    libsel4_arch_syscall((seL4_Word)seL4_SysRecv, &cap, &info, &mr0, &mr1, &mr2, &mr3);
    CHECK_EQ(cap, 0x42);
    CHECK_EQ(info, 0x123456789ul);
    CHECK_EQ(mr0, 0xa);
    CHECK_EQ(mr1, 0xb);
    CHECK_EQ(mr2, 0xc);
    CHECK_EQ(mr3, 0xd);
}

static void h_wait(seL4_Word n, seL4_Word idx)
{
    seL4_Word badge = 0;
    sh[idx] = 1;
    seL4_Wait(n, &badge);
    sh[idx + 1] = badge;
    sh[idx + 2] = 1;
}

TTEST(ntfn_signal_wakes_waiter)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x7) : 0;
    if (!nb || !thread_run(ROOT_PRIO, h_wait, n, 0) ||
        !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    CHECK_EQ(sh[2], 0);
    seL4_Signal(nb);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_EQ(sh[1], 0x7);
    /* The signal was consumed by the waiter. */
    seL4_Word badge = 1;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

TTEST(ntfn_waiters_woken_in_fifo_order)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr b1 = n ? tt_mint(n, seL4_AllRights, 0x1) : 0;
    seL4_CPtr b2 = n ? tt_mint(n, seL4_AllRights, 0x2) : 0;
    if (!b1 || !b2) {
        return;
    }
    if (!thread_run(ROOT_PRIO, h_wait, n, 0) || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!thread_run(ROOT_PRIO, h_wait, n, 4) || !CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Signal(b1);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_EQ(sh[6], 0);
    seL4_Signal(b2);
    CHECK_TRUE(yield_until(&sh[6], 1, YIELD_LIMIT));
    CHECK_EQ(sh[1], 0x1);
    CHECK_EQ(sh[5], 0x2);
}

TTEST(ntfn_call_on_notification_signals_and_replies_empty)
{
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x3) : 0;
    if (!nb) {
        return;
    }
    seL4_SetMR(0, 0x1);
    seL4_SetMR(1, 0x2);
    seL4_Word badge = 0x99;
    seL4_MessageInfo_t r = call_with_badge(nb, seL4_MessageInfo_new(0x55, 0, 0, 2), &badge);
    CHECK_INFO(r, 0, 0, 0, 0);
    CHECK_EQ(badge, 0);
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x3);
}

TTEST(ntfn_signal_without_write_is_invalid_cap)
{
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr ro = n ? tt_mint(n, seL4_CanRead, 0x3) : 0;
    if (!ro) {
        return;
    }
    seL4_MessageInfo_t r = seL4_Call(ro, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_INFO(r, seL4_InvalidCapability, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 0);
    seL4_Signal(ro); /* error dropped */
    seL4_Word badge = 1;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

/* Bound thread: Recv on the endpoint, record badge / info / MR0; twice. */
static void h_bound_recv(seL4_Word ep, seL4_Word rounds)
{
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_Word cap = ep;
        seL4_Word info = 0xabc0000ul; /* label 0xabc: survives if not written */
        seL4_Word mr0 = 0x5a, mr1 = 0, mr2 = 0, mr3 = 0;
        sh[0] = i + 1;
        libsel4_arch_syscall((seL4_Word)seL4_SysRecv, &cap, &info, &mr0, &mr1, &mr2, &mr3);
        sh[10 + 3 * i] = cap;
        sh[11 + 3 * i] = info;
        sh[12 + 3 * i] = mr0;
        sh[1] = i + 1;
    }
}

TTEST(ntfn_bound_signal_wakes_endpoint_receiver)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x40) : 0;
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_bound_recv, ep, 1) : NULL;
    if (!nb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    CHECK_EQ(sh[1], 0);
    seL4_Signal(nb);
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    CHECK_EQ(sh[10], 0x40);
    CHECK_EQ(sh[11], 0xabc0000ul); /* message info not written */
    CHECK_EQ(sh[12], 0x5a);
    /* The endpoint queue no longer holds the thread. */
    seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    yield_n(3);
    CHECK_EQ(sh[0], 1);
}

TTEST(ntfn_bound_signal_stays_pending_until_recv)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x3) : 0;
    seL4_CPtr eb = ep ? tt_mint(ep, seL4_AllRights, 0xe) : 0;
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_bound_recv, ep, 2) : NULL;
    if (!nb || !eb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    /* Bound thread not receiving (not started): the signal stays pending
     * and its first endpoint Recv returns it at once. */
    seL4_Signal(nb);
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    CHECK_EQ(sh[10], 0x3);
    CHECK_EQ(sh[11], 0xabc0000ul);
    /* Now the second Recv blocks; a real message arrives. */
    yield_n(3);
    CHECK_EQ(sh[1], 1);
    seL4_SetMR(0, 0x88);
    seL4_Send(eb, seL4_MessageInfo_new(0x21, 0, 0, 1));
    if (!CHECK_TRUE(yield_until(&sh[1], 2, YIELD_LIMIT))) {
        return;
    }
    CHECK_EQ(sh[13], 0xe);
    seL4_MessageInfo_t got = { { sh[14] } };
    CHECK_INFO(got, 0x21, 0, 0, 1);
    CHECK_EQ(sh[15], 0x88);
}

static void h_send_one(seL4_Word ep, seL4_Word label)
{
    sh[30] = 1;
    seL4_SetMR(0, 0x99);
    seL4_Send(ep, seL4_MessageInfo_new(label, 0, 0, 1));
    sh[31] = 1;
}

TTEST(ntfn_bound_pending_signal_before_queued_sender)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x9) : 0;
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_bound_recv, ep, 2) : NULL;
    if (!nb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    /* A sender waits on the endpoint, then the notification is signalled. */
    if (!thread_run(ROOT_PRIO, h_send_one, ep, 0x24) ||
        !CHECK_TRUE(yield_until(&sh[30], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Signal(nb);
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[1], 2, YIELD_LIMIT))) {
        return;
    }
    /* First receive: the notification (only the badge register written). */
    CHECK_EQ(sh[10], 0x9);
    CHECK_EQ(sh[11], 0xabc0000ul);
    /* Second receive: the queued sender. */
    CHECK_EQ(sh[13], 0);
    seL4_MessageInfo_t got = { { sh[14] } };
    CHECK_INFO(got, 0x24, 0, 0, 1);
    CHECK_EQ(sh[15], 0x99);
}

TTEST(ntfn_bound_thread_can_wait_on_its_notification)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x60) : 0;
    thread_t *t = n ? thread_new(ROOT_PRIO, h_wait, n, 0) : NULL;
    if (!nb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Signal(nb);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_EQ(sh[1], 0x60);
}

TTEST(ntfn_unbound_thread_not_woken_by_signal)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x2) : 0;
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_bound_recv, ep, 1) : NULL;
    if (!nb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    CHECK_OK(seL4_TCB_UnbindNotification(t->tcb));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Signal(nb);
    yield_n(10);
    CHECK_EQ(sh[1], 0);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x2);
}

TTEST(ntfn_bind_unbind_errors)
{
    seL4_CPtr ep = tt_ep(), n = tt_ntfn(), n2 = tt_ntfn(), n3 = tt_ntfn();
    seL4_CPtr n3w = n3 ? tt_mint(n3, seL4_CanWrite, 0) : 0;
    thread_t *a = thread_new(ROOT_PRIO, (thread_fn_t)0, 0, 0);
    thread_t *b = thread_new(ROOT_PRIO, (thread_fn_t)0, 0, 0);
    if (!ep || !n || !n2 || !n3w || !a || !b) {
        return;
    }
    CHECK_ERR(seL4_TCB_UnbindNotification(a->tcb), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_BindNotification(a->tcb, n));
    /* TCB already bound */
    CHECK_ERR(seL4_TCB_BindNotification(a->tcb, n2), seL4_IllegalOperation);
    /* notification already bound */
    CHECK_ERR(seL4_TCB_BindNotification(b->tcb, n), seL4_IllegalOperation);
    /* not a notification */
    CHECK_ERR(seL4_TCB_BindNotification(b->tcb, ep), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_BindNotification(b->tcb, a->tcb), seL4_IllegalOperation);
    /* no Read right */
    CHECK_ERR(seL4_TCB_BindNotification(b->tcb, n3w), seL4_IllegalOperation);
    /* no extra cap at all */
    seL4_MessageInfo_t r = raw_call(b->tcb, TCBBindNotification, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    CHECK_OK(seL4_TCB_UnbindNotification(a->tcb));
    CHECK_ERR(seL4_TCB_UnbindNotification(a->tcb), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_BindNotification(b->tcb, n));
    CHECK_OK(seL4_TCB_BindNotification(a->tcb, n2));
}

TTEST(ntfn_bind_with_waiters_is_illegal)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x1) : 0;
    thread_t *a = thread_new(ROOT_PRIO, (thread_fn_t)0, 0, 0);
    if (!nb || !a || !thread_run(ROOT_PRIO, h_wait, n, 0) ||
        !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    CHECK_ERR(seL4_TCB_BindNotification(a->tcb, n), seL4_IllegalOperation);
    seL4_Signal(nb);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_OK(seL4_TCB_BindNotification(a->tcb, n));
}

TTEST(ntfn_deletion_restarts_waiter)
{
    /* semantics 7: final cap deleted => waiters Restart; the re-issued
     * Wait names an empty slot and cap-faults (receive phase). */
    sh_reset();
    seL4_CPtr n = tt_ntfn(), fe = tt_ep();
    seL4_CPtr c = n ? tt_copy(n, seL4_AllRights) : 0;
    thread_t *t = c ? thread_new(ROOT_PRIO, h_wait, c, 0) : NULL;
    if (!t || !fe || !thread_set_fault_ep(t, fe)) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    CHECK_OK(seL4_CNode_Revoke(ROOT, n, 64));
    CHECK_OK(seL4_CNode_Delete(ROOT, n, 64));
    yield_n(5);
    CHECK_EQ(sh[2], 0);
    seL4_MessageInfo_t info;
    if (CHECK_TRUE(nb_recv(fe, NULL, &info))) {
        CHECK_INFO(info, seL4_Fault_CapFault, 0, 0, 5);
        CHECK_EQ(seL4_GetMR(1), c);
        CHECK_EQ(seL4_GetMR(2), 1);
        CHECK_EQ(seL4_GetMR(3), seL4_MissingCapability);
    }
}

TTEST(ntfn_deleting_bound_notification_unbinds)
{
    seL4_CPtr n = tt_ntfn(), n2 = tt_ntfn();
    thread_t *t = thread_new(ROOT_PRIO, (thread_fn_t)0, 0, 0);
    if (!n || !n2 || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    CHECK_OK(seL4_CNode_Delete(ROOT, n, 64));
    /* The TCB is free again. */
    CHECK_ERR(seL4_TCB_UnbindNotification(t->tcb), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n2));
}

TTEST(ntfn_resume_of_waiter_restarts_wait)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x30) : 0;
    thread_t *t = n ? thread_run(ROOT_PRIO, h_wait, n, 0) : NULL;
    if (!nb || !t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    /* Resume of a blocked thread: cancel and re-issue the Wait. */
    thread_start(t);
    yield_n(3);
    CHECK_EQ(sh[2], 0);
    seL4_Signal(nb);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_EQ(sh[1], 0x30);
    /* It was queued once only: a second signal stays pending. */
    seL4_Signal(nb);
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x30);
}

static void h_bound_call_then_recv(seL4_Word ep, seL4_Word ep2)
{
    sh[0] = 1;
    seL4_Call(ep, seL4_MessageInfo_new(0x5, 0, 0, 0));
    sh[1] = 1;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep2, &badge);
    (void)info;
    sh[2] = badge;
    sh[3] = 1;
}

TTEST(ntfn_bound_thread_blocked_on_reply_not_woken)
{
    /* semantics 7: a bound thread in any state other than an endpoint
     * receive (here BlockedOnReply) is not woken: the word stays pending. */
    sh_reset();
    seL4_CPtr ep = tt_ep(), ep2 = tt_ep(), n = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x11) : 0;
    thread_t *t = ep && ep2 ? thread_new(ROOT_PRIO, h_bound_call_then_recv, ep, ep2) : NULL;
    if (!nb || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, NULL, NULL))) {
        return;
    }
    seL4_Signal(nb);
    yield_n(5);
    CHECK_EQ(sh[1], 0); /* still waiting for the reply */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    /* Its endpoint Recv now returns the pending word at once. */
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x11);
}

TTEST(ntfn_bound_thread_waiting_on_other_notification_not_woken)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn(), other = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x21) : 0;
    seL4_CPtr ob = other ? tt_mint(other, seL4_AllRights, 0x22) : 0;
    thread_t *t = other ? thread_new(ROOT_PRIO, h_wait, other, 0) : NULL;
    if (!nb || !ob || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(t->tcb, n));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Signal(nb);
    yield_n(5);
    CHECK_EQ(sh[2], 0);
    /* Only the bound thread may receive on n: unbind, then poll it. */
    CHECK_OK(seL4_TCB_UnbindNotification(t->tcb));
    seL4_Word badge = 0;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0x21);
    seL4_Signal(ob);
    CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT));
    CHECK_EQ(sh[1], 0x22);
}
