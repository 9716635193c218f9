/*
 * x86_64 register context and per-thread arch state.
 * The tail of user_context_t (Error .. SS) is laid out exactly like the
 * frame the CPU pushes on an exception from user mode: TSS.RSP0 points at
 * the end of the current thread's context, so traps save straight into it.
 */
#pragma once

#include <basic_types.h>
#include <util.h>

enum x86_register {
    RAX = 0,
    RBX,
    RCX,
    RDX,
    RSI,
    RDI,
    RBP,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    FS_BASE,
    GS_BASE,
    FaultIP, /* restart PC: the instruction that trapped */
    Error,   /* error code; -1 means "entered by syscall, leave by sysret" */
    NextIP,  /* where the thread continues (hardware frame starts here) */
    CS,
    FLAGS,
    RSP,
    SS,
    n_contextRegisters
};

/* Offsets used by the assembly entry code (src/arch/x86_64/traps.S). */
#define X86_CONTEXT_WORDS 24
compile_assert(context_words, n_contextRegisters == X86_CONTEXT_WORDS);

/* Register roles of the syscall ABI (seL4-abi.md 2.1). */
enum {
    capRegister = RDI,
    badgeRegister = RDI,
    msgInfoRegister = RSI,
    syscallRegister = RDX,
    n_msgRegisters = 4,
};

/* Message registers MR0..MR3. */
static inline unsigned msgRegister(word_t i)
{
    static const unsigned char regs[n_msgRegisters] = { R10, R8, R9, R15 };
    return regs[i];
}

/* Register lists of the ABI (seL4-abi.md 10.3, 11): seL4_UserContext is
 * the frame registers then the gp registers; fault messages and fault
 * replies use the syscall and exception lists. */
enum {
    n_frameRegisters = 18,
    n_gpRegisters = 2,
    n_syscallMessage = 18,
    n_exceptionMessage = 3,
};

static inline unsigned frameRegister(word_t i)
{
    static const unsigned char regs[n_frameRegisters] = {
        FaultIP, RSP, FLAGS, RAX, RBX, RCX, RDX, RSI, RDI,
        RBP,     R8,  R9,    R10, R11, R12, R13, R14, R15,
    };
    return regs[i];
}

static inline unsigned gpRegister(word_t i)
{
    return i == 0 ? FS_BASE : GS_BASE;
}

static inline unsigned syscallMessageRegister(word_t i)
{
    static const unsigned char regs[n_syscallMessage] = {
        RAX, RBX, RCX, RDX, RSI, RDI, RBP,     R8,  R9,
        R10, R11, R12, R13, R14, R15, FaultIP, RSP, FLAGS,
    };
    return regs[i];
}

static inline unsigned exceptionMessageRegister(word_t i)
{
    static const unsigned char regs[n_exceptionMessage] = { FaultIP, RSP, FLAGS };
    return regs[i];
}

/* FXSAVE area (512 bytes, 16-byte aligned). */
typedef struct {
    uint8_t state[512];
} ALIGN(16) fpu_state_t;

typedef struct {
    word_t registers[n_contextRegisters];
} user_context_t;

typedef struct arch_tcb {
    fpu_state_t fpuState;
    user_context_t context;
} arch_tcb_t;

#define USER_CS_SELECTOR 0x23
#define USER_DS_SELECTOR 0x1b
/* Initial user RFLAGS: IF and the always-one bit 1. */
#define USER_FLAGS_INITIAL 0x202

/* ASID pools (seL4_NumASIDPoolsBits = 3). */
#define NUM_ASID_POOLS 8

/* The root task sees the whole power-of-two extra-bootinfo region
 * (seL4-abi.md 5.6). */
#define EXTRA_BOOTINFO_MAPS_WHOLE_REGION 1

/* IRQ numbers: vector - 32, for vectors 32..255. */
#define NUM_IRQS 224

/* Highest user virtual address + 1 (seL4_UserTop). */
#define USER_TOP 0x00007fffffffffffull
