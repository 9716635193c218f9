/*
 * A root task that knows nothing of the kernel's source tree: it includes
 * <sel4/sel4.h> from the SDK and proves it runs by creating an endpoint
 * and checking the answer of an invocation.
 */
#include <sel4/sel4.h>
#include <stdio.h>

static seL4_Error makeEndpoint(const seL4_BootInfo *bi, seL4_CPtr slot)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice) {
            return seL4_Untyped_Retype(bi->untyped.start + i, seL4_EndpointObject, 0,
                                       seL4_CapInitThreadCNode, 0, 0, slot, 1);
        }
    }
    return seL4_NotEnoughMemory;
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Error err = makeEndpoint(bi, bi->empty.start);
    printf("external root task: retype %s\n", err == seL4_NoError ? "worked" : "FAILED");
    printf("EXTERNAL %s\n", err == seL4_NoError ? "OK" : "BAD");
    return 0;
}
