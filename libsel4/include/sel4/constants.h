/*
 * Architecture-independent constants of the seL4 interface (seL4-abi.md
 * sections 2.3, 3, 5.7, 8.3, 9.2). Arch-specific sizes come from
 * <sel4/arch/constants.h>.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/shared_types.h>
#include <sel4/arch/constants.h>

/* Message geometry. */
#define seL4_MsgLengthBits 7
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxLength 120
#define seL4_MsgMaxExtraCaps ((1 << seL4_MsgExtraCapBits) - 1)

/* Priorities. */
enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio = 0,
    seL4_MaxPrio = CONFIG_NUM_PRIORITIES - 1
};

/* Capability rights, as seL4_CapRights_t values (grantReply, grant, read, write). */
#define seL4_CapRightsBits 4
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)

/* CNode guard word and badges. */
#define seL4_GuardSizeBits 6
#define seL4_GuardBits 58
#define seL4_BadgeBits 64
#define seL4_NilData 0

/* Untyped_Retype: most objects one call may create. */
#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT

/* Lookup-failure description type word (FailedLookup errors, CapFault MR3). */
typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot = 1,
    seL4_MissingCapability = 2,
    seL4_DepthMismatch = 3,
    seL4_GuardMismatch = 4
} seL4_LookupFailureType;

/* TCB flags (TCB_SetFlags). */
typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    seL4_TCBFlag_MASK = 0x1
} seL4_TCBFlag;

SEL4_COMPILE_ASSERT(word_bits_match_config, seL4_WordBits == CONFIG_WORD_SIZE);
SEL4_COMPILE_ASSERT(guard_word_layout, seL4_GuardBits + seL4_GuardSizeBits == seL4_WordBits);
