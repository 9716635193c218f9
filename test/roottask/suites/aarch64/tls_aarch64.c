/*
 * AArch64 thread registers (seL4-abi.md 11, 13.1): TPIDR_EL0 and
 * TPIDRRO_EL0 through Read/WriteRegisters (context words 34 and 35), the
 * TCB_SetTLSBase invocation, the kernel saving a TPIDR_EL0 the thread
 * wrote itself, and the SPSR sanitising of WriteRegisters.
 */
#include "../threads.h"

static volatile seL4_Word stage, seenRO, seenTP;

static seL4_Word readTPIDRRO(void)
{
    seL4_Word v;
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(v));
    return v;
}

static seL4_Word readTPIDR(void)
{
    seL4_Word v;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    return v;
}

static void h_report(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seenRO = readTPIDRRO();
    seenTP = readTPIDR();
    stage = 1;
}

TARCH_TEST(aarch64_tpidrro_through_write_registers)
{
    stage = seenRO = seenTP = 0;
    thread_t *t = thread_new(ROOT_PRIO, h_report, 0, 0);
    seL4_UserContext ctx;
    if (!t || !read_regs(t->tcb, &ctx)) {
        return;
    }
    CHECK_EQ(ctx.tpidr_el0, t->tp);
    CHECK_EQ(ctx.tpidrro_el0, 0);
    ctx.tpidrro_el0 = 0xfeedface12345678ul;
    ctx.spsr = 0xffffffffffffffful; /* only NZCV survive */
    CHECK_OK(seL4_TCB_WriteRegisters(t->tcb, 0, 0, USER_CONTEXT_WORDS, &ctx));
    seL4_UserContext back;
    read_regs(t->tcb, &back);
    CHECK_EQ(back.tpidrro_el0, 0xfeedface12345678ul);
    CHECK_EQ(back.tpidr_el0, t->tp);
    CHECK_EQ(back.spsr & 0xf0000000ul, 0xf0000000ul);
    CHECK_EQ(back.spsr & 0x0fffffeful, back.spsr & 0x0fffffeful & 0x140ul);
    CHECK_EQ(back.spsr & 0xf, 0); /* EL0t */
    thread_start(t);
    CHECK_TRUE(yield_until(&stage, 1, YIELD_LIMIT));
    CHECK_EQ(seenRO, 0xfeedface12345678ul);
    CHECK_EQ(seenTP, t->tp);
    /* The root task's own TPIDRRO_EL0 is untouched. */
    CHECK_EQ(readTPIDRRO(), 0);
}

TARCH_TEST(aarch64_set_tls_base_writes_tpidr)
{
    thread_t *t = thread_new(ROOT_PRIO, h_report, 0, 0);
    seL4_UserContext ctx;
    if (!t) {
        return;
    }
    CHECK_OK(seL4_TCB_SetTLSBase(t->tcb, 0x123456789abcul));
    read_regs(t->tcb, &ctx);
    CHECK_EQ(ctx.tpidr_el0, 0x123456789abcul);
    CHECK_OK(seL4_TCB_SetTLSBase(t->tcb, t->tp));
    read_regs(t->tcb, &ctx);
    CHECK_EQ(ctx.tpidr_el0, t->tp);
}

/* Writes TPIDR_EL0 itself, then yields (no TLS use) until told to
 * restore it. */
static void h_own_tpidr(seL4_Word value, seL4_Word unused)
{
    (void)unused;
    seL4_Word saved = readTPIDR();
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(value));
    stage = 1;
    while (stage != 2) {
        seL4_Yield();
    }
    seenTP = readTPIDR();
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(saved));
    stage = 3;
}

TARCH_TEST(aarch64_kernel_saves_user_written_tpidr)
{
    stage = seenTP = 0;
    thread_t *t = thread_run(ROOT_PRIO, h_own_tpidr, 0x0ddba11c0ffeeul, 0);
    if (!t || !CHECK_TRUE(yield_until(&stage, 1, YIELD_LIMIT))) {
        return;
    }
    seL4_UserContext ctx;
    read_regs(t->tcb, &ctx);
    CHECK_EQ(ctx.tpidr_el0, 0x0ddba11c0ffeeul);
    /* And the root task's TPIDR_EL0 was restored on the way back. */
    CHECK_NE(readTPIDR(), 0x0ddba11c0ffeeul);
    stage = 2;
    CHECK_TRUE(yield_until(&stage, 3, YIELD_LIMIT));
    CHECK_EQ(seenTP, 0x0ddba11c0ffeeul);
}
