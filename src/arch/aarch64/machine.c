/*
 * AArch64 CPU state owned by the kernel: the system-control settings for
 * EL0 (cache maintenance allowed, no timer access), the exception
 * vectors, the per-thread register context and the FP/SIMD unit.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <kernel/arch_hooks.h>
#include <kernel/state.h>

/* SCTLR_EL1 (Arm ARM D17.2.118). */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_SA0 BIT(4)
#define SCTLR_I BIT(12)
#define SCTLR_DZE BIT(14)
#define SCTLR_UCT BIT(15)
#define SCTLR_NTWI BIT(16)
#define SCTLR_NTWE BIT(18)
#define SCTLR_WXN BIT(19)
#define SCTLR_SPAN BIT(23)
#define SCTLR_E0E BIT(24)
#define SCTLR_EE BIT(25)
#define SCTLR_UCI BIT(26)
/* Bits that are RES1 in ARMv8.0. */
#define SCTLR_RES1 (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* CPACR_EL1.FPEN: 0b01 traps FP/SIMD at EL0 only, 0b11 traps nothing. */
#define CPACR_FPEN_SHIFT 20
#define CPACR_FPEN_TRAP_EL0 (1ull << CPACR_FPEN_SHIFT)
#define CPACR_FPEN_NONE (3ull << CPACR_FPEN_SHIFT)

/* The thread whose FP/SIMD state is live in the registers (or NULL). */
static tcb_t *armKSfpuOwner;
/* The CPACR_EL1 value last written. */
static word_t armKScpacr;

BOOT_CODE void aarch64InitCPU(void)
{
    /* EL0 may use DC CVAU/CIVAC/CVAC, IC IVAU, DC ZVA and read CTR_EL0
     * (seL4-abi.md 13.5); WFI/WFE at EL0 do not trap. */
    word_t sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_SA0 | SCTLR_UCI |
                   SCTLR_UCT | SCTLR_DZE | SCTLR_NTWI | SCTLR_NTWE;
    MSR("sctlr_el1", sctlr);
    isb();
    MSR("vbar_el1", (word_t)arm_vector_table);
    /* No EL0 access to the counters or timers. */
    MSR("cntkctl_el1", 0);
    armKScpacr = CPACR_FPEN_NONE;
    MSR("cpacr_el1", armKScpacr);
    isb();
    MSR("tpidr_el0", 0);
    MSR("tpidrro_el0", 0);
}

static void setCPACR(word_t v)
{
    if (armKScpacr != v) {
        armKScpacr = v;
        MSR("cpacr_el1", v);
        isb();
    }
}

/* Load the thread's FP/SIMD state, or trap its FP use if the thread has
 * the FPU disabled (EC 0x07, delivered as UserException with the ESR).
 * The registers keep armKSfpuOwner's state until another thread needs
 * the unit, so disabling and re-enabling keeps the state. */
void aarch64FpuPrepareReturn(tcb_t *tcb)
{
    if (tcb->tcbFlags & seL4_TCBFlag_fpuDisabled) {
        setCPACR(CPACR_FPEN_TRAP_EL0);
        return;
    }
    setCPACR(CPACR_FPEN_NONE);
    if (armKSfpuOwner != tcb) {
        if (armKSfpuOwner) {
            aarch64FpuSave(&armKSfpuOwner->tcbArch.fpuState);
        }
        aarch64FpuRestore(&tcb->tcbArch.fpuState);
        armKSfpuOwner = tcb;
    }
}

void Arch_prepareThreadDelete(tcb_t *tcb)
{
    if (armKSfpuOwner == tcb) {
        armKSfpuOwner = NULL;
    }
}

void Arch_initUserContext(tcb_t *tcb)
{
    memzero(&tcb->tcbArch, sizeof(tcb->tcbArch));
    setRegister(tcb, SPSR_EL1, PSTATE_USER);
}

void Arch_configureIdleThread(tcb_t *tcb)
{
    Arch_initUserContext(tcb);
}

/* AArch64 has no SetTLSBase syscall; the runtime writes TPIDR_EL0. */
void Arch_setTLSBase(tcb_t *tcb, word_t base)
{
    setRegister(tcb, TPIDR_EL0, base);
}

void Arch_setTLSRegister(tcb_t *tcb, word_t base)
{
    setRegister(tcb, TPIDR_EL0, base);
}

/* SPSR: the user keeps NZCV; the mode is always EL0t with the fixed
 * interrupt masks (seL4-abi.md 11). */
word_t Arch_sanitiseRegister(unsigned reg, word_t value)
{
    if (reg == SPSR_EL1) {
        return (value & 0xf0000000ull) | PSTATE_USER;
    }
    return value;
}

void Arch_postModifyRegisters(tcb_t *tcb)
{
    (void)tcb; /* every return to EL0 restores the whole context */
}

void Arch_clearMemory(void *p, word_t bytes)
{
    memzero(p, bytes);
}
