/*
 * Kernel assertions and panics. assert() is active in debug builds only;
 * kpanic() always prints where it happened and stops the machine with a
 * failure status.
 */
#pragma once

#include <config.h>
#include <util.h>

NORETURN void kernelPanic(const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
NORETURN void assertFailed(const char *expr, const char *file, unsigned line, const char *func);

#define kpanic(...) kernelPanic(__FILE__, __LINE__, __VA_ARGS__)

#ifdef CONFIG_DEBUG_BUILD
#define assert(expr)                                           \
    do {                                                       \
        if (!(expr)) {                                         \
            assertFailed(#expr, __FILE__, __LINE__, __func__); \
        }                                                      \
    } while (0)
#else
#define assert(expr) ((void)0)
#endif
