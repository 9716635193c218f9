/*
 * TCB invocations and their errors (semantics 0.3, 4.1-4.3, 6.5, 6.6;
 * seL4-abi.md 8.3, 9.1): register access checks, CopyRegisters, Suspend and
 * Resume in the middle of IPC, IPC-buffer and Configure checks, TLS base,
 * flags.
 */
#include "threads.h"

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

static void h_count_yield(seL4_Word idx, seL4_Word unused)
{
    (void)unused;
    for (;;) {
        sh[idx]++;
        seL4_Yield();
    }
}

static seL4_Word label_of(seL4_MessageInfo_t r)
{
    return seL4_MessageInfo_get_label(r);
}

TTEST(tcb_read_registers_count_range)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_UserContext ctx;
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(b->tcb, 0, 0, 0, &ctx), 1, USER_CONTEXT_WORDS);
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS + 1, &ctx), 1,
                    USER_CONTEXT_WORDS);
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(b->tcb, 0, 0, ~0ul, &ctx), 1, USER_CONTEXT_WORDS);
    /* One register: the PC, as written by thread_new. */
    seL4_MessageInfo_t r = raw_call(b->tcb, TCBReadRegisters, 2, RAW_MRS(0, 1), 0, RAW_CAPS(0));
    CHECK_INFO(r, 0, 0, 0, 1);
    seL4_UserContext full;
    if (read_regs(b->tcb, &full)) {
        CHECK_EQ(seL4_GetMR(0), CTX_PC(full));
    }
    r = raw_call(b->tcb, TCBReadRegisters, 2, RAW_MRS(0, USER_CONTEXT_WORDS), 0, RAW_CAPS(0));
    CHECK_INFO(r, 0, 0, 0, USER_CONTEXT_WORDS);
}

TTEST(tcb_read_write_registers_of_self_illegal)
{
    seL4_UserContext ctx;
    CHECK_ERR(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, USER_CONTEXT_WORDS, &ctx),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 1, 0, 1, &ctx), seL4_IllegalOperation);
    seL4_UserContext w = { 0 };
    CHECK_ERR(seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 0, 0, USER_CONTEXT_WORDS, &w),
              seL4_IllegalOperation);
    /* The range check comes before the self check. */
    CHECK_RANGE_ERR(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 0, &ctx), 1,
                    USER_CONTEXT_WORDS);
}

TTEST(tcb_register_calls_truncated)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_MessageInfo_t r;
    r = raw_call(b->tcb, TCBReadRegisters, 1, RAW_MRS(0, 5), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBWriteRegisters, 1, RAW_MRS(0, 0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* count 3 needs 5 words */
    r = raw_call(b->tcb, TCBWriteRegisters, 4, RAW_MRS(0, 3, 0x401000, 0x1000), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* Truncation before the self check. */
    r = raw_call(seL4_CapInitThreadTCB, TCBWriteRegisters, 1, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* Exactly enough: writes PC and SP only. */
    seL4_UserContext before;
    if (!read_regs(b->tcb, &before)) {
        return;
    }
    r = raw_call(b->tcb, TCBWriteRegisters, 4, RAW_MRS(0, 2, 0x401000, 0x2000), 0, RAW_CAPS(0));
    CHECK_INFO(r, 0, 0, 0, 0);
    seL4_UserContext after;
    if (read_regs(b->tcb, &after)) {
        CHECK_EQ(CTX_PC(after), 0x401000);
        CHECK_EQ(CTX_SP(after), 0x2000);
        CHECK_EQ(CTX_TLS(after), CTX_TLS(before));
    }
    /* The other TCB calls that take arguments. */
    r = raw_call(b->tcb, TCBSetTLSBase, 0, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBSetFlags, 1, RAW_MRS(0, 1), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBCopyRegisters, 1, RAW_MRS(0xc), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBCopyRegisters, 0, RAW_MRS(0xc), 1, RAW_CAPS(seL4_CapInitThreadTCB));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
}

TTEST(tcb_unknown_label_illegal)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_MessageInfo_t r = raw_call(b->tcb, 0x7777, 2, RAW_MRS(0, 0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_IllegalOperation);
    CHECK_EQ(seL4_MessageInfo_get_length(r), 0);
    r = raw_call(b->tcb, 0, 2, RAW_MRS(0, 0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_IllegalOperation);
    /* A CNode label on a TCB */
    r = raw_call(b->tcb, CNodeRevoke, 2, RAW_MRS(1, 64), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_IllegalOperation);
}

TTEST(tcb_read_registers_suspend_flag)
{
    sh_reset();
    thread_t *t = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    if (!t || !CHECK_TRUE(yield_until_ge(&sh[0], 3, YIELD_LIMIT))) {
        return;
    }
    seL4_UserContext ctx;
    CHECK_OK(seL4_TCB_ReadRegisters(t->tcb, 1, 0, USER_CONTEXT_WORDS, &ctx));
    seL4_Word frozen = sh[0];
    yield_n(10);
    CHECK_EQ(sh[0], frozen);
    /* Its TLS base reads back as set by thread_new. */
    CHECK_EQ(CTX_TLS(ctx), t->tp);
    thread_start(t);
    CHECK_TRUE(yield_until_ge(&sh[0], frozen + 2, YIELD_LIMIT));
    /* Without the flag the thread keeps running. */
    CHECK_OK(seL4_TCB_ReadRegisters(t->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
    seL4_Word now = sh[0];
    CHECK_TRUE(yield_until_ge(&sh[0], now + 2, YIELD_LIMIT));
}

TTEST(tcb_copy_registers_errors)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    seL4_CPtr ep = tt_ep();
    seL4_CPtr empty = slot_alloc();
    if (!b || !ep || !empty) {
        return;
    }
    CHECK_INVALID_CAP(seL4_TCB_CopyRegisters(b->tcb, ep, 0, 0, 1, 1, 0), 1);
    CHECK_INVALID_CAP(seL4_TCB_CopyRegisters(b->tcb, empty, 0, 0, 1, 1, 0), 1);
}

TTEST(tcb_copy_registers_suspends_source_resumes_target)
{
    /* The target gets the source's whole context (it runs the same loop on
     * the same stack and TLS); the source is suspended. */
    sh_reset();
    thread_t *a = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    /* b below the root task, so it cannot run before its registers are
     * read back (at equal priority a timer tick could let it run). */
    thread_t *b = thread_new(100, (thread_fn_t)0, 0, 0);
    if (!a || !b || !CHECK_TRUE(yield_until_ge(&sh[0], 3, YIELD_LIMIT))) {
        return;
    }
    CHECK_OK(seL4_TCB_CopyRegisters(b->tcb, a->tcb, 1, 1, 1, 1, 0));
    seL4_UserContext ca, cb;
    if (!read_regs(a->tcb, &ca) || !read_regs(b->tcb, &cb)) {
        return;
    }
    CHECK_EQ(CTX_PC(cb), CTX_PC(ca));
    CHECK_EQ(CTX_TLS(cb), CTX_TLS(ca));
    CHECK_EQ(CTX_SP(cb), CTX_SP(ca));
    CHECK_OK(seL4_TCB_SetPriority(b->tcb, seL4_CapInitThreadTCB, ROOT_PRIO));
    seL4_Word now = sh[0];
    CHECK_TRUE(yield_until_ge(&sh[0], now + 3, YIELD_LIMIT)); /* b counts */
    thread_suspend(b);
    now = sh[0];
    yield_n(10);
    CHECK_EQ(sh[0], now); /* a was suspended by the copy */
}

TTEST(tcb_copy_registers_without_flags_changes_nothing_else)
{
    sh_reset();
    thread_t *a = thread_new(ROOT_PRIO, h_count_yield, 0, 0);
    thread_t *b = thread_new(ROOT_PRIO, h_count_yield, 1, 0);
    if (!a || !b) {
        return;
    }
    seL4_UserContext ca, cb;
    if (!read_regs(a->tcb, &ca) || !read_regs(b->tcb, &cb)) {
        return;
    }
    /* No transfer bits: no register changes, no state change. */
    CHECK_OK(seL4_TCB_CopyRegisters(b->tcb, a->tcb, 0, 0, 0, 0, 0));
    seL4_UserContext cb2;
    if (!read_regs(b->tcb, &cb2)) {
        return;
    }
    CHECK_EQ(CTX_PC(cb2), CTX_PC(cb));
    CHECK_EQ(CTX_CAPREG(cb2), CTX_CAPREG(cb)); /* its thread_t pointer */
    CHECK_NE(CTX_CAPREG(ca), CTX_CAPREG(cb));
    yield_n(5);
    CHECK_EQ(sh[0], 0);
    CHECK_EQ(sh[1], 0);
}

static void h_send_flagged(seL4_Word ep, seL4_Word label)
{
    sh[0]++;
    seL4_SetMR(0, sh[0]);
    seL4_Send(ep, seL4_MessageInfo_new(label, 0, 0, 1));
    sh[1]++;
}

TTEST(tcb_suspend_and_resume_blocked_sender)
{
    /* semantics 4.2: suspend dequeues; resume restarts the Send. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_send_flagged, ep, 0x21) : NULL;
    if (!t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    thread_suspend(t);
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0); /* no longer queued */
    yield_n(5);
    CHECK_EQ(sh[1], 0);
    thread_start(t);
    yield_n(3);
    CHECK_EQ(sh[0], 1); /* only the syscall was re-executed */
    CHECK_EQ(sh[1], 0);
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        return;
    }
    CHECK_INFO(info, 0x21, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
}

static void h_recv_flagged(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[2] = seL4_MessageInfo_get_label(info);
    sh[1]++;
}

TTEST(tcb_suspend_and_resume_blocked_receiver)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_recv_flagged, ep, 0) : NULL;
    if (!t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    thread_suspend(t);
    /* Not a receiver any more: NBSend finds nobody. */
    seL4_NBSend(ep, seL4_MessageInfo_new(0x31, 0, 0, 0));
    yield_n(3);
    CHECK_EQ(sh[1], 0);
    thread_start(t);
    yield_n(3);
    CHECK_EQ(sh[0], 1);
    CHECK_EQ(sh[1], 0);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x32, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x32);
}

static void h_call_flagged(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x41, 0, 0, 0));
    sh[2] = seL4_MessageInfo_get_label(r);
    sh[1]++;
}

TTEST(tcb_suspend_caller_deletes_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_call_flagged, ep, 0) : NULL;
    if (!t || !s || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, NULL, NULL))) {
        return;
    }
    thread_suspend(t);
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
    /* Resumed, it re-executes the Call. */
    thread_start(t);
    yield_n(3);
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        return;
    }
    CHECK_INFO(info, 0x41, 0, 0, 0);
    seL4_Reply(seL4_MessageInfo_new(0x42, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x42);
    CHECK_EQ(sh[0], 1);
}

TTEST(tcb_resume_of_running_thread_is_noop)
{
    sh_reset();
    CHECK_OK(seL4_TCB_Resume(seL4_CapInitThreadTCB));
    thread_t *t = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    if (!t || !CHECK_TRUE(yield_until_ge(&sh[0], 2, YIELD_LIMIT))) {
        return;
    }
    CHECK_OK(seL4_TCB_Resume(t->tcb));
    CHECK_OK(seL4_TCB_Resume(t->tcb));
    seL4_Word now = sh[0];
    CHECK_TRUE(yield_until_ge(&sh[0], now + 3, YIELD_LIMIT));
    /* Suspending twice is fine too. */
    CHECK_OK(seL4_TCB_Suspend(t->tcb));
    CHECK_OK(seL4_TCB_Suspend(t->tcb));
}

static void h_self_suspend(seL4_Word self, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    seL4_TCB_Suspend(self);
    sh[1]++;
}

TTEST(tcb_self_suspend_reexecutes_on_resume)
{
    /* semantics 0.3: a thread suspending itself is in Restart, so on
     * Resume it re-executes the Suspend. */
    sh_reset();
    thread_t *t = thread_new(ROOT_PRIO, h_self_suspend, 0, 0);
    if (!t) {
        return;
    }
    t->arg0 = t->tcb;
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    CHECK_EQ(sh[1], 0);
    thread_start(t);
    yield_n(5);
    CHECK_EQ(sh[0], 1);
    CHECK_EQ(sh[1], 0);
}

TTEST(tcb_delete_running_thread_stops_it)
{
    sh_reset();
    thread_t *t = thread_run(ROOT_PRIO, h_count_yield, 0, 0);
    if (!t || !CHECK_TRUE(yield_until_ge(&sh[0], 2, YIELD_LIMIT))) {
        return;
    }
    CHECK_OK(seL4_CNode_Delete(ROOT, t->tcb, 64));
    seL4_Word now = sh[0];
    yield_n(10);
    CHECK_EQ(sh[0], now);
    CHECK_EMPTY(t->tcb);
}

TTEST(tcb_set_ipc_buffer_errors)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    seL4_CPtr ep = tt_ep();
    if (!b || !ep) {
        return;
    }
    seL4_Word buf = (seL4_Word)b->ipc;
    CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf + 8, b->ipc_frame), seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf + 512, b->ipc_frame), seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf, ep), seL4_IllegalOperation);
    /* An untyped without children derives fine and is not a frame; one with
     * children fails the derivation first (errors propagate, 4.3). */
    seL4_CPtr fresh = ut_new(12);
    if (fresh) {
        CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf, fresh), seL4_IllegalOperation);
    }
    CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf, tt_ut()), seL4_RevokeFirst);
    CHECK_ERR(seL4_TCB_SetIPCBuffer(b->tcb, buf, b->tcb), seL4_IllegalOperation);
    /* The extra cap is needed even for address 0. */
    seL4_MessageInfo_t r = raw_call(b->tcb, TCBSetIPCBuffer, 1, RAW_MRS(0), 0, RAW_CAPS(0));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBSetIPCBuffer, 0, RAW_MRS(0), 1, RAW_CAPS(b->ipc_frame));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* Address 0: no buffer, the cap is ignored. */
    CHECK_OK(seL4_TCB_SetIPCBuffer(b->tcb, 0, ep));
    CHECK_OK(seL4_TCB_SetIPCBuffer(b->tcb, buf, b->ipc_frame));
}

static void h_send_10(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(i, 0x600 + (seL4_Word)i);
    }
    sh[0] = 1;
    seL4_Send(ep, seL4_MessageInfo_new(0x61, 0, 0, 10));
    sh[1] = 1;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[2] = info.words[0];
    sh[3] = seL4_GetMR(0);
    sh[4] = 1;
}

TTEST(tcb_thread_without_ipc_buffer_transfers_registers_only)
{
    /* semantics 6.4 step 3: MR4+ travel only if both threads have a buffer. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_send_10, ep, 0) : NULL;
    if (!t) {
        return;
    }
    CHECK_OK(seL4_TCB_SetIPCBuffer(t->tcb, 0, t->ipc_frame));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0xee);
    }
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        return;
    }
    CHECK_INFO(info, 0x61, 0, 0, 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(seL4_GetMR(i), 0x600 + (seL4_Word)i);
    }
    CHECK_EQ(seL4_GetMR(4), 0xee);
    /* Receiving side without a buffer: 4 words arrive. */
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(i, 0x700 + (seL4_Word)i);
    }
    seL4_Send(ep, seL4_MessageInfo_new(0x62, 0, 0, 10));
    if (!CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT))) {
        return;
    }
    seL4_MessageInfo_t got = { { sh[2] } };
    CHECK_INFO(got, 0x62, 0, 0, 4);
    CHECK_EQ(sh[3], 0x700);
}

TTEST(tcb_configure_errors)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    seL4_CPtr ep = tt_ep();
    if (!b || !ep) {
        return;
    }
    seL4_Word buf = (seL4_Word)b->ipc;
    seL4_CPtr vs = seL4_CapInitThreadVSpace;
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, vs, 0, buf + 64, b->ipc_frame),
              seL4_AlignmentError);
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, vs, 0, buf, ep), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ep, 0, vs, 0, buf, b->ipc_frame),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, ep, 0, buf, b->ipc_frame),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, ROOT, 0, buf, b->ipc_frame),
              seL4_IllegalOperation);
    /* Buffer checks come before the CSpace check (semantics 14 item 5). */
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ep, 0, vs, 0, buf + 64, b->ipc_frame),
              seL4_AlignmentError);
    /* Guard size + radix > 64 makes an invalid CSpace root. */
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, GUARD(0, 60), vs, 0, buf, b->ipc_frame),
              seL4_IllegalOperation);
    /* Three extra caps are needed. */
    seL4_MessageInfo_t r =
        raw_call(b->tcb, TCBConfigure, 4, RAW_MRS(0, 0, 0, 0), 2, RAW_CAPS(ROOT, vs));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    r = raw_call(b->tcb, TCBConfigure, 3, RAW_MRS(0, 0, 0, 0), 3, RAW_CAPS(ROOT, vs, b->ipc_frame));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* SetSpace has the same CSpace/VSpace checks. */
    CHECK_ERR(seL4_TCB_SetSpace(b->tcb, 0, ep, 0, vs, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetSpace(b->tcb, 0, ROOT, 0, ep, 0), seL4_IllegalOperation);
    r = raw_call(b->tcb, TCBSetSpace, 3, RAW_MRS(0, 0, 0), 1, RAW_CAPS(ROOT));
    CHECK_ERR(label_of(r), seL4_TruncatedMessage);
    /* A valid configuration still works afterwards. */
    CHECK_OK(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, vs, 0, buf, b->ipc_frame));
    CHECK_OK(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, vs, 0, 0, 0));
}

TTEST(tcb_set_tls_base_of_other_thread)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    CHECK_OK(seL4_TCB_SetTLSBase(b->tcb, 0x12345678abcul));
    seL4_UserContext ctx;
    if (read_regs(b->tcb, &ctx)) {
        CHECK_EQ(CTX_TLS(ctx), 0x12345678abcul);
    }
    CHECK_OK(seL4_TCB_SetTLSBase(b->tcb, 0));
    if (read_regs(b->tcb, &ctx)) {
        CHECK_EQ(CTX_TLS(ctx), 0);
    }
}

TTEST(tcb_set_flags)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(b->tcb, 0, 0);
    CHECK_OK(r.error);
    CHECK_EQ(r.flags, seL4_TCBFlag_NoFlag);
    r = seL4_TCB_SetFlags(b->tcb, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_OK(r.error);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    /* Unknown bits are ignored. */
    r = seL4_TCB_SetFlags(b->tcb, 0, ~0ul);
    CHECK_OK(r.error);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(b->tcb, 0, 0);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(b->tcb, seL4_TCBFlag_fpuDisabled, 0);
    CHECK_OK(r.error);
    CHECK_EQ(r.flags, 0);
    /* Set wins over clear for the same bit: (f & ~clear) | set. */
    r = seL4_TCB_SetFlags(b->tcb, ~0ul, seL4_TCBFlag_fpuDisabled);
    CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(b->tcb, ~0ul, 0);
    CHECK_EQ(r.flags, 0);
    /* The reply carries one word. */
    seL4_MessageInfo_t m = raw_call(b->tcb, TCBSetFlags, 2, RAW_MRS(0, 1), 0, RAW_CAPS(0));
    CHECK_INFO(m, 0, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 1);
}

static void h_recv_len(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    sh[0] = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[2] = info.words[0];
    sh[1] = 1;
    /* Now send 10 words from the read-only buffer. */
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(i, 0x900 + (seL4_Word)i);
    }
    seL4_Send(ep, seL4_MessageInfo_new(0x91, 0, 0, 10));
    sh[3] = 1;
}

TTEST(tcb_read_only_ipc_buffer_limits_receiving_only)
{
    /* semantics 0.6, 6.4: a read-only buffer frame is enough to send, but
     * the kernel cannot write into it: only MR0..MR3 are received. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_recv_len, ep, 0) : NULL;
    seL4_CPtr ro = t ? tt_mint(t->ipc_frame, seL4_CanRead, 0) : 0;
    if (!ro) {
        return;
    }
    CHECK_OK(seL4_TCB_SetIPCBuffer(t->tcb, (seL4_Word)t->ipc, ro));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    for (int i = 0; i < 10; i++) {
        seL4_SetMR(i, 0x800 + (seL4_Word)i);
    }
    seL4_Send(ep, seL4_MessageInfo_new(0x81, 0, 0, 10));
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    seL4_MessageInfo_t got = { { sh[2] } };
    CHECK_INFO(got, 0x81, 0, 0, 4);
    yield_n(2);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0);
    }
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        return;
    }
    CHECK_INFO(info, 0x91, 0, 0, 10);
    CHECK_EQ(seL4_GetMR(9), 0x909);
}

static void h_read_regs_len(seL4_Word target, seL4_Word unused)
{
    (void)unused;
    seL4_SetMR(0, 0);
    seL4_SetMR(1, USER_CONTEXT_WORDS);
    seL4_MessageInfo_t r = seL4_Call(target, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2));
    sh[2] = r.words[0];
    sh[1] = 1;
}

TTEST(tcb_kernel_reply_to_read_only_buffer_is_truncated)
{
    /* ReadRegisters' reply: length = count, fewer if the caller cannot
     * receive into its buffer (semantics 4.3, 0.4). */
    sh_reset();
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *t = b ? thread_new(ROOT_PRIO, h_read_regs_len, b->tcb, 0) : NULL;
    seL4_CPtr ro = t ? tt_mint(t->ipc_frame, seL4_CanRead, 0) : 0;
    if (!ro) {
        return;
    }
    CHECK_OK(seL4_TCB_SetIPCBuffer(t->tcb, (seL4_Word)t->ipc, ro));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    seL4_MessageInfo_t got = { { sh[2] } };
    CHECK_INFO(got, 0, 0, 0, 4);
    /* The same with no IPC buffer at all. */
    sh[1] = 0;
    {
        thread_t *t2 = thread_new(ROOT_PRIO, h_read_regs_len, b->tcb, 0);
        if (!t2) {
            return;
        }
        CHECK_OK(seL4_TCB_SetIPCBuffer(t2->tcb, 0, ro));
        thread_start(t2);
        if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
            return;
        }
        seL4_MessageInfo_t got2 = { { sh[2] } };
        CHECK_INFO(got2, 0, 0, 0, 4);
    }
}

TTEST(tcb_resume_blocked_caller_deletes_reply_cap)
{
    /* Resume of a BlockedOnReply thread: cancelIPC deletes the reply cap
     * and the thread re-issues its Call. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_call_flagged, ep, 0) : NULL;
    if (!t || !s || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!CHECK_TRUE(nb_recv(ep, NULL, NULL))) {
        return;
    }
    thread_start(t);
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
    yield_n(3);
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        return;
    }
    CHECK_INFO(info, 0x41, 0, 0, 0);
    seL4_Reply(seL4_MessageInfo_new(0x43, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(sh[2], 0x43);
    CHECK_EQ(sh[0], 1);
}

static void h_nobuf_invocations(seL4_Word target, seL4_Word unused)
{
    (void)unused;
    seL4_UserContext ctx = { 0 };
    CTX_PC(ctx) = 0x401000;
    CTX_SP(ctx) = 0x2000;
    sh[2] = seL4_TCB_WriteRegisters(target, 0, 0, 2, &ctx);
    sh[3] = seL4_TCB_WriteRegisters(target, 0, 0, 3, &ctx);
    sh[4] = seL4_TCB_SetPriority(target, seL4_CapInitThreadTCB, 10);
    /* A FailedLookup error has 5 words; only 4 can be delivered. */
    seL4_Word m0, m1, m2 = 0, m3 = 0;
    seL4_MessageInfo_t r;
    seL4_Word mrs[4];
    m0 = 0xffff000000000010ul;
    m1 = 64;
    r = seL4_CallWithMRs(seL4_CapInitThreadCNode, seL4_MessageInfo_new(CNodeDelete, 0, 0, 2), &m0,
                         &m1, &m2, &m3);
    mrs[0] = m0;
    mrs[1] = m1;
    mrs[2] = m2;
    mrs[3] = m3;
    sh[6] = r.words[0];
    for (int i = 0; i < 4; i++) {
        sh[7 + i] = mrs[i];
    }
    sh[1] = 1;
}

TTEST(tcb_invocations_from_thread_without_ipc_buffer)
{
    /* semantics 0.2 steps 4-5: no IPC buffer => no extra caps and at most
     * 4 message words; 0.4: error replies keep only MR0..MR3. */
    sh_reset();
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *t = b ? thread_new(ROOT_PRIO, h_nobuf_invocations, b->tcb, 0) : NULL;
    if (!t) {
        return;
    }
    CHECK_OK(seL4_TCB_SetIPCBuffer(t->tcb, 0, t->ipc_frame));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT))) {
        return;
    }
    CHECK_ERR(sh[2], seL4_NoError);
    CHECK_ERR(sh[3], seL4_TruncatedMessage);
    CHECK_ERR(sh[4], seL4_TruncatedMessage);
    seL4_MessageInfo_t r = { { sh[6] } };
    CHECK_INFO(r, seL4_FailedLookup, 0, 0, 4);
    CHECK_EQ(sh[7], 0);
    CHECK_EQ(sh[8], seL4_GuardMismatch);
    CHECK_EQ(sh[9], 64);
    CHECK_EQ(sh[10], 0);
    seL4_UserContext ctx;
    if (read_regs(b->tcb, &ctx)) {
        CHECK_EQ(CTX_PC(ctx), 0x401000);
        CHECK_EQ(CTX_SP(ctx), 0x2000);
    }
}
