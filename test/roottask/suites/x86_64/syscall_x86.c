/*
 * x86_64 syscall entry and exit: registers the ABI says are preserved,
 * the SetTLSBase syscall and the FS-based thread pointer.
 */
#include "../../framework/test.h"

/*
 * probeSyscallRegisters(in, out): load in[0..7] into RAX, RBP, R12, R13, R14,
 * R8, R9, R15, issue DebugPutChar('.') and store the same registers to
 * out[0..7]. The kernel must preserve all of them (seL4-abi.md 2.1: only
 * RCX, R11 and RSP change; libsel4 keeps RSP in RBX).
 */
void probeSyscallRegisters(const seL4_Word *in, seL4_Word *out);
__asm__(".text\n"
        ".global probeSyscallRegisters\n"
        "probeSyscallRegisters:\n"
        "    push %rbp\n"
        "    push %rbx\n"
        "    push %r12\n"
        "    push %r13\n"
        "    push %r14\n"
        "    push %r15\n"
        "    push %rsi\n"
        "    mov 0(%rdi), %rax\n"
        "    mov 8(%rdi), %rbp\n"
        "    mov 16(%rdi), %r12\n"
        "    mov 24(%rdi), %r13\n"
        "    mov 32(%rdi), %r14\n"
        "    mov 40(%rdi), %r8\n"
        "    mov 48(%rdi), %r9\n"
        "    mov 56(%rdi), %r15\n"
        "    mov $46, %rdi\n"
        "    xor %rsi, %rsi\n"
        "    mov $-9, %rdx\n"
        "    mov %rsp, %rbx\n"
        "    syscall\n"
        "    mov %rbx, %rsp\n"
        "    pop %rdi\n"
        "    mov %rax, 0(%rdi)\n"
        "    mov %rbp, 8(%rdi)\n"
        "    mov %r12, 16(%rdi)\n"
        "    mov %r13, 24(%rdi)\n"
        "    mov %r14, 32(%rdi)\n"
        "    mov %r8, 40(%rdi)\n"
        "    mov %r9, 48(%rdi)\n"
        "    mov %r15, 56(%rdi)\n"
        "    pop %r15\n"
        "    pop %r14\n"
        "    pop %r13\n"
        "    pop %r12\n"
        "    pop %rbx\n"
        "    pop %rbp\n"
        "    ret\n");

ARCH_TEST(x86_syscall_preserves_registers)
{
    static const seL4_Word in[8] = {
        0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444,
        0x5555555555555555, 0x6666666666666666, 0x7777777777777777, 0x8888888888888888,
    };
    seL4_Word out[8] = { 0 };
    probeSyscallRegisters(in, out);
    printf("\n");
    for (int i = 0; i < 8; i++) {
        if (!CHECK_EQ(out[i], in[i])) {
            printf("  register %d changed\n", i);
        }
    }
}

static __thread seL4_Word tlsValue = 0x1234;

static seL4_Word readFS0(void)
{
    seL4_Word v;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

ARCH_TEST(x86_tls_through_fs_base)
{
    /* Variant II TLS: %fs:0 holds the thread pointer itself. */
    seL4_Word tp = readFS0();
    CHECK_TRUE(tp != 0);
    CHECK_EQ(tlsValue, 0x1234);
    tlsValue = 0x5678;
    CHECK_EQ(tlsValue, 0x5678);
    CHECK_TRUE((seL4_Word)&tlsValue < tp);
    /* Re-installing the same base keeps everything working. */
    seL4_SetTLSBase(tp);
    CHECK_EQ(readFS0(), tp);
    CHECK_EQ(tlsValue, 0x5678);
    /* A non-canonical base is ignored. */
    seL4_SetTLSBase(0x0000800000000000ul);
    CHECK_EQ(readFS0(), tp);
    CHECK_EQ((seL4_Word)seL4_GetIPCBuffer(), (seL4_Word)seL4_GetBootInfo()->ipcBuffer);
}

ARCH_TEST(x86_fpu_usable)
{
    volatile double a = 1.5, b = 2.25;
    CHECK_TRUE(a * b == 3.375);
    volatile float f = 3.0f;
    CHECK_TRUE(f / 2.0f == 1.5f);
}
