/*
 * AArch64 register context and per-thread arch state.
 * user_context_t is saved and restored by src/arch/aarch64/traps.S: while
 * a thread runs at EL0, SP_EL1 points at its context, so an exception
 * from EL0 stores the registers straight into the TCB.
 */
#pragma once

/* ASID pools (seL4_NumASIDPoolsBits = 7). */
#define NUM_ASID_POOLS 128

/* The root task sees only the pages the extra-bootinfo chunks occupy
 * (seL4-abi.md 5.6). */
#define EXTRA_BOOTINFO_MAPS_WHOLE_REGION 0

#include <basic_types.h>
#include <config.h>
#include <util.h>

enum aarch64_register {
    X0 = 0,
    X1,
    X2,
    X3,
    X4,
    X5,
    X6,
    X7,
    X8,
    X9,
    X10,
    X11,
    X12,
    X13,
    X14,
    X15,
    X16,
    X17,
    X18,
    X19,
    X20,
    X21,
    X22,
    X23,
    X24,
    X25,
    X26,
    X27,
    X28,
    X29,
    X30,
    SP_EL0,      /* 31: the user stack pointer */
    NextIP,      /* 32: ELR_EL1, where the thread continues */
    SPSR_EL1,    /* 33: saved PSTATE */
    FaultIP,     /* 34: restart PC: the instruction that trapped */
    TPIDR_EL0,   /* 35: TLS base, user-writable */
    TPIDRRO_EL0, /* 36: user read-only thread register */
    n_contextRegisters
};

/* Offsets used by the assembly entry code (src/arch/aarch64/traps.S). */
#define AARCH64_CONTEXT_WORDS 37
compile_assert(context_words, n_contextRegisters == AARCH64_CONTEXT_WORDS);

/* Register roles of the syscall ABI (seL4-abi.md 2.2). */
enum {
    capRegister = X0,
    badgeRegister = X0,
    msgInfoRegister = X1,
    syscallRegister = X7,
    n_msgRegisters = 4,
};

/* Message registers MR0..MR3: X2..X5. */
static inline unsigned msgRegister(word_t i)
{
    return (unsigned)(X2 + i);
}

/* Register lists of the ABI (seL4-abi.md 10.3, 11): seL4_UserContext is
 * the 17 frame registers then the 19 gp registers; fault messages and
 * fault replies use the syscall and exception lists. */
enum {
    n_frameRegisters = 17,
    n_gpRegisters = 19,
    n_syscallMessage = 12,
    n_exceptionMessage = 3,
};

static inline unsigned frameRegister(word_t i)
{
    static const unsigned char regs[n_frameRegisters] = {
        FaultIP, SP_EL0, SPSR_EL1, X0, X1, X2, X3, X4, X5, X6, X7, X8, X16, X17, X18, X29, X30,
    };
    return regs[i];
}

static inline unsigned gpRegister(word_t i)
{
    static const unsigned char regs[n_gpRegisters] = {
        X9,  X10, X11, X12, X13, X14, X15, X19,       X20,         X21,
        X22, X23, X24, X25, X26, X27, X28, TPIDR_EL0, TPIDRRO_EL0,
    };
    return regs[i];
}

static inline unsigned syscallMessageRegister(word_t i)
{
    static const unsigned char regs[n_syscallMessage] = {
        X0, X1, X2, X3, X4, X5, X6, X7, FaultIP, SP_EL0, NextIP, SPSR_EL1,
    };
    return regs[i];
}

static inline unsigned exceptionMessageRegister(word_t i)
{
    static const unsigned char regs[n_exceptionMessage] = { FaultIP, SP_EL0, SPSR_EL1 };
    return regs[i];
}

/* FP/SIMD state: V0..V31, then FPSR and FPCR (saved by fpu.S). */
typedef struct {
    uint64_t vregs[64];
    uint32_t fpsr;
    uint32_t fpcr;
} ALIGN(16) fpu_state_t;

typedef struct {
    word_t registers[n_contextRegisters];
} user_context_t;

typedef struct arch_tcb {
    user_context_t context;
    fpu_state_t fpuState;
} arch_tcb_t;

/* Initial and sanitised user PSTATE: EL0t with FIQs masked (debug builds),
 * FIQs and SErrors masked otherwise (seL4-abi.md 5.5, 11). */
#ifdef CONFIG_DEBUG_BUILD
#define PSTATE_USER 0x40ull
#else
#define PSTATE_USER 0x140ull
#endif

/* Interrupt IDs of the GIC: SGIs 0-15, PPIs 16-31, SPIs from 32. */
#define NUM_IRQS 288

/* Highest user virtual address + 1 (seL4_UserTop). */
#define USER_TOP 0x00007fffffffffffull
