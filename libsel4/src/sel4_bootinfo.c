/*
 * The root task's bootinfo pointer, recorded once at start-up.
 */
#include <sel4/bootinfo.h>
#include <sel4/functions.h>

static seL4_BootInfo *bootinfo;

void seL4_InitBootInfo(seL4_BootInfo *bi)
{
    bootinfo = bi;
    seL4_SetIPCBuffer(bi->ipcBuffer);
}

seL4_BootInfo *seL4_GetBootInfo(void)
{
    return bootinfo;
}
