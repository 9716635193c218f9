/*
 * Slot contents of the boot contract, checked with seL4_DebugCapIdentify
 * (debug builds only).
 */
#include "../../framework/test.h"
#include "../captypes.h"

static seL4_BootInfo *bi(void)
{
    return seL4_GetBootInfo();
}

TEST(bootinfo_untyped_slots_hold_untypeds)
{
    for (seL4_CPtr s = bi()->untyped.start; s < bi()->untyped.end; s++) {
        CHECK_EQ(seL4_DebugCapIdentify(s), CT_UNTYPED);
    }
}

TEST(bootinfo_image_frame_slots_hold_frames)
{
    for (seL4_CPtr s = bi()->userImageFrames.start; s < bi()->userImageFrames.end; s++) {
        CHECK_EQ(seL4_DebugCapIdentify(s), CT_FRAME);
    }
    for (seL4_CPtr s = bi()->extraBIPages.start; s < bi()->extraBIPages.end; s++) {
        CHECK_EQ(seL4_DebugCapIdentify(s), CT_FRAME);
    }
}

TEST(bootinfo_empty_region_is_empty)
{
    for (seL4_CPtr s = bi()->empty.start; s < bi()->empty.end; s++) {
        if (!CHECK_EQ(seL4_DebugCapIdentify(s), CT_NULL)) {
            break;
        }
    }
}
