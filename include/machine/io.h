/*
 * Kernel console output. The platform provides putConsoleChar(); kprintf()
 * formats on top of it. Debug-only chatter goes through debugPrintf().
 */
#pragma once

#include <config.h>
#include <stdarg.h>
#include <util.h>

void putConsoleChar(unsigned char c);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#ifdef CONFIG_DEBUG_BUILD
#define debugPrintf(...) kprintf(__VA_ARGS__)
#else
/* Type-checked and "used", but compiled out. */
#define debugPrintf(...)          \
    do {                          \
        if (0) {                  \
            kprintf(__VA_ARGS__); \
        }                         \
    } while (0)
#endif

/* Format into buf (always NUL-terminated when size > 0). */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
