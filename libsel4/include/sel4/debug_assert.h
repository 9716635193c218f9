/*
 * seL4_DebugAssert: a check that exists only in debug builds. It is used by
 * the generated bitfield accessors (e.g. "value does not fit the field").
 *
 * On failure it calls __assert_fail(expr, file, line, function) if the
 * program provides one (it is referenced weakly), otherwise it traps.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>

#ifdef CONFIG_DEBUG_BUILD

extern void __assert_fail(const char *expr, const char *file, int line,
                          const char *function) LIBSEL4_WEAK;

LIBSEL4_INLINE_FUNC void seL4_DebugAssertFail(const char *expr, const char *file, int line,
                                              const char *function)
{
    void (*handler)(const char *, const char *, int, const char *) = __assert_fail;
    if (handler != (void *)0) {
        handler(expr, file, line, function);
    }
    __builtin_trap();
}

#define seL4_DebugAssert(expr) \
    ((expr) ? (void)0 : seL4_DebugAssertFail(#expr, __FILE__, __LINE__, __func__))

#else

#define seL4_DebugAssert(expr) ((void)0)

#endif
