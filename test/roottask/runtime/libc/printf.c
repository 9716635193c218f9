/*
 * printf family. One formatter (format_to) writes into a sink that either
 * prints each character with seL4_DebugPutChar or stores it into a buffer.
 */
#include <sel4/sel4.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;   /* NULL: print to the console */
    size_t size; /* capacity of buf, including the terminating NUL */
    size_t len;  /* characters produced so far (also those that did not fit) */
} sink_t;

typedef struct {
    int left;      /* '-' */
    int zero;      /* '0' */
    int alt;       /* '#' */
    int plus;      /* '+' */
    int space;     /* ' ' */
    int width;     /* minimum field width, 0 if none */
    int precision; /* -1 if none */
} spec_t;

static void put(sink_t *s, char c)
{
    if (s->buf == NULL) {
        seL4_DebugPutChar(c);
    } else if (s->len + 1 < s->size) {
        s->buf[s->len] = c;
    }
    s->len++;
}

static void put_repeat(sink_t *s, char c, int count)
{
    for (int i = 0; i < count; i++) {
        put(s, c);
    }
}

static void put_string(sink_t *s, const char *str, const spec_t *sp)
{
    if (str == NULL) {
        str = "(null)";
    }
    size_t n = sp->precision >= 0 ? strnlen(str, (size_t)sp->precision) : strlen(str);
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    if (!sp->left) {
        put_repeat(s, ' ', pad);
    }
    for (size_t i = 0; i < n; i++) {
        put(s, str[i]);
    }
    if (sp->left) {
        put_repeat(s, ' ', pad);
    }
}

/* Print magnitude `value` in `base` with an optional sign/radix prefix. */
static void put_number(sink_t *s, uintmax_t value, int negative, unsigned base, int upper,
                       int is_pointer, const spec_t *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[3 * sizeof(uintmax_t)];
    int ndigits = 0;
    char prefix[3];
    int nprefix = 0;

    /* Digits, least significant first. Precision 0 with value 0 prints none. */
    if (!(value == 0 && sp->precision == 0)) {
        do {
            tmp[ndigits++] = digits[value % base];
            value /= base;
        } while (value != 0);
    }

    if (negative) {
        prefix[nprefix++] = '-';
    } else if (sp->plus) {
        prefix[nprefix++] = '+';
    } else if (sp->space) {
        prefix[nprefix++] = ' ';
    }
    if (base == 16 && (is_pointer || (sp->alt && ndigits > 0 && tmp[ndigits - 1] != '0'))) {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = upper ? 'X' : 'x';
    }
    if (base == 8 && sp->alt && (ndigits == 0 || tmp[ndigits - 1] != '0')) {
        tmp[ndigits++] = '0';
    }

    int nzeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    int total = nprefix + nzeros + ndigits;
    int pad = sp->width > total ? sp->width - total : 0;

    if (!sp->left && !(sp->zero && sp->precision < 0)) {
        put_repeat(s, ' ', pad);
        pad = 0;
    }
    for (int i = 0; i < nprefix; i++) {
        put(s, prefix[i]);
    }
    if (!sp->left) {
        put_repeat(s, '0', pad); /* zero padding goes after the prefix */
    }
    put_repeat(s, '0', nzeros);
    while (ndigits > 0) {
        put(s, tmp[--ndigits]);
    }
    if (sp->left) {
        put_repeat(s, ' ', pad);
    }
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

static intmax_t fetch_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    case LEN_LLONG:
        return va_arg(*ap, long long);
    case LEN_SIZE:
        return (intmax_t)va_arg(*ap, size_t);
    case LEN_MAX:
        return va_arg(*ap, intmax_t);
    case LEN_PTRDIFF:
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t fetch_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    case LEN_LLONG:
        return va_arg(*ap, unsigned long long);
    case LEN_SIZE:
        return va_arg(*ap, size_t);
    case LEN_MAX:
        return va_arg(*ap, uintmax_t);
    case LEN_PTRDIFF:
        return (uintmax_t)va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* Parse flags, width, precision and length of one conversion; return the
 * pointer to the conversion character. */
static const char *parse_spec(const char *f, va_list *ap, spec_t *sp, enum length *len)
{
    *sp = (spec_t){ .precision = -1 };
    for (;; f++) {
        if (*f == '-') {
            sp->left = 1;
        } else if (*f == '0') {
            sp->zero = 1;
        } else if (*f == '#') {
            sp->alt = 1;
        } else if (*f == '+') {
            sp->plus = 1;
        } else if (*f == ' ') {
            sp->space = 1;
        } else {
            break;
        }
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = 1;
            sp->width = -sp->width;
        }
        f++;
    } else {
        while (*f >= '0' && *f <= '9') {
            sp->width = sp->width * 10 + (*f++ - '0');
        }
    }
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0) {
                sp->precision = -1;
            }
            f++;
        } else {
            while (*f >= '0' && *f <= '9') {
                sp->precision = sp->precision * 10 + (*f++ - '0');
            }
        }
    }
    *len = LEN_INT;
    if (f[0] == 'h' && f[1] == 'h') {
        *len = LEN_CHAR;
        f += 2;
    } else if (f[0] == 'h') {
        *len = LEN_SHORT;
        f++;
    } else if (f[0] == 'l' && f[1] == 'l') {
        *len = LEN_LLONG;
        f += 2;
    } else if (f[0] == 'l') {
        *len = LEN_LONG;
        f++;
    } else if (f[0] == 'z') {
        *len = LEN_SIZE;
        f++;
    } else if (f[0] == 'j') {
        *len = LEN_MAX;
        f++;
    } else if (f[0] == 't') {
        *len = LEN_PTRDIFF;
        f++;
    }
    return f;
}

static void format_to(sink_t *s, const char *fmt, va_list ap_in)
{
    va_list ap;
    va_copy(ap, ap_in);

    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            put(s, *f);
            continue;
        }
        const char *start = f;
        spec_t sp;
        enum length len;
        f = parse_spec(f + 1, &ap, &sp, &len);

        switch (*f) {
        case 'd':
        case 'i': {
            intmax_t v = fetch_signed(&ap, len);
            uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            put_number(s, mag, v < 0, 10, 0, 0, &sp);
            break;
        }
        case 'u':
            put_number(s, fetch_unsigned(&ap, len), 0, 10, 0, 0, &sp);
            break;
        case 'x':
        case 'X':
            put_number(s, fetch_unsigned(&ap, len), 0, 16, *f == 'X', 0, &sp);
            break;
        case 'o':
            put_number(s, fetch_unsigned(&ap, len), 0, 8, 0, 0, &sp);
            break;
        case 'p':
            put_number(s, (uintmax_t)(uintptr_t)va_arg(ap, void *), 0, 16, 0, 1, &sp);
            break;
        case 's':
            put_string(s, va_arg(ap, const char *), &sp);
            break;
        case 'c': {
            char c[2] = { (char)va_arg(ap, int), '\0' };
            spec_t csp = sp;
            csp.precision = 1;
            if (c[0] == '\0') {
                /* A NUL character still counts as one character. */
                put_repeat(s, ' ', !sp.left && sp.width > 1 ? sp.width - 1 : 0);
                put(s, '\0');
                put_repeat(s, ' ', sp.left && sp.width > 1 ? sp.width - 1 : 0);
            } else {
                put_string(s, c, &csp);
            }
            break;
        }
        case '%':
            put(s, '%');
            break;
        default:
            /* Unknown conversion (or end of string): print it verbatim. */
            for (const char *p = start; p <= f && *p != '\0'; p++) {
                put(s, *p);
            }
            if (*f == '\0') {
                f--;
            }
            break;
        }
    }
    va_end(ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    static char dummy;
    sink_t s = { .buf = size > 0 ? buf : &dummy, .size = size, .len = 0 };

    format_to(&s, fmt, ap);
    if (size > 0) {
        buf[s.len < size ? s.len : size - 1] = '\0';
    }
    return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    sink_t s = { .buf = NULL, .size = 0, .len = 0 };

    format_to(&s, fmt, ap);
    return (int)s.len;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    seL4_DebugPutChar((char)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    seL4_DebugPutString(s);
    seL4_DebugPutChar('\n');
    return 0;
}
