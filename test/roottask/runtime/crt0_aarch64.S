/*
 * Root-task entry point, AArch64.
 *
 * The kernel starts the root task with X0 = seL4_BootInfo pointer, SP = 0
 * (no stack) and all other registers zero. We switch to a static 64 KiB
 * stack and call __rt_start_root(bi) with X0 untouched. It never returns.
 * Registers used: SP, X9 (scratch), X29/X30 (cleared so back-traces end here).
 */
    .section .text._sel4_start, "ax", %progbits
    .global _sel4_start
    .global _start
    .type _sel4_start, %function
    .type _start, %function
_sel4_start:
_start:
    adrp    x9, __rt_stack_top
    add     x9, x9, :lo12:__rt_stack_top
    mov     sp, x9
    mov     x29, xzr
    mov     x30, xzr
    bl      __rt_start_root
1:  b       1b
    .size _sel4_start, . - _sel4_start
    .size _start, . - _start

    .section .bss.__rt_stack, "aw", %nobits
    .balign 16
    .global __rt_stack_bottom
__rt_stack_bottom:
    .skip   65536
    .global __rt_stack_top
__rt_stack_top:

    .section .note.GNU-stack, "", %progbits
