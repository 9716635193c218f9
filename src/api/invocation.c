/*
 * Kernel replies to invocations: the success and error replies of a Call,
 * and the one function that turns the error record into reply words
 * (seL4-abi.md 9).
 */
#include <api/invocation.h>
#include <kernel/arch_hooks.h>

word_t setMR(tcb_t *thread, word_t *buffer, word_t i, word_t value)
{
    if (i < n_msgRegisters) {
        setRegister(thread, msgRegister(i), value);
        return i + 1;
    }
    if (buffer && i < seL4_MsgMaxLength) {
        buffer[i + 1] = value;
        return i + 1;
    }
    /* Nowhere to put it: the message is cut to the register MRs. */
    return n_msgRegisters;
}

void setMessageInfo(tcb_t *thread, word_t label, word_t length)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, 0, length);
    setRegister(thread, msgInfoRegister, info.words[0]);
}

word_t setMRsLookupFailure(tcb_t *thread, word_t *buffer, lookup_fault_t lf, word_t offset)
{
    word_t i = setMR(thread, buffer, offset, lf.type);
    switch (lf.type) {
    case lookup_fault_missing_capability:
        i = setMR(thread, buffer, i, lf.bitsLeft);
        break;
    case lookup_fault_depth_mismatch:
        i = setMR(thread, buffer, i, lf.bitsLeft);
        i = setMR(thread, buffer, i, lf.bitsFound);
        break;
    case lookup_fault_guard_mismatch:
        i = setMR(thread, buffer, i, lf.bitsLeft);
        i = setMR(thread, buffer, i, lf.guardFound);
        i = setMR(thread, buffer, i, lf.bitsFound);
        break;
    default:
        break;
    }
    return i;
}

/* The detail words of the current syscall error; returns their count. */
static word_t setMRsSyscallError(tcb_t *thread, word_t *buffer)
{
    const syscall_error_t *e = &ksCurSyscallError;
    switch (e->type) {
    case seL4_InvalidArgument:
        return setMR(thread, buffer, 0, e->invalidArgumentNumber);
    case seL4_InvalidCapability:
        return setMR(thread, buffer, 0, e->invalidCapNumber);
    case seL4_RangeError:
        setMR(thread, buffer, 0, e->rangeErrorMin);
        return setMR(thread, buffer, 1, e->rangeErrorMax);
    case seL4_FailedLookup:
        setMR(thread, buffer, 0, e->failedLookupWasSource ? 1 : 0);
        return setMRsLookupFailure(thread, buffer, ksCurLookupFault, 1);
    case seL4_NotEnoughMemory:
        return setMR(thread, buffer, 0, e->memoryLeft);
    default:
        return 0;
    }
}

void replyFromKernelError(tcb_t *thread)
{
    word_t *buffer = Arch_lookupIPCBuffer(true, thread);
    setRegister(thread, badgeRegister, 0);
    word_t length = setMRsSyscallError(thread, buffer);
    setMessageInfo(thread, ksCurSyscallError.type, length);
}

void replyFromKernelSuccessEmpty(tcb_t *thread)
{
    setRegister(thread, badgeRegister, 0);
    setMessageInfo(thread, 0, 0);
}
