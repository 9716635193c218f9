/*
 * IOAPICs found through the ACPI MADT, and the routing of their pins to
 * interrupt vectors.
 */
#pragma once

#include <basic_types.h>

#define MAX_IOAPICS 8

/* Find the IOAPICs (ACPI MADT through the RSDP at `rsdp`) and mask every pin. */
void ioapicInit(paddr_t rsdp);
word_t ioapicCount(void);
word_t ioapicPins(word_t ioapic);
/* Route a pin to `vector` (level: 1 = level-triggered; polarity: 1 =
 * active-low), masked or not. */
void ioapicMapPin(word_t ioapic, word_t pin, bool level, bool lowActive, word_t vector,
                  bool masked);
void ioapicSetMask(word_t ioapic, word_t pin, bool masked);
