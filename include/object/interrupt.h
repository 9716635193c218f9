/*
 * IRQ control and IRQ handler caps (semantics.md 9).
 */
#pragma once

#include <object/objecttype.h>

exception_t decodeIRQControlInvocation(const invocation_t *inv);
exception_t decodeIRQHandlerInvocation(const invocation_t *inv);
/* The final handler cap of `irq` is going (drop its notification) / gone
 * (the IRQ becomes inactive and masked). */
void deletingIRQHandler(word_t irq);
void deletedIRQHandler(word_t irq);
