/* assert() for the root-task runtime; disabled by NDEBUG. */
#pragma once

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *function);

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef __cplusplus
#define static_assert _Static_assert
#endif
