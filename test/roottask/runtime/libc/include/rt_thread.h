/*
 * Helpers for root tasks that start more threads in their own address
 * space: each thread needs its own TLS block (libsel4 keeps the IPC buffer
 * pointer in a __thread variable).
 *
 *   uintptr_t tp = rt_tls_new(area, sizeof(area));
 *   rt_tls_set_ipc_buffer(tp, buffer);
 *   then start the thread with its TLS register (x86_64: fs_base,
 *   AArch64: tpidr_el0) set to tp, e.g. through seL4_TCB_WriteRegisters.
 */
#pragma once

#include <sel4/sel4.h>
#include <stddef.h>
#include <stdint.h>

/* Build a TLS block from the image's template in [area, area + size);
 * returns the thread pointer, or 0 if the area is too small. */
uintptr_t rt_tls_new(void *area, size_t size);
/* Make the thread whose thread pointer is `tp` use `buffer` as its IPC buffer. */
void rt_tls_set_ipc_buffer(uintptr_t tp, seL4_IPCBuffer *buffer);
