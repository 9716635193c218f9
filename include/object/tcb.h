/*
 * Thread control blocks: creation from untyped, deletion, and the TCB
 * invocations (semantics.md 4).
 */
#pragma once

#include <object/objecttype.h>
#include <object/structures.h>

/* Set up a TCB in zeroed memory (Inactive, priority 0, the creator's domain). */
tcb_t *initialiseTCB(tcb_t *tcb);
/* Unbind, suspend and forget a thread whose last cap is being deleted. */
void prepareThreadDelete(tcb_t *tcb);
/* Resume a stopped thread: cancel its IPC, Restart, head of its queue. */
void restartThread(tcb_t *tcb);

/* TCB flags (seL4_TCBFlag_*) a thread may set. */
#define seL4_TCBFlag_MASK 1ul

exception_t decodeTCBInvocation(const invocation_t *inv);
exception_t decodeDomainInvocation(const invocation_t *inv);
