/*
 * A second process with its own VSpace, CSpace and TCB (semantics 6, 8,
 * 10; seL4-abi.md 2.1, 10.3): the root task builds a PML4 with an ASID,
 * the paging structures, code / stack / IPC-buffer / data frames, copies a
 * small position-independent code blob into the code frame through a
 * second mapping, and talks to the process over an endpoint. Its fault
 * endpoint is the same endpoint with another badge, so faults arrive where
 * the root task receives.
 *
 * The blob (assembly below, copied byte for byte, never run in the root
 * task's VSpace) does, with RDI = first value and RSI = endpoint cptr:
 *
 *   loop: Call(ep, label 0x5a, MR0 = value, MR1 = own load address,
 *              MR2 = RSP)
 *         the reply says what to do: MR1 = 0: value = *(MR0)
 *                                     MR1 = 1: *(MR0) = MR2, value = *(MR0)
 *                                     MR1 = 2: jump to MR0
 *         and loop.
 */
#include "../captypes.h"
#include "../threads.h"
#include "x86util.h"

#include <string.h>

#define CODE_VA 0x1000000ul
#define STACK_VA 0x1001000ul
#define IPCBUF_VA 0x1002000ul
#define DATA_VA 0x1003000ul
#define STACK_TOP (STACK_VA + PAGE_4K)
#define EP_CPTR 1
#define FAULT_CPTR 2
#define IPC_BADGE 0x1bcul
#define FLT_BADGE 0xf17ul
#define PROC_PRIO 100
#define BLOB_LABEL 0x5a

#define OP_READ 0
#define OP_WRITE 1
#define OP_JUMP 2

__asm__(".text\n"
        ".p2align 4\n"
        ".globl xp_blob_start\n"
        ".globl xp_blob_after_call\n"
        ".globl xp_blob_read\n"
        ".globl xp_blob_write\n"
        ".globl xp_blob_end\n"
        "xp_blob_start:\n"
        "    movq %rdi, %r12\n"
        "    movq %rsi, %r13\n"
        "1:\n"
        "    movq %r12, %r10\n"
        "    leaq xp_blob_start(%rip), %r8\n"
        "    movq %rsp, %r9\n"
        "    movq %r13, %rdi\n"
        "    movl $0x5a003, %esi\n"
        "    movq $-1, %rdx\n"
        "    movq %rsp, %rbx\n"
        "    syscall\n"
        "xp_blob_after_call:\n"
        "    movq %rbx, %rsp\n"
        "    cmpq $1, %r8\n"
        "    je 2f\n"
        "    cmpq $2, %r8\n"
        "    je 3f\n"
        "xp_blob_read:\n"
        "    movq (%r10), %r12\n"
        "    jmp 1b\n"
        "2:\n"
        "xp_blob_write:\n"
        "    movq %r9, (%r10)\n"
        "    movq (%r10), %r12\n"
        "    jmp 1b\n"
        "3:\n"
        "    jmp *%r10\n"
        "xp_blob_end:\n");
extern const char xp_blob_start[], xp_blob_after_call[], xp_blob_read[], xp_blob_write[],
    xp_blob_end[];

#define BLOB_OFF(sym) ((seL4_Word)((sym)-xp_blob_start))

typedef struct {
    seL4_CPtr ut, pml4, pt, frames, cnode, tcb;
    int win;         /* root window holding aliases of code (+0) and data (+4K) */
    seL4_Word value; /* first value reported */
} proc_t;

/* Frames: code, stack, IPC buffer, data. */
#define F_CODE(p) ((p)->frames)
#define F_DATA(p) ((p)->frames + 3)

static volatile seL4_Word *proc_data(proc_t *p, seL4_Word off)
{
    return (volatile seL4_Word *)(XU_WIN(p->win) + PAGE_4K + off);
}

static int proc_build(proc_t *p, seL4_CPtr pool, seL4_CPtr ep, seL4_CapRights_t code_rights,
                      int win, seL4_Word value)
{
    memset(p, 0, sizeof(*p));
    p->win = win;
    p->value = value;
    p->ut = ut_new(17);
    if (!p->ut) {
        return 0;
    }
    p->pml4 = xu_new_vspace(p->ut, pool);
    p->pt = p->pml4 ? xu_tables_for(p->ut, p->pml4, CODE_VA) : 0;
    p->frames = new_objects(p->ut, seL4_X86_4K, 0, 4);
    seL4_CPtr alias = slot_alloc_range(2);
    if (!p->pt || !p->frames || !alias) {
        return 0;
    }
    if (!xu_map(F_CODE(p), p->pml4, CODE_VA, code_rights, seL4_X86_Default_VMAttributes) ||
        !xu_map(p->frames + 1, p->pml4, STACK_VA, seL4_ReadWrite, seL4_X86_Default_VMAttributes) ||
        !xu_map(p->frames + 2, p->pml4, IPCBUF_VA, seL4_ReadWrite, seL4_X86_Default_VMAttributes) ||
        !xu_map(F_DATA(p), p->pml4, DATA_VA, seL4_ReadWrite, seL4_X86_Default_VMAttributes)) {
        return 0;
    }
    /* Aliases in the root task, for the code copy and for checks. */
    if (!xu_root_window(p->ut, win) || !CHECK_OK(copy_root(alias, F_CODE(p), seL4_AllRights)) ||
        !CHECK_OK(copy_root(alias + 1, F_DATA(p), seL4_AllRights)) ||
        !xu_map(alias, seL4_CapInitThreadVSpace, XU_WIN(win), seL4_ReadWrite,
                seL4_X86_Default_VMAttributes) ||
        !xu_map(alias + 1, seL4_CapInitThreadVSpace, XU_WIN(win) + PAGE_4K, seL4_ReadWrite,
                seL4_X86_Default_VMAttributes)) {
        return 0;
    }
    memcpy((void *)XU_WIN(win), xp_blob_start, (size_t)(xp_blob_end - xp_blob_start));

    /* CSpace: 16 slots, guard 60 bits of 0, so cptr k names slot k. */
    p->cnode = new_object(p->ut, seL4_CapTableObject, 4);
    p->tcb = new_object(p->ut, seL4_TCBObject, 0);
    if (!p->cnode || !p->tcb) {
        return 0;
    }
    if (!CHECK_OK(seL4_CNode_Mint(p->cnode, EP_CPTR, 4, ROOT, ep, ROOT_DEPTH, seL4_AllRights,
                                  IPC_BADGE)) ||
        !CHECK_OK(seL4_CNode_Mint(p->cnode, FAULT_CPTR, 4, ROOT, ep, ROOT_DEPTH, seL4_AllRights,
                                  FLT_BADGE))) {
        return 0;
    }
    if (!CHECK_OK(seL4_TCB_Configure(p->tcb, FAULT_CPTR, p->cnode, GUARD(0, 60), p->pml4, 0,
                                     IPCBUF_VA, p->frames + 2)) ||
        !CHECK_OK(seL4_TCB_SetPriority(p->tcb, seL4_CapInitThreadTCB, PROC_PRIO))) {
        return 0;
    }
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.rip = CODE_VA;
    ctx.rsp = STACK_TOP;
    ctx.rflags = 0x202;
    ctx.rdi = value;
    ctx.rsi = EP_CPTR;
    return CHECK_OK(seL4_TCB_WriteRegisters(p->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
}

static int proc_start(proc_t *p)
{
    return CHECK_OK(seL4_TCB_Resume(p->tcb));
}

/* Receive the process's next Call and check it: badge, label, length, the
 * reported value, its code address and its stack pointer. */
static int expect_call(seL4_CPtr ep, seL4_Word value)
{
    seL4_Word mrs[4], badge = 0;
    seL4_MessageInfo_t info = xu_recv(ep, &badge, mrs, 4);
    int ok = CHECK_EQ(badge, IPC_BADGE);
    ok &= CHECK_EQ(seL4_MessageInfo_get_label(info), BLOB_LABEL);
    ok &= CHECK_EQ(seL4_MessageInfo_get_length(info), 3);
    ok &= CHECK_EQ(seL4_MessageInfo_get_extraCaps(info), 0);
    ok &= CHECK_EQ(mrs[0], value);
    ok &= CHECK_EQ(mrs[1], CODE_VA);
    ok &= CHECK_EQ(mrs[2], STACK_TOP);
    return ok;
}

static void reply_op(seL4_Word addr, seL4_Word op, seL4_Word value)
{
    seL4_SetMR(0, addr);
    seL4_SetMR(1, op);
    seL4_SetMR(2, value);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 3));
}

static int expect_fault(seL4_CPtr ep, seL4_Word ip, seL4_Word addr, seL4_Word fsr)
{
    seL4_Word mrs[4], badge = 0;
    seL4_MessageInfo_t info = xu_recv(ep, &badge, mrs, 4);
    int ok = CHECK_EQ(badge, FLT_BADGE);
    return CHECK_VMFAULT(info, mrs, ip, addr, fsr) && ok;
}

TARCH_TEST(x86_proc_ipc_and_memory)
{
    seL4_CPtr ep = tt_ep();
    proc_t p;
    if (!ep || !proc_build(&p, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 16, 0x1234)) {
        return;
    }
    *proc_data(&p, 0x10) = 0xdada;
    if (!proc_start(&p) || !expect_call(ep, 0x1234)) {
        return;
    }
    /* Read its data page. */
    reply_op(DATA_VA + 0x10, OP_READ, 0);
    if (!expect_call(ep, 0xdada)) {
        return;
    }
    /* Write it; the root task sees the value through its alias. */
    reply_op(DATA_VA + 0x18, OP_WRITE, 0x7e7e);
    if (!expect_call(ep, 0x7e7e)) {
        return;
    }
    CHECK_EQ(*proc_data(&p, 0x18), 0x7e7e);
    /* The thread's registers while it waits for the reply. */
    seL4_UserContext ctx;
    if (read_regs(p.tcb, &ctx)) {
        CHECK_EQ(ctx.rip, CODE_VA + BLOB_OFF(xp_blob_after_call) - 2);
        CHECK_EQ(ctx.r13, EP_CPTR);
        CHECK_EQ(ctx.r12, 0x7e7e);
    }
}

TARCH_TEST(x86_proc_separate_address_space_fault)
{
    /* The root task's image vaddr is not mapped in the process: a read
     * there faults; after the root task maps a frame there in the process's
     * VSpace and replies, the read completes. */
    seL4_CPtr ep = tt_ep();
    proc_t p;
    if (!ep || !proc_build(&p, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 17, 1)) {
        return;
    }
    if (!proc_start(&p) || !expect_call(ep, 1)) {
        return;
    }
    seL4_Word va = IMAGE_START + 0x20;
    reply_op(va, OP_READ, 0);
    if (!expect_fault(ep, CODE_VA + BLOB_OFF(xp_blob_read), va, PF_USER)) {
        return;
    }
    /* Map the data frame's sibling: a new frame at 0x400000 with a value. */
    seL4_CPtr f = new_object(p.ut, seL4_X86_4K, 0);
    seL4_CPtr alias = slot_alloc();
    if (!f || !alias || !xu_table(p.ut, seL4_X86_PageTableObject, p.pml4, IMAGE_START) ||
        !xu_map(f, p.pml4, IMAGE_START, seL4_CanRead, seL4_X86_Default_VMAttributes) ||
        !CHECK_OK(copy_root(alias, f, seL4_AllRights)) ||
        !xu_map(alias, seL4_CapInitThreadVSpace, XU_WIN(17) + 2 * PAGE_4K, seL4_ReadWrite,
                seL4_X86_Default_VMAttributes)) {
        return;
    }
    *(volatile seL4_Word *)(XU_WIN(17) + 2 * PAGE_4K + 0x20) = 0x5ca1ab1e;
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    expect_call(ep, 0x5ca1ab1e);
}

TARCH_TEST(x86_proc_read_unmapped_fault)
{
    seL4_CPtr ep = tt_ep();
    proc_t p;
    if (!ep || !proc_build(&p, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 18, 7)) {
        return;
    }
    if (!proc_start(&p) || !expect_call(ep, 7)) {
        return;
    }
    /* No PDPT entry for 0xdead0000 (it is in the 3rd GiB). */
    reply_op(0xdead0008ul, OP_READ, 0);
    expect_fault(ep, CODE_VA + BLOB_OFF(xp_blob_read), 0xdead0008ul, PF_USER);
    /* The faulting thread's state: the registers hold the reply values. */
    seL4_UserContext ctx;
    if (read_regs(p.tcb, &ctx)) {
        CHECK_EQ(ctx.rip, CODE_VA + BLOB_OFF(xp_blob_read));
        CHECK_EQ(ctx.r10, 0xdead0008ul);
        CHECK_EQ(ctx.r8, OP_READ);
        CHECK_EQ(ctx.rsp, STACK_TOP);
    }
}

TARCH_TEST(x86_proc_code_page_read_only)
{
    /* Code mapped read-only: executing works, writing to it faults. */
    seL4_CPtr ep = tt_ep();
    proc_t p;
    if (!ep || !proc_build(&p, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 19, 3)) {
        return;
    }
    if (!proc_start(&p) || !expect_call(ep, 3)) {
        return;
    }
    reply_op(CODE_VA + 0x800, OP_WRITE, 0x99);
    expect_fault(ep, CODE_VA + BLOB_OFF(xp_blob_write), CODE_VA + 0x800,
                 PF_PRESENT | PF_WRITE | PF_USER);
    /* Made writable, the restarted write goes through. */
    CHECK_OK(seL4_X86_Page_Map(F_CODE(&p), p.pml4, CODE_VA, seL4_ReadWrite,
                               seL4_X86_Default_VMAttributes));
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    if (expect_call(ep, 0x99)) {
        CHECK_EQ(*(volatile seL4_Word *)(XU_WIN(19) + 0x800), 0x99);
    }
}

TARCH_TEST(x86_proc_instruction_fetch_fault)
{
    seL4_CPtr ep = tt_ep();
    proc_t p;
    if (!ep || !proc_build(&p, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 20, 4)) {
        return;
    }
    if (!proc_start(&p) || !expect_call(ep, 4)) {
        return;
    }
    /* Next 2 MiB region: no PT. IP and address are the target, FSR user. */
    reply_op(CODE_VA + 2 * MiB + 0x40, OP_JUMP, 0);
    expect_fault(ep, CODE_VA + 2 * MiB + 0x40, CODE_VA + 2 * MiB + 0x40, PF_USER);
    /* Restart it at its entry point with WriteRegisters (resume): it calls
     * again with the new first value; the pending fault is cancelled. */
    seL4_UserContext ctx;
    if (!read_regs(p.tcb, &ctx)) {
        return;
    }
    CHECK_EQ(ctx.rip, CODE_VA + 2 * MiB + 0x40);
    ctx.rip = CODE_VA;
    ctx.rsp = STACK_TOP;
    ctx.rdi = 0x77;
    ctx.rsi = EP_CPTR;
    if (CHECK_OK(seL4_TCB_WriteRegisters(p.tcb, 1, 0, USER_CONTEXT_WORDS, &ctx))) {
        expect_call(ep, 0x77);
    }
}

TARCH_TEST(x86_proc_two_processes_same_vaddr)
{
    seL4_CPtr ep = tt_ep();
    proc_t a, b;
    if (!ep || !proc_build(&a, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 21, 0xa) ||
        !proc_build(&b, seL4_CapInitThreadASIDPool, ep, seL4_CanRead, 22, 0xb)) {
        return;
    }
    *proc_data(&a, 0) = 0xaaaa;
    *proc_data(&b, 0) = 0xbbbb;
    if (!proc_start(&a) || !expect_call(ep, 0xa)) {
        return;
    }
    /* Save a's reply cap by receiving b's call first? Non-MCS has one reply
     * slot: answer a first, then b. */
    reply_op(DATA_VA, OP_READ, 0);
    if (!expect_call(ep, 0xaaaa)) {
        return;
    }
    if (!proc_start(&b) || !expect_call(ep, 0xb)) {
        return;
    }
    reply_op(DATA_VA, OP_READ, 0);
    expect_call(ep, 0xbbbb);
}

TARCH_TEST(x86_proc_pool_deleted_thread_faults)
{
    /* Its VSpace's pool is deleted while it waits for a reply; resumed, it
     * runs without user mappings and faults fetching its next instruction
     * (semantics 10.1). */
    seL4_CPtr ep = tt_ep();
    seL4_CPtr u = ut_new(12);
    seL4_CPtr pool = slot_alloc();
    if (!ep || !u || !pool ||
        !CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, u, ROOT, pool, ROOT_DEPTH))) {
        return;
    }
    proc_t p;
    if (!proc_build(&p, pool, ep, seL4_CanRead, 23, 5)) {
        return;
    }
    if (!proc_start(&p) || !expect_call(ep, 5)) {
        return;
    }
    CHECK_OK(seL4_CNode_Delete(ROOT, pool, ROOT_DEPTH));
    reply_op(DATA_VA, OP_READ, 0);
    seL4_Word next = CODE_VA + BLOB_OFF(xp_blob_after_call);
    expect_fault(ep, next, next, PF_USER);
}
