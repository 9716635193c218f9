/*
 * x86_64 register access through TCB invocations (semantics 4.3;
 * seL4-abi.md 0.1 items 1, 2, 11; 2.1; 11): the seL4_UserContext order,
 * sanitising, registers as the thread sees them, a blocked thread's
 * registers, CopyRegisters and the TLS base.
 */
#include "../threads.h"

#include <rt_thread.h>

volatile seL4_Word x86_dump[20];
volatile seL4_Word x86_dump_done;
volatile seL4_Word x86_tcb_rsp;

/*
 * Thread entry that stores RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8..R15, RSP,
 * RFLAGS, the word at %fs:0 and the word at %gs:0 into x86_dump[0..18],
 * sets x86_dump_done and then yields forever.
 */
__asm__(".text\n"
        ".global x86_dump_entry\n"
        "x86_dump_entry:\n"
        "    mov %rax, x86_dump+0(%rip)\n"
        "    mov %rbx, x86_dump+8(%rip)\n"
        "    mov %rcx, x86_dump+16(%rip)\n"
        "    mov %rdx, x86_dump+24(%rip)\n"
        "    mov %rsi, x86_dump+32(%rip)\n"
        "    mov %rdi, x86_dump+40(%rip)\n"
        "    mov %rbp, x86_dump+48(%rip)\n"
        "    mov %r8, x86_dump+56(%rip)\n"
        "    mov %r9, x86_dump+64(%rip)\n"
        "    mov %r10, x86_dump+72(%rip)\n"
        "    mov %r11, x86_dump+80(%rip)\n"
        "    mov %r12, x86_dump+88(%rip)\n"
        "    mov %r13, x86_dump+96(%rip)\n"
        "    mov %r14, x86_dump+104(%rip)\n"
        "    mov %r15, x86_dump+112(%rip)\n"
        "    mov %rsp, x86_dump+120(%rip)\n"
        "    pushfq\n"
        "    pop %rax\n"
        "    mov %rax, x86_dump+128(%rip)\n"
        "    mov %fs:0, %rax\n"
        "    mov %rax, x86_dump+136(%rip)\n"
        "    mov %gs:0, %rax\n"
        "    mov %rax, x86_dump+144(%rip)\n"
        "    movq $1, x86_dump_done(%rip)\n"
        "1:  mov $-7, %rdx\n"
        "    mov %rsp, %rbx\n"
        "    syscall\n"
        "    mov %rbx, %rsp\n"
        "    jmp 1b\n");
void x86_dump_entry(void);

/* seL4_Word x86_block_recv_stub(seL4_Word ep): R12 = 0x1212abcd, raw Recv. */
__asm__(".text\n"
        ".global x86_block_recv_stub\n"
        ".global x86_block_recv_insn\n"
        "x86_block_recv_stub:\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r15\n"
        "    mov $0x1212abcd, %r12\n"
        "    mov $-5, %rdx\n"
        "    xor %esi, %esi\n"
        "    mov %rsp, %rbx\n"
        "    mov %rbx, x86_tcb_rsp(%rip)\n"
        "x86_block_recv_insn:\n"
        "    syscall\n"
        "    mov %rbx, %rsp\n"
        "    mov %rsi, %rax\n"
        "    pop %r15\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    ret\n");
seL4_Word x86_block_recv_stub(seL4_Word ep);
extern char x86_block_recv_insn[];

static volatile seL4_Word sh[16];

static void fill_ctx(seL4_UserContext *c, seL4_Word seed)
{
    seL4_Word *w = (seL4_Word *)c;
    for (seL4_Word i = 0; i < USER_CONTEXT_WORDS; i++) {
        w[i] = (seed << 48) | (i << 8) | 0x11;
    }
    c->rip = 0x401000 + seed * 0x10;
    c->rsp = 0x7f0000 + seed * 0x100;
    c->rflags = 0x2c3;
    c->fs_base = 0x500000 + seed;
    c->gs_base = 0x600000 + seed;
}

static const char *const reg_names[20] = { "rip", "rsp", "rflags", "rax",     "rbx",
                                           "rcx", "rdx", "rsi",    "rdi",     "rbp",
                                           "r8",  "r9",  "r10",    "r11",     "r12",
                                           "r13", "r14", "r15",    "fs_base", "gs_base" };

static int check_ctx_eq(const seL4_UserContext *got, const seL4_UserContext *want, int from, int to)
{
    const seL4_Word *g = (const seL4_Word *)got, *w = (const seL4_Word *)want;
    int ok = 1;
    for (int i = from; i < to; i++) {
        if (g[i] != w[i]) {
            TEST_FAIL("register %s: expected 0x%lx, got 0x%lx", reg_names[i], (unsigned long)w[i],
                      (unsigned long)g[i]);
            ok = 0;
        }
    }
    return ok;
}

TARCH_TEST(x86_tcb_write_read_registers_roundtrip)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_UserContext w, r;
    fill_ctx(&w, 3);
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &w));
    if (read_regs(b->tcb, &r)) {
        check_ctx_eq(&r, &w, 0, 20);
    }
    /* A partial write touches only the first `count` registers. */
    seL4_UserContext w2;
    fill_ctx(&w2, 5);
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, 4, &w2));
    if (read_regs(b->tcb, &r)) {
        check_ctx_eq(&r, &w2, 0, 4);
        check_ctx_eq(&r, &w, 4, 20);
    }
    /* A partial read returns the first `count` registers. */
    seL4_UserContext p;
    for (seL4_Word i = 0; i < USER_CONTEXT_WORDS; i++) {
        ((seL4_Word *)&p)[i] = 0xeeee;
    }
    CHECK_OK(seL4_TCB_ReadRegisters(b->tcb, 0, 0, 7, &p));
    check_ctx_eq(&p, &w2, 0, 4);
    check_ctx_eq(&p, &w, 4, 7);
    CHECK_EQ(p.rsi, 0xeeee);
}

static seL4_Word write_read_flags(thread_t *b, seL4_Word flags)
{
    seL4_UserContext w, r;
    fill_ctx(&w, 1);
    w.rflags = flags;
    if (!CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &w)) ||
        !read_regs(b->tcb, &r)) {
        return ~0ul;
    }
    return r.rflags;
}

TARCH_TEST(x86_tcb_rflags_sanitised)
{
    /* set bit 1, clear bits 3 and 5, force IF, clear TF, keep bits 0..11. */
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    CHECK_EQ(write_read_flags(b, 0), 0x202);
    CHECK_EQ(write_read_flags(b, ~0ul), 0xed7);
    CHECK_EQ(write_read_flags(b, 0x100), 0x202);   /* TF */
    CHECK_EQ(write_read_flags(b, 0x3000), 0x202);  /* IOPL 3 */
    CHECK_EQ(write_read_flags(b, 0x40000), 0x202); /* AC */
    CHECK_EQ(write_read_flags(b, 0x28), 0x202);    /* reserved bits 3, 5 */
    CHECK_EQ(write_read_flags(b, 0x8d5), 0xad7);   /* CF PF AF ZF SF OF */
    CHECK_EQ(write_read_flags(b, 0x400), 0x602);   /* DF */
}

TARCH_TEST(x86_tcb_non_canonical_addresses_become_zero)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!b) {
        return;
    }
    seL4_UserContext w, r;
    fill_ctx(&w, 2);
    w.rip = 0x0000800000000000ul;
    w.fs_base = 0x1234000000000000ul;
    w.gs_base = 0xffff7fffffffffffull;
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &w));
    if (read_regs(b->tcb, &r)) {
        CHECK_EQ(r.rip, 0);
        CHECK_EQ(r.fs_base, 0);
        CHECK_EQ(r.gs_base, 0);
        CHECK_EQ(r.rax, w.rax);
    }
    /* Canonical values are kept, including the upper half. */
    w.rip = 0x00007ffffffff000ul;
    w.fs_base = 0xffff800000000000ul;
    w.gs_base = 0x00007ffffffffffful;
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &w));
    if (read_regs(b->tcb, &r)) {
        CHECK_EQ(r.rip, 0x00007ffffffff000ul);
        CHECK_EQ(r.fs_base, 0xffff800000000000ul);
        CHECK_EQ(r.gs_base, 0x00007ffffffffffful);
    }
}

static volatile seL4_Word fs_word = 0xf5f5f5f5f5f5f5f5ul;
static volatile seL4_Word gs_word = 0x6565656565656565ul;

TARCH_TEST(x86_tcb_written_registers_reach_the_thread)
{
    thread_t *t = thread_new(ROOT_PRIO, (thread_fn_t)0, 0, 0);
    if (!t) {
        return;
    }
    x86_dump_done = 0;
    seL4_UserContext w;
    fill_ctx(&w, 7);
    w.rip = (seL4_Word)x86_dump_entry;
    w.rsp = t->stack_top - 64;
    w.rflags = 0x2c3;
    w.fs_base = (seL4_Word)&fs_word;
    w.gs_base = (seL4_Word)&gs_word;
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 1, 0, USER_CONTEXT_WORDS, &w));
    if (!CHECK_TRUE(yield_until(&x86_dump_done, 1, YIELD_LIMIT))) {
        return;
    }
    thread_suspend(t);
    /* dump order: rax rbx rcx rdx rsi rdi rbp r8..r15 rsp rflags fs:0 gs:0 */
    CHECK_EQ(x86_dump[0], w.rax);
    CHECK_EQ(x86_dump[1], w.rbx);
    CHECK_EQ(x86_dump[2], w.rcx);
    CHECK_EQ(x86_dump[3], w.rdx);
    CHECK_EQ(x86_dump[4], w.rsi);
    CHECK_EQ(x86_dump[5], w.rdi);
    CHECK_EQ(x86_dump[6], w.rbp);
    CHECK_EQ(x86_dump[7], w.r8);
    CHECK_EQ(x86_dump[8], w.r9);
    CHECK_EQ(x86_dump[9], w.r10);
    CHECK_EQ(x86_dump[10], w.r11);
    CHECK_EQ(x86_dump[11], w.r12);
    CHECK_EQ(x86_dump[12], w.r13);
    CHECK_EQ(x86_dump[13], w.r14);
    CHECK_EQ(x86_dump[14], w.r15);
    CHECK_EQ(x86_dump[15], w.rsp);
    CHECK_EQ(x86_dump[16], 0x2c3);
    CHECK_EQ(x86_dump[17], fs_word);
    CHECK_EQ(x86_dump[18], gs_word);
}

static void h_block_recv(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    sh[0] = 1;
    sh[2] = x86_block_recv_stub(ep);
    sh[1] = 1;
}

TARCH_TEST(x86_tcb_registers_of_thread_blocked_in_syscall)
{
    for (int i = 0; i < 16; i++) {
        sh[i] = 0;
    }
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_block_recv, ep, 0) : NULL;
    if (!t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    seL4_UserContext r;
    if (!read_regs(t->tcb, &r)) {
        return;
    }
    /* The PC read is the restart PC: the syscall instruction itself. */
    CHECK_EQ(r.rip, (seL4_Word)x86_block_recv_insn);
    CHECK_EQ(r.rdx, (seL4_Word)seL4_SysRecv);
    CHECK_EQ(r.rdi, ep);
    CHECK_EQ(r.rsi, 0);
    CHECK_EQ(r.r12, 0x1212abcd);
    CHECK_EQ(r.rbx, x86_tcb_rsp);
    CHECK_EQ(r.fs_base, t->tp);
    CHECK_EQ(r.rflags & 0x202, 0x202);
    seL4_NBSend(ep, seL4_MessageInfo_new(0x5, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    seL4_MessageInfo_t got = { { sh[2] } };
    CHECK_INFO(got, 0x5, 0, 0, 0);
}

TARCH_TEST(x86_tcb_copy_registers_frame_and_integer_parts)
{
    thread_t *a = thread_new(10, (thread_fn_t)0, 0, 0);
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    if (!a || !b) {
        return;
    }
    seL4_UserContext wa, wb, r;
    fill_ctx(&wa, 1);
    fill_ctx(&wb, 2);
    CHECK_OK(seL4_TCB_WriteRegisters(a->tcb, 0, 0, USER_CONTEXT_WORDS, &wa));
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &wb));
    /* Frame registers = the first 18 context words (rip .. r15). */
    CHECK_OK(seL4_TCB_CopyRegisters(b->tcb, a->tcb, 0, 0, 1, 0, 0));
    if (read_regs(b->tcb, &r)) {
        check_ctx_eq(&r, &wa, 0, 18);
        check_ctx_eq(&r, &wb, 18, 20);
    }
    /* Integer registers = fs_base, gs_base. */
    CHECK_OK(seL4_TCB_WriteRegisters(b->tcb, 0, 0, USER_CONTEXT_WORDS, &wb));
    CHECK_OK(seL4_TCB_CopyRegisters(b->tcb, a->tcb, 0, 0, 0, 1, 0));
    if (read_regs(b->tcb, &r)) {
        check_ctx_eq(&r, &wb, 0, 18);
        check_ctx_eq(&r, &wa, 18, 20);
    }
}

static unsigned char tls2[1024] __attribute__((aligned(64)));

static void h_read_fs0(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seL4_Word v;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    sh[3] = v;
    sh[4] = 1;
}

TARCH_TEST(x86_tcb_set_tls_base_seen_by_thread)
{
    for (int i = 0; i < 16; i++) {
        sh[i] = 0;
    }
    thread_t *t = thread_new(ROOT_PRIO, h_read_fs0, 0, 0);
    uintptr_t tp2 = rt_tls_new(tls2, sizeof(tls2));
    if (!t || !CHECK_NE(tp2, 0)) {
        return;
    }
    rt_tls_set_ipc_buffer(tp2, t->ipc);
    CHECK_OK(seL4_TCB_SetTLSBase(t->tcb, tp2));
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&sh[4], 1, YIELD_LIMIT))) {
        return;
    }
    CHECK_EQ(sh[3], tp2);
    CHECK_NE(sh[3], t->tp);
    seL4_UserContext r;
    if (read_regs(t->tcb, &r)) {
        CHECK_EQ(r.fs_base, tp2);
    }
}

TARCH_TEST(x86_tcb_vspace_must_be_assigned_pml4)
{
    thread_t *b = thread_new(10, (thread_fn_t)0, 0, 0);
    seL4_CPtr pml4 = tt_obj(seL4_X64_PML4Object, 0);
    if (!b || !pml4) {
        return;
    }
    CHECK_ERR(seL4_TCB_Configure(b->tcb, 0, ROOT, 0, pml4, 0, (seL4_Word)b->ipc, b->ipc_frame),
              seL4_IllegalOperation);
    CHECK_ERR(seL4_TCB_SetSpace(b->tcb, 0, ROOT, 0, pml4, 0), seL4_IllegalOperation);
    CHECK_OK(seL4_TCB_SetSpace(b->tcb, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0));
}

TARCH_TEST(x86_tcb_write_registers_on_blocked_thread_restarts_syscall)
{
    /* WriteRegisters sets NextIP := FaultIP (semantics 4.3). For a thread
     * blocked in Recv that is the syscall instruction: woken by a message
     * it runs the Recv again, and only a second message lets it return.
     * The delivery writes the badge into RDI, the cptr of the re-executed
     * Recv, so the sender's badge is chosen equal to the endpoint's cptr. */
    for (int i = 0; i < 16; i++) {
        sh[i] = 0;
    }
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_run(ROOT_PRIO, h_block_recv, ep, 0) : NULL;
    if (!t || !CHECK_TRUE(yield_until(&sh[0], 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3);
    seL4_UserContext r;
    if (!read_regs(t->tcb, &r)) {
        return;
    }
    seL4_CPtr via = tt_mint(ep, seL4_AllRights, ep);
    if (!via) {
        return;
    }
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 1, &r));
    seL4_NBSend(via, seL4_MessageInfo_new(0x1, 0, 0, 0));
    yield_n(5);
    CHECK_EQ(sh[1], 0);
    seL4_NBSend(via, seL4_MessageInfo_new(0x2, 0, 0, 0));
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    seL4_MessageInfo_t got = { { sh[2] } };
    CHECK_INFO(got, 0x2, 0, 0, 0);
}
