/*
 * Small helpers for fault handlers: a fault arrives as a message whose label
 * is a seL4_Fault_tag and whose MRs follow the seL4_*_Msg index enums of
 * <sel4/types.h> and <sel4/arch/types.h> (seL4-abi.md section 10).
 */
#pragma once

#include <sel4/types.h>
#include <sel4/functions.h>

/* Fault type of a message received on a fault endpoint. */
LIBSEL4_INLINE_FUNC seL4_Fault_tag_t seL4_GetFaultType(seL4_MessageInfo_t tag)
{
    return (seL4_Fault_tag_t)seL4_MessageInfo_get_label(tag);
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isVMFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_VMFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isCapFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_CapFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUnknownSyscall_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UnknownSyscall;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUserException_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UserException;
}
