/*
 * Local APIC (Intel SDM Vol. 3A, 10): enabled with the spurious vector 255,
 * its timer periodic on vector 157 at CONFIG_TIMER_TICK_MS, calibrated at
 * boot against the PIT (the shortest of several short rounds).
 */
#include <arch/apic.h>
#include <arch/machine.h>
#include <config.h>
#include <machine/io.h>
#include <plat/pit.h>

#define MSR_APIC_BASE 0x1bu
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_IRR 0x200
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0
#define APIC_SVR_ENABLE BIT(8)
#define APIC_LVT_MASKED BIT(16)
#define APIC_TIMER_PERIODIC BIT(17)
#define APIC_DIVIDE_BY_1 0xb
#define CALIBRATION_ROUNDS 16

/* Timer counts per millisecond (measured at boot). */
static word_t x86KSapicTicksPerMs;

static volatile uint32_t *apicReg(word_t offset)
{
    paddr_t base = rdmsr(MSR_APIC_BASE) & ~MASK(12) & 0x000ffffffffff000ull;
    return (volatile uint32_t *)(ptrFromPaddr(base) + offset);
}

static void apicWrite(word_t offset, uint32_t v)
{
    *apicReg(offset) = v;
}

static uint32_t apicRead(word_t offset)
{
    return *apicReg(offset);
}

/* The timer counting up from 0 (it counts down from 0xffffffff). */
static uint64_t apicTimerElapsed(void)
{
    return 0xffffffffu - apicRead(APIC_TIMER_CURRENT);
}

BOOT_CODE void apicInit(void)
{
    apicWrite(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
    apicWrite(APIC_TPR, 0);
    apicWrite(APIC_LVT_ERROR, APIC_LVT_MASKED);
    apicWrite(APIC_LVT_TIMER, APIC_LVT_MASKED | KERNEL_TIMER_VECTOR);
    apicWrite(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_1);
    apicWrite(APIC_TIMER_INITIAL, 0xffffffffu);
    uint64_t elapsed = pitMeasure(apicTimerElapsed, CALIBRATION_ROUNDS);
    apicWrite(APIC_TIMER_INITIAL, 0);
    x86KSapicTicksPerMs = elapsed / PIT_CALIBRATE_MS;
    kprintf("APIC timer: %lu kHz, tick %u ms\n", (unsigned long)x86KSapicTicksPerMs,
            CONFIG_TIMER_TICK_MS);
}

BOOT_CODE void apicStartTimer(void)
{
    apicWrite(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | KERNEL_TIMER_VECTOR);
    apicWrite(APIC_TIMER_INITIAL, (uint32_t)(x86KSapicTicksPerMs * CONFIG_TIMER_TICK_MS));
}

void apicAck(void)
{
    apicWrite(APIC_EOI, 0);
}

/* Any interrupt vector (32..255) requested but not yet delivered. */
bool apicInterruptPending(void)
{
    for (word_t i = 1; i < 8; i++) {
        if (apicRead(APIC_IRR + i * 0x10) != 0) {
            return true;
        }
    }
    return false;
}
