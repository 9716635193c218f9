/*
 * The per-thread IPC buffer pointer used by seL4_GetMR/SetMR and the syscall
 * wrappers (<sel4/functions.h>). Each thread sets it with seL4_SetIPCBuffer
 * after its TLS is installed.
 */
#include <sel4/functions.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
