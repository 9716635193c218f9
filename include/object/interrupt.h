/*
 * IRQ control and IRQ handler caps (semantics.md 9).
 */
#pragma once

#include <object/objecttype.h>

typedef enum {
    IRQInactive = 0, /* masked, no handler cap */
    IRQSignal,       /* a handler cap exists; signals its notification */
    IRQTimer,        /* the kernel's own timer */
    IRQReserved,     /* used by the kernel otherwise */
} irq_state_t;

/* An interrupt arrived (ack'ed here; the line stays masked for Signal). */
void handleInterrupt(word_t irq);
void setIRQState(irq_state_t state, word_t irq);

exception_t decodeIRQControlInvocation(const invocation_t *inv);
exception_t decodeIRQHandlerInvocation(const invocation_t *inv);
/* The final handler cap of `irq` is going (drop its notification) / gone
 * (the IRQ becomes inactive and masked). */
void deletingIRQHandler(word_t irq);
void deletedIRQHandler(word_t irq);
