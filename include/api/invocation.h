/*
 * Reading invocation arguments and writing kernel replies. Message word i
 * is a register for i < n_msgRegisters and IPC-buffer word i + 1 after.
 * The generated <api/invocation_args_gen.h> unpacks each method's
 * arguments with the same packing rule as the libsel4 stubs.
 */
#pragma once

#include <api/failures.h>
#include <kernel/state.h>
#include <object/structures.h>

static inline word_t getSyscallArg(word_t i, word_t *buffer)
{
    if (i < n_msgRegisters) {
        return getRegister(ksCurThread, msgRegister(i));
    }
    return buffer[i + 1];
}

/* Record a syscall error of `type` (with the detail word its ABI entry
 * carries) for replyFromKernelError, and return EXCEPTION_SYSCALL_ERROR. */
static inline exception_t syscallError(syscall_error_type_t type)
{
    ksCurSyscallError.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

static inline exception_t syscallErrorInvalidArgument(word_t index)
{
    ksCurSyscallError.invalidArgumentNumber = index;
    return syscallError(seL4_InvalidArgument);
}

static inline exception_t syscallErrorInvalidCap(word_t index)
{
    ksCurSyscallError.invalidCapNumber = index;
    return syscallError(seL4_InvalidCapability);
}

static inline exception_t syscallErrorRange(word_t min, word_t max)
{
    ksCurSyscallError.rangeErrorMin = min;
    ksCurSyscallError.rangeErrorMax = max;
    return syscallError(seL4_RangeError);
}

#include <api/invocation_args_gen.h>
#include <api/invocation_gen.h>

/* Write message word i of `thread`; returns the message length so far:
 * i + 1, or n_msgRegisters if the word had nowhere to go (no IPC buffer
 * for words beyond the registers), so "length = last result" holds. */
word_t setMR(tcb_t *thread, word_t *buffer, word_t i, word_t value);
/* Kernel replies to a Call: the error in ksCurSyscallError, or an empty
 * success. Both clear the badge register. */
void replyFromKernelError(tcb_t *thread);
void replyFromKernelSuccessEmpty(tcb_t *thread);
void setMessageInfo(tcb_t *thread, word_t label, word_t length);
/* Lookup-failure words at `offset` (seL4-abi.md 9.2); returns the count. */
word_t setMRsLookupFailure(tcb_t *thread, word_t *buffer, lookup_fault_t lf, word_t offset);
