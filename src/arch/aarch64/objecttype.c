/*
 * AArch64 caps in the generic object operations: frames, page tables,
 * VSpaces, ASID control and pools, SGI signals; and the dispatch of
 * their invocations.
 */
#include <api/invocation.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <object/asidpool.h>
#include <object/cnode.h>

static deriveCap_ret_t deriveOK(cap_t cap)
{
    return (deriveCap_ret_t){ EXCEPTION_NONE, cap };
}

static deriveCap_ret_t deriveIllegal(const char *why)
{
    userError("Copy: %s", why);
    ksCurSyscallError.type = seL4_IllegalOperation;
    return (deriveCap_ret_t){ EXCEPTION_SYSCALL_ERROR, cap_null_cap_new() };
}

deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap)
{
    (void)slot;
    switch (cap_get_capType(cap)) {
    case cap_page_table_cap:
        return cap_page_table_cap_get_capPTIsMapped(cap)
                   ? deriveOK(cap)
                   : deriveIllegal("an unmapped page table cannot be copied");
    case cap_vspace_cap:
        return cap_vspace_cap_get_capVSIsMapped(cap)
                   ? deriveOK(cap)
                   : deriveIllegal("a VSpace without an ASID cannot be copied");
    case cap_frame_cap:
        /* Every frame cap owns at most one mapping: copies start unmapped. */
        cap = cap_frame_cap_set_capFMappedASID(cap, 0);
        return deriveOK(cap_frame_cap_set_capFMappedAddress(cap, 0));
    default:
        return deriveOK(cap);
    }
}

/* SGI-signal caps issued by IRQControl can be revoked through it. */
bool Arch_isCapRevocable(cap_t derivedCap, cap_t srcCap)
{
    return cap_get_capType(derivedCap) == cap_sgi_signal_cap &&
           cap_get_capType(srcCap) == cap_irq_control_cap;
}

/* Two SGI-signal caps issued separately for the same SGI and target are
 * siblings under IRQControl: revoking one leaves the other. */
bool Arch_isParentOnlyOfCopies(cap_t cap)
{
    return cap_get_capType(cap) == cap_sgi_signal_cap;
}

cap_t Arch_maskCapRights(seL4_CapRights_t rights, cap_t cap)
{
    if (cap_get_capType(cap) == cap_frame_cap) {
        return cap_frame_cap_set_capFVMRights(
            cap, maskVMRights(cap_frame_cap_get_capFVMRights(cap), rights));
    }
    return cap;
}

cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap)
{
    (void)preserve;
    (void)data;
    return cap;
}

arch_cap_region_t Arch_capRegion(cap_t cap)
{
    switch (cap_get_capType(cap)) {
    case cap_frame_cap:
        return (arch_cap_region_t){ true, cap_frame_cap_get_capFBasePtr(cap),
                                    frameSizeBits(cap_frame_cap_get_capFSize(cap)) };
    case cap_page_table_cap:
        return (arch_cap_region_t){ true, cap_page_table_cap_get_capPTBasePtr(cap), 12 };
    case cap_vspace_cap:
        return (arch_cap_region_t){ true, cap_vspace_cap_get_capVSBasePtr(cap), 12 };
    case cap_asid_pool_cap:
        return (arch_cap_region_t){ true, cap_asid_pool_cap_get_capASIDPool(cap), 12 };
    default:
        return (arch_cap_region_t){ false, 0, 0 };
    }
}

bool Arch_sameRegionAs(cap_t a, cap_t b)
{
    word_t ta = cap_get_capType(a), tb = cap_get_capType(b);
    switch (ta) {
    case cap_frame_cap: {
        if (tb != cap_frame_cap) {
            return false;
        }
        arch_cap_region_t ra = Arch_capRegion(a), rb = Arch_capRegion(b);
        return regionContains(ra.base, ra.sizeBits, rb.base, rb.sizeBits);
    }
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
        return ta == tb && Arch_capRegion(a).base == Arch_capRegion(b).base;
    case cap_asid_control_cap:
        return tb == cap_asid_control_cap;
    case cap_sgi_signal_cap:
        return tb == cap_sgi_signal_cap &&
               cap_sgi_signal_cap_get_capSGIIRQ(a) == cap_sgi_signal_cap_get_capSGIIRQ(b) &&
               cap_sgi_signal_cap_get_capSGITarget(a) == cap_sgi_signal_cap_get_capSGITarget(b);
    default:
        return false;
    }
}

bool Arch_sameObjectAs(cap_t a, cap_t b)
{
    if (cap_get_capType(a) == cap_frame_cap) {
        return cap_get_capType(b) == cap_frame_cap &&
               cap_frame_cap_get_capFBasePtr(a) == cap_frame_cap_get_capFBasePtr(b) &&
               cap_frame_cap_get_capFSize(a) == cap_frame_cap_get_capFSize(b) &&
               cap_frame_cap_get_capFIsDevice(a) == cap_frame_cap_get_capFIsDevice(b);
    }
    return Arch_sameRegionAs(a, b);
}

finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final)
{
    finaliseCap_ret_t ret = { cap_null_cap_new(), cap_null_cap_new() };
    switch (cap_get_capType(cap)) {
    case cap_frame_cap:
        /* Each frame cap owns its mapping, final or not. */
        unmapFrameCap(cap);
        break;
    case cap_page_table_cap:
        if (final) {
            unmapPageTableCap(cap);
        }
        break;
    case cap_vspace_cap:
        if (final && cap_vspace_cap_get_capVSIsMapped(cap)) {
            deleteASID(cap_vspace_cap_get_capVSMappedASID(cap),
                       cap_vspace_cap_get_capVSBasePtr(cap));
        }
        break;
    case cap_asid_pool_cap:
        if (final) {
            deleteASIDPool(cap_asid_pool_cap_get_capASIDBase(cap),
                           cap_asid_pool_cap_get_capASIDPool(cap));
        }
        break;
    default:
        break;
    }
    return ret;
}

void Arch_postCapDeletion(cap_t cleanupInfo)
{
    (void)cleanupInfo;
}

word_t Arch_getObjectSize(word_t type)
{
    switch (type) {
    case seL4_ARM_SmallPageObject:
    case seL4_ARM_PageTableObject:
    case seL4_ARM_VSpaceObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_HugePageObject:
        return seL4_HugePageBits;
    default:
        return wordBits;
    }
}

bool Arch_isFrameType(word_t type)
{
    return type == seL4_ARM_SmallPageObject || type == seL4_ARM_LargePageObject ||
           type == seL4_ARM_HugePageObject;
}

static cap_t frameCap(pptr_t region, word_t size, bool device)
{
    return cap_frame_cap_new(0, region, size, 0, VMReadWrite, device);
}

cap_t Arch_createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory)
{
    (void)userBits;
    switch (type) {
    case seL4_ARM_SmallPageObject:
        return frameCap(region, ARMSmallPage, deviceMemory);
    case seL4_ARM_LargePageObject:
        return frameCap(region, ARMLargePage, deviceMemory);
    case seL4_ARM_HugePageObject:
        return frameCap(region, ARMHugePage, deviceMemory);
    case seL4_ARM_PageTableObject:
        return cap_page_table_cap_new(0, region, 0, 0);
    case seL4_ARM_VSpaceObject:
        return cap_vspace_cap_new(0, region, 0);
    default:
        kpanic("Arch_createObject: type %lu", (unsigned long)type);
    }
}

/* Invoking an SGI signal cap (any label) raises its SGI. */
static exception_t invokeSGISignal(const invocation_t *inv)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    gicSendSGI(cap_sgi_signal_cap_get_capSGIIRQ(inv->cap),
               BIT(cap_sgi_signal_cap_get_capSGITarget(inv->cap)));
    return EXCEPTION_NONE;
}

exception_t Arch_decodeInvocation(const invocation_t *inv)
{
    switch (cap_get_capType(inv->cap)) {
    case cap_frame_cap:
        return decodeARMFrameInvocation(inv);
    case cap_page_table_cap:
        return decodeARMPageTableInvocation(inv);
    case cap_vspace_cap:
        return decodeARMVSpaceInvocation(inv);
    case cap_asid_control_cap: {
        /* index and depth are MR0 and MR1 (registers): safe to read
         * before the length check. */
        struct ARMASIDControlMakePool_args a = unpackARMASIDControlMakePoolArgs(inv->buffer);
        return decodeASIDControlMakePool(inv, ARMASIDControlMakePool, a.index, a.depth);
    }
    case cap_asid_pool_cap:
        return decodeASIDPoolAssign(inv, ARMASIDPoolAssign);
    case cap_sgi_signal_cap:
        return invokeSGISignal(inv);
    default:
        userError("invoked an unknown arch cap type %lu", (unsigned long)cap_get_capType(inv->cap));
        ksCurSyscallError.type = seL4_InvalidCapability;
        ksCurSyscallError.invalidCapNumber = 0;
        return EXCEPTION_SYSCALL_ERROR;
    }
}
