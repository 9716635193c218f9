/*
 * Loader entry (QEMU -kernel of the boot image, or any firmware that
 * jumps here with the MMU off). Works from EL2 or EL1: at EL2 it makes
 * EL1 AArch64 (HCR_EL2.RW), gives EL1 the physical timer, the FP/SIMD unit
 * and the GICv3 system registers, and drops to EL1h with DAIF masked.
 * Then: loader stack, zeroed .bss, loader_main(entry EL). Clobbers x0,
 * x9, x10, x20; never returns.
 */
    .section .text.start, "ax", %progbits
    .global _start
_start:
    msr     daifset, #0xf
    mrs     x20, CurrentEL
    lsr     x20, x20, #2
    and     x20, x20, #3
    cmp     x20, #2
    b.ne    el1_entry

    mov     x9, #(1 << 31)          /* HCR_EL2.RW: EL1 is AArch64 */
    msr     hcr_el2, x9
    mov     x9, #3                  /* CNTHCTL_EL2: EL1PCTEN, EL1PCEN */
    msr     cnthctl_el2, x9
    msr     cntvoff_el2, xzr
    mov     x9, #0x33ff             /* CPTR_EL2: no FP/SIMD traps */
    msr     cptr_el2, x9
    msr     hstr_el2, xzr
    mrs     x9, id_aa64pfr0_el1     /* GIC system registers present? */
    ubfx    x9, x9, #24, #4
    cbz     x9, 1f
    mrs     x9, S3_4_C12_C9_5       /* ICC_SRE_EL2: SRE and Enable */
    mov     x10, #0x9
    orr     x9, x9, x10
    msr     S3_4_C12_C9_5, x9
    isb
1:  ldr     x9, =0x30d00800         /* SCTLR_EL1: RES1 bits, MMU off */
    msr     sctlr_el1, x9
    mov     x9, #0x3c5              /* EL1h, D, A, I, F masked */
    msr     spsr_el2, x9
    adr     x9, el1_entry
    msr     elr_el2, x9
    eret

el1_entry:
    adrp    x9, loader_stack_top
    add     x9, x9, :lo12:loader_stack_top
    mov     sp, x9
    adrp    x9, __bss_start
    add     x9, x9, :lo12:__bss_start
    adrp    x10, __bss_end
    add     x10, x10, :lo12:__bss_end
2:  cmp     x9, x10
    b.hs    3f
    str     xzr, [x9], #8
    b       2b
3:  adrp    x9, loader_vectors
    add     x9, x9, :lo12:loader_vectors
    msr     vbar_el1, x9
    mov     x0, x20
    bl      loader_main
4:  wfi
    b       4b

/* Any exception in the loader: report it and stop. */
    .balign 2048
loader_vectors:
    .rept 16
    .balign 0x80
    b       loader_exception
    .endr
loader_exception:
    adrp    x9, loader_stack_top
    add     x9, x9, :lo12:loader_stack_top
    mov     sp, x9
    mrs     x0, esr_el1
    mrs     x1, elr_el1
    mrs     x2, far_el1
    bl      loader_fault

    .bss
    .balign 16
    .space  16384
loader_stack_top:

    .section .note.GNU-stack, "", %progbits
