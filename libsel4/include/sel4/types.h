/*
 * Basic interface types: words, capability pointers, typed cap names, the IPC
 * buffer (seL4-abi.md section 4.1) and the message-register indices of fault
 * messages (section 10).
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/basic_types.h>
#include <sel4/shared_types.h>
#include <sel4/constants.h>

/* Typed names for capability pointers (all plain seL4_CPtr). */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_Endpoint;
typedef seL4_CPtr seL4_Notification;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

/*
 * The IPC buffer: 1024 bytes, 1024-aligned. The alignment is on the struct
 * itself, so the `struct seL4_IPCBuffer_ *` in seL4_BootInfo is the same
 * type. msg[0..3] travel in registers; the wrappers copy them to and from
 * this buffer.
 */
typedef struct SEL4_ALIGNED(1 << seL4_IPCBufferSizeBits) seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} seL4_IPCBuffer;

/* Fault labels (message label of a fault IPC). */
typedef enum seL4_Fault_tag {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_VMFault = 5
} seL4_Fault_tag_t;

/* CapFault message (both arches). */
typedef enum {
    seL4_CapFault_IP = 0,
    seL4_CapFault_Addr = 1,
    seL4_CapFault_InRecvPhase = 2,
    seL4_CapFault_LookupFailureType = 3,
    seL4_CapFault_BitsLeft = 4,
    seL4_CapFault_DepthMismatch_BitsFound = 5,
    seL4_CapFault_GuardMismatch_GuardFound = 5,
    seL4_CapFault_GuardMismatch_BitsFound = 6
} seL4_CapFault_Msg;

/* VMFault message (both arches). */
typedef enum {
    seL4_VMFault_IP = 0,
    seL4_VMFault_Addr = 1,
    seL4_VMFault_PrefetchFault = 2,
    seL4_VMFault_FSR = 3,
    seL4_VMFault_Length = 4
} seL4_VMFault_Msg;

/* Arch part: seL4_UserContext, VM attributes, UnknownSyscall/UserException indices, arch caps. */
#include <sel4/arch/types.h>

SEL4_COMPILE_ASSERT(ipc_buffer_size, sizeof(seL4_IPCBuffer) == 1024);
SEL4_COMPILE_ASSERT(ipc_buffer_align, _Alignof(seL4_IPCBuffer) == 1024);
SEL4_COMPILE_ASSERT(ipc_buffer_msg, SEL4_OFFSETOF(seL4_IPCBuffer, msg) == 8);
SEL4_COMPILE_ASSERT(ipc_buffer_userData, SEL4_OFFSETOF(seL4_IPCBuffer, userData) == 968);
SEL4_COMPILE_ASSERT(ipc_buffer_caps, SEL4_OFFSETOF(seL4_IPCBuffer, caps_or_badges) == 976);
SEL4_COMPILE_ASSERT(ipc_buffer_receiveCNode, SEL4_OFFSETOF(seL4_IPCBuffer, receiveCNode) == 1000);
SEL4_COMPILE_ASSERT(ipc_buffer_receiveIndex, SEL4_OFFSETOF(seL4_IPCBuffer, receiveIndex) == 1008);
SEL4_COMPILE_ASSERT(ipc_buffer_receiveDepth, SEL4_OFFSETOF(seL4_IPCBuffer, receiveDepth) == 1016);
