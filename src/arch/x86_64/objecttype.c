/*
 * x86_64 caps in the generic object operations: frames, the four levels of
 * paging structures, ASID control and pools, and I/O ports.
 */
#include <api/invocation.h>
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/arch_hooks.h>
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
    case cap_page_directory_cap:
        return cap_page_directory_cap_get_capPDIsMapped(cap)
                   ? deriveOK(cap)
                   : deriveIllegal("an unmapped page directory cannot be copied");
    case cap_pdpt_cap:
        return cap_pdpt_cap_get_capPDPTIsMapped(cap)
                   ? deriveOK(cap)
                   : deriveIllegal("an unmapped PDPT cannot be copied");
    case cap_pml4_cap:
        return cap_pml4_cap_get_capPML4IsMapped(cap)
                   ? deriveOK(cap)
                   : deriveIllegal("a PML4 without an ASID cannot be copied");
    case cap_frame_cap:
        /* Every frame cap owns at most one mapping: copies start unmapped. */
        cap = cap_frame_cap_set_capFMappedASID(cap, 0);
        cap = cap_frame_cap_set_capFMappedAddress(cap, 0);
        return deriveOK(cap_frame_cap_set_capFMapType(cap, X86_MappingNone));
    case cap_io_port_control_cap:
        return deriveOK(cap_null_cap_new());
    default:
        return deriveOK(cap);
    }
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
    case cap_page_directory_cap:
        return (arch_cap_region_t){ true, cap_page_directory_cap_get_capPDBasePtr(cap), 12 };
    case cap_pdpt_cap:
        return (arch_cap_region_t){ true, cap_pdpt_cap_get_capPDPTBasePtr(cap), 12 };
    case cap_pml4_cap:
        return (arch_cap_region_t){ true, cap_pml4_cap_get_capPML4BasePtr(cap), 12 };
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
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
    case cap_asid_pool_cap:
        return ta == tb && Arch_capRegion(a).base == Arch_capRegion(b).base;
    case cap_asid_control_cap:
        return tb == cap_asid_control_cap;
    case cap_io_port_control_cap:
        return tb == cap_io_port_control_cap || tb == cap_io_port_cap;
    case cap_io_port_cap:
        return tb == cap_io_port_cap &&
               cap_io_port_cap_get_capIOPortFirstPort(a) ==
                   cap_io_port_cap_get_capIOPortFirstPort(b) &&
               cap_io_port_cap_get_capIOPortLastPort(a) == cap_io_port_cap_get_capIOPortLastPort(b);
    default:
        return false;
    }
}

bool Arch_sameObjectAs(cap_t a, cap_t b)
{
    if (cap_get_capType(a) == cap_io_port_control_cap && cap_get_capType(b) == cap_io_port_cap) {
        return false;
    }
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
    case cap_page_directory_cap:
    case cap_pdpt_cap:
        if (final) {
            unmapPagingStructureCap(cap);
        }
        break;
    case cap_pml4_cap:
        if (final && cap_pml4_cap_get_capPML4IsMapped(cap)) {
            deleteASID(cap_pml4_cap_get_capPML4MappedASID(cap),
                       cap_pml4_cap_get_capPML4BasePtr(cap));
        }
        break;
    case cap_asid_pool_cap:
        if (final) {
            deleteASIDPool(cap_asid_pool_cap_get_capASIDBase(cap),
                           cap_asid_pool_cap_get_capASIDPool(cap));
        }
        break;
    case cap_io_port_cap:
        if (final) {
            ret.cleanupInfo = cap;
        }
        break;
    default:
        break;
    }
    return ret;
}

void Arch_postCapDeletion(cap_t cleanupInfo)
{
    if (cap_get_capType(cleanupInfo) == cap_io_port_cap) {
        x86FreeIOPortRange(cleanupInfo);
    }
}

word_t Arch_getObjectSize(word_t type)
{
    switch (type) {
    case seL4_X86_4K:
    case seL4_X86_PageTableObject:
    case seL4_X86_PageDirectoryObject:
    case seL4_X86_PDPTObject:
    case seL4_X64_PML4Object:
        return seL4_PageBits;
    case seL4_X86_LargePageObject:
        return seL4_LargePageBits;
    case seL4_X64_HugePageObject:
        return seL4_HugePageBits;
    default:
        return wordBits;
    }
}

bool Arch_isFrameType(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

static cap_t frameCap(pptr_t region, word_t size, bool device)
{
    return cap_frame_cap_new(0, region, size, X86_MappingNone, 0, VMReadWrite, device);
}

cap_t Arch_createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory)
{
    (void)userBits;
    switch (type) {
    case seL4_X86_4K:
        return frameCap(region, X86_SmallPage, deviceMemory);
    case seL4_X86_LargePageObject:
        return frameCap(region, X86_LargePage, deviceMemory);
    case seL4_X64_HugePageObject:
        return frameCap(region, X64_HugePage, deviceMemory);
    case seL4_X86_PageTableObject:
        return cap_page_table_cap_new(0, region, 0, 0);
    case seL4_X86_PageDirectoryObject:
        return cap_page_directory_cap_new(0, region, 0, 0);
    case seL4_X86_PDPTObject:
        return cap_pdpt_cap_new(0, region, 0, 0);
    case seL4_X64_PML4Object:
        x86CopyKernelMappings((uint64_t *)region);
        return cap_pml4_cap_new(0, 0, region);
    default:
        kpanic("Arch_createObject: type %lu", (unsigned long)type);
    }
}

exception_t Arch_decodeInvocation(const invocation_t *inv)
{
    switch (cap_get_capType(inv->cap)) {
    case cap_io_port_cap:
    case cap_io_port_control_cap:
        return decodeX86IOPortInvocation(inv);
    case cap_pml4_cap:
        userError("PML4: has no methods");
        return syscallError(seL4_IllegalOperation);
    default:
        return decodeX86MMUInvocation(inv);
    }
}

void Arch_clearMemory(void *p, word_t bytes)
{
    word_t words = bytes / sizeof(word_t);
    __asm__ volatile("rep stosq" : "+D"(p), "+c"(words) : "a"(0ul) : "memory");
}
