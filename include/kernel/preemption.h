/*
 * Preemption points for long operations (delete, revoke, untyped reset).
 * Progress lives in the objects, so an operation abandoned here continues
 * when the caller re-executes its syscall.
 */
#pragma once

#include <api/failures.h>

/* Work units between checks for a pending interrupt. */
#define MAX_WORK_UNITS_PER_PREEMPTION 100

/* EXCEPTION_PREEMPTED if an interrupt is pending, else EXCEPTION_NONE. */
exception_t preemptionPoint(void);
