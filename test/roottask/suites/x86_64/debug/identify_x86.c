/*
 * Cap-type tags of the x86_64 objects made by Untyped_Retype, read with
 * seL4_DebugCapIdentify (seL4-abi.md 13.6).
 */
#include "../../captypes.h"
#include "../../helpers.h"

#define ID(slot) seL4_DebugCapIdentify(slot)

KARCH_TEST(x86_identify_new_objects)
{
    seL4_CPtr ut = ut_new(22);
    seL4_CPtr s = slot_alloc_range(7);
    if (!ut || !s) {
        return;
    }
    struct {
        seL4_Word type, tag;
    } kinds[] = {
        { seL4_X86_4K, CT_FRAME },
        { seL4_X86_PageTableObject, CT_PAGE_TABLE },
        { seL4_X86_PageDirectoryObject, CT_PAGE_DIRECTORY },
        { seL4_X86_PDPTObject, CT_PDPT },
        { seL4_X64_PML4Object, CT_VSPACE },
        { seL4_X86_LargePageObject, CT_FRAME },
    };
    for (int i = 0; i < 6; i++) {
        if (!CHECK_OK(retype_root(ut, kinds[i].type, 0, s + i, 1)) ||
            !CHECK_EQ(ID(s + i), kinds[i].tag)) {
            printf("  type %lu\n", (unsigned long)kinds[i].type);
        }
    }
    CHECK_EQ(ID(s + 6), CT_NULL);
}

KARCH_TEST(x86_identify_device_frames_and_copies)
{
    seL4_CPtr dev = ut_new_device(22);
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(5);
    if (!dev || !ut || !s) {
        return;
    }
    CHECK_OK(retype_root(dev, seL4_X86_4K, 0, s, 1));
    CHECK_OK(retype_root(dev, seL4_X86_LargePageObject, 0, s + 1, 1));
    CHECK_EQ(ID(s), CT_FRAME);
    CHECK_EQ(ID(s + 1), CT_FRAME);
    CHECK_OK(copy_root(s + 2, s, seL4_CanRead));
    CHECK_EQ(ID(s + 2), CT_FRAME);
    CHECK_OK(retype_root(ut, seL4_X86_PageTableObject, 0, s + 3, 1));
    CHECK_ERR(copy_root(s + 4, s + 3, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(ID(s + 4), CT_NULL);
    CHECK_ERR(copy_root(s + 4, seL4_CapIOPortControl, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(ID(s + 4), CT_NULL);
    CHECK_EQ(ID(seL4_CapIOPortControl), CT_IO_PORT_CONTROL);
}
