/*
 * Generic syscall handling: the entry point every arch trap path calls,
 * and the debug syscalls (semantics.md 12).
 */
#pragma once

#include <api/failures.h>
#include <basic_types.h>
#include <object/structures.h>

/* Handle the syscall `number` of the current thread, then schedule. */
void handleSyscall(sword_t number);
/* A user thread raised something the kernel cannot deliver yet: report it
 * (debug builds) and stop the thread. */
void stopThreadWithReport(tcb_t *thread, const char *what);
/* The current thread raised `fault` (an exception, a VM fault, `int n`):
 * deliver it, then schedule. */
void handleUserFault(fault_t fault);
/* Handle a configured debug syscall (api/debug.c); false if `number` is
 * not one. */
bool handleDebugSyscall(sword_t number);
