/*
 * AArch64 exception vectors, kernel entry and exit.
 *
 * Context layout (include/arch/aarch64/arch/types.h), word index:
 *   0..30 x0..x30, 31 SP_EL0, 32 NextIP (ELR_EL1), 33 SPSR_EL1,
 *   34 FaultIP, 35 TPIDR_EL0, 36 TPIDRRO_EL0.
 * While a thread runs at EL0, SP_EL1 holds the address of its context, so
 * an exception from EL0 stores x0..x30 straight into the TCB without a
 * scratch register. The entry code then moves to the kernel stack.
 * Kernel code runs with every interrupt masked; only the idle loop
 * unmasks IRQs, and an IRQ taken there restarts on a fresh kernel stack.
 */

#define CTX_SP_EL0 (8 * 31)
#define CTX_SPSR (8 * 33)
#define CTX_TPIDR (8 * 35)
#define KFRAME_WORDS 36
#define EC_SVC64 0x15

/* Exception kinds reported to c_handle_kernel_exception. */
#define KIND_EL1_SYNC 0
#define KIND_EL1_FIQ 2
#define KIND_EL1_SERROR 3
#define KIND_EL0_FIQ_SERROR 4
#define KIND_AARCH32 5
#define KIND_SP_EL0 6

    .macro VECTOR target
    .balign 0x80
    b       \target
    .endm

    .text
    .balign 2048
    .global arm_vector_table
arm_vector_table:
    /* Current EL with SP_EL0: never used by this kernel. */
    VECTOR  bad_sp_el0
    VECTOR  bad_sp_el0
    VECTOR  bad_sp_el0
    VECTOR  bad_sp_el0
    /* Current EL with SP_EL1: kernel faults, and IRQs in the idle loop. */
    VECTOR  el1_sync
    VECTOR  el1_irq
    VECTOR  el1_fiq
    VECTOR  el1_serror
    /* Lower EL, AArch64: user threads. */
    VECTOR  el0_sync
    VECTOR  el0_irq
    VECTOR  el0_bad
    VECTOR  el0_bad
    /* Lower EL, AArch32: not supported. */
    VECTOR  bad_aarch32
    VECTOR  bad_aarch32
    VECTOR  bad_aarch32
    VECTOR  bad_aarch32

/* Store x0..x29 in the first 30 words at SP. */
    .macro STORE_X0_TO_X29
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
    .endm

/* Save x0..x30, SP_EL0, ELR, SPSR and TPIDR_EL0 into the context at SP,
 * then switch to the kernel stack. Clobbers x9 (saved) and x21..x24
 * (saved); keeps x0, x1 and x7 for the syscall path. */
    .macro SAVE_USER_CONTEXT
    STORE_X0_TO_X29
    mrs     x21, sp_el0
    stp     x30, x21, [sp, #16 * 15]
    mrs     x22, elr_el1
    mrs     x23, spsr_el1
    stp     x22, x23, [sp, #16 * 16]
    mrs     x24, tpidr_el0
    str     x24, [sp, #CTX_TPIDR]
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    mov     x29, xzr
    .endm

el0_sync:
    SAVE_USER_CONTEXT
    mrs     x9, esr_el1
    lsr     x10, x9, #26
    cmp     x10, #EC_SVC64
    b.ne    1f
    /* svc: x0 = cptr, x1 = message info, x7 = syscall number. */
    mov     x2, x7
    bl      c_handle_syscall
1:  mov     x0, x9
    bl      c_handle_user_sync

el0_irq:
    SAVE_USER_CONTEXT
    bl      c_handle_interrupt

/* An IRQ can only reach EL1 in the idle loop: nothing there to save. */
el1_irq:
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    mov     x29, xzr
    bl      c_handle_interrupt

/* Kernel exceptions: a frame of x0..x30, ELR, SPSR, ESR, FAR and the
 * interrupted SP on the current stack, then c_handle_kernel_exception. */
    .macro KERNEL_EXCEPTION kind
    sub     sp, sp, #(8 * KFRAME_WORDS)
    STORE_X0_TO_X29
    mrs     x9, elr_el1
    stp     x30, x9, [sp, #16 * 15]
    mrs     x10, spsr_el1
    mrs     x11, esr_el1
    stp     x10, x11, [sp, #16 * 16]
    mrs     x12, far_el1
    add     x13, sp, #(8 * KFRAME_WORDS)
    stp     x12, x13, [sp, #16 * 17]
    mov     x0, #\kind
    mov     x1, sp
    bl      c_handle_kernel_exception
    .endm

el1_sync:
    KERNEL_EXCEPTION KIND_EL1_SYNC
el1_fiq:
    KERNEL_EXCEPTION KIND_EL1_FIQ
el1_serror:
    KERNEL_EXCEPTION KIND_EL1_SERROR
el0_bad:
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    KERNEL_EXCEPTION KIND_EL0_FIQ_SERROR
bad_aarch32:
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    KERNEL_EXCEPTION KIND_AARCH32
bad_sp_el0:
    KERNEL_EXCEPTION KIND_SP_EL0

/*
 * aarch64_return_to_user(word_t *context): restore a user context and
 * eret. SP_EL1 stays at the context for the next entry from EL0.
 */
    .global aarch64_return_to_user
aarch64_return_to_user:
    mov     sp, x0
    ldp     x21, x22, [sp, #CTX_SP_EL0]
    ldr     x23, [sp, #CTX_SPSR]
    ldp     x24, x25, [sp, #CTX_TPIDR]
    msr     sp_el0, x21
    msr     elr_el1, x22
    msr     spsr_el1, x23
    msr     tpidr_el0, x24
    msr     tpidrro_el0, x25
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #8 * 30]
    eret

/* The idle thread: a fresh kernel stack, IRQs unmasked, wait. */
    .global aarch64_idle_loop
aarch64_idle_loop:
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
1:  msr     daifclr, #2
    wfi
    b       1b

    .bss
    .balign 4096
    .global kernel_stack_bottom
kernel_stack_bottom:
    .space  16384
    .global kernel_stack_top
kernel_stack_top:

    .section .note.GNU-stack, "", %progbits
