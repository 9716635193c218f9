/*
 * Root-task entry point, x86_64.
 *
 * The kernel starts the root task with RDI = seL4_BootInfo pointer, RSP = 0
 * (no stack) and all other registers zero. We switch to a static 64 KiB
 * stack and call __rt_start_root(bi) with RDI untouched. It never returns.
 * Registers used: RSP, RBP (cleared so that back-traces end here).
 */
    .section .text._sel4_start, "ax", @progbits
    .global _sel4_start
    .global _start
    .type _sel4_start, @function
    .type _start, @function
_sel4_start:
_start:
    leaq    __rt_stack_top(%rip), %rsp  /* 16-byte aligned before the call */
    xorl    %ebp, %ebp
    call    __rt_start_root
1:  jmp     1b
    .size _sel4_start, . - _sel4_start
    .size _start, . - _start

    .section .bss.__rt_stack, "aw", @nobits
    .balign 16
    .global __rt_stack_bottom
__rt_stack_bottom:
    .skip   65536
    .global __rt_stack_top
__rt_stack_top:

    .section .note.GNU-stack, "", @progbits
