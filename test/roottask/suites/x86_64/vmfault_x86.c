/*
 * x86_64 VM faults caused by mapping rights and by unmapping (semantics
 * 8.1, 8.4, 10.3; seL4-abi.md 0.1 item 10, 10.3, 10.4): a helper thread in
 * the root task's VSpace touches a window mapped by the root task; its
 * fault endpoint is a badged endpoint cap; the root task checks the fault
 * message, repairs the mapping and replies, after which the thread's
 * access completes.
 *
 * The accesses are xu_load64 / xu_store64 (x86util.c), so the fault IP is
 * known exactly. FSR = the low 5 bits of the page-fault error code:
 * present 1, write 2, user 4.
 */
#include "../threads.h"
#include "x86util.h"

#define VS seL4_CapInitThreadVSpace
#define RW seL4_ReadWrite
#define RO seL4_CanRead
#define DEF seL4_X86_Default_VMAttributes
#define FAULT_BADGE 0xfa017ul
#define DONE_BADGE 0xd0e
#define HELPER_PRIO 100

static volatile seL4_Word g_val;
static volatile seL4_CPtr g_done;

static void t_read(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    g_val = xu_load64((const volatile void *)addr);
    seL4_Signal(g_done);
}

static void t_write(seL4_Word addr, seL4_Word v)
{
    xu_store64((volatile void *)addr, v);
    seL4_Signal(g_done);
}

static void t_call(seL4_Word fn, seL4_Word unused)
{
    (void)unused;
    g_val = ((seL4_Word(*)(void))fn)();
    seL4_Signal(g_done);
}

typedef struct {
    seL4_CPtr ep;   /* unbadged endpoint the root task receives on */
    seL4_CPtr fep;  /* badged copy, the helpers' fault endpoint */
    seL4_CPtr done; /* notification signalled by the helpers */
} ctx_t;

static int setup(ctx_t *c)
{
    c->ep = tt_ep();
    c->done = tt_ntfn();
    c->fep = c->ep ? tt_mint(c->ep, seL4_AllRights, FAULT_BADGE) : 0;
    seL4_CPtr d = c->done ? tt_mint(c->done, seL4_AllRights, DONE_BADGE) : 0;
    g_done = d;
    g_val = 0;
    return c->ep && c->fep && d;
}

static thread_t *run(ctx_t *c, thread_fn_t fn, seL4_Word a0, seL4_Word a1)
{
    thread_t *t = thread_new(HELPER_PRIO, fn, a0, a1);
    if (t == NULL || !thread_set_fault_ep(t, c->fep)) {
        return NULL;
    }
    thread_start(t);
    return t;
}

/* Wait for the helper's completion signal (the watchdog bounds it). */
static int wait_done(ctx_t *c)
{
    seL4_Word badge = 0;
    seL4_Wait(c->done, &badge);
    return CHECK_EQ(badge, DONE_BADGE);
}

/* Receive the next message on the endpoint: it must be a fault through the
 * badged cap. */
static seL4_MessageInfo_t get_fault(ctx_t *c, seL4_Word mrs[4])
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = xu_recv(c->ep, &badge, mrs, 4);
    CHECK_EQ(badge, FAULT_BADGE);
    return info;
}

static void reply_empty(void)
{
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
}

static volatile seL4_Word *wp(int i, seL4_Word off)
{
    return (volatile seL4_Word *)(XU_WIN(i) + off);
}

TARCH_TEST(x86_vm_remap_ro_then_write_faults)
{
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    if (!setup(&c) || !f || !xu_root_window(ut, 8) || !xu_map(f, VS, XU_WIN(8), RW, DEF)) {
        return;
    }
    seL4_Word va = XU_WIN(8) + 0x28;
    /* RW: the write goes through. */
    if (!run(&c, t_write, va, 0x1111) || !wait_done(&c)) {
        return;
    }
    CHECK_EQ(*wp(8, 0x28), 0x1111);
    /* Remapped read-only at the same vaddr: reads work, writes fault. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(8), RO, DEF));
    if (!run(&c, t_read, va, 0) || !wait_done(&c)) {
        return;
    }
    CHECK_EQ(g_val, 0x1111);
    thread_t *t = run(&c, t_write, va, 0x2222);
    if (!t) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_store64, va, PF_PRESENT | PF_WRITE | PF_USER);
    CHECK_EQ(*wp(8, 0x28), 0x1111);
    /* Repair (RW again) and reply: the store is re-executed. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(8), RW, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(*wp(8, 0x28), 0x2222);
    }
}

TARCH_TEST(x86_vm_ro_cap_write_faults)
{
    /* Rights are the cap's rights masked with the request: a read-only cap
     * mapped with RW is read-only. */
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    seL4_CPtr ro = slot_alloc();
    if (!setup(&c) || !f || !ro || !xu_root_window(ut, 9)) {
        return;
    }
    if (!CHECK_OK(copy_root(ro, f, RO)) || !xu_map(ro, VS, XU_WIN(9), seL4_AllRights, DEF)) {
        return;
    }
    seL4_Word va = XU_WIN(9) + 0x800;
    if (!run(&c, t_write, va, 0x33)) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_store64, va, PF_PRESENT | PF_WRITE | PF_USER);
    /* The full cap can take over the vaddr (the RO cap's mapping is
     * overwritten); then the store succeeds. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(9), RW, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(*wp(9, 0x800), 0x33);
    }
}

TARCH_TEST(x86_vm_kernel_only_mapping_faults)
{
    /* No Read right requested: present but supervisor-only (semantics
     * 10.3), so a user read faults with present|user. */
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    seL4_CPtr alias = slot_alloc();
    if (!setup(&c) || !f || !alias || !xu_root_window(ut, 10)) {
        return;
    }
    if (!CHECK_OK(copy_root(alias, f, seL4_AllRights)) ||
        !xu_map(alias, VS, XU_WIN(10) + PAGE_4K, RW, DEF) ||
        !xu_map(f, VS, XU_WIN(10), seL4_NoRights, DEF)) {
        return;
    }
    *wp(10, PAGE_4K + 0x40) = 0x4444;
    seL4_Word va = XU_WIN(10) + 0x40;
    if (!run(&c, t_read, va, 0)) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_PRESENT | PF_USER);
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(10), RO, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(g_val, 0x4444);
    }
}

TARCH_TEST(x86_vm_write_only_rights_are_kernel_only)
{
    /* Write without Read degrades to kernel-only: reads and writes fault. */
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    if (!setup(&c) || !f || !xu_root_window(ut, 11) ||
        !xu_map(f, VS, XU_WIN(11), seL4_CanWrite, DEF)) {
        return;
    }
    seL4_Word mrs[4];
    seL4_Word va = XU_WIN(11) + 0x10;
    thread_t *r = run(&c, t_read, va, 0);
    if (!r) {
        return;
    }
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_PRESENT | PF_USER);
    thread_suspend(r);
    if (!run(&c, t_write, va, 0x55)) {
        return;
    }
    info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_store64, va, PF_PRESENT | PF_WRITE | PF_USER);
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(11), RW, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(*wp(11, 0x10), 0x55);
    }
}

TARCH_TEST(x86_vm_fault_repeats_until_fixed)
{
    /* The reply to a VM fault is ignored apart from restarting the thread
     * (label and MRs do not matter): unrepaired, it faults again. */
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    if (!setup(&c) || !f || !xu_root_window(ut, 12)) {
        return;
    }
    seL4_Word va = XU_WIN(12) + 0x100; /* PT present, no frame */
    thread_t *t = run(&c, t_read, va, 0);
    if (!t) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_USER);
    /* The thread's restart PC is the faulting instruction. */
    seL4_UserContext ctx;
    if (read_regs(t->tcb, &ctx)) {
        CHECK_EQ(ctx.rip, (seL4_Word)xu_load64);
        CHECK_EQ(ctx.rdi, va);
    }
    seL4_SetMR(0, 0x1234);
    seL4_SetMR(1, 0x5678);
    seL4_Reply(seL4_MessageInfo_new(9, 0, 0, 2));
    info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_USER);
    /* Map it; the value written through the root window is read. */
    if (!xu_map(f, VS, XU_WIN(12), RW, DEF)) {
        return;
    }
    *wp(12, 0x100) = 0x6789;
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(g_val, 0x6789);
    }
}

TARCH_TEST(x86_vm_unmap_then_access_faults)
{
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    if (!setup(&c) || !f || !xu_root_window(ut, 13) || !xu_map(f, VS, XU_WIN(13), RW, DEF)) {
        return;
    }
    seL4_Word va = XU_WIN(13) + 0x18;
    *wp(13, 0x18) = 0xaaaa;
    if (!run(&c, t_read, va, 0) || !wait_done(&c)) {
        return;
    }
    CHECK_EQ(g_val, 0xaaaa);
    /* After Unmap the same access faults (the TLB was flushed). */
    CHECK_OK(seL4_X86_Page_Unmap(f));
    g_val = 0;
    thread_t *t = run(&c, t_read, va, 0);
    if (!t) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_USER);
    thread_suspend(t);
    /* Deleting a mapped frame cap unmaps it as well. */
    seL4_CPtr copy = slot_alloc();
    if (!copy || !CHECK_OK(copy_root(copy, f, seL4_AllRights)) ||
        !xu_map(copy, VS, XU_WIN(13), RW, DEF)) {
        return;
    }
    CHECK_EQ(*wp(13, 0x18), 0xaaaa);
    CHECK_OK(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH));
    if (!run(&c, t_write, va, 1)) {
        return;
    }
    info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_store64, va, PF_USER | PF_WRITE);
}

TARCH_TEST(x86_vm_pt_unmap_clears_entries)
{
    /* Table Unmap zeroes the table (semantics 10.3): mapped again at the
     * same place, it no longer maps the frame. */
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    seL4_CPtr pt = ut ? xu_root_window(ut, 14) : 0;
    if (!setup(&c) || !f || !pt || !xu_map(f, VS, XU_WIN(14) + 5 * PAGE_4K, RW, DEF)) {
        return;
    }
    seL4_Word va = XU_WIN(14) + 5 * PAGE_4K + 8;
    *wp(14, 5 * PAGE_4K + 8) = 0xbbbb;
    CHECK_OK(seL4_X86_PageTable_Unmap(pt));
    CHECK_OK(seL4_X86_PageTable_Map(pt, VS, XU_WIN(14), DEF));
    thread_t *t = run(&c, t_read, va, 0);
    if (!t) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_load64, va, PF_USER);
    /* The frame cap's remap at its recorded vaddr fills the entry again. */
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(14) + 5 * PAGE_4K, RW, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(g_val, 0xbbbb);
    }
}

TARCH_TEST(x86_vm_instruction_fetch_needs_user_mapping)
{
    /* Jump into the window: not mapped (user, not present), then mapped
     * kernel-only (present|user), then mapped read-only with code in it
     * (x86_64 ignores execute rights): it runs. The code is hand-assembled:
     * mov $0x42, %eax; ret. */
    static const unsigned char code[] = { 0xb8, 0x42, 0x00, 0x00, 0x00, 0xc3 };
    ctx_t c;
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr f = ut ? new_object(ut, seL4_X86_4K, 0) : 0;
    seL4_CPtr alias = slot_alloc();
    if (!setup(&c) || !f || !alias || !xu_root_window(ut, 15) ||
        !CHECK_OK(copy_root(alias, f, seL4_AllRights)) ||
        !xu_map(alias, VS, XU_WIN(15) + PAGE_4K, RW, DEF)) {
        return;
    }
    volatile unsigned char *w = (volatile unsigned char *)(XU_WIN(15) + PAGE_4K + 0x120);
    for (unsigned i = 0; i < sizeof(code); i++) {
        w[i] = code[i];
    }
    seL4_Word target = XU_WIN(15) + 0x120;
    if (!run(&c, t_call, target, 0)) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, target, target, PF_USER);
    if (!xu_map(f, VS, XU_WIN(15), seL4_NoRights, DEF)) {
        return;
    }
    reply_empty();
    info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, target, target, PF_USER | PF_PRESENT);
    CHECK_OK(seL4_X86_Page_Map(f, VS, XU_WIN(15), RO, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(g_val, 0x42);
    }
}

TARCH_TEST(x86_vm_large_page_ro_write_faults)
{
    ctx_t c;
    seL4_CPtr l = new_object(ut_new(21), seL4_X86_LargePageObject, 0);
    if (!setup(&c) || !l || !xu_map(l, VS, XU_LARGE_WIN(3), RO, DEF)) {
        return;
    }
    seL4_Word va = XU_LARGE_WIN(3) + 0x1ff000 + 0x30;
    if (!run(&c, t_write, va, 0x77)) {
        return;
    }
    seL4_Word mrs[4];
    seL4_MessageInfo_t info = get_fault(&c, mrs);
    CHECK_VMFAULT(info, mrs, (seL4_Word)xu_store64, va, PF_PRESENT | PF_WRITE | PF_USER);
    CHECK_OK(seL4_X86_Page_Map(l, VS, XU_LARGE_WIN(3), RW, DEF));
    reply_empty();
    if (wait_done(&c)) {
        CHECK_EQ(*(volatile seL4_Word *)va, 0x77);
    }
}
