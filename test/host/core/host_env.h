/*
 * The host environment the kernel code runs in for the core tests: the
 * switches host_arch.c offers the test driver (pending interrupt, IPC
 * buffer, console capture) and what it records.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    HOST_IRQ_NONE = 0, /* Arch_isIRQPending() is always false */
    HOST_IRQ_ALWAYS,   /* always true: every preemption point that checks stops */
    HOST_IRQ_COUNTDOWN /* true on the irqCountdown-th check, then off again */
} host_irq_mode_t;

typedef struct {
    host_irq_mode_t irqMode;
    uint64_t irqCountdown;
    uint64_t irqChecks;      /* calls of Arch_isIRQPending */
    uint64_t irqHandled;     /* calls of Arch_handlePendingInterrupt */
    uint64_t threadsStopped; /* calls of stopThreadWithReport */
    void *ipcBufferThread;   /* the tcb_t whose IPC buffer is ipcBuffer */
    uint64_t *ipcBuffer;
    const char *context; /* what the test is doing, printed on a kernel halt */
} host_env_t;

extern host_env_t hostEnv;

/* The last kernel console lines (NUL-terminated, oldest first). */
const char *hostConsoleTail(void);
void hostConsoleClear(void);
/* Print the console tail to stderr (used when a test fails). */
void hostConsoleDump(void);
