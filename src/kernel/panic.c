/*
 * Kernel panics and failed assertions: say where, which thread and with
 * which registers, then stop the machine with a failure status.
 */
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/state.h>
#include <machine/io.h>

static NORETURN void reportAndHalt(void)
{
    tcb_t *cur = ksCurThread;
    if (cur) {
        kprintf("  current thread: \"%s\"\n", cur->tcbName);
        Arch_dumpRegisters(cur);
    }
    Arch_halt(false);
}

NORETURN void kernelPanic(const char *file, unsigned line, const char *fmt, ...)
{
    va_list ap;
    kprintf("\nKERNEL PANIC at %s:%u: ", file, line);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    reportAndHalt();
}

NORETURN void assertFailed(const char *expr, const char *file, unsigned line, const char *func)
{
    kprintf("\nKERNEL ASSERTION FAILED at %s:%u in %s(): %s\n", file, line, func, expr);
    reportAndHalt();
}

/* libsel4's seL4_DebugAssert (used by the shared generated accessors)
 * reports through this hook. */
void __assert_fail(const char *expr, const char *file, int line, const char *function);
void __assert_fail(const char *expr, const char *file, int line, const char *function)
{
    assertFailed(expr, file, (unsigned)line, function);
}
