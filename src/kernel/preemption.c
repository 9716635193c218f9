/*
 * Preemption points: every MAX_WORK_UNITS_PER_PREEMPTION units of work a
 * long operation asks whether an interrupt is waiting; if so it stops and
 * the syscall is restarted later.
 */
#include <kernel/arch_hooks.h>
#include <kernel/preemption.h>
#include <kernel/state.h>

exception_t preemptionPoint(void)
{
    ksWorkUnitsCompleted++;
    if (ksWorkUnitsCompleted < MAX_WORK_UNITS_PER_PREEMPTION) {
        return EXCEPTION_NONE;
    }
    ksWorkUnitsCompleted = 0;
    return Arch_isIRQPending() ? EXCEPTION_PREEMPTED : EXCEPTION_NONE;
}
