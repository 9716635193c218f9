/*
 * The closed set of outcomes of a kernel operation and the single error
 * record that describes a failure. Decoders fill ksCurSyscallError or
 * ksCurLookupFault and return the matching exception_t; one function
 * (api/syscall.c) turns them into the reply.
 */
#pragma once

#include <api/abi.h>
#include <basic_types.h>
#include <machine/io.h>

typedef enum {
    EXCEPTION_NONE = 0,
    EXCEPTION_FAULT,
    EXCEPTION_LOOKUP_FAULT,
    EXCEPTION_SYSCALL_ERROR,
    EXCEPTION_PREEMPTED,
} exception_t;

/* seL4_Error values come from libsel4 (seL4-abi.md 9.1). */
typedef seL4_Error syscall_error_type_t;

/* Lookup failure kinds; the ABI word is the kind (seL4-abi.md 9.2). */
typedef enum {
    lookup_fault_none = 0,
    lookup_fault_invalid_root = 1,
    lookup_fault_missing_capability = 2,
    lookup_fault_depth_mismatch = 3,
    lookup_fault_guard_mismatch = 4,
} lookup_fault_type_t;

typedef struct {
    lookup_fault_type_t type;
    word_t bitsLeft;
    word_t bitsFound;  /* depth mismatch: bits found; guard mismatch: guard size */
    word_t guardFound; /* guard mismatch only */
} lookup_fault_t;

typedef struct {
    syscall_error_type_t type;
    word_t invalidArgumentNumber;
    word_t invalidCapNumber;
    word_t rangeErrorMin;
    word_t rangeErrorMax;
    word_t memoryLeft;
    bool failedLookupWasSource;
} syscall_error_t;

static inline lookup_fault_t lookupFaultInvalidRoot(void)
{
    return (lookup_fault_t){ .type = lookup_fault_invalid_root };
}

static inline lookup_fault_t lookupFaultMissingCap(word_t bitsLeft)
{
    return (lookup_fault_t){ .type = lookup_fault_missing_capability, .bitsLeft = bitsLeft };
}

static inline lookup_fault_t lookupFaultDepthMismatch(word_t bitsLeft, word_t bitsFound)
{
    return (lookup_fault_t){ .type = lookup_fault_depth_mismatch,
                             .bitsLeft = bitsLeft,
                             .bitsFound = bitsFound };
}

static inline lookup_fault_t lookupFaultGuardMismatch(word_t bitsLeft, word_t guardFound,
                                                      word_t guardSize)
{
    return (lookup_fault_t){ .type = lookup_fault_guard_mismatch,
                             .bitsLeft = bitsLeft,
                             .guardFound = guardFound,
                             .bitsFound = guardSize };
}

/* One line per failed invocation in debug builds: object, method, what
 * was expected and what was found. */
#define userError(...)                             \
    do {                                           \
        debugPrintf("kernel: invocation error: "); \
        debugPrintf(__VA_ARGS__);                  \
        debugPrintf("\n");                         \
    } while (0)
