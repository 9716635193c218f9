/*
 * AArch64 part of <sel4/types.h>: arch cap names, VM attributes, the register
 * context of TCB_ReadRegisters/WriteRegisters (seL4-abi.md section 11), the
 * SMC argument block and the MR indices of UnknownSyscall and UserException
 * faults (section 10.3). Included from <sel4/types.h> after seL4_Word.
 */
#pragma once

typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_PageGlobalDirectory;
typedef seL4_CPtr seL4_ARM_PageUpperDirectory;
typedef seL4_CPtr seL4_ARM_PageDirectory;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_SGI_Signal;

/* Attributes of a mapping (Map invocations). */
typedef enum {
    seL4_ARM_PageCacheable = 0x01,
    seL4_ARM_ParityEnabled = 0x02,
    seL4_ARM_Default_VMAttributes = 0x03,
    seL4_ARM_ExecuteNever = 0x04
} seL4_ARM_VMAttributes;

typedef enum { seL4_ARM_CacheI = 1, seL4_ARM_CacheD = 2, seL4_ARM_CacheID = 3 } seL4_ARM_CacheType;

/* 36 words: 17 "frame" registers then 19 "gp" registers (CopyRegisters split). */
typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr;
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7, x8;
    seL4_Word x16, x17, x18, x29, x30;
    seL4_Word x9, x10, x11, x12, x13, x14, x15;
    seL4_Word x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;

/* Arguments and results of seL4_ARM_SMC_Call (x0..x7). */
typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

/* UnknownSyscall fault message. */
typedef enum {
    seL4_UnknownSyscall_X0 = 0,
    seL4_UnknownSyscall_X1,
    seL4_UnknownSyscall_X2,
    seL4_UnknownSyscall_X3,
    seL4_UnknownSyscall_X4,
    seL4_UnknownSyscall_X5,
    seL4_UnknownSyscall_X6,
    seL4_UnknownSyscall_X7,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_LR,
    seL4_UnknownSyscall_SPSR,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length
} seL4_UnknownSyscall_Msg;

/* UserException fault message. */
typedef enum {
    seL4_UserException_FaultIP = 0,
    seL4_UserException_SP,
    seL4_UserException_SPSR,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length
} seL4_UserException_Msg;

SEL4_COMPILE_ASSERT(user_context_size, sizeof(seL4_UserContext) == 36 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(user_context_x16,
                    SEL4_OFFSETOF(seL4_UserContext, x16) == 12 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(user_context_x9, SEL4_OFFSETOF(seL4_UserContext, x9) == 17 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(user_context_x19,
                    SEL4_OFFSETOF(seL4_UserContext, x19) == 24 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(user_context_tpidr,
                    SEL4_OFFSETOF(seL4_UserContext, tpidr_el0) == 34 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(smc_context_size, sizeof(seL4_ARM_SMCContext) == 8 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(unknown_syscall_length, seL4_UnknownSyscall_Length == 13);
