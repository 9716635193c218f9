/*
 * Faults: delivery to the handler endpoint named in the faulting thread's
 * CSpace, the fault message, and the effect of the handler's reply
 * (semantics.md 8, seL4-abi.md 10).
 */
#pragma once

#include <object/structures.h>

/* Send `fault` to the handler of `tptr`; for a cap fault, ksCurLookupFault
 * holds its details. Without a usable handler the thread becomes Inactive. */
void handleFault(tcb_t *tptr, fault_t fault);
/* Write the fault message of `sender` to `receiver`; returns its length. */
word_t setMRsFault(tcb_t *sender, tcb_t *receiver, word_t *receiveBuffer);
/* Apply a reply to a fault; true if the thread restarts. */
bool handleFaultReply(tcb_t *receiver, tcb_t *sender);

static inline fault_t capFault(cptr_t address, bool inReceivePhase)
{
    return fault_cap_fault_new(address, inReceivePhase);
}
