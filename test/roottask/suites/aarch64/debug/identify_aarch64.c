/*
 * seL4_DebugCapIdentify on the AArch64 caps (seL4-abi.md 13.6): the boot
 * caps, and the tag of every VM object and of an SGI-signal cap.
 */
#include "../../captypes.h"
#include "../../helpers.h"

#define CT_SGI_SIGNAL 27

KARCH_TEST(aarch64_identify_vm_caps)
{
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), CT_VSPACE);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapASIDControl), CT_ASID_CONTROL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadASIDPool), CT_ASID_POOL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIOPortControl), CT_NULL);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapBootInfoFrame), CT_FRAME);
    seL4_CPtr ut = ut_new(23);
    CHECK_EQ(seL4_DebugCapIdentify(new_object(ut, seL4_ARM_SmallPageObject, 0)), CT_FRAME);
    CHECK_EQ(seL4_DebugCapIdentify(new_object(ut, seL4_ARM_LargePageObject, 0)), CT_FRAME);
    CHECK_EQ(seL4_DebugCapIdentify(new_object(ut, seL4_ARM_PageTableObject, 0)), CT_PAGE_TABLE);
    CHECK_EQ(seL4_DebugCapIdentify(new_object(ut, seL4_ARM_VSpaceObject, 0)), CT_VSPACE);
    seL4_CPtr sgi = slot_alloc();
    CHECK_OK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 2, 0, ROOT, sgi, 64));
    CHECK_EQ(seL4_DebugCapIdentify(sgi), CT_SGI_SIGNAL);
}
