/*
 * AArch64 kernel entry from a boot loader (seL4-abi.md 12.2).
 * Expects: EL1, MMU on with the loader's tables mapping the kernel window
 * (physical memory at 0xffffff8000000000, TTBR1), interrupts masked, and
 *   x0 = root-server image physical start, x1 = its physical end,
 *   x2 = physical - virtual offset of the image, x3 = its virtual entry,
 *   x4 = DTB physical address (0: none), x5 = DTB size.
 * Zeroes .bss, switches to the kernel stack and calls
 * bootKernel(x0, x1, x2, x3, x4, x5). Clobbers x9-x11; never returns.
 */
    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    msr     daifset, #0xf
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
1:  cmp     x9, x10
    b.hs    2f
    str     xzr, [x9], #8
    b       1b
2:  adrp    x11, kernel_stack_top
    add     x11, x11, :lo12:kernel_stack_top
    mov     sp, x11
    mov     x29, xzr
    mov     x30, xzr
    bl      bootKernel
3:  wfi
    b       3b
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
