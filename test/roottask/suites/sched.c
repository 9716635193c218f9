/*
 * Scheduling (semantics 4.2, 4.3 priority calls, 5, 14 item 4;
 * seL4-abi.md 8.3, 13.4): strict priorities, where woken / resumed threads
 * go, Yield, timer preemption and round robin, and the MCP rules.
 */
#include "threads.h"

#include <stdint.h>

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

#if defined(CONFIG_ARCH_X86_64)
static uint64_t now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
/* Upper bound for busy loops: ~2 s at a few GHz of TSC. */
#define BUSY_LIMIT 6000000000ull
#else
/* No user-visible counter (CNTKCTL_EL1 = 0, seL4-abi.md 13.5): count calls
 * instead; one call per busy-loop iteration. */
static uint64_t now(void)
{
    static volatile uint64_t calls;
    return ++calls;
}
#define BUSY_LIMIT 300000000ull
#endif

static int set_root_prio(seL4_Word prio)
{
    return CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio));
}

/* Log `id`, then signal `sig` (if any). */
static void h_log(seL4_Word id, seL4_Word sig)
{
    ev(id);
    if (sig) {
        seL4_Signal(sig);
    }
}

/* Wait on arg0, then log arg1. */
static void h_wait_log(seL4_Word n, seL4_Word id)
{
    sh[0] = 1;
    seL4_Word badge;
    seL4_Wait(n, &badge);
    ev(id);
    sh[1] = 1;
}

TTEST(sched_resume_higher_prio_runs_first)
{
    if (!set_root_prio(100)) {
        return;
    }
    thread_t *t = thread_new(150, h_log, 2, 0);
    if (!t) {
        return;
    }
    ev(1);
    thread_start(t);
    ev(3);
    CHECK_EVENTS(1, 2, 3);
    CHECK_EQ(t->returned, 1);
}

TTEST(sched_resume_lower_prio_runs_when_root_blocks)
{
    seL4_CPtr done = tt_ntfn();
    thread_t *t = done ? thread_new(100, h_log, 2, done) : NULL;
    if (!t) {
        return;
    }
    ev(1);
    thread_start(t);
    yield_n(5); /* Yield never gives the CPU to a lower priority */
    ev(3);
    seL4_Word badge;
    seL4_Wait(done, &badge);
    ev(4);
    CHECK_EVENTS(1, 3, 2, 4);
}

TTEST(sched_resume_inserts_at_queue_head)
{
    /* semantics 4.2: restart() enqueues at the head, so of two threads of
     * one priority resumed in turn, the later one runs first. */
    seL4_CPtr done = tt_ntfn();
    seL4_CPtr da = done ? tt_mint(done, seL4_AllRights, 1) : 0;
    seL4_CPtr db = done ? tt_mint(done, seL4_AllRights, 2) : 0;
    thread_t *a = da ? thread_new(100, h_log, 0xa, da) : NULL;
    thread_t *b = db ? thread_new(100, h_log, 0xb, db) : NULL;
    if (!a || !b) {
        return;
    }
    thread_start(a);
    thread_start(b);
    seL4_Word got = 0;
    for (int i = 0; i < 2 && got != 3; i++) {
        seL4_Word badge;
        seL4_Wait(done, &badge);
        got |= badge;
    }
    CHECK_EQ(got, 3);
    CHECK_EVENTS(0xb, 0xa);
}

TTEST(sched_highest_priority_runs_first)
{
    seL4_CPtr done = tt_ntfn();
    if (!done) {
        return;
    }
    static const seL4_Word prios[] = { 10, 30, 20, 25 };
    for (int i = 0; i < 4; i++) {
        seL4_CPtr d = tt_mint(done, seL4_AllRights, 1ul << i);
        if (!d || !thread_run(prios[i], h_log, prios[i], d)) {
            return;
        }
    }
    ev(1);
    seL4_Word got = 0;
    for (int i = 0; i < 4 && got != 0xf; i++) {
        seL4_Word badge;
        seL4_Wait(done, &badge);
        got |= badge;
    }
    CHECK_EQ(got, 0xf);
    CHECK_EVENTS(1, 30, 25, 20, 10);
}

TTEST(sched_signal_equal_prio_waiter_does_not_preempt)
{
    /* Equal priority: the waker keeps running, the woken thread is queued.
     * A timer tick exactly between Signal and ev(3) would also let it run,
     * so up to three attempts are made. */
    int ok = 0;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        sh_reset();
        ev_reset();
        seL4_CPtr n = tt_ntfn();
        thread_t *t = n ? thread_run(ROOT_PRIO, h_wait_log, n, 2) : NULL;
        if (!t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
            return;
        }
        yield_n(2);
        ev(1);
        seL4_Signal(n);
        ev(3);
        if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
            return;
        }
        ok = ev_count() == 3 && ev_at(0) == 1 && ev_at(1) == 3 && ev_at(2) == 2;
    }
    CHECK_EVENTS(1, 3, 2);
}

TTEST(sched_signal_higher_prio_waiter_preempts)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    if (!n || !set_root_prio(100) || !thread_run(200, h_wait_log, n, 2)) {
        return;
    }
    /* It ran at once (higher priority) and is now waiting. */
    CHECK_EQ(sh[0], 1);
    ev(1);
    seL4_Signal(n);
    ev(3);
    CHECK_EVENTS(1, 2, 3);
}

TTEST(sched_signal_lower_prio_waiter_does_not_preempt)
{
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr done = tt_ntfn();
    if (!n || !done || !set_root_prio(100) || !thread_run(100, h_wait_log, n, 2) ||
        !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 200));
    ev(1);
    seL4_Signal(n);
    ev(3);
    yield_n(5);
    ev(4);
    /* Only when the root task drops below it does it run. */
    set_root_prio(50);
    ev(5);
    CHECK_EVENTS(1, 3, 4, 2, 5);
}

TTEST(sched_lowering_own_priority_switches_at_once)
{
    thread_t *t = thread_new(200, h_log, 2, 0);
    if (!t) {
        return;
    }
    thread_start(t);
    ev(1);
    set_root_prio(150);
    ev(3);
    CHECK_EVENTS(1, 2, 3);
}

TTEST(sched_raising_other_priority_preempts)
{
    if (!set_root_prio(100)) {
        return;
    }
    thread_t *t = thread_run(50, h_log, 2, 0);
    if (!t) {
        return;
    }
    yield_n(3);
    ev(1);
    CHECK_OK(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, 200));
    ev(3);
    CHECK_EVENTS(1, 2, 3);
}

TTEST(sched_preempted_thread_keeps_its_turn)
{
    /* semantics 5: a runnable current thread switched away from goes to the
     * head of its queue. The root task (100) wakes a 200 thread; when that
     * blocks again the root task, not the queued 100 thread, continues. */
    sh_reset();
    seL4_CPtr n = tt_ntfn();
    if (!n || !set_root_prio(100) || !thread_run(200, h_wait_log, n, 2)) {
        return;
    }
    if (!thread_run(100, h_log, 0x58, 0)) {
        return;
    }
    ev(1);
    seL4_Signal(n);
    ev(3);
    seL4_Yield();
    ev(4);
    CHECK_EVENTS(1, 2, 3, 0x58, 4);
}

static void h_yield_log(seL4_Word id, seL4_Word rounds)
{
    for (seL4_Word i = 0; i < rounds; i++) {
        ev(id);
        seL4_Yield();
    }
    sh[2]++;
}

/* Each window of three consecutive entries is a rotation of the first. */
static int is_rotation(seL4_Word n)
{
    if (ev_count() != n) {
        return 0;
    }
    if (ev_at(0) == ev_at(1) || ev_at(1) == ev_at(2) || ev_at(0) == ev_at(2)) {
        return 0;
    }
    for (seL4_Word i = 3; i < n; i++) {
        if (ev_at(i) != ev_at(i - 3)) {
            return 0;
        }
    }
    return 1;
}

TTEST(sched_yield_round_robin_equal_priority)
{
    /* Three threads at the root task's priority log and yield; Yield puts
     * the caller at the tail, so they strictly rotate. A timer tick at the
     * wrong moment can also rotate the queue, so the measurement is
     * repeated up to three times. */
    int ok = 0;
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        sh_reset();
        ev_reset();
        thread_t *t[3];
        for (int i = 0; i < 3; i++) {
            t[i] = thread_run(ROOT_PRIO, h_yield_log, 0xa + (seL4_Word)i, 6);
            if (!t[i]) {
                return;
            }
        }
        if (!CHECK_TRUE(yield_until(&sh[2], 3, YIELD_LIMIT))) {
            return;
        }
        ok = is_rotation(18);
        for (int i = 0; i < 3; i++) {
            CHECK_OK(seL4_TCB_Suspend(t[i]->tcb));
            t[i]->in_use = 0;
        }
    }
    if (!ok) {
        TEST_FAIL("three equal-priority threads that yield did not rotate");
        printf("    log:");
        for (seL4_Word i = 0; i < ev_count(); i++) {
            printf(" %lx", (unsigned long)ev_at(i));
        }
        printf("\n");
    }
}

static void h_count_yield(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    for (;;) {
        sh[3]++;
        seL4_Yield();
    }
}

TTEST(sched_yield_gives_exactly_one_turn)
{
    /* Root and one thread at the same priority: each root Yield lets the
     * thread run exactly one loop iteration (it yields back). Repeated up
     * to three times in case a timer tick interferes. */
    sh_reset();
    thread_t *t = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    if (!t) {
        return;
    }
    int ok = 0;
    seL4_Word deltas[10];
    for (int attempt = 0; attempt < 3 && !ok; attempt++) {
        seL4_Yield(); /* let it reach its loop */
        ok = 1;
        for (int i = 0; i < 10; i++) {
            seL4_Word before = sh[3];
            seL4_Yield();
            deltas[i] = sh[3] - before;
            ok &= deltas[i] == 1;
        }
    }
    if (!ok) {
        TEST_FAIL("expected the other thread to advance by exactly 1 per Yield");
        printf("    advances:");
        for (int i = 0; i < 10; i++) {
            printf(" %lu", (unsigned long)deltas[i]);
        }
        printf("\n");
    }
    thread_suspend(t);
    seL4_Word frozen = sh[3];
    yield_n(10);
    CHECK_EQ(sh[3], frozen);
}

static void h_spin(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    for (;;) {
        sh[4]++;
    }
}

TTEST(sched_timer_round_robin_with_busy_root)
{
    /* Neither thread yields: only timeslice expiry (5 ticks of 2 ms) can
     * switch between the root task and an equal-priority busy thread. */
    sh_reset();
    thread_t *t = thread_run(ROOT_PRIO, h_spin, 0, 0);
    if (!t) {
        return;
    }
    uint64_t t0 = now();
    seL4_Word last = sh[4];
    seL4_Word switches = 0;
    volatile seL4_Word mine = 0;
    while (switches < 5 && now() - t0 < BUSY_LIMIT) {
        mine++;
        if (sh[4] != last) {
            switches++;
            last = sh[4];
        }
    }
    thread_suspend(t);
    CHECK_TRUE(mine > 0);
    CHECK_TRUE(sh[4] > 0);
    if (!CHECK_TRUE(switches >= 5)) {
        printf("    the busy thread got the CPU %lu time(s) in %llu TSC cycles\n",
               (unsigned long)switches, (unsigned long long)(now() - t0));
    }
}

static void h_busy_signaller(seL4_Word wake, seL4_Word unused)
{
    (void)unused;
    for (;;) {
        sh[5]++;
        if (sh[5] == 1000) {
            seL4_Signal(wake);
        }
    }
}

static void h_high_waiter(seL4_Word wake, seL4_Word done)
{
    seL4_Word badge;
    seL4_Wait(wake, &badge);
    sh[6] = sh[5];
    sh[7] = 1;
    seL4_Signal(done);
}

TTEST(sched_busy_low_prio_does_not_delay_high_prio)
{
    /* A busy 100 thread signals a 200 waiter: the waiter runs at once,
     * before the busy thread makes any further progress. */
    sh_reset();
    seL4_CPtr wake = tt_ntfn(), done = tt_ntfn();
    if (!wake || !done || !thread_run(200, h_high_waiter, wake, done)) {
        return;
    }
    thread_t *l = thread_run(100, h_busy_signaller, wake, 0);
    if (!l) {
        return;
    }
    seL4_Word badge;
    seL4_Wait(done, &badge);
    thread_suspend(l);
    CHECK_EQ(sh[7], 1);
    CHECK_EQ(sh[6], 1000);
}

static void h_spin_watch(seL4_Word done, seL4_Word unused)
{
    /* Busy too, but watches the other busy thread: every change of its
     * counter means we were preempted and it ran. Gives up after a bound. */
    (void)unused;
    uint64_t t0 = now();
    seL4_Word last = sh[4];
    while (sh[9] < 5 && now() - t0 < BUSY_LIMIT) {
        sh[8]++;
        if (sh[4] != last) {
            sh[9]++;
            last = sh[4];
        }
    }
    seL4_Signal(done);
}

TTEST(sched_busy_equal_prio_threads_share_cpu)
{
    /* The root task waits; two busy threads of priority 50 must take
     * turns by timeslice expiry alone. */
    sh_reset();
    seL4_CPtr done = tt_ntfn();
    if (!done || !thread_run(50, h_spin, 0, 0) || !thread_run(50, h_spin_watch, done, 0)) {
        return;
    }
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_TRUE(sh[8] > 0);
    CHECK_TRUE(sh[4] > 0);
    if (!CHECK_TRUE(sh[9] >= 5)) {
        printf("    the other busy thread ran %lu time(s)\n", (unsigned long)sh[9]);
    }
}

TTEST(sched_suspended_thread_is_not_scheduled)
{
    sh_reset();
    thread_t *t = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    if (!t || !CHECK_TRUE(yield_until_ge(&sh[3], 3, YIELD_LIMIT))) {
        return;
    }
    thread_suspend(t);
    seL4_Word frozen = sh[3];
    yield_n(20);
    CHECK_EQ(sh[3], frozen);
    thread_start(t);
    CHECK_TRUE(yield_until_ge(&sh[3], frozen + 3, YIELD_LIMIT));
}

/* ---- MCP rules ------------------------------------------------------------ */

TTEST(sched_priority_bounded_by_authority_mcp)
{
    thread_t *a = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!a || !b) {
        return;
    }
    /* The root task's MCP is 255. */
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(b->tcb, seL4_CapInitThreadTCB, 256), 0, 255);
    CHECK_OK(seL4_TCB_SetPriority(b->tcb, seL4_CapInitThreadTCB, 255));
    /* A new TCB has MCP 0. */
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(b->tcb, a->tcb, 1), 0, 0);
    CHECK_OK(seL4_TCB_SetPriority(b->tcb, a->tcb, 0));
    CHECK_OK(seL4_TCB_SetMCPriority(a->tcb, seL4_CapInitThreadTCB, 100));
    CHECK_OK(seL4_TCB_SetPriority(b->tcb, a->tcb, 100));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(b->tcb, a->tcb, 101), 0, 100);
    /* An authority may name itself. */
    CHECK_OK(seL4_TCB_SetPriority(a->tcb, a->tcb, 100));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(a->tcb, a->tcb, 101), 0, 100);
}

TTEST(sched_mcp_bounded_by_authority_mcp)
{
    thread_t *a = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!a || !b) {
        return;
    }
    CHECK_RANGE_ERR(seL4_TCB_SetMCPriority(b->tcb, seL4_CapInitThreadTCB, 256), 0, 255);
    CHECK_RANGE_ERR(seL4_TCB_SetMCPriority(b->tcb, a->tcb, 1), 0, 0);
    CHECK_OK(seL4_TCB_SetMCPriority(a->tcb, seL4_CapInitThreadTCB, 60));
    CHECK_RANGE_ERR(seL4_TCB_SetMCPriority(b->tcb, a->tcb, 61), 0, 60);
    CHECK_OK(seL4_TCB_SetMCPriority(b->tcb, a->tcb, 60));
    /* b now authorises up to 60 */
    CHECK_OK(seL4_TCB_SetPriority(a->tcb, b->tcb, 60));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(a->tcb, b->tcb, 61), 0, 60);
    /* Lowering one's own MCP is allowed and takes effect. */
    CHECK_OK(seL4_TCB_SetMCPriority(b->tcb, b->tcb, 5));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(a->tcb, b->tcb, 6), 0, 5);
}

TTEST(sched_set_sched_params_checks)
{
    thread_t *a = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *x = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!a || !b || !x) {
        return;
    }
    CHECK_OK(seL4_TCB_SetMCPriority(a->tcb, seL4_CapInitThreadTCB, 10));
    CHECK_RANGE_ERR(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 11, 5), 0, 10);
    CHECK_RANGE_ERR(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 5, 11), 0, 10);
    /* Nothing changed: b's MCP is still 0. */
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(x->tcb, b->tcb, 1), 0, 0);
    CHECK_OK(seL4_TCB_SetSchedParams(b->tcb, a->tcb, 10, 7));
    CHECK_OK(seL4_TCB_SetPriority(x->tcb, b->tcb, 10));
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(x->tcb, b->tcb, 11), 0, 10);
    /* A failing priority leaves the MCP unchanged too. */
    CHECK_RANGE_ERR(seL4_TCB_SetSchedParams(b->tcb, seL4_CapInitThreadTCB, 20, 300), 0, 255);
    CHECK_RANGE_ERR(seL4_TCB_SetPriority(x->tcb, b->tcb, 11), 0, 10);
}

TTEST(sched_priority_authority_must_be_tcb)
{
    seL4_CPtr ep = tt_ep();
    seL4_CPtr n = tt_ntfn();
    seL4_CPtr empty = slot_alloc();
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!ep || !n || !empty || !b) {
        return;
    }
    CHECK_INVALID_CAP(seL4_TCB_SetPriority(b->tcb, ep, 1), 1);
    CHECK_INVALID_CAP(seL4_TCB_SetMCPriority(b->tcb, n, 1), 1);
    CHECK_INVALID_CAP(seL4_TCB_SetSchedParams(b->tcb, empty, 0, 0), 1);
    /* The authority type is checked before the value. */
    CHECK_INVALID_CAP(seL4_TCB_SetPriority(b->tcb, ep, 300), 1);
    CHECK_INVALID_CAP(seL4_TCB_SetSchedParams(b->tcb, ep, 300, 300), 1);
}

TTEST(sched_priority_calls_truncated)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    seL4_CPtr ep = tt_ep();
    if (!b || !ep) {
        return;
    }
    seL4_MessageInfo_t r;
    /* No value */
    r = raw_call(b->tcb, TCBSetPriority, 0, RAW_MRS(0), 1, RAW_CAPS(seL4_CapInitThreadTCB));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* No authority cap */
    r = raw_call(b->tcb, TCBSetPriority, 1, RAW_MRS(1), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBSetMCPriority, 1, RAW_MRS(1), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBSetSchedParams, 1, RAW_MRS(1, 1), 1, RAW_CAPS(seL4_CapInitThreadTCB));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* Truncation is checked before the authority type. */
    r = raw_call(b->tcb, TCBSetPriority, 0, RAW_MRS(0), 1, RAW_CAPS(ep));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
}
