/*
 * abort, exit and the assertion-failure hook (also used by seL4_DebugAssert).
 * All of them print a line and stop through rt_halt().
 */
#include <assert.h>
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>

/* Debug builds halt the machine; release builds have no DebugHalt, so the
 * root task suspends itself (and the kernel idles). */
_Noreturn void rt_halt(void)
{
    for (;;) {
#ifdef CONFIG_DEBUG_BUILD
        seL4_DebugHalt();
#else
        seL4_TCB_Suspend(seL4_CapInitThreadTCB);
        seL4_Yield();
#endif
    }
}

_Noreturn void abort(void)
{
    printf("abort() called\n");
    rt_halt();
}

_Noreturn void exit(int status)
{
    printf("exit(%d) called\n", status);
    rt_halt();
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *function)
{
    printf("%s:%d: %s: assertion '%s' failed\n", file, line, function, expr);
    rt_halt();
}
