/*
 * x86_64 system-call primitive (seL4-abi.md section 2.1), used by the
 * portable wrappers in <sel4/syscalls.h>.
 *
 *   in:  RDX = syscall number, RDI = cap, RSI = message info,
 *        R10, R8, R9, R15 = MR0..MR3
 *   out: RDI = badge, RSI = message info, R10, R8, R9, R15 = MR0..MR3
 *   clobbered: RCX (return address), R11 (RFLAGS), RSP (the kernel returns
 *   with RSP = 0, so it is parked in RBX around the instruction).
 * Every in register is treated as in/out; "memory" orders IPC-buffer accesses.
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/types.h>
#include <sel4/syscall.h>

LIBSEL4_INLINE_FUNC void libsel4_arch_syscall(seL4_Word sys, seL4_Word *cap, seL4_Word *info,
                                              seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                              seL4_Word *mr3)
{
    register seL4_Word r10 __asm__("r10") = *mr0;
    register seL4_Word r8 __asm__("r8") = *mr1;
    register seL4_Word r9 __asm__("r9") = *mr2;
    register seL4_Word r15 __asm__("r15") = *mr3;
    seL4_Word rdi = *cap;
    seL4_Word rsi = *info;

    __asm__ __volatile__("movq %%rsp, %%rbx\n\t"
                         "syscall\n\t"
                         "movq %%rbx, %%rsp"
                         : "+D"(rdi), "+S"(rsi), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15)
                         : "d"(sys)
                         : "rbx", "rcx", "r11", "memory", "cc");

    *cap = rdi;
    *info = rsi;
    *mr0 = r10;
    *mr1 = r8;
    *mr2 = r9;
    *mr3 = r15;
}

#ifdef CONFIG_SET_TLS_BASE_SELF
/* Set the caller's own FS base (TLS thread pointer). RDI = base, RSI = 0. */
LIBSEL4_INLINE_FUNC void seL4_SetTLSBase(seL4_Word tls_base)
{
    seL4_Word cap = tls_base;
    seL4_Word info = 0;
    seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    libsel4_arch_syscall((seL4_Word)seL4_SysSetTLSBase, &cap, &info, &mr0, &mr1, &mr2, &mr3);
}
#endif
