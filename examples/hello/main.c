/*
 * The example root server that the README's boot command runs: it greets,
 * then reads its bootinfo and summarises what the kernel handed over.
 */
#include <sel4/sel4.h>
#include <stdio.h>

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word nUntyped = bi->untyped.end - bi->untyped.start;
    seL4_Word ramBytes = 0;
    for (seL4_Word i = 0; i < nUntyped; i++) {
        if (!bi->untypedList[i].isDevice) {
            ramBytes += (seL4_Word)1 << bi->untypedList[i].sizeBits;
        }
    }
    printf("Hello from the root server!\n");
    printf("  IPC buffer at %p, CNode of %lu slots, first free slot %lu\n", (void *)bi->ipcBuffer,
           (unsigned long)1 << bi->initThreadCNodeSizeBits, (unsigned long)bi->empty.start);
    printf("  %lu untyped caps, %lu MiB of free RAM\n", (unsigned long)nUntyped,
           (unsigned long)(ramBytes >> 20));
#ifdef CONFIG_DEBUG_BUILD
    printf("  my TCB is cap type %lu, my CNode cap type %lu\n",
           (unsigned long)seL4_DebugCapIdentify(seL4_CapInitThreadTCB),
           (unsigned long)seL4_DebugCapIdentify(seL4_CapInitThreadCNode));
#endif
    printf("Root server done.\n");
    return 0;
}
