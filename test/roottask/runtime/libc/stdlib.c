/*
 * abort, exit and the assertion-failure hook (also used by seL4_DebugAssert).
 * All of them print a line and stop the system with seL4_DebugHalt.
 */
#include <assert.h>
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>

static _Noreturn void halt_forever(void)
{
    for (;;) {
        seL4_DebugHalt();
    }
}

_Noreturn void abort(void)
{
    printf("abort() called\n");
    halt_forever();
}

_Noreturn void exit(int status)
{
    printf("exit(%d) called\n", status);
    halt_forever();
}

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *function)
{
    printf("%s:%d: %s: assertion '%s' failed\n", file, line, function, expr);
    halt_forever();
}
