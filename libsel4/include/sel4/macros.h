/*
 * Compiler glue used throughout libsel4 and by the generated headers
 * (shared_types_gen.h, sel4_client.h, syscall.h, invocation.h).
 */
#pragma once

/* Every header-defined function is a static inline. */
#define LIBSEL4_INLINE static inline
#define LIBSEL4_INLINE_FUNC static inline __attribute__((__unused__))
#define LIBSEL4_WEAK __attribute__((__weak__))
#define LIBSEL4_UNUSED __attribute__((__unused__))
#define LIBSEL4_NORETURN __attribute__((__noreturn__))

#define SEL4_PACKED __attribute__((__packed__))
#define SEL4_ALIGNED(n) __attribute__((__aligned__(n)))
#define SEL4_DEPRECATED(msg) __attribute__((__deprecated__(msg)))
#define SEL4_OFFSETOF(type, member) __builtin_offsetof(type, member)

/* Compile-time assertion usable at file and block scope. */
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert((expr), #name)

/*
 * Adds a member to an enum that forces the enum to be as wide as a word
 * (the value does not fit in 32 bits). Generated headers use it.
 */
#define SEL4_FORCE_LONG_ENUM(type) _enum_pad_##type = (1ULL << ((sizeof(long) * 8) - 1)) - 1
