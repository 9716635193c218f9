/*
 * Cap faults and fault delivery (semantics 6.3, 6.7, 8.1, 8.2, 8.4;
 * seL4-abi.md 0.1 item 8, 9.2, 10.2, 10.3, 10.4): message contents in the
 * send and receive phases, the handler cap checks (double faults), where
 * the handler cptr is looked up, and replies.
 *
 * Faulting threads run at 254, below the root task, which acts as the
 * fault handler with a blocking Recv (the watchdog turns a missing fault
 * message into a failure).
 */
#include "threads.h"

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

/* A cptr that fails the root CNode's guard (51 bits of 0). */
#define BAD_CPTR 0xffff000000000010ul
#define FAULTER_PRIO 254

/* Common tail of faulting threads: record, then signal sh[63] if set. */
static void finish(void)
{
    sh[1]++;
    if (sh[63]) {
        seL4_Signal(sh[63]);
    }
}

static void h_send_to(seL4_Word cptr, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    seL4_Send(cptr, seL4_MessageInfo_new(0x7, 0, 0, 0));
    finish();
}

static void h_recv_on(seL4_Word cptr, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    seL4_Word badge = 0;
    seL4_Recv(cptr, &badge);
    sh[2] = badge;
    finish();
}

/* A faulting thread with handler cap = `handler` (a cptr in its CSpace). */
static thread_t *faulter(thread_fn_t fn, seL4_Word arg, seL4_CPtr handler)
{
    thread_t *t = thread_new(FAULTER_PRIO, fn, arg, 0);
    if (t == NULL || !thread_set_fault_ep(t, handler)) {
        return NULL;
    }
    return t;
}

/* Receive one fault message on ep; check label, length and badge, and
 * that MR0 (the fault IP) equals the faulter's restart PC. */
static int recv_fault(seL4_CPtr ep, thread_t *t, seL4_Word label, seL4_Word length, seL4_Word badge)
{
    seL4_Word got_badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &got_badge);
    int ok = CHECK_INFO(info, label, 0, 0, length);
    ok &= CHECK_EQ(got_badge, badge);
    seL4_Word mrs[8];
    for (int i = 0; i < 8; i++) {
        mrs[i] = seL4_GetMR(i);
    }
    seL4_UserContext ctx;
    if (ok && read_regs(t->tcb, &ctx)) {
        ok &= CHECK_EQ(mrs[0], CTX_PC(ctx));
    }
    for (int i = 0; i < 8; i++) {
        seL4_SetMR(i, mrs[i]);
    }
    return ok;
}

#define CHECK_MRS(...)                                                                     \
    check_mrs_at((const seL4_Word[]){ __VA_ARGS__ },                                       \
                 sizeof((const seL4_Word[]){ __VA_ARGS__ }) / sizeof(seL4_Word), __FILE__, \
                 __LINE__)
/* MR1.. of the last received message (MR0 is the IP, checked elsewhere). */
static int check_mrs_at(const seL4_Word *v, seL4_Word n, const char *file, int line)
{
    int ok = 1;
    for (seL4_Word i = 0; i < n; i++) {
        if (seL4_GetMR((int)i + 1) != v[i]) {
            ok = 0;
        }
    }
    if (!ok) {
        test_fail_at(file, line, "fault message words MR1..MR%lu differ", (unsigned long)n);
        for (seL4_Word i = 0; i < n; i++) {
            printf("    MR%lu: expected 0x%lx got 0x%lx\n", (unsigned long)i + 1,
                   (unsigned long)v[i], (unsigned long)seL4_GetMR((int)i + 1));
        }
    }
    return ok;
}

/* Point the blocked faulter's cap register at `cptr` (no resume). */
static void retarget(thread_t *t, seL4_CPtr cptr)
{
    seL4_UserContext ctx;
    if (!read_regs(t->tcb, &ctx)) {
        return;
    }
    CTX_CAPREG(ctx) = cptr;
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
}

TTEST(fault_cap_send_phase_guard_mismatch)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    seL4_CPtr h = ep ? tt_mint(ep, seL4_AllRights, 0xf1) : 0;
    seL4_CPtr sig = done ? tt_mint(done, seL4_AllRights, 0x33) : 0;
    thread_t *t = h ? faulter(h_send_to, BAD_CPTR, h) : NULL;
    if (!sig || !t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0xf1)) {
        return;
    }
    CHECK_MRS(BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 51);
    seL4_Word ip = seL4_GetMR(0);
    /* A cap-fault reply restarts the thread: it runs the Send again. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0xf1)) {
        return;
    }
    CHECK_EQ(seL4_GetMR(0), ip);
    CHECK_EQ(sh[0], 1);
    /* Now make the Send name a notification: it signals and goes on. */
    retarget(t, sig);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge = 0;
    seL4_Wait(done, &badge);
    CHECK_EQ(badge, 0x33);
    CHECK_EQ(sh[0], 1);
}

TTEST(fault_cap_reply_label_is_ignored)
{
    /* CapFault: the reply's label and contents are ignored, the thread
     * always restarts (semantics 8.4). */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? faulter(h_send_to, BAD_CPTR, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    seL4_SetMR(0, 0x1234);
    seL4_Reply(seL4_MessageInfo_new(0x55, 0, 0, 1));
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    CHECK_MRS(BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 51);
}

TTEST(fault_cap_recv_phase_on_non_endpoint)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn(), done = tt_ntfn();
    seL4_CPtr nb = n ? tt_mint(n, seL4_AllRights, 0x44) : 0;
    thread_t *t = ep ? faulter(h_recv_on, seL4_CapInitThreadTCB, ep) : NULL;
    if (!nb || !done || !t) {
        return;
    }
    sh[63] = done;
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 5, 0)) {
        return;
    }
    CHECK_MRS(seL4_CapInitThreadTCB, 1, seL4_MissingCapability, 0);
    /* Redirect the Recv to a notification with a pending signal. */
    seL4_Signal(nb);
    retarget(t, n);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
    CHECK_EQ(sh[2], 0x44);
}

TTEST(fault_cap_recv_phase_on_empty_slot)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr empty = slot_alloc();
    thread_t *t = ep && empty ? faulter(h_recv_on, empty, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 5, 0)) {
        return;
    }
    CHECK_MRS(empty, 1, seL4_MissingCapability, 0);
}

TTEST(fault_cap_recv_phase_endpoint_without_read)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), ep2 = tt_ep();
    seL4_CPtr wo = ep2 ? tt_mint(ep2, seL4_CapRights_new(1, 1, 0, 1), 0x1) : 0;
    thread_t *t = ep && wo ? faulter(h_recv_on, wo, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 5, 0)) {
        return;
    }
    CHECK_MRS(wo, 1, seL4_MissingCapability, 0);
}

TTEST(fault_cap_recv_phase_notification_without_read)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    seL4_CPtr wo = n ? tt_mint(n, seL4_CanWrite, 0x1) : 0;
    thread_t *t = ep && wo ? faulter(h_recv_on, wo, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 5, 0)) {
        return;
    }
    CHECK_MRS(wo, 1, seL4_MissingCapability, 0);
}

TTEST(fault_cap_recv_phase_guard_mismatch)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? faulter(h_recv_on, BAD_CPTR, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    CHECK_MRS(BAD_CPTR, 1, seL4_GuardMismatch, 64, 0, 51);
}

TTEST(fault_cap_wait_on_notification_bound_to_other_thread)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    thread_t *owner = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *t = ep && n ? faulter(h_recv_on, n, ep) : NULL;
    if (!owner || !t) {
        return;
    }
    CHECK_OK(seL4_TCB_BindNotification(owner->tcb, n));
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 5, 0)) {
        return;
    }
    CHECK_MRS(n, 1, seL4_MissingCapability, 0);
}

static void h_send_bad_extra(seL4_Word ep, seL4_Word nb)
{
    seL4_SetCap(0, BAD_CPTR);
    sh[0]++;
    if (nb) {
        seL4_NBSend(ep, seL4_MessageInfo_new(0x9, 0, 1, 0));
    } else {
        seL4_Send(ep, seL4_MessageInfo_new(0x9, 0, 1, 0));
    }
    finish();
}

TTEST(fault_cap_extra_cap_lookup_in_send)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), target = tt_ep();
    thread_t *t = ep && target ? thread_new(FAULTER_PRIO, h_send_bad_extra, target, 0) : NULL;
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    CHECK_MRS(BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 51);
    CHECK_EQ(nb_recv(target, NULL, NULL), 0);
}

static void h_recv_flag(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    sh[10] = 1;
    seL4_Recv(ep, &badge);
    sh[11] = 1;
}

TTEST(fault_nbsend_never_faults)
{
    /* NBSend: a failing invoked-cap lookup is silently ignored; a failing
     * extra-cap lookup abandons the whole send (seL4-abi.md 0.1 item 8). */
    sh_reset();
    seL4_CPtr ep = tt_ep(), target = tt_ep();
    if (!ep || !target || !thread_run(ROOT_PRIO, h_recv_flag, target, 0) ||
        !CHECK_TRUE(yield_until(&sh[10], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    thread_t *t = thread_new(ROOT_PRIO, h_send_bad_extra, target, 1);
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    thread_start(t);
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    yield_n(3);
    CHECK_EQ(sh[11], 0);                  /* nothing was delivered */
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0); /* no fault either */
    /* NBSend on an unresolvable cptr. */
    seL4_NBSend(BAD_CPTR, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_TRUE(1);
}

TTEST(fault_without_handler_leaves_thread_inactive)
{
    /* Fault handler cptr 0 (a null cap): double fault, thread Inactive. */
    sh_reset();
    thread_t *t = thread_new(ROOT_PRIO, h_send_to, BAD_CPTR, 0);
    if (!t) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(10);
    CHECK_EQ(sh[1], 0);
    seL4_UserContext ctx;
    if (read_regs(t->tcb, &ctx)) {
        CHECK_TRUE(CTX_PC(ctx) >= 0x400000 && CTX_PC(ctx) < 0x500000);
        CHECK_EQ(CTX_CAPREG(ctx), BAD_CPTR);
    }
    /* Resumed, it re-executes the Send and double-faults again. */
    thread_start(t);
    yield_n(10);
    CHECK_EQ(sh[0], 1);
    CHECK_EQ(sh[1], 0);
}

static void check_double_fault(seL4_CPtr handler, seL4_CPtr ep_to_watch)
{
    thread_t *t = thread_new(ROOT_PRIO, h_send_to, BAD_CPTR, 0);
    if (!t || !thread_set_fault_ep(t, handler)) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(10);
    CHECK_EQ(sh[1], 0);
    CHECK_EQ(nb_recv(ep_to_watch, NULL, NULL), 0);
}

TTEST(fault_handler_without_grant_is_double_fault)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr h = ep ? tt_mint(ep, seL4_ReadWrite, 0x1) : 0;
    if (h) {
        check_double_fault(h, ep);
    }
}

TTEST(fault_handler_without_write_is_double_fault)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr h = ep ? tt_mint(ep, seL4_CapRights_new(1, 1, 1, 0), 0x1) : 0;
    if (h) {
        check_double_fault(h, ep);
    }
}

TTEST(fault_handler_not_an_endpoint_is_double_fault)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn();
    if (!ep || !n) {
        return;
    }
    check_double_fault(n, ep);
    seL4_Word badge = 1;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
}

TTEST(fault_handler_unresolvable_is_double_fault)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (ep) {
        check_double_fault(BAD_CPTR, ep);
    }
}

TTEST(fault_handler_with_grant_reply_only_works)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr h = ep ? tt_mint(ep, seL4_CapRights_new(1, 0, 0, 1), 0x2) : 0;
    thread_t *t = h ? faulter(h_send_to, BAD_CPTR, h) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0x2)) {
        return;
    }
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    recv_fault(ep, t, seL4_Fault_CapFault, 7, 0x2);
}

TTEST(fault_handler_looked_up_at_fault_time)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    thread_t *t = ep && s ? faulter(h_send_to, BAD_CPTR, s) : NULL;
    if (!t) {
        return;
    }
    /* The slot was empty at SetSpace time; fill it before the fault. */
    CHECK_OK(mint_root(s, ep, seL4_AllRights, 0x5));
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0x5)) {
        return;
    }
    /* Empty it again: the restarted Send now double-faults. */
    CHECK_OK(seL4_CNode_Delete(ROOT, s, 64));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_OK(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, ROOT_PRIO));
    yield_n(10);
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
    CHECK_EQ(sh[1], 0);
}

TTEST(fault_handler_cptr_resolved_in_faulter_cspace)
{
    /* The faulter's CSpace: 8 slots, guard 61 bits; its handler cptr 1 is
     * a badged endpoint there (in the root CNode slot 1 is a TCB). */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr cn = tt_cnode(3);
    thread_t *t = thread_new(FAULTER_PRIO, h_send_to, BAD_CPTR, 0);
    if (!ep || !cn || !t) {
        return;
    }
    CHECK_OK(seL4_CNode_Mint(cn, 1, 3, ROOT, ep, 64, seL4_AllRights, 0x99));
    CHECK_OK(seL4_CNode_Copy(cn, 2, 3, ROOT, t->tcb, 64, seL4_AllRights));
    if (!thread_set_cspace(t, 1, cn, GUARD(0, 61), 2)) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0x99)) {
        return;
    }
    /* The failing lookup was in its CSpace: guard size 61. */
    CHECK_MRS(BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 61);
}

TTEST(fault_reply_through_saved_caller)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    seL4_CPtr sig = done ? tt_mint(done, seL4_AllRights, 0x8) : 0;
    seL4_CPtr s = slot_alloc();
    thread_t *t = ep && s ? faulter(h_send_to, BAD_CPTR, ep) : NULL;
    if (!sig || !t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_OCCUPIED(s);
    retarget(t, sig);
    seL4_Send(s, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EMPTY(s);
    seL4_Word badge = 0;
    seL4_Wait(done, &badge);
    CHECK_EQ(badge, 0x8);
}

TTEST(fault_suspending_faulter_cancels_fault)
{
    /* Suspend of a thread waiting for its fault reply deletes the reply
     * cap and clears the fault (4.2, 6.6); resumed, it faults afresh. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    thread_t *t = ep && s ? faulter(h_send_to, BAD_CPTR, ep) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    thread_suspend(t);
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
    thread_start(t);
    if (!recv_fault(ep, t, seL4_Fault_CapFault, 7, 0)) {
        return;
    }
    CHECK_MRS(BAD_CPTR, 0, seL4_GuardMismatch, 64, 0, 51);
}

TTEST(fault_message_waits_for_handler)
{
    /* The handler is not receiving: the faulter blocks sending its fault
     * message until the handler receives it. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_send_to, BAD_CPTR, 0) : NULL;
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(5);
    seL4_MessageInfo_t info;
    seL4_Word badge = 1;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, seL4_Fault_CapFault, 0, 0, 7);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_GetMR(1), BAD_CPTR);
    CHECK_EQ(seL4_GetMR(6), 51);
    /* Only one message. */
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

TTEST(fault_cap_fault_to_handler_without_ipc_buffer_is_truncated)
{
    /* semantics 8.2: words beyond MR3 need the handler's IPC buffer. The
     * 7-word GuardMismatch cap fault arrives as 4 words. */
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    if (!ep || !done || !start_bufferless_receiver(ep, done)) {
        return;
    }
    thread_t *t = faulter(h_send_to, BAD_CPTR, ep);
    if (!t) {
        return;
    }
    thread_start(t);
    seL4_Word badge;
    seL4_Wait(done, &badge);
    seL4_MessageInfo_t got = { { bufferless_msg.info } };
    CHECK_INFO(got, seL4_Fault_CapFault, 0, 0, 4);
    CHECK_EQ(bufferless_msg.mr[1], BAD_CPTR);
    CHECK_EQ(bufferless_msg.mr[2], 0);
    CHECK_EQ(bufferless_msg.mr[3], seL4_GuardMismatch);
}
