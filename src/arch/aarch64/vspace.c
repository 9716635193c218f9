/*
 * AArch64 address spaces: the kernel window (TTBR1), the root server's
 * VSpace built at boot, the ASID table and pools, thread address-space
 * switches (TTBR0 = ASID | VSpace root) and the kernel's view of IPC
 * buffers. User VSpaces use 4 KiB granules and 48-bit addresses (levels
 * 0..3); the kernel window maps physical memory with 1 GiB blocks.
 */
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/vspace.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/boot.h>
#include <kernel/state.h>
#include <machine/io.h>
#include <object/cnode.h>

#define KERNEL_L0_INDEX 511
#define SH_INNER 3
#define TCR_T0SZ 16ull
#define TCR_T1SZ (16ull << 16)
#define TCR_WALK_WBWA ((1ull << 8) | (1ull << 10) | (1ull << 24) | (1ull << 26))
#define TCR_SH_INNER ((3ull << 12) | (3ull << 28))
#define TCR_TG1_4K (2ull << 30)
#define TCR_IPS_SHIFT 32
#define TCR_AS BIT(36)

/* Kernel window: level 0 (entry 511) -> level 1 of 1 GiB blocks. */
static pte_word_t armKSGlobalL0[BIT(PT_INDEX_BITS)] ALIGN(4096);
static pte_word_t armKSGlobalL1[BIT(PT_INDEX_BITS)] ALIGN(4096);
/* TTBR0 of threads without a valid VSpace (ASID 0): maps nothing. */
static pte_word_t armKSEmptyUserL0[BIT(PT_INDEX_BITS)] ALIGN(4096);
/* The TTBR0_EL1 value last written. */
static word_t armKSCurrentTTBR0;

/* A 1 GiB block of the kernel window: the first GiB (devices) is
 * Device-nGnRnE and never executable, the rest normal write-back. */
static BOOT_CODE pte_word_t windowBlock(word_t gib)
{
    bool device = gib == 0;
    return pte_leaf_new(1, device, 0, gib << 30, 0, 1, device ? 0 : SH_INNER, AP_EL1_RW, 0,
                        device ? MAIR_DEVICE_nGnRnE : MAIR_NORMAL_WB, 1)
        .words[0];
}

BOOT_CODE void aarch64InitKernelWindow(void)
{
    word_t mmfr0;
    MRS("id_aa64mmfr0_el1", mmfr0);
    if (((mmfr0 >> 4) & 0xf) != 2) {
        /* No console yet: the loader's message is all there is. */
        Arch_halt(false);
    }
    for (word_t i = 0; i < BIT(PT_INDEX_BITS); i++) {
        armKSGlobalL1[i] = windowBlock(i);
    }
    armKSGlobalL0[KERNEL_L0_INDEX] =
        pte_table_new(0, 0, 0, 0, addrFromKPPtr(armKSGlobalL1), 3).words[0];
    word_t tcr = TCR_T0SZ | TCR_T1SZ | TCR_WALK_WBWA | TCR_SH_INNER | TCR_TG1_4K |
                 ((mmfr0 & 7) << TCR_IPS_SHIFT) | TCR_AS;
    dsbSy();
    MSR("mair_el1", MAIR_VALUE);
    MSR("tcr_el1", tcr);
    MSR("ttbr1_el1", addrFromKPPtr(armKSGlobalL0));
    armKSCurrentTTBR0 = addrFromKPPtr(armKSEmptyUserL0);
    MSR("ttbr0_el1", armKSCurrentTTBR0);
    isb();
    tlbiAll();
}

pte_word_t makeTableEntry(pptr_t table)
{
    return pte_table_new(0, 0, 0, 0, addrFromPPtr(table), 3).words[0];
}

/* User leaf: never executable at EL1, ASID-tagged, accessed. */
pte_word_t makeUserLeaf(paddr_t paddr, word_t rights, bool cacheable, bool executeNever, bool page)
{
    word_t ap = rights == VMReadWrite ? AP_ALL_RW : rights == VMReadOnly ? AP_ALL_RO : AP_EL1_RW;
    return pte_leaf_new(executeNever, 1, 0, paddr, 1, 1, cacheable ? SH_INNER : 0, ap, 0,
                        cacheable ? MAIR_NORMAL_WB : MAIR_DEVICE_nGnRnE, page ? 3 : 1)
        .words[0];
}

lookupPTSlot_ret_t lookupPTSlot(pptr_t root, vptr_t vaddr)
{
    pte_word_t *table = (pte_word_t *)root;
    for (unsigned level = 0;; level++) {
        pte_word_t *e = &table[tableIndex(vaddr, level)];
        if (level == PT_LEVELS - 1 || !pteIsTable(*e, level)) {
            return (lookupPTSlot_ret_t){ e, level };
        }
        table = (pte_word_t *)ptrFromPaddr(pteAddress(*e));
    }
}

/* Number of 2^shift-aligned blocks that [start, end) touches. */
static word_t blocksCovering(v_region_t r, unsigned shift)
{
    return (ROUND_UP(r.end, shift) - ROUND_DOWN(r.start, shift)) >> shift;
}

BOOT_CODE word_t Arch_numPagingStructures(v_region_t it)
{
    return blocksCovering(it, levelShift(0)) + blocksCovering(it, levelShift(1)) +
           blocksCovering(it, levelShift(2));
}

/* Create the level-`level` tables (1..3) for every block of `it` and hand
 * out their caps in address order. */
static BOOT_CODE void createLevel(pptr_t root, v_region_t it, unsigned level)
{
    unsigned cover = levelShift(level - 1);
    for (vptr_t v = ROUND_DOWN(it.start, cover); v < it.end; v += BIT(cover)) {
        pptr_t table = bootAllocPage();
        lookupPTSlot_ret_t slot = lookupPTSlot(root, v);
        assert(slot.level == level - 1 && !pteIsValid(*slot.entry));
        *slot.entry = makeTableEntry(table);
        bootProvideCap(cap_page_table_cap_new(IT_ASID, table, 1, v));
    }
}

BOOT_CODE cap_t Arch_createRootVSpace(pptr_t root, v_region_t it)
{
    for (unsigned level = 1; level < PT_LEVELS; level++) {
        createLevel(root, it, level);
    }
    return cap_vspace_cap_new(IT_ASID, root, 1);
}

BOOT_CODE cap_t Arch_createMappedFrameCap(cap_t vspace, pptr_t frame, vptr_t vaddr, bool executable)
{
    lookupPTSlot_ret_t slot = lookupPTSlot(cap_vspace_cap_get_capVSBasePtr(vspace), vaddr);
    assert(slot.level == PT_LEVELS - 1);
    *slot.entry = makeUserLeaf(addrFromPPtr(frame), VMReadWrite, true, !executable, true);
    return cap_frame_cap_new(IT_ASID, frame, ARMSmallPage, vaddr, VMReadWrite, 0);
}

BOOT_CODE void Arch_createASIDCaps(cte_t *root, pptr_t poolMem)
{
    asid_pool_t *pool = (asid_pool_t *)poolMem;
    pool->root[IT_ASID] = cap_vspace_cap_get_capVSBasePtr(root[seL4_CapInitThreadVSpace].cap);
    setASIDPool(0, pool);
    cteInsertRoot(cap_asid_control_cap_new(), &root[seL4_CapASIDControl]);
    cteInsertRoot(cap_asid_pool_cap_new(poolMem, 0), &root[seL4_CapInitThreadASIDPool]);
}

/* TTBR0 for a thread: its VSpace with its ASID, or the empty table if it
 * has no valid one (no VSpace cap, or its ASID no longer maps it). */
static word_t ttbr0Of(tcb_t *tcb)
{
    cap_t cap = tcbSlot(tcb, tcbVTable)->cap;
    if (cap_get_capType(cap) == cap_vspace_cap && cap_vspace_cap_get_capVSIsMapped(cap)) {
        word_t asid = cap_vspace_cap_get_capVSMappedASID(cap);
        pptr_t root = cap_vspace_cap_get_capVSBasePtr(cap);
        if (findVSpaceForASID(asid) == root) {
            return (asid << 48) | addrFromPPtr(root);
        }
    }
    return addrFromKPPtr(armKSEmptyUserL0);
}

void setVMRoot(tcb_t *tcb)
{
    word_t ttbr0 = ttbr0Of(tcb);
    if (ttbr0 != armKSCurrentTTBR0) {
        armKSCurrentTTBR0 = ttbr0;
        MSR("ttbr0_el1", ttbr0);
        isb();
    }
}

void Arch_switchToThread(tcb_t *tcb)
{
    setVMRoot(tcb);
}

void Arch_switchToIdleThread(void)
{
    /* The idle thread never touches user memory: TTBR0 stays. */
}

pte_word_t *frameMappingEntry(cap_t cap)
{
    word_t asid = cap_frame_cap_get_capFMappedASID(cap);
    pptr_t root = findVSpaceForASID(asid);
    if (!root) {
        return NULL;
    }
    lookupPTSlot_ret_t slot = lookupPTSlot(root, cap_frame_cap_get_capFMappedAddress(cap));
    if (levelShift(slot.level) != frameSizeBits(cap_frame_cap_get_capFSize(cap)) ||
        !pteIsLeaf(*slot.entry, slot.level) ||
        pteAddress(*slot.entry) != addrFromPPtr(cap_frame_cap_get_capFBasePtr(cap))) {
        return NULL;
    }
    return slot.entry;
}

void unmapFrameCap(cap_t cap)
{
    if (cap_frame_cap_get_capFMappedASID(cap) == 0) {
        return;
    }
    pte_word_t *e = frameMappingEntry(cap);
    if (e) {
        *e = 0;
        tlbiPage(cap_frame_cap_get_capFMappedASID(cap), cap_frame_cap_get_capFMappedAddress(cap));
    }
}

void unmapPageTableCap(cap_t cap)
{
    if (!cap_page_table_cap_get_capPTIsMapped(cap)) {
        return;
    }
    word_t asid = cap_page_table_cap_get_capPTMappedASID(cap);
    vptr_t vaddr = cap_page_table_cap_get_capPTMappedAddress(cap);
    paddr_t table = addrFromPPtr(cap_page_table_cap_get_capPTBasePtr(cap));
    pptr_t root = findVSpaceForASID(asid);
    if (!root) {
        return;
    }
    /* The table hangs from whichever level's entry still points at it. */
    pte_word_t *t = (pte_word_t *)root;
    for (unsigned level = 0; level < PT_LEVELS - 1; level++) {
        pte_word_t *e = &t[tableIndex(vaddr, level)];
        if (!pteIsTable(*e, level)) {
            return;
        }
        if (pteAddress(*e) == table) {
            *e = 0;
            tlbiASID(asid);
            return;
        }
        t = (pte_word_t *)ptrFromPaddr(pteAddress(*e));
    }
}

void deleteASID(word_t asid, pptr_t vspace)
{
    if (clearASID(asid, vspace)) {
        tlbiASID(asid);
        setVMRoot(ksCurThread);
    }
}

void deleteASIDPool(word_t asidBase, pptr_t poolPtr)
{
    word_t index = asidBase >> ASID_POOL_INDEX_BITS;
    asid_pool_t *pool = (asid_pool_t *)poolPtr;
    if (asidPoolAt(index) != pool) {
        return;
    }
    for (word_t i = 0; i < BIT(ASID_POOL_INDEX_BITS); i++) {
        if (pool->root[i]) {
            tlbiASID(asidBase + i);
        }
    }
    setASIDPool(index, NULL);
    setVMRoot(ksCurThread);
}

bool Arch_isUsableIPCBufferFrame(cap_t cap)
{
    return cap_get_capType(cap) == cap_frame_cap && !cap_frame_cap_get_capFIsDevice(cap);
}

bool Arch_isValidVTableRoot(cap_t cap)
{
    return cap_get_capType(cap) == cap_vspace_cap && cap_vspace_cap_get_capVSIsMapped(cap);
}

word_t *Arch_lookupIPCBuffer(bool isReceiver, tcb_t *thread)
{
    cap_t cap = tcbSlot(thread, tcbBuffer)->cap;
    if (cap_get_capType(cap) != cap_frame_cap || cap_frame_cap_get_capFIsDevice(cap)) {
        return NULL;
    }
    word_t rights = cap_frame_cap_get_capFVMRights(cap);
    if (rights != VMReadWrite && (isReceiver || rights != VMReadOnly)) {
        return NULL;
    }
    word_t bits = frameSizeBits(cap_frame_cap_get_capFSize(cap));
    return (word_t *)(cap_frame_cap_get_capFBasePtr(cap) + (thread->tcbIPCBuffer & MASK(bits)));
}

bool Arch_isUnassignedVSpaceRoot(cap_t cap)
{
    return cap_get_capType(cap) == cap_vspace_cap && !cap_vspace_cap_get_capVSIsMapped(cap);
}

pptr_t Arch_vspaceRootPtr(cap_t cap)
{
    return cap_vspace_cap_get_capVSBasePtr(cap);
}

cap_t Arch_vspaceRootWithASID(cap_t cap, word_t asid)
{
    return cap_vspace_cap_set_capVSIsMapped(cap_vspace_cap_set_capVSMappedASID(cap, asid), 1);
}
