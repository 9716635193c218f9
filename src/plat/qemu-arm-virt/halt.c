/*
 * Stopping the machine. With KernelArmSemihosting (on for QEMU, which
 * must run with -semihosting) the kernel exits QEMU through semihosting
 * SYS_EXIT with status PLAT_EXIT_HALT or PLAT_EXIT_PANIC; otherwise the
 * CPU parks with interrupts masked.
 */
#include <kernel/arch_hooks.h>
#include <plat/platform.h>

#define SEMIHOSTING_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#ifdef CONFIG_ARM_SEMIHOSTING
static void semihostingExit(word_t status)
{
    static volatile uint64_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = status;
    register word_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
    register word_t x1 __asm__("x1") = (word_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}
#else
static void semihostingExit(word_t status)
{
    (void)status;
}
#endif

/* Set once Arch_halt has tried to exit: without -semihosting the hlt is
 * an undefined instruction, whose panic must not try again. */
static bool armKShalting;

NORETURN void Arch_halt(bool success)
{
    __asm__ volatile("msr daifset, #0xf" : : : "memory");
    if (!armKShalting) {
        armKShalting = true;
        semihostingExit(success ? PLAT_EXIT_HALT : PLAT_EXIT_PANIC);
    }
    for (;;) {
        __asm__ volatile("wfi");
    }
}
