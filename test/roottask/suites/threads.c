/*
 * Helper threads in the root task's address space, the watchdog and small
 * waiting / logging utilities (threads.h).
 */
#include "threads.h"
#include "captypes.h"

#include <rt_thread.h>
#include <string.h>

#define TLS_AREA_SIZE 1024
#define TEST_UT_BITS 17

static unsigned char stacks[THREADS_MAX][THREAD_STACK_SIZE] __attribute__((aligned(16)));
static seL4_IPCBuffer ipcbufs[THREADS_MAX] __attribute__((aligned(1024)));
static unsigned char tls_areas[THREADS_MAX][TLS_AREA_SIZE] __attribute__((aligned(64)));
static thread_t pool[THREADS_MAX];

static seL4_CPtr test_ut;
static volatile seL4_Word wd_count;
static seL4_Word wd_count_at_begin;
static thread_t *watchdog;

/* ---- objects ------------------------------------------------------------------ */

seL4_CPtr tt_ut(void)
{
    if (test_ut == 0) {
        test_ut = ut_new(TEST_UT_BITS);
    }
    return test_ut;
}

seL4_CPtr tt_obj(seL4_Word type, seL4_Word size_bits)
{
    return new_object(tt_ut(), type, size_bits);
}

seL4_CPtr tt_ep(void)
{
    return tt_obj(seL4_EndpointObject, 0);
}

seL4_CPtr tt_ntfn(void)
{
    return tt_obj(seL4_NotificationObject, 0);
}

seL4_CPtr tt_cnode(seL4_Word radix)
{
    return tt_obj(seL4_CapTableObject, radix);
}

seL4_CPtr tt_mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        return 0;
    }
    seL4_Error err = mint_root(s, src, rights, badge);
    if (err != seL4_NoError) {
        TEST_FAIL("tt_mint: CNode_Mint of slot %lu (badge 0x%lx) returned %s", (unsigned long)src,
                  (unsigned long)badge, test_error_name(err));
        return 0;
    }
    return s;
}

seL4_CPtr tt_copy(seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        return 0;
    }
    seL4_Error err = copy_root(s, src, rights);
    if (err != seL4_NoError) {
        TEST_FAIL("tt_copy: CNode_Copy of slot %lu returned %s", (unsigned long)src,
                  test_error_name(err));
        return 0;
    }
    return s;
}

seL4_CPtr image_frame_cap(const void *vaddr)
{
    seL4_Word v = (seL4_Word)vaddr;
    return bootinfo()->userImageFrames.start + (v - IMAGE_START) / PAGE_SIZE;
}

/* ---- threads ------------------------------------------------------------------ */

static __thread thread_t *current_thread;

thread_t *thread_self(void)
{
    return current_thread;
}

static void thread_trampoline(thread_t *t)
{
    current_thread = t;
    t->fn(t->arg0, t->arg1);
    t->returned = 1;
    for (;;) {
        if (t->self != 0) {
            seL4_TCB_Suspend(t->self);
        }
        seL4_Yield();
    }
}

static int write_start_regs(thread_t *t, int resume)
{
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
#if defined(CONFIG_ARCH_X86_64)
    ctx.rip = (seL4_Word)thread_trampoline;
    ctx.rsp = t->stack_top - 8; /* as after a call */
    ctx.rflags = 0x202;
    ctx.rdi = (seL4_Word)t;
    ctx.fs_base = t->tp;
#elif defined(CONFIG_ARCH_AARCH64)
    ctx.pc = (seL4_Word)thread_trampoline;
    ctx.sp = t->stack_top;
    ctx.x0 = (seL4_Word)t;
    ctx.tpidr_el0 = t->tp;
#endif
    seL4_Error err = seL4_TCB_WriteRegisters(t->tcb, resume, 0, USER_CONTEXT_WORDS, &ctx);
    if (err != seL4_NoError) {
        TEST_FAIL("thread %d: TCB_WriteRegisters returned %s", t->index, test_error_name(err));
        return 0;
    }
    return 1;
}

thread_t *thread_new(seL4_Word prio, thread_fn_t fn, seL4_Word arg0, seL4_Word arg1)
{
    thread_t *t = NULL;
    for (int i = 0; i < THREADS_MAX; i++) {
        if (!pool[i].in_use) {
            t = &pool[i];
            memset(t, 0, sizeof(*t));
            t->index = i;
            break;
        }
    }
    if (t == NULL) {
        TEST_FAIL("thread_new: all %d helper threads in use", THREADS_MAX);
        return NULL;
    }
    seL4_CPtr tcb = tt_obj(seL4_TCBObject, 0);
    if (tcb == 0) {
        return NULL;
    }
    t->in_use = 1;
    t->tcb = tcb;
    t->self = tcb;
    t->cspace = seL4_CapInitThreadCNode;
    t->fn = fn;
    t->arg0 = arg0;
    t->arg1 = arg1;
    t->ipc = &ipcbufs[t->index];
    t->ipc_frame = image_frame_cap(t->ipc);
    t->stack_top = (seL4_Word)&stacks[t->index][THREAD_STACK_SIZE];
    memset(t->ipc, 0, sizeof(*t->ipc));
    t->tp = rt_tls_new(tls_areas[t->index], TLS_AREA_SIZE);
    if (t->tp == 0) {
        TEST_FAIL("thread_new: TLS block does not fit %d bytes", TLS_AREA_SIZE);
        return NULL;
    }
    rt_tls_set_ipc_buffer(t->tp, t->ipc);

    seL4_Error err =
        seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                           (seL4_Word)t->ipc, t->ipc_frame);
    if (err != seL4_NoError) {
        TEST_FAIL("thread_new: TCB_Configure returned %s (MR0 0x%lx)", test_error_name(err),
                  seL4_GetMR(0));
        return NULL;
    }
    err = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio);
    if (err != seL4_NoError) {
        TEST_FAIL("thread_new: TCB_SetPriority(%lu) returned %s", (unsigned long)prio,
                  test_error_name(err));
        return NULL;
    }
    if (!write_start_regs(t, 0)) {
        return NULL;
    }
    return t;
}

void thread_start(thread_t *t)
{
    if (t == NULL) {
        return;
    }
    seL4_Error err = seL4_TCB_Resume(t->tcb);
    if (err != seL4_NoError) {
        TEST_FAIL("thread %d: TCB_Resume returned %s", t->index, test_error_name(err));
    }
}

thread_t *thread_run(seL4_Word prio, thread_fn_t fn, seL4_Word arg0, seL4_Word arg1)
{
    thread_t *t = thread_new(prio, fn, arg0, arg1);
    thread_start(t);
    return t;
}

void thread_suspend(thread_t *t)
{
    if (t == NULL) {
        return;
    }
    seL4_Error err = seL4_TCB_Suspend(t->tcb);
    if (err != seL4_NoError) {
        TEST_FAIL("thread %d: TCB_Suspend returned %s", t->index, test_error_name(err));
    }
}

int thread_set_cspace(thread_t *t, seL4_CPtr fault_ep, seL4_CPtr cspace, seL4_Word cspace_data,
                      seL4_CPtr self)
{
    if (t == NULL) {
        return 0;
    }
    seL4_Error err =
        seL4_TCB_SetSpace(t->tcb, fault_ep, cspace, cspace_data, seL4_CapInitThreadVSpace, 0);
    if (err != seL4_NoError) {
        TEST_FAIL("thread %d: TCB_SetSpace returned %s", t->index, test_error_name(err));
        return 0;
    }
    t->cspace = cspace;
    t->cspace_data = cspace_data;
    t->self = self;
    return 1;
}

int thread_set_fault_ep(thread_t *t, seL4_CPtr fault_ep)
{
    if (t == NULL) {
        return 0;
    }
    return thread_set_cspace(t, fault_ep, t->cspace, t->cspace_data, t->self);
}

int read_regs(seL4_CPtr tcb, seL4_UserContext *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    seL4_Error err = seL4_TCB_ReadRegisters(tcb, 0, 0, USER_CONTEXT_WORDS, ctx);
    if (err != seL4_NoError) {
        TEST_FAIL("TCB_ReadRegisters(slot %lu) returned %s", (unsigned long)tcb,
                  test_error_name(err));
        return 0;
    }
    return 1;
}

/* ---- watchdog ------------------------------------------------------------------ */

static void watchdog_main(seL4_Word a0, seL4_Word a1)
{
    (void)a0;
    (void)a1;
    for (;;) {
        /* Priority 0: we only get here when every other thread is blocked. */
        seL4_UserContext ctx;
        memset(&ctx, 0, sizeof(ctx));
        seL4_Error err =
            seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 1, 0, USER_CONTEXT_WORDS, &ctx);
        if (err != seL4_NoError) {
            printf("  watchdog: ReadRegisters of the root task failed (%s)\n",
                   test_error_name(err));
            seL4_Yield();
            continue;
        }
        wd_count++;
        printf("  watchdog: the root task is blocked (pc 0x%lx) and no other thread can run; "
               "forcing its syscall to return (label 0x%lx, badge 0x%lx)\n",
               (unsigned long)CTX_PC(ctx), WD_LABEL, WD_BADGE);
        CTX_PC(ctx) += SYSCALL_INSN_SIZE;
#if defined(CONFIG_ARCH_X86_64)
        ctx.rdi = WD_BADGE;
        ctx.rsi = seL4_MessageInfo_new(WD_LABEL, 0, 0, 0).words[0];
        ctx.rsp = ctx.rbx; /* libsel4 keeps the stack pointer in RBX */
#elif defined(CONFIG_ARCH_AARCH64)
        ctx.x0 = WD_BADGE;
        ctx.x1 = seL4_MessageInfo_new(WD_LABEL, 0, 0, 0).words[0];
#endif
        err = seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 1, 0, USER_CONTEXT_WORDS, &ctx);
        if (err != seL4_NoError) {
            printf("  watchdog: WriteRegisters of the root task failed (%s)\n",
                   test_error_name(err));
            seL4_Yield();
        }
    }
}

seL4_Word wd_fired(void)
{
    return wd_count - wd_count_at_begin;
}

void wd_ack(void)
{
    wd_count_at_begin = wd_count;
}

/* ---- per-test set-up ------------------------------------------------------------- */

void threads_begin(void)
{
    test_ut = 0;
    for (int i = 0; i < THREADS_MAX; i++) {
        pool[i].in_use = 0;
    }
    ev_reset();
    wd_count_at_begin = wd_count;
    seL4_SetCapReceivePath(0, 0, 0);
    watchdog = thread_run(0, watchdog_main, 0, 0);
}

void threads_end(void)
{
    /* Stop every helper first (deletion would do it too, but a helper
     * must not run between the clean-up steps). */
    for (int i = 0; i < THREADS_MAX; i++) {
        if (pool[i].in_use && pool[i].tcb != 0) {
            seL4_TCB_Suspend(pool[i].tcb);
        }
    }
    if (wd_fired() != 0) {
        TEST_FAIL("the watchdog fired %lu time(s): the root task waited for something that "
                  "never happened",
                  (unsigned long)wd_fired());
    }
    /* Undo changes to the root task's own state. */
    seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
    seL4_SetCapReceivePath(0, 0, 0);
    for (int i = 0; i < THREADS_MAX; i++) {
        pool[i].in_use = 0;
    }
    watchdog = NULL;
    test_ut = 0;
}

/* ---- waiting -------------------------------------------------------------------- */

int yield_until(volatile seL4_Word *p, seL4_Word v, int max)
{
    for (int i = 0; i < max; i++) {
        if (*p == v) {
            return 1;
        }
        seL4_Yield();
    }
    return *p == v;
}

int yield_until_ge(volatile seL4_Word *p, seL4_Word v, int max)
{
    for (int i = 0; i < max; i++) {
        if (*p >= v) {
            return 1;
        }
        seL4_Yield();
    }
    return *p >= v;
}

void yield_n(int n)
{
    for (int i = 0; i < n; i++) {
        seL4_Yield();
    }
}

bufferless_msg_t bufferless_msg;

static void bufferless_receiver(seL4_Word ep, seL4_Word done)
{
    seL4_Word badge = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    bufferless_msg.ready = 1;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(ep, &badge, &m0, &m1, &m2, &m3);
    bufferless_msg.info = info.words[0];
    bufferless_msg.mr[0] = m0;
    bufferless_msg.mr[1] = m1;
    bufferless_msg.mr[2] = m2;
    bufferless_msg.mr[3] = m3;
    seL4_Signal(done);
}

thread_t *start_bufferless_receiver(seL4_CPtr ep, seL4_CPtr done)
{
    memset((void *)&bufferless_msg, 0, sizeof(bufferless_msg));
    thread_t *h = thread_new(ROOT_PRIO, bufferless_receiver, ep, done);
    if (h == NULL || !CHECK_OK(seL4_TCB_SetIPCBuffer(h->tcb, 0, h->ipc_frame))) {
        return NULL;
    }
    thread_start(h);
    if (!CHECK_TRUE(yield_until(&bufferless_msg.ready, 1, YIELD_LIMIT))) {
        return NULL;
    }
    yield_n(2); /* from "ready" into the Recv */
    return h;
}

int nb_recv(seL4_CPtr ep, seL4_Word *badge, seL4_MessageInfo_t *info)
{
    seL4_Word cap = ep;
    seL4_Word w = NO_MSG_INFO;
    seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    libsel4_arch_syscall((seL4_Word)seL4_SysNBRecv, &cap, &w, &mr0, &mr1, &mr2, &mr3);
    if (badge != NULL) {
        *badge = cap;
    }
    if (w == NO_MSG_INFO) {
        if (info != NULL) {
            info->words[0] = w;
        }
        return 0;
    }
    seL4_MessageInfo_t tag = { { w } };
    seL4_Word len = seL4_MessageInfo_get_length(tag);
    if (len > 0) {
        seL4_SetMR(0, mr0);
    }
    if (len > 1) {
        seL4_SetMR(1, mr1);
    }
    if (len > 2) {
        seL4_SetMR(2, mr2);
    }
    if (len > 3) {
        seL4_SetMR(3, mr3);
    }
    if (info != NULL) {
        *info = tag;
    }
    return 1;
}

seL4_MessageInfo_t call_with_badge(seL4_CPtr ep, seL4_MessageInfo_t info, seL4_Word *badge)
{
    seL4_Word mr[4];
    seL4_Word cap = ep;
    seL4_Word w = info.words[0];
    libsel4_mrs_from_buffer(info, mr);
    libsel4_arch_syscall((seL4_Word)seL4_SysCall, &cap, &w, &mr[0], &mr[1], &mr[2], &mr[3]);
    seL4_MessageInfo_t tag = { { w } };
    libsel4_mrs_to_buffer(tag, mr);
    if (badge != NULL) {
        *badge = cap;
    }
    return tag;
}

/* ---- event log ------------------------------------------------------------------ */

#define EV_MAX 256
static volatile seL4_Word ev_log[EV_MAX];
static volatile seL4_Word ev_n;

void ev_reset(void)
{
    ev_n = 0;
}

void ev(seL4_Word v)
{
    if (ev_n < EV_MAX) {
        ev_log[ev_n] = v;
    }
    ev_n++;
}

seL4_Word ev_count(void)
{
    return ev_n;
}

seL4_Word ev_at(seL4_Word i)
{
    return i < EV_MAX ? ev_log[i] : 0;
}

static void print_list(const char *what, const volatile seL4_Word *v, seL4_Word n)
{
    printf("    %s {", what);
    for (seL4_Word i = 0; i < n && i < EV_MAX; i++) {
        printf("%s%lu", i ? ", " : "", (unsigned long)v[i]);
    }
    printf("}\n");
}

int check_events_at(const seL4_Word *expected, seL4_Word n, const char *file, int line)
{
    int ok = ev_n == n;
    for (seL4_Word i = 0; ok && i < n; i++) {
        ok = ev_log[i] == expected[i];
    }
    if (ok) {
        return 1;
    }
    test_fail_at(file, line, "event order differs");
    print_list("expected", expected, n);
    print_list("got     ", ev_log, ev_n);
    return 0;
}

int check_info_at(seL4_MessageInfo_t info, seL4_Word label, seL4_Word unwrapped, seL4_Word extra,
                  seL4_Word length, const char *file, int line)
{
    seL4_Word gl = seL4_MessageInfo_get_label(info);
    seL4_Word gu = seL4_MessageInfo_get_capsUnwrapped(info);
    seL4_Word ge = seL4_MessageInfo_get_extraCaps(info);
    seL4_Word gn = seL4_MessageInfo_get_length(info);
    if (gl == label && gu == unwrapped && ge == extra && gn == length) {
        return 1;
    }
    test_fail_at(file, line,
                 "message info 0x%lx: expected label 0x%lx capsUnwrapped %lu extraCaps %lu "
                 "length %lu, got label 0x%lx capsUnwrapped %lu extraCaps %lu length %lu",
                 (unsigned long)info.words[0], (unsigned long)label, (unsigned long)unwrapped,
                 (unsigned long)extra, (unsigned long)length, (unsigned long)gl, (unsigned long)gu,
                 (unsigned long)ge, (unsigned long)gn);
    return 0;
}
