/*
 * x86_64 paging invocations: Map/Unmap of PDPTs, page directories, page
 * tables and frames, Page_GetAddress (semantics.md 10.3, seL4-abi.md 8.7);
 * ASID control and pool caps go to the generic object/asidpool.c.
 */
#include <api/invocation.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/untyped.h>

#define PTE_ADDRESS_MASK 0x000ffffffffff000ull

static exception_t failedLookup(void)
{
    ksCurSyscallError.failedLookupWasSource = false;
    return syscallError(seL4_FailedLookup);
}

/* Extra cap 0 as a VSpace root with an ASID, or an error (InvalidCapability
 * 1, FailedLookup for an ASID without a root, InvalidCapability 1 for a
 * root the ASID no longer maps). */
typedef struct {
    exception_t status;
    pptr_t root;
    word_t asid;
} vspace_ret_t;

static vspace_ret_t vspaceArgument(const char *method)
{
    vspace_ret_t r = { EXCEPTION_SYSCALL_ERROR, 0, 0 };
    cap_t cap = ksCurExtraCaps[0]->cap;
    if (cap_get_capType(cap) != cap_pml4_cap || !cap_pml4_cap_get_capPML4IsMapped(cap)) {
        userError("%s: the VSpace cap is not a PML4 with an ASID", method);
        r.status = syscallErrorInvalidCap(1);
        return r;
    }
    r.status = EXCEPTION_NONE;
    r.asid = cap_pml4_cap_get_capPML4MappedASID(cap);
    r.root = cap_pml4_cap_get_capPML4BasePtr(cap);
    return r;
}

static exception_t checkASIDRoot(const char *method, vspace_ret_t v)
{
    pptr_t found = findVSpaceForASID(v.asid);
    if (found == 0) {
        userError("%s: ASID %lu has no VSpace", method, (unsigned long)v.asid);
        ksCurLookupFault = lookupFaultInvalidRoot();
        return failedLookup();
    }
    if (found != v.root) {
        userError("%s: ASID %lu maps another VSpace", method, (unsigned long)v.asid);
        return syscallErrorInvalidCap(1);
    }
    return EXCEPTION_NONE;
}

/* ---- Paging structures ---- */

typedef struct {
    const char *name;
    unsigned shift; /* the parent entry covers 2^shift bytes */
    bool mapped;
    word_t asid;
    vptr_t vaddr;
    pptr_t table;
} table_info_t;

static table_info_t tableInfo(cap_t cap)
{
    switch (cap_get_capType(cap)) {
    case cap_page_table_cap:
        return (table_info_t){ "PageTable",
                               PD_SHIFT,
                               cap_page_table_cap_get_capPTIsMapped(cap),
                               cap_page_table_cap_get_capPTMappedASID(cap),
                               cap_page_table_cap_get_capPTMappedAddress(cap),
                               cap_page_table_cap_get_capPTBasePtr(cap) };
    case cap_page_directory_cap:
        return (table_info_t){ "PageDirectory",
                               PDPT_SHIFT,
                               cap_page_directory_cap_get_capPDIsMapped(cap),
                               cap_page_directory_cap_get_capPDMappedASID(cap),
                               cap_page_directory_cap_get_capPDMappedAddress(cap),
                               cap_page_directory_cap_get_capPDBasePtr(cap) };
    default:
        return (table_info_t){ "PDPT",
                               PML4_SHIFT,
                               cap_pdpt_cap_get_capPDPTIsMapped(cap),
                               cap_pdpt_cap_get_capPDPTMappedASID(cap),
                               cap_pdpt_cap_get_capPDPTMappedAddress(cap),
                               cap_pdpt_cap_get_capPDPTBasePtr(cap) };
    }
}

static cap_t tableCapMapped(cap_t cap, bool mapped, word_t asid, vptr_t vaddr)
{
    pptr_t base = tableInfo(cap).table;
    switch (cap_get_capType(cap)) {
    case cap_page_table_cap:
        return cap_page_table_cap_new(asid, base, mapped, vaddr);
    case cap_page_directory_cap:
        return cap_page_directory_cap_new(asid, base, mapped, vaddr);
    default:
        return cap_pdpt_cap_new(asid, base, mapped, vaddr);
    }
}

static exception_t decodeTableMap(const invocation_t *inv)
{
    table_info_t t = tableInfo(inv->cap);
    if (inv->length < X86PageTableMap_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("%s Map: needs a vaddr, attributes and a VSpace cap", t.name);
        return syscallError(seL4_TruncatedMessage);
    }
    if (t.mapped) {
        userError("%s Map: the table is already mapped", t.name);
        return syscallErrorInvalidCap(0);
    }
    struct X86PageTableMap_args a = unpackX86PageTableMapArgs(inv->buffer);
    vptr_t vaddr = ROUND_DOWN(a.vaddr, t.shift);
    vspace_ret_t v = vspaceArgument(t.name);
    if (v.status != EXCEPTION_NONE) {
        return v.status;
    }
    if (vaddr > USER_TOP) {
        userError("%s Map: vaddr %#lx is in the kernel's half", t.name, (unsigned long)vaddr);
        return syscallErrorInvalidArgument(0);
    }
    exception_t status = checkASIDRoot(t.name, v);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    lookupEntry_ret_t l = lookupEntry(v.root, vaddr, t.shift);
    if (l.status != EXCEPTION_NONE) {
        userError("%s Map: no table above it maps %#lx", t.name, (unsigned long)vaddr);
        return failedLookup();
    }
    if (*l.entry & PTE_PRESENT) {
        userError("%s Map: %#lx is already covered", t.name, (unsigned long)vaddr);
        return syscallError(seL4_DeleteFirst);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    *l.entry = pml4e_new(0, addrFromPPtr(t.table), 0, 0, 0, 0, 1, 1, 1).words[0];
    inv->slot->cap = tableCapMapped(inv->cap, true, v.asid, vaddr);
    return EXCEPTION_NONE;
}

static exception_t decodeTableUnmap(const invocation_t *inv)
{
    table_info_t t = tableInfo(inv->cap);
    if (!isFinalCapability(inv->slot)) {
        userError("%s Unmap: other caps to the table exist", t.name);
        return syscallError(seL4_RevokeFirst);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    if (t.mapped) {
        unmapPagingStructureCap(inv->cap);
        memzero((void *)t.table, BIT(seL4_PageTableBits));
    }
    inv->slot->cap = tableCapMapped(inv->cap, false, 0, 0);
    return EXCEPTION_NONE;
}

/* ---- Frames ---- */

/* The leaf entry of a frame: rights and cache attributes. */
static uint64_t frameEntry(word_t size, paddr_t paddr, word_t rights, vm_attributes_t attr)
{
    word_t user = rights != VMKernelOnly;
    word_t rw = rights != VMReadOnly;
    word_t pat = vm_attributes_get_x86PATBit(attr);
    word_t pcd = vm_attributes_get_x86PCDBit(attr);
    word_t pwt = vm_attributes_get_x86PWTBit(attr);
    switch (size) {
    case X86_SmallPage:
        return pte_new(0, paddr, 0, pat, 0, 0, pcd, pwt, user, rw, 1).words[0];
    case X86_LargePage:
        return pde_2m_new(0, paddr, pat, 0, 1, 0, 0, pcd, pwt, user, rw, 1).words[0];
    default:
        return pdpte_1g_new(0, paddr, pat, 0, 1, 0, 0, pcd, pwt, user, rw, 1).words[0];
    }
}

static exception_t decodePageMap(const invocation_t *inv)
{
    cap_t cap = inv->cap;
    if (inv->length < X86PageMap_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("Page Map: needs vaddr, rights, attributes and a VSpace cap");
        return syscallError(seL4_TruncatedMessage);
    }
    struct X86PageMap_args a = unpackX86PageMapArgs(inv->buffer);
    vspace_ret_t v = vspaceArgument("Page Map");
    if (v.status != EXCEPTION_NONE) {
        return v.status;
    }
    word_t size = cap_frame_cap_get_capFSize(cap);
    word_t bits = frameSizeBits(size);
    if (cap_frame_cap_get_capFMapType(cap) == X86_MappingVSpace) {
        if (cap_frame_cap_get_capFMappedASID(cap) != v.asid) {
            userError("Page Map: the frame is mapped in another VSpace");
            return syscallErrorInvalidCap(1);
        }
        if (cap_frame_cap_get_capFMappedAddress(cap) != a.vaddr) {
            userError("Page Map: the frame is mapped at %#lx, not %#lx",
                      (unsigned long)cap_frame_cap_get_capFMappedAddress(cap),
                      (unsigned long)a.vaddr);
            return syscallErrorInvalidArgument(0);
        }
    } else if (a.vaddr > USER_TOP || a.vaddr + BIT(bits) > USER_TOP ||
               a.vaddr + BIT(bits) < a.vaddr) {
        userError("Page Map: [%#lx, +2^%lu) reaches the kernel's half", (unsigned long)a.vaddr,
                  (unsigned long)bits);
        return syscallErrorInvalidArgument(0);
    }
    exception_t status = checkASIDRoot("Page Map", v);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    seL4_CapRights_t rights = { { a.rights } };
    word_t vmRights = maskVMRights(cap_frame_cap_get_capFVMRights(cap), rights);
    if (!IS_ALIGNED(a.vaddr, bits)) {
        userError("Page Map: vaddr %#lx is not 2^%lu aligned", (unsigned long)a.vaddr,
                  (unsigned long)bits);
        return syscallError(seL4_AlignmentError);
    }
    lookupEntry_ret_t l = lookupEntry(v.root, a.vaddr, bits);
    if (l.status != EXCEPTION_NONE) {
        userError("Page Map: no table maps %#lx at the frame's level", (unsigned long)a.vaddr);
        return failedLookup();
    }
    if (size != X86_SmallPage && (*l.entry & PTE_PRESENT) && !(*l.entry & PTE_PAGE_SIZE)) {
        userError("Page Map: a table already covers %#lx", (unsigned long)a.vaddr);
        return syscallError(seL4_DeleteFirst);
    }
    setThreadState(ksCurThread, ThreadState_Restart);
    vm_attributes_t attr = { { a.attr } };
    *l.entry = frameEntry(size, addrFromPPtr(cap_frame_cap_get_capFBasePtr(cap)), vmRights, attr);
    invalidatePage(a.vaddr);
    cap = cap_frame_cap_set_capFMappedASID(cap, v.asid);
    cap = cap_frame_cap_set_capFMappedAddress(cap, a.vaddr);
    inv->slot->cap = cap_frame_cap_set_capFMapType(cap, X86_MappingVSpace);
    return EXCEPTION_NONE;
}

static exception_t decodePageUnmap(const invocation_t *inv)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    unmapFrameCap(inv->cap);
    cap_t cap = cap_frame_cap_set_capFMappedASID(inv->cap, 0);
    cap = cap_frame_cap_set_capFMappedAddress(cap, 0);
    inv->slot->cap = cap_frame_cap_set_capFMapType(cap, X86_MappingNone);
    return EXCEPTION_NONE;
}

static exception_t decodePageGetAddress(const invocation_t *inv)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    if (inv->call) {
        tcb_t *cur = ksCurThread;
        setMR(cur, NULL, 0, addrFromPPtr(cap_frame_cap_get_capFBasePtr(inv->cap)));
        setRegister(cur, badgeRegister, 0);
        setMessageInfo(cur, 0, X86PageGetAddress_ResultLength);
    }
    setThreadState(ksCurThread, ThreadState_Running);
    return EXCEPTION_NONE;
}

exception_t decodeX86MMUInvocation(const invocation_t *inv)
{
    switch (cap_get_capType(inv->cap)) {
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap: {
        word_t type = cap_get_capType(inv->cap);
        word_t map = type == cap_page_table_cap       ? X86PageTableMap
                     : type == cap_page_directory_cap ? X86PageDirectoryMap
                                                      : X86PDPTMap;
        if (inv->label == map) {
            return decodeTableMap(inv);
        }
        if (inv->label == map + 1) {
            return decodeTableUnmap(inv);
        }
        break;
    }
    case cap_frame_cap:
        switch (inv->label) {
        case X86PageMap:
            return decodePageMap(inv);
        case X86PageUnmap:
            return decodePageUnmap(inv);
        case X86PageGetAddress:
            return decodePageGetAddress(inv);
        default:
            break;
        }
        break;
    case cap_asid_control_cap: {
        /* index and depth are MR0 and MR1 (registers): safe to read
         * before the length check. */
        struct X86ASIDControlMakePool_args a = unpackX86ASIDControlMakePoolArgs(inv->buffer);
        return decodeASIDControlMakePool(inv, X86ASIDControlMakePool, a.index, a.depth);
    }
    case cap_asid_pool_cap:
        return decodeASIDPoolAssign(inv, X86ASIDPoolAssign);
    default:
        break;
    }
    userError("x86 MMU: label %lu is not a method of cap type %lu", (unsigned long)inv->label,
              (unsigned long)cap_get_capType(inv->cap));
    return syscallError(seL4_IllegalOperation);
}
