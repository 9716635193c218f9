/*
 * The kernel tick: the EL1 physical timer of the Arm generic timer
 * (CNTP_*_EL0, interrupt KERNEL_TIMER_IRQ), reloaded every
 * CONFIG_TIMER_TICK_MS milliseconds from the compare value, so ticks do
 * not drift with interrupt latency.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <config.h>
#include <machine/io.h>
#include <object/interrupt.h>
#include <plat/platform.h>

#define CNT_CTL_ENABLE BIT(0)

/* Counter ticks per kernel tick, and the next compare value. */
static word_t armKStimerPeriod;
static word_t armKStimerNext;

static word_t counterNow(void)
{
    word_t v;
    isb();
    MRS("cntpct_el0", v);
    return v;
}

BOOT_CODE void timerInit(void)
{
    word_t freq;
    MRS("cntfrq_el0", freq);
    armKStimerPeriod = freq / 1000 * CONFIG_TIMER_TICK_MS;
    armKStimerNext = counterNow() + armKStimerPeriod;
    MSR("cntp_cval_el0", armKStimerNext);
    MSR("cntp_ctl_el0", CNT_CTL_ENABLE);
    isb();
    setIRQState(IRQTimer, KERNEL_TIMER_IRQ);
    kprintf("Generic timer: %lu Hz, tick %u ms (IRQ %u)\n", (unsigned long)freq,
            CONFIG_TIMER_TICK_MS, KERNEL_TIMER_IRQ);
}

/* Move the compare value past now; this also drops the (level) line. */
void timerAck(void)
{
    word_t now = counterNow();
    armKStimerNext += armKStimerPeriod;
    if ((sword_t)(armKStimerNext - now) <= 0) {
        armKStimerNext = now + armKStimerPeriod;
    }
    MSR("cntp_cval_el0", armKStimerNext);
    isb();
}
