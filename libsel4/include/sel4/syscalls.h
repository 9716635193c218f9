/*
 * The system-call wrappers, written once for both architectures on top of the
 * arch primitive libsel4_arch_syscall() (<sel4/arch/syscalls.h>), which places
 * the number, cap/badge, message info and MR0..MR3 in the registers of
 * seL4-abi.md section 2 and returns whatever the kernel left there.
 *
 * Plain wrappers move MR0..MR3 between the IPC buffer (msg[0..3]) and the
 * registers, only as many as the message length says. The *WithMRs variants
 * take them through pointers instead and never touch the IPC buffer for them.
 * seL4_Signal, seL4_Wait, seL4_Yield and the debug calls other than
 * seL4_DebugNameThread never touch the IPC buffer.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/syscall.h>
#include <sel4/arch/syscalls.h>

/* Number of MRs that travel in registers and that a message of this tag uses. */
LIBSEL4_INLINE_FUNC seL4_Word libsel4_reg_mrs(seL4_MessageInfo_t info)
{
    seL4_Word length = seL4_MessageInfo_get_length(info);
    return length < seL4_FastMessageRegisters ? length : seL4_FastMessageRegisters;
}

/* MR0..MR3 of an outgoing message, from the IPC buffer (unused ones are 0). */
LIBSEL4_INLINE_FUNC void libsel4_mrs_from_buffer(seL4_MessageInfo_t info, seL4_Word mr[4])
{
    seL4_Word n = libsel4_reg_mrs(info);
    mr[0] = n > 0 ? seL4_GetMR(0) : 0;
    mr[1] = n > 1 ? seL4_GetMR(1) : 0;
    mr[2] = n > 2 ? seL4_GetMR(2) : 0;
    mr[3] = n > 3 ? seL4_GetMR(3) : 0;
}

/* MR0..MR3 of an incoming message, to the IPC buffer (only those it carries). */
LIBSEL4_INLINE_FUNC void libsel4_mrs_to_buffer(seL4_MessageInfo_t info, const seL4_Word mr[4])
{
    seL4_Word n = libsel4_reg_mrs(info);
    if (n > 0) {
        seL4_SetMR(0, mr[0]);
    }
    if (n > 1) {
        seL4_SetMR(1, mr[1]);
    }
    if (n > 2) {
        seL4_SetMR(2, mr[2]);
    }
    if (n > 3) {
        seL4_SetMR(3, mr[3]);
    }
}

/* MR0..MR3 of an outgoing message, from optional pointers. */
LIBSEL4_INLINE_FUNC void libsel4_mrs_from_ptrs(seL4_MessageInfo_t info, seL4_Word mr[4],
                                               seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                               seL4_Word *mr3)
{
    seL4_Word n = seL4_MessageInfo_get_length(info);
    mr[0] = (mr0 != seL4_Null && n > 0) ? *mr0 : 0;
    mr[1] = (mr1 != seL4_Null && n > 1) ? *mr1 : 0;
    mr[2] = (mr2 != seL4_Null && n > 2) ? *mr2 : 0;
    mr[3] = (mr3 != seL4_Null && n > 3) ? *mr3 : 0;
}

/* MR0..MR3 of an incoming message, to optional pointers. */
LIBSEL4_INLINE_FUNC void libsel4_mrs_to_ptrs(const seL4_Word mr[4], seL4_Word *mr0, seL4_Word *mr1,
                                             seL4_Word *mr2, seL4_Word *mr3)
{
    if (mr0 != seL4_Null) {
        *mr0 = mr[0];
    }
    if (mr1 != seL4_Null) {
        *mr1 = mr[1];
    }
    if (mr2 != seL4_Null) {
        *mr2 = mr[2];
    }
    if (mr3 != seL4_Null) {
        *mr3 = mr[3];
    }
}

/* One syscall with the message registers in an array. */
LIBSEL4_INLINE_FUNC void libsel4_syscall(seL4_Word sys, seL4_Word *cap, seL4_Word *info,
                                         seL4_Word mr[4])
{
    libsel4_arch_syscall(sys, cap, info, &mr[0], &mr[1], &mr[2], &mr[3]);
}

/* ---- Send / NBSend ---- */

LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_buffer(msgInfo, mr);
    libsel4_syscall((seL4_Word)seL4_SysSend, &cap, &info, mr);
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                          seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                          seL4_Word *mr3)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_ptrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    libsel4_syscall((seL4_Word)seL4_SysSend, &cap, &info, mr);
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_buffer(msgInfo, mr);
    libsel4_syscall((seL4_Word)seL4_SysNBSend, &cap, &info, mr);
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                            seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                            seL4_Word *mr3)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_ptrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    libsel4_syscall((seL4_Word)seL4_SysNBSend, &cap, &info, mr);
}

/* Signal a notification: Send with an empty message. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = dest;
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, 0).words[0];
    libsel4_syscall((seL4_Word)seL4_SysSend, &cap, &info, mr);
}

/* ---- Reply ---- */

LIBSEL4_INLINE_FUNC void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    seL4_Word cap = 0;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_buffer(msgInfo, mr);
    libsel4_syscall((seL4_Word)seL4_SysReply, &cap, &info, mr);
}

LIBSEL4_INLINE_FUNC void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                           seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4];
    seL4_Word cap = 0;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_ptrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    libsel4_syscall((seL4_Word)seL4_SysReply, &cap, &info, mr);
}

/* ---- Recv / NBRecv / Wait / Poll ---- */

/* Recv and NBRecv differ only in the syscall number. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t libsel4_recv(seL4_Word sysno, seL4_CPtr src,
                                                    seL4_Word *sender, seL4_Word *mr)
{
    seL4_Word cap = src;
    seL4_Word info = 0;
    libsel4_syscall(sysno, &cap, &info, mr);
    if (sender != seL4_Null) {
        *sender = cap;
    }
    seL4_MessageInfo_t tag = { { info } };
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_MessageInfo_t tag = libsel4_recv((seL4_Word)seL4_SysRecv, src, sender, mr);
    libsel4_mrs_to_buffer(tag, mr);
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_MessageInfo_t tag = libsel4_recv((seL4_Word)seL4_SysRecv, src, sender, mr);
    libsel4_mrs_to_ptrs(mr, mr0, mr1, mr2, mr3);
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_MessageInfo_t tag = libsel4_recv((seL4_Word)seL4_SysNBRecv, src, sender, mr);
    libsel4_mrs_to_buffer(tag, mr);
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                          seL4_Word *mr0, seL4_Word *mr1,
                                                          seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_MessageInfo_t tag = libsel4_recv((seL4_Word)seL4_SysNBRecv, src, sender, mr);
    libsel4_mrs_to_ptrs(mr, mr0, mr1, mr2, mr3);
    return tag;
}

/* Wait on a notification: Recv that only reports the badge (notification word). */
LIBSEL4_INLINE_FUNC void seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    (void)libsel4_recv((seL4_Word)seL4_SysRecv, src, sender, mr);
}

/* Poll a notification: NBRecv; the badge is 0 if nothing was pending. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBRecv(src, sender);
}

/* ---- Call / ReplyRecv ---- */

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_buffer(msgInfo, mr);
    libsel4_syscall((seL4_Word)seL4_SysCall, &cap, &info, mr);
    seL4_MessageInfo_t tag = { { info } };
    libsel4_mrs_to_buffer(tag, mr);
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word mr[4];
    seL4_Word cap = dest;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_ptrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    libsel4_syscall((seL4_Word)seL4_SysCall, &cap, &info, mr);
    libsel4_mrs_to_ptrs(mr, mr0, mr1, mr2, mr3);
    seL4_MessageInfo_t tag = { { info } };
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word *sender)
{
    seL4_Word mr[4];
    seL4_Word cap = src;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_buffer(msgInfo, mr);
    libsel4_syscall((seL4_Word)seL4_SysReplyRecv, &cap, &info, mr);
    seL4_MessageInfo_t tag = { { info } };
    libsel4_mrs_to_buffer(tag, mr);
    if (sender != seL4_Null) {
        *sender = cap;
    }
    return tag;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src,
                                                             seL4_MessageInfo_t msgInfo,
                                                             seL4_Word *sender, seL4_Word *mr0,
                                                             seL4_Word *mr1, seL4_Word *mr2,
                                                             seL4_Word *mr3)
{
    seL4_Word mr[4];
    seL4_Word cap = src;
    seL4_Word info = msgInfo.words[0];
    libsel4_mrs_from_ptrs(msgInfo, mr, mr0, mr1, mr2, mr3);
    libsel4_syscall((seL4_Word)seL4_SysReplyRecv, &cap, &info, mr);
    libsel4_mrs_to_ptrs(mr, mr0, mr1, mr2, mr3);
    if (sender != seL4_Null) {
        *sender = cap;
    }
    seL4_MessageInfo_t tag = { { info } };
    return tag;
}

/* ---- Yield ---- */

LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = 0;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysYield, &cap, &info, mr);
}

/* ---- Debug syscalls ---- */

#ifdef CONFIG_PRINTING

/* Print one byte on the kernel console. */
LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = (seL4_Word)(seL4_Uint8)c;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugPutChar, &cap, &info, mr);
}

/* Print a NUL-terminated string, one DebugPutChar per byte. */
LIBSEL4_INLINE_FUNC void seL4_DebugPutString(const char *str)
{
    for (; *str != '\0'; str++) {
        seL4_DebugPutChar(*str);
    }
}

/* Print the kernel's list of threads. */
LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = 0;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugDumpScheduler, &cap, &info, mr);
}

#endif /* CONFIG_PRINTING */

#ifdef CONFIG_DEBUG_BUILD

/* Stop the whole system. */
LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = 0;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugHalt, &cap, &info, mr);
}

/* Print a capDL description of the caller's environment. */
LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = 0;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugSnapshot, &cap, &info, mr);
}

/* Kernel cap-type tag of the cap at cap (0 if empty or not found). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word reg = cap;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugCapIdentify, &reg, &info, mr);
    return (seL4_Uint32)reg;
}

/* Name a thread for kernel diagnostics. The name is copied into the IPC
 * buffer from msg[0] on (truncated to fit), so an IPC buffer is required. */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)&seL4_GetIPCBuffer()->msg[0];
    seL4_Word max = seL4_MsgMaxLength * sizeof(seL4_Word) - 1;
    seL4_Word i;
    for (i = 0; i < max && name[i] != '\0'; i++) {
        dst[i] = name[i];
    }
    dst[i] = '\0';

    seL4_Word mr[4] = { 0, 0, 0, 0 };
    seL4_Word cap = tcb;
    seL4_Word info = 0;
    libsel4_syscall((seL4_Word)seL4_SysDebugNameThread, &cap, &info, mr);
}

#endif /* CONFIG_DEBUG_BUILD */
