/*
 * Endpoint IPC between threads: message transfer, badges, long messages,
 * blocking/non-blocking variants, queues, Call/Reply/ReplyRecv and reply
 * caps (semantics 0.3, 6.1-6.5; seL4-abi.md 2.3, 2.4, 4.1, 13.7).
 */
#include "threads.h"

#include <string.h>

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
}

static seL4_Word pat(seL4_Word i)
{
    return 0x1000 + i * 0x10001;
}

static seL4_Word pat2(seL4_Word i)
{
    return 0xfeed000000000000ul ^ (i * 0x9e3779b97f4a7c15ul);
}

/* Plain sender: sh[0] = 1 before the Send, sh[1] = 1 after. Label in sh[8]
 * (0 means 0x42), length field in arg1 (MR i = pat(i)). */
static void h_send(seL4_Word ep, seL4_Word len)
{
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR((int)i, pat(i));
    }
    seL4_Word label = sh[8] ? sh[8] : 0x42;
    sh[0] = 1;
    seL4_Send(ep, seL4_MessageInfo_new(label, 0, 0, len));
    sh[1] = 1;
}

/* Caller: sh[2] counts attempts made by the C code, MR0 = attempt number;
 * the reply lands in sh[4] label, sh[5] MR0, sh[6] badge register,
 * sh[7] length; sh[3] = 1 once the Call returned. */
static void h_call(seL4_Word cap, seL4_Word label)
{
    sh[2]++;
    seL4_SetMR(0, sh[2]);
    seL4_Word badge = 0x5a5a;
    seL4_MessageInfo_t r = call_with_badge(cap, seL4_MessageInfo_new(label, 0, 0, 1), &badge);
    sh[4] = seL4_MessageInfo_get_label(r);
    sh[5] = seL4_GetMR(0);
    sh[6] = badge;
    sh[7] = seL4_MessageInfo_get_length(r);
    sh[3] = 1;
}

/* Server: replies to each message with label+1 and MR0+1 (length 1);
 * counts requests in sh[10], last badge in sh[11]. */
static void h_server_inc(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (;;) {
        sh[10]++;
        sh[11] = badge;
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        info = seL4_ReplyRecv(
            ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, 1), &badge);
    }
}

/* Start a sender at the root task's priority and let it block in Send. */
static thread_t *blocked_sender(seL4_CPtr ep, seL4_Word len)
{
    thread_t *t = thread_run(ROOT_PRIO, h_send, ep, len);
    if (t == NULL) {
        return NULL;
    }
    if (!yield_until(&sh[0], 1, YIELD_LIMIT)) {
        TEST_FAIL("the sender thread never ran");
        return NULL;
    }
    yield_n(3);
    return t;
}

TTEST(ipc_recv_from_blocked_sender)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !blocked_sender(ep, 4)) {
        return;
    }
    CHECK_EQ(sh[1], 0); /* still blocked in Send */
    seL4_Word badge = 1;
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, 0x42, 0, 0, 4);
    CHECK_EQ(badge, 0);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(seL4_GetMR(i), pat(i));
    }
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
}

static void h_send_then_signal(seL4_Word ep, seL4_Word done)
{
    seL4_SetMR(0, 0x11);
    seL4_SetMR(1, 0x22);
    seL4_SetMR(2, 0x33);
    sh[0] = 1;
    seL4_Send(ep, seL4_MessageInfo_new(0x43, 0, 0, 3));
    sh[1] = 1;
    seL4_Signal(done);
}

TTEST(ipc_send_to_waiting_receiver_wakes_it_first)
{
    /* The root task (255) waits; a 254 sender delivers, which wakes the
     * higher-priority receiver at once: the sender has not continued yet. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr done = tt_ntfn();
    if (!ep || !done || !thread_run(254, h_send_then_signal, ep, done)) {
        return;
    }
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 0x43, 0, 0, 3);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_GetMR(0), 0x11);
    CHECK_EQ(seL4_GetMR(1), 0x22);
    CHECK_EQ(seL4_GetMR(2), 0x33);
    CHECK_EQ(sh[0], 1);
    CHECK_EQ(sh[1], 0);
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
}

TTEST(ipc_call_reply_root_as_server)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *c = ep ? thread_new(254, h_call, ep, 0x77) : NULL;
    if (!c) {
        return;
    }
    thread_start(c);
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 0x77, 0, 0, 1);
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(sh[3], 0);
    seL4_SetMR(0, 0xbeef);
    seL4_SetMR(1, 0xcafe);
    seL4_Reply(seL4_MessageInfo_new(0x99, 0, 0, 2));
    /* The caller (254) runs only when the root task stops running: lower
     * ourselves below it and it finishes before our next instruction. */
    CHECK_EQ(sh[3], 0);
    CHECK_OK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 200));
    CHECK_EQ(sh[3], 1);
    CHECK_EQ(sh[4], 0x99);
    CHECK_EQ(sh[5], 0xbeef);
    CHECK_EQ(sh[6], 0); /* badge register of a reply */
    CHECK_EQ(sh[7], 2);
}

static void h_client_loop(seL4_Word ep, seL4_Word rounds)
{
    /* sh[20] rounds done, sh[21] mismatches */
    for (seL4_Word i = 0; i < rounds; i++) {
        seL4_SetMR(0, i * 7);
        seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(i + 1, 0, 0, 1));
        if (seL4_MessageInfo_get_label(r) != i + 2 || seL4_GetMR(0) != i * 7 + 1 ||
            seL4_MessageInfo_get_length(r) != 1) {
            sh[21]++;
        }
        sh[20]++;
    }
    seL4_Signal(sh[22]);
}

TTEST(ipc_pingpong_threads_same_cspace)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr done = tt_ntfn();
    if (!ep || !done) {
        return;
    }
    sh[22] = done;
    if (!thread_run(200, h_server_inc, ep, 0) || !thread_run(200, h_client_loop, ep, 50)) {
        return;
    }
    seL4_Word b;
    seL4_Wait(done, &b);
    CHECK_EQ(sh[20], 50);
    CHECK_EQ(sh[21], 0);
    CHECK_EQ(sh[10], 50);
}

TTEST(ipc_pingpong_root_client_server_in_other_cspace)
{
    /* The server's CSpace is a 16-slot CNode (guard 60 bits of 0), holding
     * the endpoint at slot 1 and its own TCB at slot 2. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr cn = tt_cnode(4);
    thread_t *s = thread_new(254, h_server_inc, 1, 0);
    if (!ep || !cn || !s) {
        return;
    }
    CHECK_OK(seL4_CNode_Copy(cn, 1, 4, ROOT, ep, 64, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 2, 4, ROOT, s->tcb, 64, seL4_AllRights));
    if (!thread_set_cspace(s, 0, cn, GUARD(0, 60), 2)) {
        return;
    }
    thread_start(s);
    for (seL4_Word i = 0; i < 20; i++) {
        seL4_SetMR(0, i * 3);
        seL4_Word badge = 1;
        seL4_MessageInfo_t r = call_with_badge(ep, seL4_MessageInfo_new(i, 0, 0, 1), &badge);
        if (!CHECK_INFO(r, i + 1, 0, 0, 1) || !CHECK_EQ(seL4_GetMR(0), i * 3 + 1) ||
            !CHECK_EQ(badge, 0)) {
            return;
        }
    }
    CHECK_EQ(sh[10], 20);
    CHECK_EQ(sh[11], 0);
}

static void h_foreign_client(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    /* CSpace: 1 = badged endpoint, 2 = own TCB, 3 = empty, 4 = notification */
    seL4_SetMR(0, 100);
    seL4_MessageInfo_t r = seL4_Call(1, seL4_MessageInfo_new(7, 0, 0, 1));
    sh[30] = seL4_MessageInfo_get_label(r);
    sh[31] = seL4_GetMR(0);
    /* Slot 3 is empty in this CSpace (it is a VSpace cap in the root's). */
    r = seL4_Call(3, seL4_MessageInfo_new(7, 0, 0, 0));
    sh[32] = seL4_MessageInfo_get_label(r);
    sh[33] = seL4_GetMR(0);
    seL4_Signal(4);
}

TTEST(ipc_other_cspace_client_badge_and_lookups)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr done = tt_ntfn();
    seL4_CPtr cn = tt_cnode(3);
    thread_t *c = thread_new(254, h_foreign_client, 0, 0);
    if (!ep || !done || !cn || !c) {
        return;
    }
    CHECK_OK(seL4_CNode_Mint(cn, 1, 3, ROOT, ep, 64, seL4_AllRights, 0x55));
    CHECK_OK(seL4_CNode_Copy(cn, 2, 3, ROOT, c->tcb, 64, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(cn, 4, 3, ROOT, done, 64, seL4_AllRights));
    if (!thread_set_cspace(c, 0, cn, GUARD(0, 61), 2)) {
        return;
    }
    thread_start(c);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 7, 0, 0, 1);
    CHECK_EQ(badge, 0x55);
    CHECK_EQ(seL4_GetMR(0), 100);
    seL4_SetMR(0, 101);
    seL4_Reply(seL4_MessageInfo_new(8, 0, 0, 1));
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[30], 8);
    CHECK_EQ(sh[31], 101);
    CHECK_EQ(sh[32], seL4_InvalidCapability);
    CHECK_EQ(sh[33], 0);
}

static void h_send_badged(seL4_Word cap, seL4_Word label)
{
    sh[0]++;
    seL4_Send(cap, seL4_MessageInfo_new(label, 0, 0, 0));
    sh[1]++;
}

TTEST(ipc_badges_delivered)
{
    static const seL4_Word badges[] = { 1, 0xabcdef0123456789ul, ~0ul, 0x8000000000000000ul };
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    for (seL4_Word i = 0; i < 4; i++) {
        seL4_CPtr m = tt_mint(ep, seL4_AllRights, badges[i]);
        if (!m || !thread_run(ROOT_PRIO, h_send_badged, m, 0x10 + i)) {
            return;
        }
        if (!CHECK_TRUE(yield_until(&sh[0], i + 1, YIELD_LIMIT))) {
            return;
        }
        yield_n(2);
        seL4_Word badge = 0;
        seL4_MessageInfo_t info;
        if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
            return;
        }
        CHECK_INFO(info, 0x10 + i, 0, 0, 0);
        CHECK_EQ(badge, badges[i]);
    }
    /* Unbadged original: badge 0. */
    if (!thread_run(ROOT_PRIO, h_send_badged, ep, 0x20)) {
        return;
    }
    CHECK_TRUE(yield_until(&sh[0], 5, YIELD_LIMIT));
    yield_n(2);
    seL4_Word badge = 7;
    seL4_MessageInfo_t info;
    CHECK_TRUE(nb_recv(ep, &badge, &info));
    CHECK_EQ(badge, 0);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 0x20);
}

static void clear_root_mrs(void)
{
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0);
    }
}

TTEST(ipc_long_message_120_words)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !blocked_sender(ep, seL4_MsgMaxLength)) {
        return;
    }
    clear_root_mrs();
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 0x42, 0, 0, seL4_MsgMaxLength);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        if (!CHECK_EQ(seL4_GetMR(i), pat(i))) {
            printf("    at MR%d\n", i);
            break;
        }
    }
}

TTEST(ipc_length_above_120_is_clamped)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    /* The length field has 7 bits: 127 is the largest value. */
    if (!ep || !blocked_sender(ep, 127)) {
        return;
    }
    clear_root_mrs();
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 0x42, 0, 0, seL4_MsgMaxLength);
    CHECK_EQ(seL4_GetMR(4), pat(4));
    CHECK_EQ(seL4_GetMR(119), pat(119));
}

TTEST(ipc_medium_message_exact_length)
{
    /* Only `length` words travel: MR7.. of the receiver stay untouched. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !blocked_sender(ep, 7)) {
        return;
    }
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0x77);
    }
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_INFO(info, 0x42, 0, 0, 7);
    for (int i = 0; i < 7; i++) {
        CHECK_EQ(seL4_GetMR(i), pat(i));
    }
    CHECK_EQ(seL4_GetMR(7), 0x77);
    CHECK_EQ(seL4_GetMR(8), 0x77);
}

static void h_long_server(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[40] = info.words[0];
    for (seL4_Word i = 0; i < 100; i++) {
        if (seL4_GetMR((int)i) != pat(i)) {
            sh[41]++;
        }
    }
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR((int)i, pat2(i));
    }
    seL4_Reply(seL4_MessageInfo_new(0x123, 0, 0, seL4_MsgMaxLength));
    sh[42] = 1;
}

TTEST(ipc_long_call_and_long_reply)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !thread_run(254, h_long_server, ep, 0)) {
        return;
    }
    for (seL4_Word i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR((int)i, pat(i));
    }
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(0x55, 0, 0, 100));
    CHECK_INFO(r, 0x123, 0, 0, seL4_MsgMaxLength);
    seL4_MessageInfo_t got = { { sh[40] } };
    CHECK_INFO(got, 0x55, 0, 0, 100);
    CHECK_EQ(sh[41], 0);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        if (!CHECK_EQ(seL4_GetMR(i), pat2((seL4_Word)i))) {
            printf("    at MR%d\n", i);
            break;
        }
    }
}

static void h_send_info(seL4_Word ep, seL4_Word infoword)
{
    seL4_SetMR(0, 0xa0);
    seL4_SetMR(1, 0xa1);
    seL4_SetCap(0, 0);
    seL4_SetCap(1, 0);
    seL4_MessageInfo_t info = { { infoword } };
    sh[0] = 1;
    seL4_Send(ep, info);
    sh[1] = 1;
}

TTEST(ipc_message_info_fields)
{
    /* The 52-bit label arrives unchanged; capsUnwrapped is computed by the
     * kernel (the sender's value is ignored); without Grant no caps travel
     * (the two extra cptrs name slot 0, which resolves to an empty slot). */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr noGrant = ep ? tt_mint(ep, seL4_CapRights_new(1, 0, 1, 1), 0x3) : 0;
    seL4_Word label = (1ul << 52) - 1;
    if (!noGrant || !thread_run(ROOT_PRIO, h_send_info, noGrant,
                                seL4_MessageInfo_new(label, 7, 2, 2).words[0])) {
        return;
    }
    CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT));
    yield_n(2);
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, label, 0, 0, 2);
    CHECK_EQ(badge, 3);
    CHECK_EQ(seL4_GetMR(0), 0xa0);
    CHECK_EQ(seL4_GetMR(1), 0xa1);
}

static void h_recv_record(seL4_Word ep, seL4_Word idx)
{
    seL4_Word badge;
    sh[idx] = 1;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    sh[idx + 1] = seL4_MessageInfo_get_label(info);
    sh[idx + 2] = seL4_GetMR(0);
    sh[idx + 3] = 1;
}

TTEST(ipc_nbsend_without_receiver_is_dropped)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    seL4_SetMR(0, 0x1234);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x61, 0, 0, 1));
    /* Nothing was queued. */
    seL4_Word badge = 9;
    CHECK_EQ(nb_recv(ep, &badge, NULL), 0);
    CHECK_EQ(badge, 0);
    /* A receiver that arrives later gets only the next message. */
    if (!thread_run(ROOT_PRIO, h_recv_record, ep, 50)) {
        return;
    }
    CHECK_TRUE(yield_until(&sh[50], 1, YIELD_LIMIT));
    yield_n(3);
    CHECK_EQ(sh[53], 0);
    seL4_SetMR(0, 0x5678);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x62, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[53], 1, YIELD_LIMIT));
    CHECK_EQ(sh[51], 0x62);
    CHECK_EQ(sh[52], 0x5678);
}

TTEST(ipc_nbrecv_with_nothing_writes_only_badge)
{
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    seL4_Word cap = ep;
    seL4_Word info = NO_MSG_INFO;
    seL4_Word mr0 = 0x1111, mr1 = 0x2222, mr2 = 0x3333, mr3 = 0x4444;
    libsel4_arch_syscall((seL4_Word)seL4_SysNBRecv, &cap, &info, &mr0, &mr1, &mr2, &mr3);
    CHECK_EQ(cap, 0);
    CHECK_EQ(info, NO_MSG_INFO);
    CHECK_EQ(mr0, 0x1111);
    CHECK_EQ(mr1, 0x2222);
    CHECK_EQ(mr2, 0x3333);
    CHECK_EQ(mr3, 0x4444);
}

TTEST(ipc_send_blocks_until_received)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !blocked_sender(ep, 1)) {
        return;
    }
    yield_n(20);
    CHECK_EQ(sh[1], 0);
    CHECK_TRUE(nb_recv(ep, NULL, NULL));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    /* The queue is empty again. */
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

TTEST(ipc_send_queue_is_fifo_not_priority)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr a = ep ? tt_mint(ep, seL4_AllRights, 0xa) : 0;
    seL4_CPtr b = ep ? tt_mint(ep, seL4_AllRights, 0xb) : 0;
    thread_t *ta = a ? thread_run(ROOT_PRIO, h_send_badged, a, 1) : NULL;
    if (!ta || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    thread_t *tb = thread_run(ROOT_PRIO, h_send_badged, b, 2);
    if (!tb || !CHECK_TRUE(yield_until(&sh[0], 2, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    /* Priorities change nothing about the queue order. */
    CHECK_OK(seL4_TCB_SetPriority(ta->tcb, seL4_CapInitThreadTCB, 10));
    CHECK_OK(seL4_TCB_SetPriority(tb->tcb, seL4_CapInitThreadTCB, 250));
    seL4_Word badge;
    seL4_MessageInfo_t info;
    CHECK_TRUE(nb_recv(ep, &badge, &info));
    CHECK_EQ(badge, 0xa);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 1);
    CHECK_TRUE(nb_recv(ep, &badge, &info));
    CHECK_EQ(badge, 0xb);
    CHECK_EQ(seL4_MessageInfo_get_label(info), 2);
}

TTEST(ipc_receive_queue_is_fifo)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep || !thread_run(ROOT_PRIO, h_recv_record, ep, 50) ||
        !CHECK_TRUE(yield_until(&sh[50], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    if (!thread_run(ROOT_PRIO, h_recv_record, ep, 54) ||
        !CHECK_TRUE(yield_until(&sh[54], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_SetMR(0, 1);
    seL4_Send(ep, seL4_MessageInfo_new(0x71, 0, 0, 1));
    seL4_SetMR(0, 2);
    seL4_Send(ep, seL4_MessageInfo_new(0x72, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[53], 1, YIELD_LIMIT));
    CHECK_TRUE(yield_until(&sh[57], 1, YIELD_LIMIT));
    CHECK_EQ(sh[51], 0x71);
    CHECK_EQ(sh[52], 1);
    CHECK_EQ(sh[55], 0x72);
    CHECK_EQ(sh[56], 2);
}

TTEST(ipc_call_without_grant_leaves_caller_inactive)
{
    /* semantics 6.2 / seL4-abi.md 0.1 item 13: no reply cap, caller
     * Inactive; when resumed it re-executes the Call (same registers). */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr w = ep ? tt_mint(ep, seL4_CanWrite, 0x1) : 0;
    thread_t *c = w ? thread_run(ROOT_PRIO, h_call, w, 0x31) : NULL;
    if (!c || !CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, 0x31, 0, 0, 1);
    CHECK_EQ(badge, 1);
    CHECK_EQ(seL4_GetMR(0), 1);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0)); /* no reply cap: nothing */
    yield_n(20);
    CHECK_EQ(sh[3], 0);
    /* Nothing queued either. */
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
    thread_start(c);
    yield_n(5);
    CHECK_EQ(sh[2], 1); /* the C code did not run again */
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
        return;
    }
    CHECK_INFO(info, 0x31, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 1);
    CHECK_EQ(sh[3], 0);
}

TTEST(ipc_call_with_grant_reply_only_gets_reply)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr w = ep ? tt_mint(ep, seL4_CapRights_new(1, 0, 0, 1), 0x2) : 0;
    if (!w || !thread_run(ROOT_PRIO, h_call, w, 0x32) ||
        !CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    seL4_Word badge;
    if (!CHECK_TRUE(nb_recv(ep, &badge, NULL))) {
        return;
    }
    CHECK_EQ(badge, 2);
    seL4_SetMR(0, 0x777);
    seL4_Reply(seL4_MessageInfo_new(0x66, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x66);
    CHECK_EQ(sh[5], 0x777);
    CHECK_EQ(sh[6], 0);
    CHECK_EQ(sh[7], 1);
}

TTEST(ipc_reply_without_caller_is_noop)
{
    seL4_SetMR(0, 0x1);
    seL4_Reply(seL4_MessageInfo_new(0x5, 0, 0, 1));
    seL4_CPtr s = slot_alloc();
    if (!s) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
}

/* The root task receives a Call from a fresh caller thread (255). */
static thread_t *receive_call(seL4_CPtr ep, seL4_Word label)
{
    thread_t *c = thread_run(ROOT_PRIO, h_call, ep, label);
    if (!c || !CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return NULL;
    }
    yield_n(2);
    seL4_Word badge;
    seL4_MessageInfo_t info;
    if (!CHECK_TRUE(nb_recv(ep, &badge, &info)) || !CHECK_INFO(info, label, 0, 0, 1)) {
        return NULL;
    }
    return c;
}

TTEST(ipc_savecaller_then_reply_with_send)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr other = tt_ep();
    seL4_CPtr s = slot_alloc();
    if (!ep || !other || !s || !receive_call(ep, 0x41)) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_OCCUPIED(s);
    /* Another endpoint receive would delete a reply cap left in the caller
     * slot; the saved one is not affected. */
    CHECK_EQ(nb_recv(other, NULL, NULL), 0);
    yield_n(5);
    CHECK_EQ(sh[3], 0);
    seL4_SetMR(0, 0xabc);
    seL4_Send(s, seL4_MessageInfo_new(0x33, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x33);
    CHECK_EQ(sh[5], 0xabc);
    CHECK_EQ(sh[6], 0);
    CHECK_EQ(sh[7], 1);
    /* A reply cap is used up by the reply. */
    CHECK_EMPTY(s);
}

TTEST(ipc_savecaller_then_call_on_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    if (!ep || !s || !receive_call(ep, 0x42)) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    seL4_SetMR(0, 0x99);
    seL4_SetMR(1, 0x98);
    seL4_Word badge = 1;
    seL4_MessageInfo_t r = call_with_badge(s, seL4_MessageInfo_new(0x34, 0, 0, 2), &badge);
    CHECK_INFO(r, 0, 0, 0, 0);
    CHECK_EQ(badge, 0);
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x34);
    CHECK_EQ(sh[5], 0x99);
    CHECK_EQ(sh[7], 2);
    CHECK_EMPTY(s);
}

TTEST(ipc_savecaller_into_full_slot_delete_first)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = ep ? tt_copy(ep, seL4_AllRights) : 0;
    if (!s || !receive_call(ep, 0x43)) {
        return;
    }
    CHECK_ERR(seL4_CNode_SaveCaller(ROOT, s, 64), seL4_DeleteFirst);
    /* The reply cap is still in the caller slot. */
    seL4_Reply(seL4_MessageInfo_new(0x35, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x35);
}

TTEST(ipc_second_recv_deletes_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc();
    if (!ep || !s || !receive_call(ep, 0x44)) {
        return;
    }
    /* An endpoint receive (even non-blocking, finding nothing) first
     * deletes the reply cap in the caller slot. */
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
    seL4_Reply(seL4_MessageInfo_new(0x36, 0, 0, 0));
    yield_n(20);
    CHECK_EQ(sh[3], 0); /* the caller is still waiting */
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_EMPTY(s);
}

TTEST(ipc_notification_recv_keeps_reply_cap)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr n = tt_ntfn();
    if (!ep || !n || !receive_call(ep, 0x45)) {
        return;
    }
    seL4_Word badge = 5;
    seL4_Poll(n, &badge);
    CHECK_EQ(badge, 0);
    seL4_SetMR(0, 0x3);
    seL4_Reply(seL4_MessageInfo_new(0x37, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x37);
    CHECK_EQ(sh[5], 3);
}

static void h_client_badged(seL4_Word cap, seL4_Word id)
{
    for (seL4_Word i = 0; i < 10; i++) {
        seL4_SetMR(0, id * 100 + i);
        seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(id, 0, 0, 1));
        if (seL4_GetMR(0) != id * 100 + i + 1 || seL4_MessageInfo_get_label(r) != id + 1) {
            sh[24 + id]++;
        }
        sh[28 + id]++;
    }
    seL4_Signal(sh[23]);
}

static void h_server_badge_check(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (;;) {
        if (badge != 0xb0 + seL4_MessageInfo_get_label(info)) {
            sh[12]++;
        }
        sh[10]++;
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        info = seL4_ReplyRecv(
            ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, 1), &badge);
    }
}

TTEST(ipc_replyrecv_server_three_clients)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr done = tt_ntfn();
    if (!ep || !done) {
        return;
    }
    seL4_CPtr d[3];
    for (int i = 0; i < 3; i++) {
        d[i] = tt_mint(done, seL4_AllRights, 1ul << i);
    }
    if (!thread_run(200, h_server_badge_check, ep, 0)) {
        return;
    }
    for (seL4_Word id = 1; id <= 3; id++) {
        seL4_CPtr c = tt_mint(ep, seL4_AllRights, 0xb0 + id);
        thread_t *t = c ? thread_new(150, h_client_badged, c, id) : NULL;
        if (!t) {
            return;
        }
        /* Each client signals its own bit. */
        sh[23] = d[id - 1];
        thread_start(t);
        seL4_Word b;
        seL4_Wait(done, &b);
        CHECK_EQ(b, 1ul << (id - 1));
    }
    CHECK_EQ(sh[10], 30);
    CHECK_EQ(sh[12], 0);
    for (int id = 1; id <= 3; id++) {
        CHECK_EQ(sh[28 + id], 10);
        CHECK_EQ(sh[24 + id], 0);
    }
}

TTEST(ipc_call_on_endpoint_without_write_is_invalid_cap)
{
    seL4_CPtr ep = tt_ep();
    seL4_CPtr r = ep ? tt_mint(ep, seL4_CapRights_new(1, 1, 1, 0), 0x9) : 0;
    if (!r) {
        return;
    }
    seL4_Word badge = 1;
    seL4_MessageInfo_t info = call_with_badge(r, seL4_MessageInfo_new(0x1, 0, 0, 0), &badge);
    CHECK_INFO(info, seL4_InvalidCapability, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 0);
    CHECK_EQ(badge, 0);
    /* Send / NBSend: the error is dropped, nothing is queued. */
    seL4_Send(r, seL4_MessageInfo_new(0x2, 0, 0, 0));
    seL4_NBSend(r, seL4_MessageInfo_new(0x3, 0, 0, 0));
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

TTEST(ipc_call_on_empty_slot_is_invalid_cap_not_fault)
{
    /* An empty slot resolves (semantics 1.2 notes): invoking the null cap
     * is error InvalidCapability(0), not a cap fault. */
    seL4_CPtr s = slot_alloc();
    if (!s) {
        return;
    }
    seL4_MessageInfo_t info = seL4_Call(s, seL4_MessageInfo_new(0x1, 0, 0, 0));
    CHECK_INFO(info, seL4_InvalidCapability, 0, 0, 1);
    CHECK_EQ(seL4_GetMR(0), 0);
    seL4_Send(s, seL4_MessageInfo_new(0x1, 0, 0, 0)); /* silently dropped */
    CHECK_TRUE(1);
}

TTEST(ipc_watchdog_rescues_blocked_root)
{
    /* Self-test of the test infrastructure: a Recv nobody will answer. */
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    CHECK_EQ(badge, WD_BADGE);
    CHECK_EQ(seL4_MessageInfo_get_label(info), WD_LABEL);
    CHECK_EQ(wd_fired(), 1);
    wd_ack();
}

static void h_recv_fault_tail(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    sh[12] = 1;
    seL4_Recv(ep, &badge);
    sh[13] = 1;
}

TTEST(ipc_endpoint_deletion_restarts_blocked_threads)
{
    /* semantics 6.6 cancelAllIPC: queued threads are set Restart and
     * re-issue their syscall; with the caps gone a Send is dropped, a Call
     * gets InvalidCapability(0), a Recv cap-faults (receive phase). */
    sh_reset();
    seL4_CPtr e1 = tt_ep(), e2 = tt_ep(), fe = tt_ep();
    seL4_CPtr c1 = e1 ? tt_copy(e1, seL4_AllRights) : 0;
    seL4_CPtr c2 = e1 ? tt_copy(e1, seL4_AllRights) : 0;
    seL4_CPtr c3 = e2 ? tt_copy(e2, seL4_AllRights) : 0;
    if (!c1 || !c2 || !c3 || !fe) {
        return;
    }
    thread_t *caller = thread_run(ROOT_PRIO, h_call, c1, 0x51);
    if (!caller || !CHECK_TRUE(yield_until(&sh[2], 1, YIELD_LIMIT))) {
        return;
    }
    thread_t *sender = thread_run(ROOT_PRIO, h_send, c2, 0);
    if (!sender || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    thread_t *recv = thread_new(ROOT_PRIO, h_recv_fault_tail, c3, 0);
    if (!recv || !thread_set_fault_ep(recv, fe)) {
        return;
    }
    thread_start(recv);
    if (!CHECK_TRUE(yield_until(&sh[12], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    CHECK_EQ(sh[1] + sh[3] + sh[13], 0);
    /* Delete every cap to both endpoints. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, e1, 64));
    CHECK_OK(seL4_CNode_Delete(ROOT, e1, 64));
    CHECK_OK(seL4_CNode_Revoke(ROOT, e2, 64));
    CHECK_OK(seL4_CNode_Delete(ROOT, e2, 64));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], seL4_InvalidCapability);
    CHECK_EQ(sh[5], 0);
    CHECK_EQ(sh[7], 1);
    CHECK_EQ(sh[2], 1); /* the Call was re-issued, not the C code */
    yield_n(3);
    seL4_MessageInfo_t info;
    if (CHECK_TRUE(nb_recv(fe, NULL, &info))) {
        CHECK_INFO(info, seL4_Fault_CapFault, 0, 0, 5);
        CHECK_EQ(seL4_GetMR(1), c3);
        CHECK_EQ(seL4_GetMR(2), 1);
        CHECK_EQ(seL4_GetMR(3), seL4_MissingCapability);
        CHECK_EQ(seL4_GetMR(4), 0);
    }
    CHECK_EQ(sh[13], 0);
}

TTEST(ipc_cancel_badged_sends_restarts_those_senders)
{
    /* CancelBadgedSends (semantics 2.6): senders with that badge leave the
     * queue, are put at the head of the ready queue (so the later one runs
     * first) and re-issue their Send. Queue A(1) B(2) C(1) becomes B C A. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr m1 = ep ? tt_mint(ep, seL4_AllRights, 1) : 0;
    seL4_CPtr m2 = ep ? tt_mint(ep, seL4_AllRights, 2) : 0;
    if (!m1 || !m2) {
        return;
    }
    static const seL4_Word labels[3] = { 0xa, 0xb, 0xc };
    seL4_CPtr caps[3] = { m1, m2, m1 };
    for (int i = 0; i < 3; i++) {
        if (!thread_run(ROOT_PRIO, h_send_badged, caps[i], labels[i]) ||
            !CHECK_TRUE(yield_until(&sh[0], (seL4_Word)i + 1, YIELD_LIMIT))) {
            return;
        }
        yield_n(2);
    }
    CHECK_OK(seL4_CNode_CancelBadgedSends(ROOT, m1, 64));
    yield_n(5);
    CHECK_EQ(sh[1], 0);
    static const seL4_Word want_label[3] = { 0xb, 0xc, 0xa };
    static const seL4_Word want_badge[3] = { 2, 1, 1 };
    for (int i = 0; i < 3; i++) {
        seL4_Word badge;
        seL4_MessageInfo_t info;
        if (!CHECK_TRUE(nb_recv(ep, &badge, &info))) {
            return;
        }
        CHECK_EQ(seL4_MessageInfo_get_label(info), want_label[i]);
        CHECK_EQ(badge, want_badge[i]);
    }
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

TTEST(ipc_deleted_sender_leaves_queue)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    if (!ep) {
        return;
    }
    thread_t *a = thread_run(ROOT_PRIO, h_send_badged, ep, 0x1);
    if (!a || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    thread_t *b = thread_run(ROOT_PRIO, h_send_badged, ep, 0x2);
    if (!b || !CHECK_TRUE(yield_until(&sh[0], 2, YIELD_LIMIT))) {
        return;
    }
    yield_n(2);
    CHECK_OK(seL4_CNode_Delete(ROOT, a->tcb, 64));
    seL4_MessageInfo_t info;
    if (CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        CHECK_EQ(seL4_MessageInfo_get_label(info), 0x2);
    }
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

TTEST(ipc_saved_reply_cap_can_be_moved_not_copied)
{
    /* semantics 6.5: reply caps cannot be copied (derive gives null) but
     * can be moved; the moved cap still replies. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    seL4_CPtr s = slot_alloc(), c = slot_alloc(), m = slot_alloc();
    if (!ep || !s || !c || !m || !receive_call(ep, 0x46)) {
        return;
    }
    CHECK_OK(seL4_CNode_SaveCaller(ROOT, s, 64));
    CHECK_NE(copy_root(c, s, seL4_AllRights), seL4_NoError);
    CHECK_EMPTY(c);
    CHECK_OK(move_root(m, s));
    CHECK_EMPTY(s);
    seL4_SetMR(0, 0x4646);
    seL4_Send(m, seL4_MessageInfo_new(0x47, 0, 0, 1));
    CHECK_TRUE(yield_until(&sh[3], 1, YIELD_LIMIT));
    CHECK_EQ(sh[4], 0x47);
    CHECK_EQ(sh[5], 0x4646);
    CHECK_EMPTY(m);
}
