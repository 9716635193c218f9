/*
 * main() of a test root task: selects the registered tests with the filter,
 * runs them in section order and prints the result lines:
 *
 *   Running <count> tests
 *   PASS <name> | FAIL <name>     (one per test, after its diagnostics)
 *   <N> passed, <M> failed
 *   TESTS DONE
 *
 * then stops with rt_halt().
 */
#include "test.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_FILTER_SIZE 256

extern const test_case_t __testcases_start[];
extern const test_case_t __testcases_end[];
extern int test_failed_flag;

/*
 * The filter: the host runner overwrites this array in the ELF file. It finds
 * the marker bytes and replaces all 256 bytes with the filter text, NUL-padded.
 * Unpatched (still the marker) or empty means "run everything". The marker
 * must occur nowhere else in the image, so the code below never spells it out
 * in one piece.
 */
const volatile char __test_filter[TEST_FILTER_SIZE]
    __attribute__((section(".test_filter"), used, aligned(16))) = "@@TESTFILTER@@";

/* Copy of the filter, read once through the volatile array. */
static char filter[TEST_FILTER_SIZE + 1];

static void load_filter(void)
{
    for (size_t i = 0; i < TEST_FILTER_SIZE; i++) {
        filter[i] = __test_filter[i];
    }
    filter[TEST_FILTER_SIZE] = '\0';

    /* Unpatched image: the marker is "@@" "TESTFILTER" "@@". */
    if (strncmp(filter, "@@", 2) == 0 && strncmp(filter + 2, "TESTFILTER", 10) == 0 &&
        strcmp(filter + 12, "@@") == 0) {
        filter[0] = '\0';
    }
}

/* Empty filter: all; "abc*": names starting with "abc"; else exact name. */
static int selected(const char *name)
{
    size_t n = strlen(filter);

    if (n == 0) {
        return 1;
    }
    if (filter[n - 1] == '*') {
        return strncmp(name, filter, n - 1) == 0;
    }
    return strcmp(name, filter) == 0;
}

int main(void)
{
    unsigned int count = 0;
    unsigned int passed = 0;
    unsigned int failed = 0;

    load_filter();
    for (const test_case_t *t = __testcases_start; t < __testcases_end; t++) {
        count += selected(t->name);
    }

    printf("Running %u tests\n", count);
    for (const test_case_t *t = __testcases_start; t < __testcases_end; t++) {
        if (!selected(t->name)) {
            continue;
        }
        test_failed_flag = 0;
        t->fn();
        if (test_failed_flag) {
            failed++;
            printf("FAIL %s\n", t->name);
        } else {
            passed++;
            printf("PASS %s\n", t->name);
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    printf("TESTS DONE\n");

    rt_halt();
}
