/*
 * Debug-syscall checks around threads and IPC (semantics 12;
 * seL4-abi.md 1.4, 13.6): DumpScheduler must not disturb anything; cap
 * types of reply and transferred caps through DebugCapIdentify.
 */
#include "../threads.h"
#include "../captypes.h"

static volatile seL4_Word sh[16];

static void sh_reset(void)
{
    for (int i = 0; i < 16; i++) {
        sh[i] = 0;
    }
}

static void h_count_yield(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    for (;;) {
        sh[0]++;
        seL4_Yield();
    }
}

static void h_recv(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    sh[1] = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[2] = seL4_MessageInfo_get_label(info);
    sh[3] = badge;
    sh[4] = 1;
}

static void h_log(seL4_Word id, seL4_Word unused)
{
    (void)unused;
    ev(id);
}

TTEST(debug_dump_scheduler_does_not_disturb)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *a = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    thread_t *b = ep ? thread_run(ROOT_PRIO, h_recv, ep, 0) : NULL;
    thread_t *c = thread_new(ROOT_PRIO, h_log, 0xc, 0); /* never started */
    thread_t *d = thread_run(100, h_log, 0xd, 0);       /* runnable, lower */
    if (!a || !b || !c || !d || !CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_DebugNameThread(a->tcb, "dump-counter");
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(4 + i, 0x4400 + (seL4_Word)i);
    }
    seL4_Word before = sh[0];
    seL4_DebugDumpScheduler();
    /* Our own state is intact. */
    for (int i = 0; i < 10; i++) {
        CHECK_EQ(seL4_GetMR(4 + i), 0x4400 + (seL4_Word)i);
    }
    /* The runnable thread still runs, the blocked one still receives, the
     * inactive one stays inactive, the lower one waits for the CPU. */
    CHECK_TRUE(yield_until_ge(&sh[0], before + 3, YIELD_LIMIT));
    seL4_NBSend(ep, seL4_MessageInfo_new(0x66, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x66);
    CHECK_EQ(ev_count(), 0);
    thread_suspend(a);
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50);
    CHECK_EVENTS(0xd);
    CHECK_EQ(c->returned, 0);
}

static void h_call(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    sh[1] = 1;
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x10, 0, 0, 0));
    sh[2] = seL4_MessageInfo_get_label(r);
    sh[4] = 1;
}

TTEST(debug_identify_saved_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    if (!ep || !s || !thread_run(ROOT_PRIO, h_call, ep, 0) ||
        !CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, NULL, NULL))) {
        return;
    }
    CHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EQ(seL4_DebugCapIdentify(s), CT_REPLY);
    /* A reply cap cannot be copied (derive gives null). */
    seL4_CPtr c = slot_alloc();
    if (c) {
        CHECK_NE(copy_root(c, s, seL4_AllRights), seL4_NoError);
        CHECK_EQ(seL4_DebugCapIdentify(c), CT_NULL);
    }
    seL4_Send(s, seL4_MessageInfo_new(0x11, 0, 0, 0));
    CHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
    CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x11);
}

TTEST(debug_identify_call_without_grant_leaves_no_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr w = ep ? tt_mint(ep, seL4_CanWrite, 0) : 0;
    seL4_CPtr s = slot_alloc();
    if (!w || !s || !thread_run(ROOT_PRIO, h_call, w, 0) ||
        !CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, NULL, NULL))) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL);
}

static void h_send_caps(seL4_Word ep, seL4_Word n)
{
    seL4_SetCap(0, sh[10]);
    seL4_SetCap(1, sh[11]);
    sh[1] = 1;
    seL4_Send(ep, seL4_MessageInfo_new(0x20, 0, n, 0));
}

TTEST(debug_identify_transferred_caps)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn(), e2 = tt_ep();
    seL4_CPtr r1 = slot_alloc(), r2 = slot_alloc();
    if (!ep || !n || !e2 || !r1 || !r2) {
        return;
    }
    thread_t *t;
    seL4_MessageInfo_t info;
    sh[10] = n;
    sh[11] = 0;
    seL4_SetCapReceivePath(ROOT, r1, 64);
    t = thread_run(ROOT_PRIO, h_send_caps, ep, 1);
    if (!t || !CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        CHECK_INFO(info, 0x20, 0, 1, 0);
        CHECK_EQ(seL4_DebugCapIdentify(r1), CT_NOTIFICATION);
    }
    sh_reset();
    sh[10] = e2;
    seL4_SetCapReceivePath(ROOT, r2, 64);
    t = thread_run(ROOT_PRIO, h_send_caps, ep, 1);
    if (!t || !CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        CHECK_INFO(info, 0x20, 0, 1, 0);
        CHECK_EQ(seL4_DebugCapIdentify(r2), CT_ENDPOINT);
    }
    CHECK_EQ(seL4_DebugCapIdentify(t->tcb), CT_THREAD);
}

TTEST(debug_name_helper_thread)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_recv, ep, 0) : NULL;
    if (!t) {
        return;
    }
    seL4_SetMR(30, 0x3030);
    seL4_DebugNameThread(t->tcb, "named-helper");
    CHECK_EQ(seL4_GetMR(30), 0x3030);
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x67, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x67);
}
