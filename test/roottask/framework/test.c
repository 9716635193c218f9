/*
 * Check helpers: each compares, prints one diagnostic line on failure and
 * records the failure for the running test (test_main.c reads it back).
 */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set by any failed check; cleared by test_main before each test. */
int test_failed_flag;

int test_current_failed(void)
{
    return test_failed_flag;
}

static int record(int ok)
{
    if (!ok) {
        test_failed_flag = 1;
    }
    return ok;
}

int test_check_eq(seL4_Word actual, seL4_Word expected, const char *actual_expr,
                  const char *expected_expr, const char *file, int line)
{
    if (actual == expected) {
        return 1;
    }
    printf("%s:%d: CHECK_EQ(%s, %s) failed: actual 0x%lx (%ld), expected 0x%lx (%ld)\n", file, line,
           actual_expr, expected_expr, actual, (long)actual, expected, (long)expected);
    return record(0);
}

int test_check_ne(seL4_Word actual, seL4_Word unexpected, const char *actual_expr,
                  const char *unexpected_expr, const char *file, int line)
{
    if (actual != unexpected) {
        return 1;
    }
    printf("%s:%d: CHECK_NE(%s, %s) failed: both are 0x%lx (%ld)\n", file, line, actual_expr,
           unexpected_expr, actual, (long)actual);
    return record(0);
}

int test_check_true(int cond, const char *expr, const char *file, int line)
{
    if (cond) {
        return 1;
    }
    printf("%s:%d: CHECK_TRUE(%s) failed\n", file, line, expr);
    return record(0);
}

const char *test_error_name(seL4_Word err)
{
    static const char *const names[] = {
        "seL4_NoError",          "seL4_InvalidArgument",  "seL4_InvalidCapability",
        "seL4_IllegalOperation", "seL4_RangeError",       "seL4_AlignmentError",
        "seL4_FailedLookup",     "seL4_TruncatedMessage", "seL4_DeleteFirst",
        "seL4_RevokeFirst",      "seL4_NotEnoughMemory",
    };
    _Static_assert(sizeof(names) / sizeof(names[0]) == seL4_NumErrors, "one name per error");

    return err < seL4_NumErrors ? names[err] : "<unknown error>";
}

int test_check_err(seL4_Word actual, seL4_Word expected, const char *actual_expr, const char *file,
                   int line)
{
    if (actual == expected) {
        return 1;
    }
    /* The error details of a failed invocation are in MR0/MR1. */
    printf("%s:%d: CHECK_ERR(%s) failed: got %s (%lu), expected %s (%lu); MR0 0x%lx MR1 0x%lx\n",
           file, line, actual_expr, test_error_name(actual), actual, test_error_name(expected),
           expected, seL4_GetMR(0), seL4_GetMR(1));
    return record(0);
}

int test_check_str_eq(const char *actual, const char *expected, const char *actual_expr,
                      const char *expected_expr, const char *file, int line)
{
    if (actual != NULL && expected != NULL && strcmp(actual, expected) == 0) {
        return 1;
    }
    printf("%s:%d: CHECK_STR_EQ(%s, %s) failed: actual \"%s\", expected \"%s\"\n", file, line,
           actual_expr, expected_expr, actual, expected);
    return record(0);
}

void test_fail_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    printf("%s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    record(0);
}
