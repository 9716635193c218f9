/*
 * AArch64 cache maintenance (semantics.md 10.4): the frame and VSpace
 * invocations with each of their errors, cache maintenance from EL0
 * (SCTLR_EL1.UCI/UCT, seL4-abi.md 13.5), and Unify_Instruction making
 * freshly written code executable.
 */
#include "../helpers.h"

#include <stdint.h>

#define VS seL4_CapInitThreadVSpace
#define ATTR seL4_ARM_Default_VMAttributes
#define V 0x18000000000ul

/* A 4 KiB frame mapped at V with `rights` (tables from `ut`); 0 on failure. */
static seL4_CPtr mapped_frame(seL4_CPtr ut, seL4_CapRights_t rights, seL4_Word attr)
{
    for (int i = 0; i < 3; i++) {
        seL4_CPtr pt = new_object(ut, seL4_ARM_PageTableObject, 0);
        if (!pt || !CHECK_OK(seL4_ARM_PageTable_Map(pt, VS, V, ATTR))) {
            return 0;
        }
    }
    seL4_CPtr frame = new_object(ut, seL4_ARM_SmallPageObject, 0);
    if (!frame || !CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, rights, attr))) {
        return 0;
    }
    return frame;
}

KARCH_TEST(aarch64_page_cache_ops)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr unmapped = new_object(ut, seL4_ARM_SmallPageObject, 0);
    CHECK_ERR(seL4_ARM_Page_Clean_Data(unmapped, 0, 4096), seL4_IllegalOperation);
    seL4_CPtr frame = mapped_frame(ut, seL4_AllRights, ATTR);
    if (!frame) {
        return;
    }
    CHECK_ERR(raw_call(frame, ARMPageClean_Data, 1, RAW_MRS(0), 0, RAW_CAPS(0)).words[0] >> 12,
              seL4_TruncatedMessage);
    CHECK_INVALID_ARG(seL4_ARM_Page_Clean_Data(frame, 64, 64), 1);
    CHECK_INVALID_ARG(seL4_ARM_Page_Clean_Data(frame, 64, 8), 1);
    CHECK_INVALID_ARG(seL4_ARM_Page_Clean_Data(frame, 4096, 4100), 0);
    CHECK_INVALID_ARG(seL4_ARM_Page_Invalidate_Data(frame, 0, 4097), 0);
    *(volatile seL4_Word *)V = 99;
    CHECK_OK(seL4_ARM_Page_Clean_Data(frame, 0, 4096));
    CHECK_OK(seL4_ARM_Page_CleanInvalidate_Data(frame, 8, 100));
    CHECK_OK(seL4_ARM_Page_Unify_Instruction(frame, 0, 4096));
    CHECK_OK(seL4_ARM_Page_Invalidate_Data(frame, 0, 64));
    /* Read-only mapping: no Invalidate. */
    CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, seL4_CanRead, ATTR));
    CHECK_ERR(seL4_ARM_Page_Invalidate_Data(frame, 0, 64), seL4_IllegalOperation);
    CHECK_OK(seL4_ARM_Page_Clean_Data(frame, 0, 64));
}

KARCH_TEST(aarch64_vspace_cache_ops)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr frame = mapped_frame(ut, seL4_AllRights, ATTR);
    seL4_CPtr vs = new_object(ut, seL4_ARM_VSpaceObject, 0);
    if (!frame) {
        return;
    }
    CHECK_ERR(raw_call(VS, ARMVSpaceClean_Data, 1, RAW_MRS(V), 0, RAW_CAPS(0)).words[0] >> 12,
              seL4_TruncatedMessage);
    CHECK_INVALID_ARG(seL4_ARM_VSpace_Clean_Data(VS, V + 8, V + 8), 1);
    CHECK_ERR(seL4_ARM_VSpace_Clean_Data(VS, V, 0x800000000000ul), seL4_IllegalOperation);
    CHECK_INVALID_CAP(seL4_ARM_VSpace_Clean_Data(vs, V, V + 8), 0);
    CHECK_OK(seL4_ARM_VSpace_Clean_Data(VS, V, V + 4096));
    CHECK_OK(seL4_ARM_VSpace_CleanInvalidate_Data(VS, V + 100, V + 200));
    CHECK_OK(seL4_ARM_VSpace_Invalidate_Data(VS, V, V + 64));
    CHECK_OK(seL4_ARM_VSpace_Unify_Instruction(VS, V, V + 4096));
    /* Nothing mapped at the start: success, nothing done. */
    CHECK_OK(seL4_ARM_VSpace_Clean_Data(VS, V + 0x100000, V + 0x200000));
    /* A range leaving the page that holds its start. */
    CHECK_RANGE_ERR(seL4_ARM_VSpace_Clean_Data(VS, V + 4000, V + 4200), V + 4000, V + 4095);
    CHECK_OK(seL4_ARM_Page_Map(frame, VS, V, seL4_CanRead, ATTR));
    CHECK_ERR(seL4_ARM_VSpace_Invalidate_Data(VS, V, V + 64), seL4_IllegalOperation);
}

KARCH_TEST(aarch64_el0_cache_maintenance_allowed)
{
    static seL4_Word buffer[64] __attribute__((aligned(64)));
    seL4_Word ctr;
    buffer[0] = 1;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    __asm__ volatile("dc cvau, %0\n"
                     "dc civac, %0\n"
                     "dc cvac, %0\n"
                     "ic ivau, %0\n"
                     "dsb ish\n"
                     "isb\n"
                     :
                     : "r"(buffer)
                     : "memory");
    /* Reaching here means no instruction trapped. */
    CHECK_NE(ctr, 0);
    CHECK_EQ(buffer[0], 1);
}

KARCH_TEST(aarch64_unify_instruction_makes_code_runnable)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr frame = mapped_frame(ut, seL4_AllRights, ATTR);
    if (!frame) {
        return;
    }
    volatile uint32_t *code = (volatile uint32_t *)V;
    code[0] = 0xd2800540; /* mov x0, #42 */
    code[1] = 0xd65f03c0; /* ret */
    CHECK_OK(seL4_ARM_Page_Unify_Instruction(frame, 0, 8));
    seL4_Word (*fn)(void) = (seL4_Word(*)(void))V;
    CHECK_EQ(fn(), 42);
    /* Rewritten code runs after another unify, through the VSpace. */
    code[0] = 0xd2800e00; /* mov x0, #112 */
    CHECK_OK(seL4_ARM_VSpace_Unify_Instruction(VS, V, V + 8));
    CHECK_EQ(fn(), 112);
}
