/*
 * x86_64 entry from a Multiboot 1 loader (QEMU -kernel, GRUB).
 * Expects: 32-bit protected mode, paging off, EAX = 0x2BADB002, EBX =
 * physical address of the multiboot info. Builds the permanent kernel
 * page tables (an identity map of the first 4 GiB for the switch, the
 * physical-memory window at 0xffffff8000000000 and the image at
 * 0xffffffff80000000, all with 1 GiB pages), enters long mode, zeroes
 * .bss and calls bootKernel(magic, mbi) on the kernel stack.
 * Clobbers every register; never returns.
 */

#define MULTIBOOT_MAGIC 0x1BADB002
#define MULTIBOOT_FLAGS 0x3 /* page-aligned modules, memory info */
#define PTE_TABLE 0x3       /* present, writable */
#define PTE_HUGE 0x83       /* present, writable, page size */
#define PTE_UNCACHED 0x18   /* PCD | PWT */
#define DEBUG_EXIT_PORT 0xf4
#define COM1 0x3f8

    .section .mbh, "a"
    .align 4
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

    .section .phys.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %eax, boot_magic
    movl %ebx, boot_mbi

    /* CPU checks: long mode, SYSCALL and 1 GiB pages are required. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb   no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl  $29, %edx
    jnc  no_long_mode
    btl  $11, %edx
    jnc  no_syscall
    btl  $26, %edx
    jnc  no_huge_pages

    /* Zero the boot page tables (three pages). */
    movl $boot_pml4, %edi
    movl $(3 * 4096 / 4), %ecx
    xorl %eax, %eax
    rep stosl

    /* PML4[0] -> identity PDPT, PML4[511] -> kernel PDPT. */
    movl $boot_pdpt_ident, %eax
    orl  $PTE_TABLE, %eax
    movl %eax, boot_pml4
    movl $boot_pdpt_kernel, %eax
    orl  $PTE_TABLE, %eax
    movl %eax, boot_pml4 + 511 * 8

    /* Identity PDPT: first 4 GiB. */
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $30, %eax
    orl  $PTE_HUGE, %eax
    movl %eax, boot_pdpt_ident(, %ecx, 8)
    movl %ecx, %edx
    shrl $2, %edx
    movl %edx, boot_pdpt_ident + 4(, %ecx, 8)
    incl %ecx
    cmpl $4, %ecx
    jne  1b

    /* Kernel PDPT: entries 0..509 map physical 0..510 GiB (the window),
     * 510..511 map physical 0..2 GiB (the kernel image). */
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $30, %eax
    orl  $PTE_HUGE, %eax
    movl %eax, boot_pdpt_kernel(, %ecx, 8)
    movl %ecx, %edx
    shrl $2, %edx
    movl %edx, boot_pdpt_kernel + 4(, %ecx, 8)
    incl %ecx
    cmpl $510, %ecx
    jne  2b
    /* 3..4 GiB holds the LAPIC and IOAPIC: uncached. */
    orl  $PTE_UNCACHED, boot_pdpt_kernel + 3 * 8
    movl $PTE_HUGE, boot_pdpt_kernel + 510 * 8
    movl $(0x40000000 | PTE_HUGE), boot_pdpt_kernel + 511 * 8

    /* PAE on, load CR3, EFER.LME and EFER.SCE, then paging on. */
    movl %cr4, %eax
    orl  $0x20, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx
    rdmsr
    orl  $0x101, %eax
    wrmsr
    movl %cr0, %eax
    orl  $0x80010000, %eax          /* PG | WP */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_entry

/* Print the NUL-terminated string at %esi on COM1 and exit QEMU (debug
 * exit status 3), or halt on hardware. */
fail32:
    movw $COM1, %dx
3:  lodsb
    testb %al, %al
    jz   4f
    outb %al, %dx
    jmp  3b
4:  movw $DEBUG_EXIT_PORT, %dx
    movb $1, %al
    outb %al, %dx
5:  hlt
    jmp  5b

no_long_mode:
    movl $msg_no_long_mode, %esi
    jmp  fail32
no_syscall:
    movl $msg_no_syscall, %esi
    jmp  fail32
no_huge_pages:
    movl $msg_no_huge_pages, %esi
    jmp  fail32

    .code64
long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $high_entry, %rax
    jmp  *%rax

    .section .phys.data, "aw"
msg_no_long_mode:
    .asciz "boot: this CPU has no long mode; a 64-bit x86 CPU is required\r\n"
msg_no_syscall:
    .asciz "boot: this CPU has no SYSCALL instruction\r\n"
msg_no_huge_pages:
    .asciz "boot: this CPU has no 1 GiB pages (pdpe1gb)\r\n"

    .align 8
    .global boot_magic, boot_mbi
boot_magic:
    .long 0
boot_mbi:
    .long 0

    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 64-bit kernel code */
    .quad 0x00cf92000000ffff        /* kernel data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .phys.bss, "aw", @nobits
    .align 4096
    .global boot_pml4
boot_pml4:
    .space 4096
boot_pdpt_ident:
    .space 4096
boot_pdpt_kernel:
    .space 4096
    .space 4096
boot_stack_top:

    .text
high_entry:
    /* Zero .bss (no stack in use yet). */
    movabsq $__bss_start, %rdi
    movabsq $__bss_end, %rcx
    subq %rdi, %rcx
    shrq $3, %rcx
    xorl %eax, %eax
    rep stosq
    movabsq $kernel_stack_top, %rsp
    xorl %ebp, %ebp
    /* The identity map is still live: read the saved words directly. */
    movl boot_magic, %edi
    movl boot_mbi, %esi
    call bootKernel
6:  hlt
    jmp 6b


    .section .note.GNU-stack, "", @progbits
