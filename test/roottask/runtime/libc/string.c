/*
 * Memory and string functions. The compiler may emit calls to memcpy, memmove
 * and memset for struct copies and initialisation, so they must be real
 * functions; RT_NO_BUILTIN stops the optimiser from turning their loops back
 * into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__clang__)
#define RT_NO_BUILTIN __attribute__((no_builtin))
#elif defined(__GNUC__)
#define RT_NO_BUILTIN __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RT_NO_BUILTIN
#endif

/* Word accesses to byte buffers: may_alias keeps them legal under strict aliasing. */
typedef uintptr_t __attribute__((may_alias)) rt_word_t;
#define WORD_SIZE sizeof(rt_word_t)

RT_NO_BUILTIN void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Word copies when both pointers share the same word alignment. */
    if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD_SIZE - 1)) == 0) {
        while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
            *d++ = *s++;
            n--;
        }
        while (n >= WORD_SIZE) {
            *(rt_word_t *)(void *)d = *(const rt_word_t *)(const void *)s;
            d += WORD_SIZE;
            s += WORD_SIZE;
            n -= WORD_SIZE;
        }
    }
    while (n > 0) {
        *d++ = *s++;
        n--;
    }
    return dst;
}

RT_NO_BUILTIN void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0) {
        return dst;
    }
    if (d < s || d >= s + n) {
        /* No harmful overlap: copy forwards. */
        while (n > 0) {
            *d++ = *s++;
            n--;
        }
    } else {
        /* dst overlaps the tail of src: copy backwards. */
        d += n;
        s += n;
        while (n > 0) {
            *--d = *--s;
            n--;
        }
    }
    return dst;
}

RT_NO_BUILTIN void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
        *d++ = byte;
        n--;
    }
    if (n >= WORD_SIZE) {
        rt_word_t word = (rt_word_t)0x0101010101010101ull * byte;
        while (n >= WORD_SIZE) {
            *(rt_word_t *)(void *)d = word;
            d += WORD_SIZE;
            n -= WORD_SIZE;
        }
    }
    while (n > 0) {
        *d++ = byte;
        n--;
    }
    return dst;
}

RT_NO_BUILTIN int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

RT_NO_BUILTIN size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

RT_NO_BUILTIN size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

RT_NO_BUILTIN int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x != '\0' && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}

RT_NO_BUILTIN int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (; n > 0; n--, x++, y++) {
        if (*x != *y) {
            return *x < *y ? -1 : 1;
        }
        if (*x == '\0') {
            break;
        }
    }
    return 0;
}

RT_NO_BUILTIN char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}
