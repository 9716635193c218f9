/*
 * A tiny stand-in for libsel4, just enough to compile and run the generated
 * sel4_client.h on the host.  Define SHIM_ARCH_X86_64 or SHIM_ARCH_AARCH64.
 *
 * The IPC path is faked: seL4_SetMR/GetMR/SetCap use a host array laid out
 * like the real IPC buffer (word 0 = tag, message word i at index i + 1), and
 * seL4_CallWithMRs records what the stub sent, then delivers the reply that
 * the test prepared in fake_reply_*.
 */
#pragma once

#include <stdint.h>

typedef uint64_t seL4_Word;
typedef uint8_t seL4_Uint8;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef uint64_t seL4_Uint64;
typedef int8_t seL4_Bool;
typedef seL4_Uint64 seL4_Time;
typedef seL4_Word seL4_CPtr;

typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument,
    seL4_InvalidCapability,
    seL4_IllegalOperation,
    seL4_RangeError,
    seL4_AlignmentError,
    seL4_FailedLookup,
    seL4_TruncatedMessage,
    seL4_DeleteFirst,
    seL4_RevokeFirst,
    seL4_NotEnoughMemory,
    seL4_NumErrors
} seL4_Error;

/* Message info word, ABI section 3.1. */
typedef struct seL4_MessageInfo {
    seL4_Word words[1];
} seL4_MessageInfo_t;

static inline seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                      seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t m;
    m.words[0] = (label << 12) | ((capsUnwrapped & 7) << 9) | ((extraCaps & 3) << 7) | (length & 0x7f);
    return m;
}

static inline seL4_Uint64 seL4_MessageInfo_get_label(seL4_MessageInfo_t m)
{
    return m.words[0] >> 12;
}

static inline seL4_Uint64 seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t m)
{
    return (m.words[0] >> 7) & 3;
}

static inline seL4_Uint64 seL4_MessageInfo_get_length(seL4_MessageInfo_t m)
{
    return m.words[0] & 0x7f;
}

typedef struct seL4_CapRights {
    seL4_Word words[1];
} seL4_CapRights_t;

/* Capability types (all plain CPtrs). */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_Notification;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

#if defined(SHIM_ARCH_X86_64)
typedef seL4_CPtr seL4_X64_PML4;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_X86_IOSpace;
typedef seL4_CPtr seL4_X86_IOPageTable;
typedef seL4_CPtr seL4_X86_VCPU;
typedef seL4_CPtr seL4_X86_EPTPML4;
typedef seL4_CPtr seL4_X86_EPTPDPT;
typedef seL4_CPtr seL4_X86_EPTPD;
typedef seL4_CPtr seL4_X86_EPTPT;

typedef enum {
    seL4_X86_WriteBack = 0,
    seL4_X86_WriteThrough = 1,
    seL4_X86_CacheDisabled = 2,
    seL4_X86_Uncacheable = 3,
    seL4_X86_WriteCombining = 4,
    seL4_X86_Default_VMAttributes = 0
} seL4_X86_VMAttributes;

typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp,
              r8, r9, r10, r11, r12, r13, r14, r15, fs_base, gs_base;
} seL4_UserContext;

typedef struct seL4_VCPUContext_ {
    seL4_Word eax, ebx, ecx, edx, esi, edi, ebp;
} seL4_VCPUContext;

#elif defined(SHIM_ARCH_AARCH64)
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;

typedef enum {
    seL4_ARM_PageCacheable = 1,
    seL4_ARM_ParityEnabled = 2,
    seL4_ARM_Default_VMAttributes = 3,
    seL4_ARM_ExecuteNever = 4
} seL4_ARM_VMAttributes;

typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30,
              x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25, x26,
              x27, x28, tpidr_el0, tpidrro_el0;
} seL4_UserContext;

typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;
#else
#error "define SHIM_ARCH_X86_64 or SHIM_ARCH_AARCH64"
#endif

/* ---- the fake IPC path ---- */

static seL4_Word fake_ipc[128];          /* the "IPC buffer" the stubs write */
static seL4_CPtr fake_caps[3];           /* caps_or_badges[] */
static seL4_Word fake_sent_regs[4];      /* MR0..MR3 as passed in registers */
static seL4_Word fake_sent_ipc[128];     /* snapshot of the buffer at the call */
static seL4_MessageInfo_t fake_sent_tag;
static seL4_CPtr fake_sent_service;
static seL4_Word fake_reply_label;       /* reply the fake kernel delivers */
static seL4_Word fake_reply_len;
static seL4_Word fake_reply_words[120];

static inline void seL4_SetMR(int i, seL4_Word v)
{
    fake_ipc[i + 1] = v;
}

static inline seL4_Word seL4_GetMR(int i)
{
    return fake_ipc[i + 1];
}

static inline void seL4_SetCap(int i, seL4_CPtr cptr)
{
    fake_caps[i] = cptr;
}

static inline seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                  seL4_Word *mr0, seL4_Word *mr1,
                                                  seL4_Word *mr2, seL4_Word *mr3)
{
    int i;

    fake_sent_service = dest;
    fake_sent_tag = info;
    fake_sent_regs[0] = *mr0;
    fake_sent_regs[1] = *mr1;
    fake_sent_regs[2] = *mr2;
    fake_sent_regs[3] = *mr3;
    for (i = 0; i < 128; i++) {
        fake_sent_ipc[i] = fake_ipc[i];
    }
    /* Deliver the prepared reply: MR0..3 in registers, the rest in the buffer. */
    *mr0 = fake_reply_words[0];
    *mr1 = fake_reply_words[1];
    *mr2 = fake_reply_words[2];
    *mr3 = fake_reply_words[3];
    for (i = 4; i < 120; i++) {
        fake_ipc[i + 1] = fake_reply_words[i];
    }
    return seL4_MessageInfo_new(fake_reply_label, 0, 0, fake_reply_len);
}

/* ---- kernel side: the argument accessor the kernel provides ---- */

typedef seL4_Word word_t;

static inline word_t getSyscallArg(word_t i, word_t *ipcBuffer)
{
    return i < 4 ? fake_sent_regs[i] : ipcBuffer[i + 1];
}
