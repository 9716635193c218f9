/*
 * The local APIC: the kernel's timer (periodic, calibrated against the PIT
 * at boot), end of interrupt, and pending-interrupt checks for preemption
 * points. Vectors: IRQ n arrives on vector n + 32.
 */
#pragma once

#include <basic_types.h>

#define IRQ_VECTOR_OFFSET 32
#define KERNEL_TIMER_VECTOR 157
#define KERNEL_TIMER_IRQ (KERNEL_TIMER_VECTOR - IRQ_VECTOR_OFFSET)
#define SPURIOUS_VECTOR 255

void apicInit(void);
void apicStartTimer(void);
void apicAck(void);
bool apicInterruptPending(void);
