/*
 * Minimal printf for the kernel console: %d %i %u %x %X %p %s %c %%, the
 * l/ll/z length modifiers, '#', '-', '0' and a field width.
 */
#include <machine/io.h>

typedef struct {
    char *buf; /* NULL: write to the console */
    size_t size;
    size_t len;
} out_t;

static void emit(out_t *o, char c)
{
    if (o->buf == NULL) {
        if (c == '\n') {
            putConsoleChar('\r');
        }
        putConsoleChar((unsigned char)c);
    } else if (o->len + 1 < o->size) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void emitPadded(out_t *o, const char *s, size_t n, unsigned width, bool left, char pad)
{
    size_t fill = width > n ? width - n : 0;
    if (!left) {
        for (size_t i = 0; i < fill; i++) {
            emit(o, pad);
        }
    }
    for (size_t i = 0; i < n; i++) {
        emit(o, s[i]);
    }
    if (left) {
        for (size_t i = 0; i < fill; i++) {
            emit(o, ' ');
        }
    }
}

/* Digits of v in `base`, with an optional prefix and sign, right to left. */
static size_t formatNumber(char *end, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    do {
        *--end = digits[v % base];
        v /= base;
        n++;
    } while (v);
    return n;
}

/* A conversion specification: flags, width and length modifier. */
typedef struct {
    bool left, alt;
    char pad;
    unsigned width;
    int longs;
} spec_t;

static const char *parseSpec(const char *fmt, spec_t *sp)
{
    *sp = (spec_t){ false, false, ' ', 0, 0 };
    for (;; fmt++) {
        if (*fmt == '-') {
            sp->left = true;
        } else if (*fmt == '0') {
            sp->pad = '0';
        } else if (*fmt == '#') {
            sp->alt = true;
        } else {
            break;
        }
    }
    while (*fmt >= '0' && *fmt <= '9') {
        sp->width = sp->width * 10 + (unsigned)(*fmt++ - '0');
    }
    while (*fmt == 'l' || *fmt == 'z') {
        sp->longs++;
        fmt++;
    }
    return fmt;
}

static void formatSigned(out_t *o, int64_t v, const spec_t *sp)
{
    char tmp[24];
    char *end = tmp + sizeof(tmp);
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t n = formatNumber(end, mag, 10, false);
    if (v < 0) {
        *(end - n - 1) = '-';
        n++;
    }
    emitPadded(o, end - n, n, sp->width, sp->left, sp->pad);
}

/* %u, %x, %X and %p (which is %#lx). */
static void formatUnsigned(out_t *o, uint64_t v, char conv, spec_t sp)
{
    char tmp[24];
    char *end = tmp + sizeof(tmp);
    unsigned base = conv == 'u' ? 10 : 16;
    size_t n = formatNumber(end, v, base, conv == 'X');
    if (sp.alt && base == 16) {
        if (sp.pad == '0') {
            emit(o, '0');
            emit(o, 'x');
            sp.width = sp.width > 2 ? sp.width - 2 : 0;
        } else {
            *(end - n - 1) = 'x';
            *(end - n - 2) = '0';
            n += 2;
        }
    }
    emitPadded(o, end - n, n, sp.width, sp.left, sp.pad);
}

static int format(out_t *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(o, *fmt);
            continue;
        }
        spec_t sp;
        fmt = parseSpec(fmt + 1, &sp);
        switch (*fmt) {
        case 'd':
        case 'i':
            formatSigned(o, sp.longs ? va_arg(ap, int64_t) : va_arg(ap, int), &sp);
            break;
        case 'p':
            sp.alt = true;
            formatUnsigned(o, (uint64_t)(uintptr_t)va_arg(ap, void *), 'x', sp);
            break;
        case 'u':
        case 'x':
        case 'X':
            formatUnsigned(o, sp.longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int), *fmt, sp);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)";
            emitPadded(o, s, strnlen(s, 4096), sp.width, sp.left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            emitPadded(o, &c, 1, sp.width, sp.left, ' ');
            break;
        }
        case '%':
            emit(o, '%');
            break;
        default:
            emit(o, '%');
            if (!*fmt) {
                return (int)o->len;
            }
            emit(o, *fmt);
            break;
        }
    }
    return (int)o->len;
}

int kvprintf(const char *fmt, va_list ap)
{
    out_t o = { NULL, 0, 0 };
    return format(&o, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    out_t o = { buf, size, 0 };
    va_list ap;
    va_start(ap, fmt);
    int n = format(&o, fmt, ap);
    va_end(ap);
    if (size > 0) {
        buf[o.len < size ? o.len : size - 1] = '\0';
    }
    return n;
}
