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

exception_t decodeTCBInvocation(const invocation_t *inv);
exception_t decodeDomainInvocation(const invocation_t *inv);
