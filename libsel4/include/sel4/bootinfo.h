/*
 * Access to the root task's boot information. The runtime calls
 * seL4_InitBootInfo once at start-up with the pointer the kernel passed.
 */
#pragma once

#include <sel4/bootinfo_types.h>
#include <sel4/types.h>

/* Records bi for seL4_GetBootInfo and sets the IPC buffer to bi->ipcBuffer
 * (the thread-local storage must already be installed). */
void seL4_InitBootInfo(seL4_BootInfo *bi);

/* The pointer given to seL4_InitBootInfo, or NULL before that. */
seL4_BootInfo *seL4_GetBootInfo(void);
