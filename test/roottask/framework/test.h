/*
 * Test framework for the root-task suites.
 *
 *   TEST(name) { ... }       defines and registers a test (any .c file)
 *   ARCH_TEST(name) { ... }  the same, flagged as architecture-specific
 *   CHECK_EQ(actual, expected)     word compare, prints both in hex and decimal
 *   CHECK_NE(actual, unexpected)
 *   CHECK_TRUE(cond)
 *   CHECK_ERR(err, seL4_XXX)       seL4_Error compare, prints error names
 *   CHECK_STR_EQ(actual, expected) NUL-terminated strings
 *   TEST_FAIL(fmt, ...)            unconditional failure with a message
 *
 * A failed check prints "file:line: ..." and marks the current test failed;
 * the test goes on. Every check evaluates to 1 if it passed and 0 if not, so
 * a test can stop early with `if (!CHECK_EQ(a, b)) return;`.
 * Registration places a test_case_t in the linker section .testcases
 * (bounded by __testcases_start/__testcases_end in roottask.ld); tests run in
 * section order, i.e. link order of the files and definition order within one.
 */
#pragma once

#include <sel4/sel4.h>
#include <stdio.h>

#define TEST_FLAG_ARCH_ONLY 0x1u

typedef struct test_case {
    const char *name;   /* as written in TEST(name) */
    void (*fn)(void);   /* the test body */
    unsigned int flags; /* TEST_FLAG_* */
} test_case_t;

#define TEST_REGISTER_(name, flags_)                                                     \
    void test_##name(void);                                                              \
    static const test_case_t test_case_##name                                            \
        __attribute__((section(".testcases"), used, aligned(8))) = { #name, test_##name, \
                                                                     (flags_) };         \
    void test_##name(void)

#define TEST(name) TEST_REGISTER_(name, 0u)
#define ARCH_TEST(name) TEST_REGISTER_(name, TEST_FLAG_ARCH_ONLY)

/* Check helpers (framework/test.c). Each returns 1 on success, 0 on failure. */
int test_check_eq(seL4_Word actual, seL4_Word expected, const char *actual_expr,
                  const char *expected_expr, const char *file, int line);
int test_check_ne(seL4_Word actual, seL4_Word unexpected, const char *actual_expr,
                  const char *unexpected_expr, const char *file, int line);
int test_check_true(int cond, const char *expr, const char *file, int line);
int test_check_err(seL4_Word actual, seL4_Word expected, const char *actual_expr, const char *file,
                   int line);
int test_check_str_eq(const char *actual, const char *expected, const char *actual_expr,
                      const char *expected_expr, const char *file, int line);
void test_fail_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Name of an seL4_Error value ("seL4_RangeError"), or "<unknown error>". */
const char *test_error_name(seL4_Word err);

/* 1 if any check of the running test has failed so far. */
int test_current_failed(void);

#define CHECK_EQ(actual, expected)                                                          \
    test_check_eq((seL4_Word)(actual), (seL4_Word)(expected), #actual, #expected, __FILE__, \
                  __LINE__)
#define CHECK_NE(actual, unexpected)                                                            \
    test_check_ne((seL4_Word)(actual), (seL4_Word)(unexpected), #actual, #unexpected, __FILE__, \
                  __LINE__)
#define CHECK_TRUE(cond) test_check_true(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_ERR(err, expected) \
    test_check_err((seL4_Word)(err), (seL4_Word)(expected), #err, __FILE__, __LINE__)
#define CHECK_STR_EQ(actual, expected) \
    test_check_str_eq((actual), (expected), #actual, #expected, __FILE__, __LINE__)
#define TEST_FAIL(...) test_fail_at(__FILE__, __LINE__, __VA_ARGS__)
