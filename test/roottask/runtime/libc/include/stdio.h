/*
 * Formatted output of the root-task runtime. Everything goes to the kernel
 * console through seL4_DebugPutChar, unbuffered.
 *
 * Conversions: d i u x X o p s c %. Flags: - 0 # + space. Width and precision
 * (numbers or *). Length modifiers: hh h l ll z j t.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int putchar(int c);
int puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
