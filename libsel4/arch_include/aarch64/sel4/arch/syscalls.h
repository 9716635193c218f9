/*
 * AArch64 system-call primitive (seL4-abi.md section 2.2), used by the
 * portable wrappers in <sel4/syscalls.h>.
 *
 *   in:  X7 = syscall number, X0 = cap, X1 = message info, X2..X5 = MR0..MR3
 *   out: X0 = badge, X1 = message info, X2..X5 = MR0..MR3
 *   everything else (including SP and TPIDR_EL0) is preserved by the kernel.
 * Every in register is treated as in/out; "memory" orders IPC-buffer accesses.
 * There is no SetTLSBase syscall: user code writes TPIDR_EL0 itself.
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
    register seL4_Word x0 __asm__("x0") = *cap;
    register seL4_Word x1 __asm__("x1") = *info;
    register seL4_Word x2 __asm__("x2") = *mr0;
    register seL4_Word x3 __asm__("x3") = *mr1;
    register seL4_Word x4 __asm__("x4") = *mr2;
    register seL4_Word x5 __asm__("x5") = *mr3;
    register seL4_Word x7 __asm__("x7") = sys;

    __asm__ __volatile__("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                         : "r"(x7)
                         : "memory");

    *cap = x0;
    *info = x1;
    *mr0 = x2;
    *mr1 = x3;
    *mr2 = x4;
    *mr3 = x5;
}
