/*
 * x86_64 slot contents of the boot contract, checked with
 * seL4_DebugCapIdentify (debug builds only).
 */
#include "../../../framework/test.h"
#include "../../captypes.h"

static seL4_BootInfo *bi(void)
{
    return seL4_GetBootInfo();
}

ARCH_TEST(x86_fixed_slots_hold_boot_caps)
{
    static const seL4_Word expected[seL4_NumInitialCaps] = {
        [seL4_CapNull] = CT_NULL,
        [seL4_CapInitThreadTCB] = CT_THREAD,
        [seL4_CapInitThreadCNode] = CT_CNODE,
        [seL4_CapInitThreadVSpace] = CT_VSPACE,
        [seL4_CapIRQControl] = CT_IRQ_CONTROL,
        [seL4_CapASIDControl] = CT_ASID_CONTROL,
        [seL4_CapInitThreadASIDPool] = CT_ASID_POOL,
        [seL4_CapIOPortControl] = CT_IO_PORT_CONTROL,
        [seL4_CapIOSpace] = CT_NULL,
        [seL4_CapBootInfoFrame] = CT_FRAME,
        [seL4_CapInitThreadIPCBuffer] = CT_FRAME,
        [seL4_CapDomain] = CT_DOMAIN,
        [seL4_CapSMMUSIDControl] = CT_NULL,
        [seL4_CapSMMUCBControl] = CT_NULL,
        [seL4_CapInitThreadSC] = CT_NULL,
        [seL4_CapSMC] = CT_NULL,
    };
    for (seL4_CPtr s = 0; s < seL4_NumInitialCaps; s++) {
        if (!CHECK_EQ(seL4_DebugCapIdentify(s), expected[s])) {
            printf("  slot %lu\n", (unsigned long)s);
        }
    }
}

ARCH_TEST(x86_paging_slots_in_level_order)
{
    /* PDPTs, then page directories, then page tables. */
    seL4_Word last = 0;
    for (seL4_CPtr s = bi()->userImagePaging.start; s < bi()->userImagePaging.end; s++) {
        seL4_Word t = seL4_DebugCapIdentify(s);
        seL4_Word rank = t == CT_PDPT ? 1 : t == CT_PAGE_DIRECTORY ? 2 : t == CT_PAGE_TABLE ? 3 : 0;
        if (!CHECK_TRUE(rank != 0 && rank >= last)) {
            printf("  slot %lu holds cap type %lu\n", (unsigned long)s, (unsigned long)t);
        }
        last = rank;
    }
}
