/*
 * x86_64 faults other than cap faults, and the FPU (semantics 8.1, 8.4;
 * seL4-abi.md 0.1 items 1, 3, 6, 10, 11; 10.3, 10.4): UnknownSyscall from
 * `syscall` and `int 0x9e`, user exceptions (#UD, #DE, #GP, #BP), VM
 * faults, FPU state across threads and the fpuDisabled flag.
 *
 * The faulting code is written in assembly so that every address and
 * register value in the fault messages is known exactly. Each stub records
 * its stack pointer in x86_stub_rsp and executes `cmp %rax, %rax` just
 * before the faulting instruction, which leaves RFLAGS = 0x246 (IF, bit 1,
 * ZF, PF).
 */
#include "../threads.h"

volatile seL4_Word x86_stub_rsp;
volatile seL4_Word x86_stub_flag;

/* Stubs: void stub(void); each has an _insn label (the faulting
 * instruction) and an _after label (the next instruction, a ret). */
#define USER_EXC_STUB(name, insn)           \
    ".global " #name "\n"                   \
    ".global " #name "_insn\n"              \
    ".global " #name "_after\n" #name ":\n" \
    "    mov %rsp, x86_stub_rsp(%rip)\n"    \
    "    xor %edx, %edx\n"                  \
    "    mov $7, %eax\n"                    \
    "    xor %ecx, %ecx\n"                  \
    "    cmp %rax, %rax\n" #name "_insn:\n" \
    "    " insn "\n" #name "_after:\n"      \
    "    ret\n"

__asm__(".text\n" USER_EXC_STUB(x86_ud2_stub, "ud2") USER_EXC_STUB(x86_div_stub, "div %rcx")
            USER_EXC_STUB(x86_in_stub, "in $0x80, %al") USER_EXC_STUB(x86_hlt_stub, "hlt")
                USER_EXC_STUB(x86_int3_stub, "int3")
                    USER_EXC_STUB(x86_rdfsbase_stub,
                                  ".byte 0xf3, 0x48, 0x0f, 0xae, 0xc0") /* rdfsbase %rax */
        USER_EXC_STUB(x86_cli_stub, "cli"));

#define DECL_STUB(name)        \
    void name(void);           \
    extern char name##_insn[]; \
    extern char name##_after[];
DECL_STUB(x86_ud2_stub)
DECL_STUB(x86_div_stub)
DECL_STUB(x86_in_stub)
DECL_STUB(x86_hlt_stub)
DECL_STUB(x86_int3_stub)
DECL_STUB(x86_rdfsbase_stub)
DECL_STUB(x86_cli_stub)

/*
 * seL4_Word x86_int9e_stub(void): int $0x9e with RAX = 5; returns RAX.
 */
__asm__(".text\n"
        ".global x86_int9e_stub\n"
        ".global x86_int9e_insn\n"
        ".global x86_int9e_after\n"
        "x86_int9e_stub:\n"
        "    mov %rsp, x86_stub_rsp(%rip)\n"
        "    mov $5, %eax\n"
        "x86_int9e_insn:\n"
        "    int $0x9e\n"
        "x86_int9e_after:\n"
        "    ret\n");
seL4_Word x86_int9e_stub(void);
extern char x86_int9e_insn[], x86_int9e_after[];

/*
 * void x86_usys_stub(const seL4_Word in[11], seL4_Word out[12]):
 * loads RAX, RBP, R12, R13, R14, R15, RSI, RDI, R8, R9, R10 from in[0..10],
 * RDX = 100, RBX = RSP, then `syscall`; afterwards restores RSP from RBX
 * and stores the same registers and RDX to out[0..11].
 */
__asm__(".text\n"
        ".global x86_usys_stub\n"
        ".global x86_usys_insn\n"
        ".global x86_usys_after\n"
        "x86_usys_stub:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    push %rsi\n"
        "    mov %rdi, %r11\n"
        "    mov 0(%r11), %rax\n"
        "    mov 8(%r11), %rbp\n"
        "    mov 16(%r11), %r12\n"
        "    mov 24(%r11), %r13\n"
        "    mov 32(%r11), %r14\n"
        "    mov 40(%r11), %r15\n"
        "    mov 48(%r11), %rsi\n"
        "    mov 56(%r11), %rdi\n"
        "    mov 64(%r11), %r8\n"
        "    mov 72(%r11), %r9\n"
        "    mov 80(%r11), %r10\n"
        "    mov $100, %rdx\n"
        "    mov %rsp, %rbx\n"
        "    mov %rbx, x86_stub_rsp(%rip)\n"
        "    cmp %rax, %rax\n"
        "x86_usys_insn:\n"
        "    syscall\n"
        "x86_usys_after:\n"
        "    mov %rbx, %rsp\n"
        "    mov (%rsp), %r11\n"
        "    mov %rax, 0(%r11)\n"
        "    mov %rbp, 8(%r11)\n"
        "    mov %r12, 16(%r11)\n"
        "    mov %r13, 24(%r11)\n"
        "    mov %r14, 32(%r11)\n"
        "    mov %r15, 40(%r11)\n"
        "    mov %rsi, 48(%r11)\n"
        "    mov %rdi, 56(%r11)\n"
        "    mov %r8, 64(%r11)\n"
        "    mov %r9, 72(%r11)\n"
        "    mov %r10, 80(%r11)\n"
        "    mov %rdx, 88(%r11)\n"
        "    pop %rsi\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n");
void x86_usys_stub(const seL4_Word in[11], seL4_Word out[12]);
extern char x86_usys_insn[], x86_usys_after[];

/*
 * VM fault stubs:
 *   seL4_Word x86_vmread_stub(seL4_Word addr)       load from addr (via RAX)
 *   void x86_vmwrite_stub(seL4_Word addr, seL4_Word v)  store v to addr (via RDI)
 *   void x86_vmexec_stub(seL4_Word target)           call *target
 *   x86_ret_gadget: a lone ret
 */
__asm__(".text\n"
        ".global x86_vmread_stub\n"
        ".global x86_vmread_insn\n"
        "x86_vmread_stub:\n"
        "    mov %rdi, %rax\n"
        "x86_vmread_insn:\n"
        "    mov (%rax), %rax\n"
        "    ret\n"
        ".global x86_vmwrite_stub\n"
        ".global x86_vmwrite_insn\n"
        "x86_vmwrite_stub:\n"
        "x86_vmwrite_insn:\n"
        "    mov %rsi, (%rdi)\n"
        "    ret\n"
        ".global x86_vmexec_stub\n"
        "x86_vmexec_stub:\n"
        "    call *%rdi\n"
        "    ret\n"
        ".global x86_ret_gadget\n"
        "x86_ret_gadget:\n"
        "    ret\n");
seL4_Word x86_vmread_stub(seL4_Word addr);
void x86_vmwrite_stub(seL4_Word addr, seL4_Word v);
void x86_vmexec_stub(seL4_Word target);
extern char x86_vmread_insn[], x86_vmwrite_insn[], x86_ret_gadget[];

static volatile seL4_Word sh[64];

static void sh_reset(void)
{
    for (int i = 0; i < 64; i++) {
        sh[i] = 0;
    }
    x86_stub_rsp = 0;
    x86_stub_flag = 0;
}

#define FAULTER_PRIO 254

static void finish(void)
{
    sh[1]++;
    if (sh[63]) {
        seL4_Signal(sh[63]);
    }
}

static void h_call_stub(seL4_Word fn, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    ((void (*)(void))fn)();
    finish();
}

/* Faulter at 254 with handler `ep`; finish() signals `done`. */
static thread_t *faulter(thread_fn_t fn, seL4_Word arg, seL4_CPtr ep, seL4_CPtr done)
{
    thread_t *t = thread_new(FAULTER_PRIO, fn, arg, 0);
    if (t == NULL || !thread_set_fault_ep(t, ep)) {
        return NULL;
    }
    sh[63] = done;
    return t;
}

static seL4_Word mr[32];

static int recv_msg(seL4_CPtr ep, seL4_Word label, seL4_Word length)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (int i = 0; i < 32; i++) {
        mr[i] = seL4_GetMR(i);
    }
    int ok = CHECK_INFO(info, label, 0, 0, length);
    ok &= CHECK_EQ(badge, 0);
    return ok;
}

/* ---- user exceptions ----------------------------------------------------- */

static void user_exception_case(void (*stub)(void), const char *insn, const char *after,
                                seL4_Word number, seL4_Word ip_is_after)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_call_stub, (seL4_Word)stub, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UserException, seL4_UserException_Length)) {
        return;
    }
    CHECK_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)(ip_is_after ? after : insn));
    CHECK_EQ(mr[seL4_UserException_SP], x86_stub_rsp);
    CHECK_EQ(mr[seL4_UserException_FLAGS], 0x246);
    CHECK_EQ(mr[seL4_UserException_Number], number);
    CHECK_EQ(mr[seL4_UserException_Code], 0);
    /* Reply with label 0 and a new FaultIP: it continues after it. */
    if (ip_is_after) {
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    } else {
        seL4_SetMR(0, (seL4_Word)after);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    }
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
    CHECK_EQ(sh[0], 1);
}

TARCH_TEST(x86_fault_ud2_is_user_exception_6)
{
    user_exception_case(x86_ud2_stub, x86_ud2_stub_insn, x86_ud2_stub_after, 6, 0);
}

TARCH_TEST(x86_fault_divide_error_is_user_exception_0)
{
    user_exception_case(x86_div_stub, x86_div_stub_insn, x86_div_stub_after, 0, 0);
}

TARCH_TEST(x86_fault_in_instruction_is_gp)
{
    user_exception_case(x86_in_stub, x86_in_stub_insn, x86_in_stub_after, 13, 0);
}

TARCH_TEST(x86_fault_hlt_is_gp)
{
    user_exception_case(x86_hlt_stub, x86_hlt_stub_insn, x86_hlt_stub_after, 13, 0);
}

TARCH_TEST(x86_fault_cli_is_gp)
{
    user_exception_case(x86_cli_stub, x86_cli_stub_insn, x86_cli_stub_after, 13, 0);
}

TARCH_TEST(x86_fault_int3_is_user_exception_3_after_insn)
{
    user_exception_case(x86_int3_stub, x86_int3_stub_insn, x86_int3_stub_after, 3, 1);
}

TARCH_TEST(x86_fault_rdfsbase_is_ud)
{
    /* seL4-abi.md 0.1 item 1: CR4.FSGSBASE is never set. */
    user_exception_case(x86_rdfsbase_stub, x86_rdfsbase_stub_insn, x86_rdfsbase_stub_after, 6, 0);
}

TARCH_TEST(x86_fault_user_exception_reply_sets_sp_and_flags)
{
    /* An exception entry returns through iretq: replied SP and FLAGS take
     * effect (0.1 item 11). FLAGS is sanitised (bit 1 and IF forced). */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? faulter(h_call_stub, (seL4_Word)x86_ud2_stub, ep, 0) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UserException, 5)) {
        return;
    }
    seL4_SetMR(0, (seL4_Word)x86_ud2_stub_insn); /* same instruction */
    seL4_SetMR(1, x86_stub_rsp - 64);
    seL4_SetMR(2, 0x0c1); /* CF, ZF, SF */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 3));
    /* It re-executes ud2 with the new SP and FLAGS. */
    if (!recv_msg(ep, seL4_Fault_UserException, 5)) {
        return;
    }
    CHECK_EQ(mr[0], (seL4_Word)x86_ud2_stub_insn);
    CHECK_EQ(mr[1], x86_stub_rsp - 64);
    CHECK_EQ(mr[2], 0x2c3);
    CHECK_EQ(mr[3], 6);
}

TARCH_TEST(x86_fault_user_exception_reply_with_label_leaves_inactive)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? faulter(h_call_stub, (seL4_Word)x86_ud2_stub, ep, 0) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UserException, 5)) {
        return;
    }
    seL4_SetMR(0, (seL4_Word)x86_ud2_stub_after);
    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 1));
    CHECK_OK(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, ROOT_PRIO));
    yield_n(10);
    CHECK_EQ(sh[1], 0);
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
    /* The reply's registers are written whatever the label (10.4): the
     * FaultIP is already past the ud2. */
    seL4_UserContext ctx;
    if (read_regs(t->tcb, &ctx)) {
        CHECK_EQ(ctx.rip, (seL4_Word)x86_ud2_stub_after);
    }
    /* Resumed, it continues there. */
    thread_start(t);
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
}

/* ---- unknown syscalls --------------------------------------------------- */

static const seL4_Word usys_in[11] = {
    0xaaaa000000000001ul, /* rax */
    0xbbbb000000000002ul, /* rbp */
    0x1212000000000003ul, /* r12 */
    0x1313000000000004ul, /* r13 */
    0x1414000000000005ul, /* r14 */
    0x1515000000000006ul, /* r15 */
    0x5151000000000007ul, /* rsi */
    0xd1d1000000000008ul, /* rdi */
    0x8888000000000009ul, /* r8 */
    0x999900000000000aul, /* r9 */
    0x101000000000000bul, /* r10 */
};
static seL4_Word usys_out[12];

static void h_usys(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    sh[0]++;
    x86_usys_stub(usys_in, usys_out);
    finish();
}

static void check_usys_message(void)
{
    CHECK_EQ(mr[seL4_UnknownSyscall_RAX], usys_in[0]);
    CHECK_EQ(mr[seL4_UnknownSyscall_RBX], x86_stub_rsp);
    CHECK_EQ(mr[seL4_UnknownSyscall_RDX], 100);
    CHECK_EQ(mr[seL4_UnknownSyscall_RSI], usys_in[6]);
    CHECK_EQ(mr[seL4_UnknownSyscall_RDI], usys_in[7]);
    CHECK_EQ(mr[seL4_UnknownSyscall_RBP], usys_in[1]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R8], usys_in[8]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R9], usys_in[9]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R10], usys_in[10]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R12], usys_in[2]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R13], usys_in[3]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R14], usys_in[4]);
    CHECK_EQ(mr[seL4_UnknownSyscall_R15], usys_in[5]);
    CHECK_EQ(mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)x86_usys_insn);
    CHECK_EQ(mr[seL4_UnknownSyscall_FLAGS], 0x246);
    CHECK_EQ(mr[seL4_UnknownSyscall_Syscall], 100);
}

TARCH_TEST(x86_fault_unknown_syscall_message)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_usys, 0, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, seL4_UnknownSyscall_Length)) {
        return;
    }
    check_usys_message();
    /* Reply label 0, nothing changed: the syscall runs (and faults) again. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, seL4_UnknownSyscall_Length)) {
        return;
    }
    check_usys_message();
    CHECK_EQ(sh[0], 1);
}

TARCH_TEST(x86_fault_unknown_syscall_reply_writes_registers)
{
    static const seL4_Word newregs[16] = {
        0xa0a0, /* rax */
        0,      /* rbx: set below (the stub keeps its stack pointer there) */
        0xc0c0, /* rcx */
        0xd0d0, /* rdx */
        0x5050, /* rsi */
        0xd1d1, /* rdi */
        0xb0b0, /* rbp */
        0x8080, /* r8 */
        0x9090, /* r9 */
        0x1010, /* r10 */
        0x1111, /* r11 */
        0x1212, /* r12 */
        0x1313, /* r13 */
        0x1414, /* r14 */
        0x1515, /* r15 */
        0,      /* FaultIP: set below */
    };
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_usys, 0, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, seL4_UnknownSyscall_Length)) {
        return;
    }
    for (int i = 0; i < 16; i++) {
        seL4_SetMR(i, newregs[i]);
    }
    seL4_SetMR(seL4_UnknownSyscall_RBX, x86_stub_rsp);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)x86_usys_after);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 16));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    if (!CHECK_EQ(sh[1], 1)) {
        return;
    }
    CHECK_EQ(usys_out[0], 0xa0a0);  /* rax */
    CHECK_EQ(usys_out[1], 0xb0b0);  /* rbp */
    CHECK_EQ(usys_out[2], 0x1212);  /* r12 */
    CHECK_EQ(usys_out[3], 0x1313);  /* r13 */
    CHECK_EQ(usys_out[4], 0x1414);  /* r14 */
    CHECK_EQ(usys_out[5], 0x1515);  /* r15 */
    CHECK_EQ(usys_out[6], 0x5050);  /* rsi */
    CHECK_EQ(usys_out[7], 0xd1d1);  /* rdi */
    CHECK_EQ(usys_out[8], 0x8080);  /* r8 */
    CHECK_EQ(usys_out[9], 0x9090);  /* r9 */
    CHECK_EQ(usys_out[10], 0x1010); /* r10 */
    CHECK_EQ(usys_out[11], 0xd0d0); /* rdx */
}

TARCH_TEST(x86_fault_unknown_syscall_reply_with_label_leaves_inactive)
{
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? faulter(h_usys, 0, ep, 0) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, 19)) {
        return;
    }
    seL4_SetMR(0, 0x77);
    seL4_Reply(seL4_MessageInfo_new(2, 0, 0, 1));
    CHECK_OK(seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, ROOT_PRIO));
    yield_n(10);
    CHECK_EQ(sh[1], 0);
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0);
    /* The replied register (RAX) is written even with a non-zero label
     * (seL4-abi.md 10.4); the FaultIP stays on the syscall. */
    seL4_UserContext ctx;
    if (read_regs(t->tcb, &ctx)) {
        CHECK_EQ(ctx.rip, (seL4_Word)x86_usys_insn);
        CHECK_EQ(ctx.rax, 0x77);
        CHECK_EQ(ctx.rbx, x86_stub_rsp);
    }
    /* Resumed, it re-executes the syscall with the new RAX. */
    thread_start(t);
    yield_n(3);
    seL4_MessageInfo_t info;
    if (CHECK_TRUE(nb_recv(ep, NULL, &info))) {
        CHECK_INFO(info, seL4_Fault_UnknownSyscall, 0, 0, 19);
        CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_RAX), 0x77);
        CHECK_EQ(seL4_GetMR(seL4_UnknownSyscall_FaultIP), (seL4_Word)x86_usys_insn);
    }
}

static void h_int9e(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    sh[0]++;
    sh[2] = x86_int9e_stub();
    finish();
}

TARCH_TEST(x86_fault_int_0x9e_is_unknown_syscall)
{
    /* seL4-abi.md 0.1 item 6: number = sign-extended (0x9e << 24 | RAX low
     * 24 bits), FaultIP on the int instruction. */
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_int9e, 0, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, seL4_UnknownSyscall_Length)) {
        return;
    }
    CHECK_EQ(mr[seL4_UnknownSyscall_Syscall], 0xffffffff9e000005ul);
    CHECK_EQ(mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)x86_int9e_insn);
    CHECK_EQ(mr[seL4_UnknownSyscall_RAX], 5);
    CHECK_EQ(mr[seL4_UnknownSyscall_SP], x86_stub_rsp);
    /* Reply: skip the 2-byte int, RAX = 0x4242 (all 16 words echoed). */
    for (int i = 0; i < 16; i++) {
        seL4_SetMR(i, mr[i]);
    }
    seL4_SetMR(seL4_UnknownSyscall_RAX, 0x4242);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)x86_int9e_after);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 16));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
    CHECK_EQ(sh[2], 0x4242);
}

/* ---- VM faults ------------------------------------------------------------ */

static volatile seL4_Word vm_good = 0x600d600d600d600dul;
static volatile seL4_Word vm_sink;

static void h_vmread(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    sh[2] = x86_vmread_stub(addr);
    finish();
}

TARCH_TEST(x86_fault_vm_read_unmapped)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_vmread, 0x10, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_VMFault, seL4_VMFault_Length)) {
        return;
    }
    CHECK_EQ(mr[seL4_VMFault_IP], (seL4_Word)x86_vmread_insn);
    CHECK_EQ(mr[seL4_VMFault_Addr], 0x10);
    CHECK_EQ(mr[seL4_VMFault_PrefetchFault], 0);
    CHECK_EQ(mr[seL4_VMFault_FSR], 0x4); /* user, read, not present */
    /* The reply restarts the instruction: same fault again. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (!recv_msg(ep, seL4_Fault_VMFault, 4)) {
        return;
    }
    CHECK_EQ(mr[0], (seL4_Word)x86_vmread_insn);
    CHECK_EQ(mr[1], 0x10);
    /* Point RAX at readable memory, then reply. */
    seL4_UserContext ctx;
    if (!read_regs(t->tcb, &ctx)) {
        return;
    }
    CHECK_EQ(ctx.rip, (seL4_Word)x86_vmread_insn);
    CHECK_EQ(ctx.rax, 0x10);
    ctx.rax = (seL4_Word)&vm_good;
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[2], vm_good);
}

static void h_vmwrite(seL4_Word addr, seL4_Word v)
{
    sh[0]++;
    x86_vmwrite_stub(addr, v);
    finish();
}

TARCH_TEST(x86_fault_vm_write_unmapped)
{
    sh_reset();
    vm_sink = 0;
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? thread_new(FAULTER_PRIO, h_vmwrite, 0x18, 0xfeedface) : NULL;
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    sh[63] = done;
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_VMFault, 4)) {
        return;
    }
    CHECK_EQ(mr[0], (seL4_Word)x86_vmwrite_insn);
    CHECK_EQ(mr[1], 0x18);
    CHECK_EQ(mr[2], 0);
    CHECK_EQ(mr[3], 0x6); /* user, write, not present */
    seL4_UserContext ctx;
    if (!read_regs(t->tcb, &ctx)) {
        return;
    }
    ctx.rdi = (seL4_Word)&vm_sink;
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(vm_sink, 0xfeedface);
}

static void h_vmexec(seL4_Word target, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    x86_vmexec_stub(target);
    finish();
}

TARCH_TEST(x86_fault_vm_instruction_fetch)
{
    /* No NXE, no SMEP: the fetch bit is not reported, prefetch 0; IP and
     * address are both the target (seL4-abi.md 0.1 item 10). */
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_vmexec, 0x2000, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_VMFault, 4)) {
        return;
    }
    CHECK_EQ(mr[0], 0x2000);
    CHECK_EQ(mr[1], 0x2000);
    CHECK_EQ(mr[2], 0);
    CHECK_EQ(mr[3], 0x4);
    /* Continue at a `ret`, which returns from the call. Write only RIP. */
    seL4_UserContext ctx = { 0 };
    ctx.rip = (seL4_Word)x86_ret_gadget;
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, 1, &ctx));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
}

TARCH_TEST(x86_fault_vm_without_handler_inactive)
{
    sh_reset();
    thread_t *t = thread_new(ROOT_PRIO, h_vmread, 0x10, 0);
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
        CHECK_EQ(ctx.rip, (seL4_Word)x86_vmread_insn);
        CHECK_EQ(ctx.rax, 0x10);
    }
}

/* ---- FPU ------------------------------------------------------------------ */

/*
 * void x86_fpu_loop(const seL4_Word vals[32], seL4_Word rounds,
 *                   volatile seL4_Word *errors, volatile seL4_Word *progress):
 * loads XMM0..XMM15 (128 bits each) from vals; then `rounds` times: Yield,
 * spin ~200000 iterations, compare all 32 halves with vals (errors++ on a
 * mismatch), progress++.
 */
__asm__(".text\n"
        ".global x86_fpu_loop\n"
        "x86_fpu_loop:\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    mov %rdi, %r12\n"
        "    mov %rsi, %r13\n"
        "    mov %rdx, %r14\n"
        "    mov %rcx, %r15\n"
        "    movdqu 0(%r12), %xmm0\n"
        "    movdqu 16(%r12), %xmm1\n"
        "    movdqu 32(%r12), %xmm2\n"
        "    movdqu 48(%r12), %xmm3\n"
        "    movdqu 64(%r12), %xmm4\n"
        "    movdqu 80(%r12), %xmm5\n"
        "    movdqu 96(%r12), %xmm6\n"
        "    movdqu 112(%r12), %xmm7\n"
        "    movdqu 128(%r12), %xmm8\n"
        "    movdqu 144(%r12), %xmm9\n"
        "    movdqu 160(%r12), %xmm10\n"
        "    movdqu 176(%r12), %xmm11\n"
        "    movdqu 192(%r12), %xmm12\n"
        "    movdqu 208(%r12), %xmm13\n"
        "    movdqu 224(%r12), %xmm14\n"
        "    movdqu 240(%r12), %xmm15\n"
        "1:\n"
        "    mov $-7, %rdx\n"
        "    xor %edi, %edi\n"
        "    xor %esi, %esi\n"
        "    mov %rsp, %rbx\n"
        "    syscall\n"
        "    mov %rbx, %rsp\n"
        "    mov $200000, %ecx\n"
        "2:  dec %ecx\n"
        "    jnz 2b\n"
#define FPU_CHECK(n)                    \
    "    movq %xmm" #n ", %rax\n"       \
    "    cmp " #n "*16(%r12), %rax\n"   \
    "    jne 3f\n"                      \
    "    pextrq $1, %xmm" #n ", %rax\n" \
    "    cmp " #n "*16+8(%r12), %rax\n" \
    "    jne 3f\n"
        FPU_CHECK(0) FPU_CHECK(1) FPU_CHECK(2) FPU_CHECK(3) FPU_CHECK(4) FPU_CHECK(5) FPU_CHECK(6)
            FPU_CHECK(7) FPU_CHECK(8) FPU_CHECK(9) FPU_CHECK(10) FPU_CHECK(11) FPU_CHECK(12)
                FPU_CHECK(13) FPU_CHECK(14) FPU_CHECK(15) "    jmp 4f\n"
                                                          "3:  incq (%r14)\n"
                                                          "4:  incq (%r15)\n"
                                                          "    dec %r13\n"
                                                          "    jnz 1b\n"
                                                          "    pop %r15\n"
                                                          "    pop %r14\n"
                                                          "    pop %r13\n"
                                                          "    pop %r12\n"
                                                          "    pop %rbx\n"
                                                          "    ret\n");
void x86_fpu_loop(const seL4_Word vals[32], seL4_Word rounds, volatile seL4_Word *errors,
                  volatile seL4_Word *progress);

#define FPU_THREADS 5
#define FPU_ROUNDS 25
static seL4_Word fpu_vals[FPU_THREADS][32];
static volatile seL4_Word fpu_errors[FPU_THREADS];
static volatile seL4_Word fpu_progress[FPU_THREADS];
static volatile double fpu_double_result[FPU_THREADS];

static void h_fpu(seL4_Word id, seL4_Word done)
{
    /* A C-level double computation before and after, plus the registers. */
    volatile double x = 1.0 + (double)id * 0.25;
    double acc = 0;
    for (int i = 0; i < 10; i++) {
        acc = acc * 1.5 + x;
        seL4_Yield();
    }
    x86_fpu_loop(fpu_vals[id], FPU_ROUNDS, &fpu_errors[id], &fpu_progress[id]);
    fpu_double_result[id] = acc;
    seL4_Signal(done);
}

TARCH_TEST(x86_fpu_state_kept_per_thread)
{
    seL4_CPtr done = tt_ntfn();
    if (!done) {
        return;
    }
    for (int k = 0; k < FPU_THREADS; k++) {
        fpu_errors[k] = 0;
        fpu_progress[k] = 0;
        fpu_double_result[k] = 0;
        for (int j = 0; j < 32; j++) {
            fpu_vals[k][j] = 0x3ff0000000000000ul + ((seL4_Word)k << 40) + ((seL4_Word)j << 8) +
                             (j & 1 ? 0x8000000000000000ul : 0);
        }
    }
    seL4_Word bits = 0;
    for (int k = 0; k < FPU_THREADS; k++) {
        seL4_CPtr d = tt_mint(done, seL4_AllRights, 1ul << k);
        if (!d || !thread_run(200, h_fpu, (seL4_Word)k, d)) {
            return;
        }
    }
    while (bits != (1ul << FPU_THREADS) - 1) {
        seL4_Word badge = 0;
        seL4_Wait(done, &badge);
        if (badge == WD_BADGE) {
            break;
        }
        bits |= badge;
    }
    for (int k = 0; k < FPU_THREADS; k++) {
        double x = 1.0 + (double)k * 0.25, acc = 0;
        for (int i = 0; i < 10; i++) {
            acc = acc * 1.5 + x;
        }
        int ok = CHECK_EQ(fpu_errors[k], 0);
        ok &= CHECK_EQ(fpu_progress[k], FPU_ROUNDS);
        ok &= CHECK_TRUE(fpu_double_result[k] == acc);
        if (!ok) {
            printf("    thread %d\n", k);
        }
    }
}

/*
 * seL4_Word x86_fpu_dis_stub(seL4_Word ntfn, const seL4_Word *val):
 * XMM1 = *val; x86_stub_flag = 1; Wait(ntfn) by a raw syscall; then
 * `movq %xmm1, %rax` (the FPU use) and return RAX.
 */
__asm__(".text\n"
        ".global x86_fpu_dis_stub\n"
        ".global x86_fpu_dis_insn\n"
        "x86_fpu_dis_stub:\n"
        "    push %rbx\n"
        "    push %r15\n"
        "    movq (%rsi), %xmm1\n"
        "    movq $1, x86_stub_flag(%rip)\n"
        "    mov $-5, %rdx\n"
        "    xor %esi, %esi\n"
        "    mov %rsp, %rbx\n"
        "    syscall\n"
        "    mov %rbx, %rsp\n"
        "    mov %rsp, x86_stub_rsp(%rip)\n"
        "x86_fpu_dis_insn:\n"
        "    movq %xmm1, %rax\n"
        "    pop %r15\n"
        "    pop %rbx\n"
        "    ret\n");
seL4_Word x86_fpu_dis_stub(seL4_Word ntfn, const seL4_Word *val);
extern char x86_fpu_dis_insn[];

static const seL4_Word fpu_dis_value = 0x400921fb54442d18ul; /* pi */

static void h_fpu_dis(seL4_Word ntfn, seL4_Word unused)
{
    (void)unused;
    sh[2] = x86_fpu_dis_stub(ntfn, &fpu_dis_value);
    finish();
}

TARCH_TEST(x86_fpu_disabled_traps_and_state_survives)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), n = tt_ntfn(), done = tt_ntfn();
    thread_t *t = ep && n && done ? thread_new(ROOT_PRIO, h_fpu_dis, n, 0) : NULL;
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    sh[63] = done;
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&x86_stub_flag, 1, YIELD_LIMIT))) {
        return;
    }
    yield_n(3); /* now blocked in its Wait */
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(t->tcb, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_OK(f.error);
    CHECK_EQ(f.flags, seL4_TCBFlag_fpuDisabled);
    /* Scribble over XMM1 in the root task. */
    seL4_Word junk = 0x0badf00d0badf00dul;
    __asm__ volatile("movq %0, %%xmm1" ::"r"(junk) : "xmm1");
    seL4_Signal(n);
    if (!recv_msg(ep, seL4_Fault_UserException, seL4_UserException_Length)) {
        return;
    }
    CHECK_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)x86_fpu_dis_insn);
    CHECK_EQ(mr[seL4_UserException_SP], x86_stub_rsp);
    CHECK_EQ(mr[seL4_UserException_Number], 7);
    CHECK_EQ(mr[seL4_UserException_Code], 0);
    f = seL4_TCB_SetFlags(t->tcb, seL4_TCBFlag_fpuDisabled, 0);
    CHECK_OK(f.error);
    CHECK_EQ(f.flags, 0);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
    CHECK_EQ(sh[2], fpu_dis_value);
}

/* ---- more exception / syscall-number cases ----------------------------------- */

/*
 * x86_selector_stub: loads selector 0xfffb (index 0x1fff, far beyond any
 * GDT) into DS: #GP with error code 0xfff8 (the selector without RPL).
 * x86_int_ff_stub: int $0xff, then sets x86_stub_flag.
 * x86_intfe_stub(rax): int $0xfe with RAX = rax; returns RAX.
 * x86_sysnum_stub(num): `syscall` with RDX = num; returns RAX.
 */
__asm__(".text\n" USER_EXC_STUB(x86_selector_stub,
                                "mov $0xfffb, %ax; .global x86_selector_load; x86_selector_load: "
                                "mov %ax, %ds") ".global x86_int_ff_stub\n"
                                                "x86_int_ff_stub:\n"
                                                "    int $0xff\n"
                                                "    movq $1, x86_stub_flag(%rip)\n"
                                                "    ret\n"
                                                ".global x86_intfe_stub\n"
                                                ".global x86_intfe_insn\n"
                                                ".global x86_intfe_after\n"
                                                "x86_intfe_stub:\n"
                                                "    mov %rdi, %rax\n"
                                                "x86_intfe_insn:\n"
                                                "    int $0xfe\n"
                                                "x86_intfe_after:\n"
                                                "    ret\n"
                                                ".global x86_sysnum_stub\n"
                                                ".global x86_sysnum_insn\n"
                                                ".global x86_sysnum_after\n"
                                                "x86_sysnum_stub:\n"
                                                "    push %rbx\n"
                                                "    push %r15\n"
                                                "    mov %rdi, %rdx\n"
                                                "    mov $0x5a5a, %eax\n"
                                                "    mov %rsp, %rbx\n"
                                                "    mov %rbx, x86_stub_rsp(%rip)\n"
                                                "x86_sysnum_insn:\n"
                                                "    syscall\n"
                                                "x86_sysnum_after:\n"
                                                "    mov %rbx, %rsp\n"
                                                "    pop %r15\n"
                                                "    pop %rbx\n"
                                                "    ret\n");
DECL_STUB(x86_selector_stub)
extern char x86_selector_load[];
void x86_int_ff_stub(void);
seL4_Word x86_intfe_stub(seL4_Word rax);
extern char x86_intfe_insn[], x86_intfe_after[];
seL4_Word x86_sysnum_stub(seL4_Word num);
extern char x86_sysnum_insn[], x86_sysnum_after[];

TARCH_TEST(x86_fault_gp_error_code_of_bad_selector)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_call_stub, (seL4_Word)x86_selector_stub, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UserException, 5)) {
        return;
    }
    CHECK_EQ(mr[0], (seL4_Word)x86_selector_load);
    CHECK_EQ(mr[1], x86_stub_rsp);
    CHECK_EQ(mr[3], 13);
    CHECK_EQ(mr[4], 0xfff8);
    seL4_SetMR(0, (seL4_Word)x86_selector_stub_after);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[1], 1);
}

TARCH_TEST(x86_int_0xff_is_ignored)
{
    /* seL4-abi.md 0.1 item 6: int 0xff counts as a spurious interrupt. */
    sh_reset();
    seL4_CPtr ep = tt_ep();
    thread_t *t = ep ? thread_new(ROOT_PRIO, h_call_stub, (seL4_Word)x86_int_ff_stub, 0) : NULL;
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    thread_start(t);
    CHECK_TRUE(yield_until(&sh[1], 1, YIELD_LIMIT));
    CHECK_EQ(x86_stub_flag, 1);
    seL4_MessageInfo_t info;
    if (!CHECK_EQ(nb_recv(ep, NULL, &info), 0)) {
        printf("    a fault arrived instead: label %lu length %lu MR0..4 0x%lx 0x%lx 0x%lx 0x%lx "
               "0x%lx\n",
               (unsigned long)seL4_MessageInfo_get_label(info),
               (unsigned long)seL4_MessageInfo_get_length(info), seL4_GetMR(0), seL4_GetMR(1),
               seL4_GetMR(2), seL4_GetMR(3), seL4_GetMR(4));
    }
}

static void h_intfe(seL4_Word rax, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    sh[2] = x86_intfe_stub(rax);
    finish();
}

TARCH_TEST(x86_fault_int_0xfe_number_uses_low_24_bits_of_rax)
{
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_intfe, 0xffffffff12345678ul, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, 19)) {
        return;
    }
    CHECK_EQ(mr[seL4_UnknownSyscall_Syscall], 0xfffffffffe345678ul);
    CHECK_EQ(mr[seL4_UnknownSyscall_RAX], 0xffffffff12345678ul);
    CHECK_EQ(mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)x86_intfe_insn);
    for (int i = 0; i < 16; i++) {
        seL4_SetMR(i, mr[i]);
    }
    seL4_SetMR(seL4_UnknownSyscall_RAX, 0x99);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)x86_intfe_after);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 16));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    CHECK_EQ(sh[2], 0x99);
}

static void h_sysnum(seL4_Word num, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    sh[2] = x86_sysnum_stub(num);
    finish();
}

TARCH_TEST(x86_fault_unknown_syscall_numbers)
{
    /* seL4-abi.md 1.3: every number outside -8..-1 that is not a debug
     * syscall compiled into this build is an UnknownSyscall with the full
     * register value. -15..-29 are not configured here; -31 is past them. */
    static const seL4_Word nums[] = {
        0, (seL4_Word)-31, (seL4_Word)-17, (seL4_Word)-29, 0x8000000000000000ul, 1000
    };
    for (unsigned k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
        sh_reset();
        seL4_CPtr ep = tt_ep(), done = tt_ntfn();
        thread_t *t = ep && done ? faulter(h_sysnum, nums[k], ep, done) : NULL;
        if (!t) {
            return;
        }
        thread_start(t);
        if (!recv_msg(ep, seL4_Fault_UnknownSyscall, 19)) {
            printf("    syscall number 0x%lx\n", (unsigned long)nums[k]);
            return;
        }
        CHECK_EQ(mr[seL4_UnknownSyscall_Syscall], nums[k]);
        CHECK_EQ(mr[seL4_UnknownSyscall_RDX], nums[k]);
        CHECK_EQ(mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)x86_sysnum_insn);
        for (int i = 0; i < 16; i++) {
            seL4_SetMR(i, mr[i]);
        }
        seL4_SetMR(seL4_UnknownSyscall_RBX, x86_stub_rsp);
        seL4_SetMR(seL4_UnknownSyscall_RAX, 0x1000 + k);
        seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)x86_sysnum_after);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 16));
        seL4_Word badge;
        seL4_Wait(done, &badge);
        CHECK_EQ(sh[2], 0x1000 + k);
    }
}

TARCH_TEST(x86_fault_to_handler_without_ipc_buffer_is_truncated)
{
    /* semantics 8.2: the register list beyond MR3 goes to the handler's
     * IPC buffer only if it has one; otherwise the message has 4 words. */
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    if (!ep || !done || !start_bufferless_receiver(ep, done)) {
        return;
    }
    thread_t *t = faulter(h_sysnum, 1000, ep, 0);
    if (!t) {
        return;
    }
    thread_start(t);
    seL4_Word badge;
    seL4_Wait(done, &badge);
    seL4_MessageInfo_t got = { { bufferless_msg.info } };
    CHECK_INFO(got, seL4_Fault_UnknownSyscall, 0, 0, 4);
    CHECK_EQ(bufferless_msg.mr[0], 0x5a5a);       /* RAX */
    CHECK_EQ(bufferless_msg.mr[1], x86_stub_rsp); /* RBX */
    CHECK_EQ(bufferless_msg.mr[3], 1000);         /* RDX */

    /* The same for a 5-word user exception. */
    if (!start_bufferless_receiver(ep, done)) {
        return;
    }
    thread_t *t2 = faulter(h_call_stub, (seL4_Word)x86_ud2_stub, ep, 0);
    if (!t2) {
        return;
    }
    thread_start(t2);
    seL4_Wait(done, &badge);
    seL4_MessageInfo_t got2 = { { bufferless_msg.info } };
    CHECK_INFO(got2, seL4_Fault_UserException, 0, 0, 4);
    CHECK_EQ(bufferless_msg.mr[0], (seL4_Word)x86_ud2_stub_insn);
    CHECK_EQ(bufferless_msg.mr[3], 6);
}

/* seL4_Word x86_sysflags_stub(num): `syscall` with RDX = num, then return
 * RFLAGS as seen right after it. */
__asm__(".text\n"
        ".global x86_sysflags_stub\n"
        ".global x86_sysflags_insn\n"
        ".global x86_sysflags_after\n"
        "x86_sysflags_stub:\n"
        "    push %rbx\n"
        "    push %r15\n"
        "    mov %rdi, %rdx\n"
        "    mov %rsp, %rbx\n"
        "    mov %rbx, x86_stub_rsp(%rip)\n"
        "x86_sysflags_insn:\n"
        "    syscall\n"
        "x86_sysflags_after:\n"
        "    mov %rbx, %rsp\n"
        "    pushfq\n"
        "    pop %rax\n"
        "    pop %r15\n"
        "    pop %rbx\n"
        "    ret\n");
seL4_Word x86_sysflags_stub(seL4_Word num);
extern char x86_sysflags_insn[], x86_sysflags_after[];

static void h_sysflags(seL4_Word num, seL4_Word unused)
{
    (void)unused;
    sh[0]++;
    sh[2] = x86_sysflags_stub(num);
    finish();
}

TARCH_TEST(x86_fault_unknown_syscall_reply_flags_sanitised_sp_ignored)
{
    /* A full 18-word reply: FLAGS is sanitised (TF cleared, IF and bit 1
     * set, only bits 0..11) and applied; SP is ignored because the thread
     * entered through `syscall` (seL4-abi.md 0.1 item 11, 10.4, 11). */
    sh_reset();
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    thread_t *t = ep && done ? faulter(h_sysflags, 1000, ep, done) : NULL;
    if (!t) {
        return;
    }
    thread_start(t);
    if (!recv_msg(ep, seL4_Fault_UnknownSyscall, 19)) {
        return;
    }
    for (int i = 0; i < 18; i++) {
        seL4_SetMR(i, mr[i]);
    }
    seL4_SetMR(seL4_UnknownSyscall_RBX, x86_stub_rsp);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, (seL4_Word)x86_sysflags_after);
    seL4_SetMR(seL4_UnknownSyscall_SP, 0x1234);
    seL4_SetMR(seL4_UnknownSyscall_FLAGS, 0x8d5 | 0x100 | 0x40000);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 18));
    seL4_Word badge;
    seL4_Wait(done, &badge);
    if (!CHECK_EQ(sh[1], 1)) {
        return;
    }
    CHECK_EQ(sh[2], 0xad7);
    CHECK_EQ(nb_recv(ep, NULL, NULL), 0); /* no single-step trap either */
}
