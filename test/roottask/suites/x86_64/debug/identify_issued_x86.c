/*
 * Cap-type tags (seL4_DebugCapIdentify, seL4-abi.md 13.6) of the caps the
 * x86 control caps issue: ASID pools, IRQ handlers (IOAPIC and MSI), I/O
 * ports, and of VSpace roots and tables once assigned / mapped (their
 * copies included).
 */
#include "../../captypes.h"
#include "../x86util.h"

#define ID(slot) seL4_DebugCapIdentify(slot)

KARCH_TEST(x86_identify_issued_caps)
{
    seL4_CPtr u = ut_new(12);
    seL4_CPtr s = slot_alloc_range(6);
    if (!u || !s) {
        return;
    }
    CHECK_EQ(ID(seL4_CapASIDControl), CT_ASID_CONTROL);
    CHECK_EQ(ID(seL4_CapIRQControl), CT_IRQ_CONTROL);
    CHECK_EQ(ID(seL4_CapIOPortControl), CT_IO_PORT_CONTROL);
    CHECK_EQ(ID(seL4_CapInitThreadASIDPool), CT_ASID_POOL);
    if (CHECK_OK(seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, u, ROOT, s, ROOT_DEPTH))) {
        CHECK_EQ(ID(s), CT_ASID_POOL);
        CHECK_EQ(ID(u), CT_UNTYPED);
    }
    if (CHECK_OK(seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, ROOT, s + 1, ROOT_DEPTH, 0, 3, 0, 0,
                                           40))) {
        CHECK_EQ(ID(s + 1), CT_IRQ_HANDLER);
    }
    if (CHECK_OK(
            seL4_IRQControl_GetMSI(seL4_CapIRQControl, ROOT, s + 2, ROOT_DEPTH, 0, 0, 0, 0, 41))) {
        CHECK_EQ(ID(s + 2), CT_IRQ_HANDLER);
    }
    if (CHECK_OK(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x2f8, 0x2ff, ROOT, s + 3,
                                              ROOT_DEPTH))) {
        CHECK_EQ(ID(s + 3), CT_IO_PORT);
        CHECK_OK(copy_root(s + 4, s + 3, seL4_AllRights));
        CHECK_EQ(ID(s + 4), CT_IO_PORT);
    }
    /* Failed issues leave the destination empty. */
    CHECK_ERR(
        seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x2f8, 0x2f8, ROOT, s + 5, ROOT_DEPTH),
        seL4_RevokeFirst);
    CHECK_EQ(ID(s + 5), CT_NULL);
}

KARCH_TEST(x86_identify_assigned_and_mapped)
{
    seL4_CPtr ut = ut_new(16);
    seL4_CPtr c = slot_alloc_range(4);
    if (!ut || !c) {
        return;
    }
    seL4_CPtr vs = xu_new_vspace(ut, seL4_CapInitThreadASIDPool);
    if (!vs) {
        return;
    }
    seL4_CPtr pdpt = xu_table(ut, seL4_X86_PDPTObject, vs, 0);
    seL4_CPtr pd = xu_table(ut, seL4_X86_PageDirectoryObject, vs, 0);
    seL4_CPtr pt = xu_table(ut, seL4_X86_PageTableObject, vs, 0);
    if (!pdpt || !pd || !pt) {
        return;
    }
    seL4_CPtr src[4] = { vs, pdpt, pd, pt };
    seL4_Word tag[4] = { CT_VSPACE, CT_PDPT, CT_PAGE_DIRECTORY, CT_PAGE_TABLE };
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(ID(src[i]), tag[i]);
        if (CHECK_OK(copy_root(c + (seL4_Word)i, src[i], seL4_AllRights))) {
            CHECK_EQ(ID(c + (seL4_Word)i), tag[i]);
        }
    }
}
