/*
 * x86_64 CPU state owned by the kernel: the GDT, IDT and TSS, the syscall
 * MSRs, control-register features and the FXSAVE-based FPU.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <assert.h>
#include <config.h>
#include <kernel/state.h>
#include <machine/io.h>

/* Selectors; sysret derives user CS/SS from STAR[63:48] = 0x10. */
enum {
    SEL_NULL = 0x00,
    SEL_CS_0 = 0x08,
    SEL_DS_0 = 0x10,
    SEL_DS_3 = 0x18,
    SEL_CS_3 = 0x20,
    SEL_TSS = 0x28,
    GDT_ENTRIES = 7,
};
compile_assert(user_cs, (SEL_CS_3 | 3) == USER_CS_SELECTOR);
compile_assert(user_ds, (SEL_DS_3 | 3) == USER_DS_SELECTOR);

#define SEG_TYPE_CODE_RX 0xa
#define SEG_TYPE_DATA_RW 0x2
#define SYS_TYPE_TSS 0x9
#define SYS_TYPE_INT_GATE 0xe

/* Vectors user code may raise with `int n` (semantics.md 8.1). */
#define INT_TRAP_MIN 158
#define VECTOR_BREAKPOINT 3
#define VECTOR_DOUBLE_FAULT 8

/* CPU descriptor tables (kernel state owned by the x86 layer). */
static uint64_t x86KSgdt[GDT_ENTRIES] ALIGN(16);
static idt_gate_t x86KSidt[256] ALIGN(16);
x86_tss_t x86KStss ALIGN(16);

typedef struct {
    uint16_t limit;
    uint64_t base;
} PACKED descriptor_ptr_t;

static BOOT_CODE uint64_t segment(word_t dpl, bool code)
{
    gdt_segment_t s = gdt_segment_new(0, 1, code ? 0 : 1, code ? 1 : 0, 0, 0xf, 1, dpl, 1,
                                      code ? SEG_TYPE_CODE_RX : SEG_TYPE_DATA_RW, 0, 0, 0xffff);
    return s.words[0];
}

static BOOT_CODE void initGDT(void)
{
    word_t tss = (word_t)&x86KStss;
    gdt_tss_t t = gdt_tss_new(tss >> 32, (tss >> 24) & 0xff, 0, 0, 0, 1, 0, SYS_TYPE_TSS,
                              (tss >> 16) & 0xff, tss & 0xffff, sizeof(x86_tss_t) - 1);

    x86KSgdt[SEL_NULL / 8] = 0;
    x86KSgdt[SEL_CS_0 / 8] = segment(0, true);
    x86KSgdt[SEL_DS_0 / 8] = segment(0, false);
    x86KSgdt[SEL_DS_3 / 8] = segment(3, false);
    x86KSgdt[SEL_CS_3 / 8] = segment(3, true);
    x86KSgdt[SEL_TSS / 8] = t.words[0];
    x86KSgdt[SEL_TSS / 8 + 1] = t.words[1];

    descriptor_ptr_t gdtr = { sizeof(x86KSgdt) - 1, (word_t)x86KSgdt };
    __asm__ volatile("lgdt %0\n"
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %w2, %%ds\n"
                     "movw %w2, %%es\n"
                     "movw %w2, %%ss\n"
                     :
                     : "m"(gdtr), "i"(SEL_CS_0), "r"(SEL_DS_0)
                     : "rax", "memory");

    x86KStss.ioMapBase = sizeof(x86_tss_t);
    x86KStss.rsp0 = (word_t)kernel_stack_top;
    x86KStss.ist[0] = (word_t)double_fault_stack_top;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

static BOOT_CODE void initIDT(void)
{
    for (word_t v = 0; v < 256; v++) {
        word_t handler = (word_t)x86_trap_stubs + v * 16;
        /* int3, the unknown-syscall range, and `int 0xff`, which the
         * kernel ignores like a spurious interrupt (seL4-abi.md 0.1). */
        bool userCallable = v == VECTOR_BREAKPOINT || v >= INT_TRAP_MIN;
        word_t ist = v == VECTOR_DOUBLE_FAULT ? 1 : 0;
        x86KSidt[v] = idt_gate_new(handler >> 32, (handler >> 16) & 0xffff, 1, userCallable ? 3 : 0,
                                   SYS_TYPE_INT_GATE, ist, SEL_CS_0, handler & 0xffff);
    }
    descriptor_ptr_t idtr = { sizeof(x86KSidt) - 1, (word_t)x86KSidt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

/* Remap the legacy PICs away from the exception vectors and mask them. */
static BOOT_CODE void maskLegacyPIC(void)
{
    out8(0x20, 0x11);
    out8(0xa0, 0x11);
    out8(0x21, 0x20);
    out8(0xa1, 0x28);
    out8(0x21, 0x04);
    out8(0xa1, 0x02);
    out8(0x21, 0x01);
    out8(0xa1, 0x01);
    out8(0x21, 0xff);
    out8(0xa1, 0xff);
}

#define CR0_MP BIT(1)
#define CR0_EM BIT(2)
#define CR0_TS BIT(3)
#define CR0_NE BIT(5)
#define CR4_PGE BIT(7)
#define CR4_OSFXSR BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CR4_SMEP BIT(20)
#define MSR_PAT 0x277u
#define PAT_WITH_WC_AT_4 0x0007040100070406ull
#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define RFLAGS_TF BIT(8)
#define RFLAGS_IF BIT(9)
#define RFLAGS_DF BIT(10)
#define RFLAGS_NT BIT(14)
#define RFLAGS_AC BIT(18)

static BOOT_CODE void initFeatures(void)
{
    /* FPU and SSE for user threads through FXSAVE; no XSAVE, no AVX. */
    writeCR0((readCR0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    word_t cr4 = readCR4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
    if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & BIT(7))) {
        cr4 |= CR4_SMEP;
    }
    writeCR4(cr4);
    __asm__ volatile("fninit");

    /* syscall: kernel CS 0x08 (SS 0x10); sysret: user SS 0x1b, CS 0x23. */
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_LME);
    wrmsr(MSR_STAR, ((uint64_t)SEL_DS_0 << 48) | ((uint64_t)SEL_CS_0 << 32));
    wrmsr(MSR_LSTAR, (word_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC);
    /* PAT entry 4 (PAT bit alone) is write-combining, for
     * seL4_X86_WriteCombining; the other entries keep their reset values. */
    wrmsr(MSR_PAT, PAT_WITH_WC_AT_4);
}

BOOT_CODE void x86InitCPU(void)
{
    initGDT();
    initIDT();
    maskLegacyPIC();
    initFeatures();
}

/* Traps from user mode save into the end of this thread's context. */
void x86SetKernelStack(tcb_t *tcb)
{
    x86KStss.rsp0 = (word_t)&tcb->tcbArch.context.registers[n_contextRegisters];
}

void x86FpuSave(tcb_t *tcb)
{
    __asm__ volatile("fxsave64 %0" : "=m"(tcb->tcbArch.fpuState));
}

void x86FpuRestore(tcb_t *tcb)
{
    __asm__ volatile("fxrstor64 %0" : : "m"(tcb->tcbArch.fpuState));
}
