/*
 * x86_64 kernel entry and exit.
 *
 * Context layout (include/arch/x86_64/arch/types.h), word index:
 *   0 RAX 1 RBX 2 RCX 3 RDX 4 RSI 5 RDI 6 RBP 7..14 R8..R15
 *   15 FS_BASE 16 GS_BASE 17 FaultIP 18 Error 19 NextIP 20 CS 21 FLAGS
 *   22 RSP 23 SS
 * TSS.RSP0 always points just past SS of the current thread's context, so
 * an exception from user mode pushes SS..NextIP (and Error) straight into
 * the TCB; the code below stores the rest below it.
 */

#define CTX_WORDS 24
#define ERROR_SLOT 18
#define FAULTIP_SLOT 17
#define CS_SLOT 20
#define TSS_RSP0 4

    .text

/*
 * syscall: RCX = user RIP, R11 = user RFLAGS, RSP = user stack (not saved,
 * the ABI returns RSP = 0). Interrupts are off (FMASK clears IF).
 * The RSP, RCX, R11 and CS/SS slots keep their old values (seL4-abi.md 2.1).
 */
    .global syscall_entry
syscall_entry:
    movq x86KStss + TSS_RSP0(%rip), %rsp
    subq $16, %rsp              /* SS, RSP: not updated */
    pushq %r11                  /* FLAGS */
    subq $8, %rsp               /* CS */
    pushq %rcx                  /* NextIP */
    pushq $-1                   /* Error = -1: leave through sysret */
    subq $24, %rsp              /* FaultIP, GS_BASE, FS_BASE */
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    subq $8, %rsp               /* R11: not updated */
    pushq %r10
    pushq %r9
    pushq %r8
    pushq %rbp
    pushq %rdi
    pushq %rsi
    pushq %rdx
    subq $8, %rsp               /* RCX: not updated */
    pushq %rbx
    pushq %rax
    movabsq $kernel_stack_top, %rsp
    xorl %ebp, %ebp
    /* RDI (cptr), RSI (msginfo) and RDX (syscall number) are untouched. */
    call c_handle_syscall
    ud2

/*
 * Vector stubs, 16 bytes apart: push a zero error code where the CPU does
 * not push one, park RAX in the FaultIP slot and pass the vector in EAX.
 */
    .align 16
    .global x86_trap_stubs
x86_trap_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq %rax
    movl $vec, %eax
    jmp trap_common
    .set vec, vec + 1
    .endr

trap_common:
    subq $16, %rsp              /* GS_BASE, FS_BASE */
    pushq %r15
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %r11
    pushq %r10
    pushq %r9
    pushq %r8
    pushq %rbp
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %rbx
    subq $8, %rsp               /* RAX */
    movl %eax, %edi             /* vector */
    movq FAULTIP_SLOT * 8(%rsp), %rax
    movq %rax, (%rsp)           /* the saved RAX goes to its own slot */
    movq %rsp, %rsi             /* the saved frame */
    testb $3, CS_SLOT * 8(%rsp)
    jz   1f
    movabsq $kernel_stack_top, %rsp  /* from user: start a fresh kernel stack */
1:  xorl %ebp, %ebp
    andq $-16, %rsp
    call c_handle_trap
    ud2

/*
 * x86_return_to_user(word_t *context): restore a user context and leave.
 * Error == -1: the thread last entered by syscall, so leave by sysret
 * (RCX = NextIP, R11 = FLAGS, RSP = 0). Otherwise iretq with the full frame.
 */
    .global x86_return_to_user
x86_return_to_user:
    movq %rdi, %rsp
    cmpq $-1, ERROR_SLOT * 8(%rsp)
    je   2f
    popq %rax
    popq %rbx
    popq %rcx
    popq %rdx
    popq %rsi
    popq %rdi
    popq %rbp
    popq %r8
    popq %r9
    popq %r10
    popq %r11
    popq %r12
    popq %r13
    popq %r14
    popq %r15
    addq $32, %rsp              /* FS_BASE, GS_BASE, FaultIP, Error */
    iretq
2:  popq %rax
    popq %rbx
    addq $8, %rsp               /* RCX */
    popq %rdx
    popq %rsi
    popq %rdi
    popq %rbp
    popq %r8
    popq %r9
    popq %r10
    addq $8, %rsp               /* R11 */
    popq %r12
    popq %r13
    popq %r14
    popq %r15
    /* RSP now at FS_BASE (15): NextIP is 4 words up, FLAGS 6. */
    movq 32(%rsp), %rcx
    movq 48(%rsp), %r11
    xorl %esp, %esp
    sysretq

/* The idle thread: a fresh kernel stack, interrupts on, halt. */
    .global x86_idle_loop
x86_idle_loop:
    movabsq $kernel_stack_top, %rsp
3:  sti
    hlt
    jmp 3b

    .bss
    .align 4096
    .global kernel_stack_top, kernel_stack_bottom
kernel_stack_bottom:
    .space 16384
kernel_stack_top:
    .align 4096
double_fault_stack_bottom:
    .space 4096
    .global double_fault_stack_top
double_fault_stack_top:

    .section .note.GNU-stack, "", @progbits
