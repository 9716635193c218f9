/*
 * x86_64 address spaces: the kernel's own page tables, the root server's
 * VSpace built at boot, ASID pools, thread address-space switches and the
 * kernel's view of IPC buffers.
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

#define KERNEL_PML4_INDEX 511
#define IT_ASID 1
#define PTE_ADDRESS_MASK 0x000ffffffffff000ull

/* Kernel page tables built by head.S (physical addresses). */
extern char boot_pml4[];
/* The thread whose FPU state is live in the FPU registers (or NULL). */
static tcb_t *x86KSfpuOwner;

static word_t tableIndex(vptr_t v, unsigned shift)
{
    return (v >> shift) & MASK(PT_INDEX_BITS);
}

static uint64_t *kernelPML4(void)
{
    return (uint64_t *)ptrFromPaddr((paddr_t)(word_t)boot_pml4);
}

void x86CopyKernelMappings(uint64_t *pml4)
{
    pml4[KERNEL_PML4_INDEX] = kernelPML4()[KERNEL_PML4_INDEX];
}

BOOT_CODE void x86FinishBootMappings(void)
{
    kernelPML4()[0] = 0;
    writeCR3(readCR3());
}

/* A present, user-accessible, writable entry pointing at a table. */
static uint64_t tableEntry(pptr_t table)
{
    return pml4e_new(0, addrFromPPtr(table), 0, 0, 0, 0, 1, 1, 1).words[0];
}

pptr_t entryTable(uint64_t e)
{
    pml4e_t t = { { e } };
    return ptrFromPaddr(pml4e_get_pdpt_base_address(t));
}

/* Number of 2^shift-aligned blocks that [start, end) touches. */
static word_t blocksCovering(v_region_t r, unsigned shift)
{
    return (ROUND_UP(r.end, shift) - ROUND_DOWN(r.start, shift)) >> shift;
}

BOOT_CODE word_t Arch_numPagingStructures(v_region_t it)
{
    return blocksCovering(it, PML4_SHIFT) + blocksCovering(it, PDPT_SHIFT) +
           blocksCovering(it, PD_SHIFT);
}

/* Create the tables of one level below `parentShift` for every block of
 * [it.start, it.end), and hand out their caps in address order. */
static BOOT_CODE void createLevel(uint64_t *pml4, v_region_t it, unsigned shift)
{
    for (vptr_t v = ROUND_DOWN(it.start, shift + PT_INDEX_BITS); v < it.end;
         v += BIT(shift + PT_INDEX_BITS)) {
        pptr_t table = bootAllocPage();
        uint64_t *parent = pml4;
        for (unsigned s = PML4_SHIFT; s > shift + PT_INDEX_BITS; s -= PT_INDEX_BITS) {
            parent = (uint64_t *)entryTable(parent[tableIndex(v, s)]);
        }
        parent[tableIndex(v, shift + PT_INDEX_BITS)] = tableEntry(table);
        cap_t cap;
        if (shift + PT_INDEX_BITS == PML4_SHIFT) {
            cap = cap_pdpt_cap_new(IT_ASID, table, 1, v);
        } else if (shift + PT_INDEX_BITS == PDPT_SHIFT) {
            cap = cap_page_directory_cap_new(IT_ASID, table, 1, v);
        } else {
            cap = cap_page_table_cap_new(IT_ASID, table, 1, v);
        }
        bootProvideCap(cap);
    }
}

BOOT_CODE cap_t Arch_createRootVSpace(pptr_t root, v_region_t it)
{
    uint64_t *pml4 = (uint64_t *)root;
    x86CopyKernelMappings(pml4);
    createLevel(pml4, it, PDPT_SHIFT); /* PDPTs */
    createLevel(pml4, it, PD_SHIFT);   /* page directories */
    createLevel(pml4, it, PT_SHIFT);   /* page tables */
    return cap_pml4_cap_new(IT_ASID, 1, root);
}

BOOT_CODE cap_t Arch_createMappedFrameCap(cap_t vspace, pptr_t frame, vptr_t vaddr, bool executable)
{
    (void)executable; /* the kernel never sets EFER.NXE (seL4-abi.md 0.1) */
    uint64_t *table = (uint64_t *)cap_pml4_cap_get_capPML4BasePtr(vspace);
    for (unsigned s = PML4_SHIFT; s > PT_SHIFT; s -= PT_INDEX_BITS) {
        table = (uint64_t *)entryTable(table[tableIndex(vaddr, s)]);
    }
    table[tableIndex(vaddr, PT_SHIFT)] =
        pte_new(0, addrFromPPtr(frame), 0, 0, 0, 0, 0, 0, 1, 1, 1).words[0];
    return cap_frame_cap_new(IT_ASID, frame, X86_SmallPage, X86_MappingVSpace, vaddr, VMReadWrite,
                             0);
}

BOOT_CODE void Arch_createASIDCaps(cte_t *root, pptr_t poolMem)
{
    asid_pool_t *pool = (asid_pool_t *)poolMem;
    cte_t *vspaceSlot = &root[seL4_CapInitThreadVSpace];
    pool->root[IT_ASID] = cap_pml4_cap_get_capPML4BasePtr(vspaceSlot->cap);
    setASIDPool(0, pool);
    cteInsertRoot(cap_asid_control_cap_new(), &root[seL4_CapASIDControl]);
    cteInsertRoot(cap_asid_pool_cap_new(poolMem, 0), &root[seL4_CapInitThreadASIDPool]);
}

BOOT_CODE void Arch_createBootCaps(cte_t *root)
{
    cteInsertRoot(cap_io_port_control_cap_new(), &root[seL4_CapIOPortControl]);
}

BOOT_CODE void Arch_initBootInfo(seL4_BootInfo *bi)
{
    bi->numIOPTLevels = (seL4_Word)-1; /* no IOMMU */
}

bool Arch_isCapRevocable(cap_t derivedCap, cap_t srcCap)
{
    return cap_get_capType(derivedCap) == cap_io_port_cap &&
           cap_get_capType(srcCap) == cap_io_port_control_cap;
}

bool Arch_isParentOnlyOfCopies(cap_t cap)
{
    (void)cap;
    return false;
}

/* The physical root of a thread's VSpace, or the kernel's if it has no
 * valid one (no PML4 cap, or its ASID no longer maps it). */
static paddr_t vspaceRootOf(tcb_t *tcb)
{
    cap_t cap = tcbSlot(tcb, tcbVTable)->cap;
    if (cap_get_capType(cap) == cap_pml4_cap && cap_pml4_cap_get_capPML4IsMapped(cap)) {
        pptr_t root = cap_pml4_cap_get_capPML4BasePtr(cap);
        if (findVSpaceForASID(cap_pml4_cap_get_capPML4MappedASID(cap)) == root) {
            return addrFromPPtr(root);
        }
    }
    return (paddr_t)(word_t)boot_pml4;
}

static void setVMRoot(tcb_t *tcb)
{
    paddr_t root = vspaceRootOf(tcb);
    if (readCR3() != root) {
        writeCR3(root);
    }
}

void Arch_switchToThread(tcb_t *tcb)
{
    setVMRoot(tcb);
}

void Arch_switchToIdleThread(void)
{
    /* The FPU keeps the last thread's state until another thread runs. */
}

void Arch_prepareThreadDelete(tcb_t *tcb)
{
    if (x86KSfpuOwner == tcb) {
        x86KSfpuOwner = NULL;
    }
}

void flushTLB(void)
{
    writeCR3(readCR3());
}

void invalidatePage(vptr_t vaddr)
{
    __asm__ volatile("invlpg (%0)" : : "r"(vaddr) : "memory");
}

/* Walk through present table entries towards the level of `shift`. A
 * missing table, or a large page where a table is needed, is a missing
 * capability lookup failure naming the bits that level covers. */
lookupEntry_ret_t lookupEntry(pptr_t pml4, vptr_t vaddr, unsigned shift)
{
    uint64_t *table = (uint64_t *)pml4;
    for (unsigned s = PML4_SHIFT; s > shift; s -= PT_INDEX_BITS) {
        uint64_t e = table[tableIndex(vaddr, s)];
        if (!(e & PTE_PRESENT) || (s != PML4_SHIFT && (e & PTE_PAGE_SIZE))) {
            ksCurLookupFault = lookupFaultMissingCap(s);
            return (lookupEntry_ret_t){ EXCEPTION_LOOKUP_FAULT, NULL };
        }
        table = (uint64_t *)entryTable(e);
    }
    return (lookupEntry_ret_t){ EXCEPTION_NONE, &table[tableIndex(vaddr, shift)] };
}

void unmapFrameCap(cap_t cap)
{
    if (cap_frame_cap_get_capFMapType(cap) != X86_MappingVSpace) {
        return;
    }
    pptr_t root = findVSpaceForASID(cap_frame_cap_get_capFMappedASID(cap));
    if (!root) {
        return;
    }
    word_t bits = frameSizeBits(cap_frame_cap_get_capFSize(cap));
    vptr_t vaddr = cap_frame_cap_get_capFMappedAddress(cap);
    lookupEntry_ret_t l = lookupEntry(root, vaddr, bits);
    uint64_t *e = l.entry;
    if (e == NULL || !(*e & PTE_PRESENT)) {
        return;
    }
    bool leaf = bits == PT_SHIFT || (*e & PTE_PAGE_SIZE);
    paddr_t frame = addrFromPPtr(cap_frame_cap_get_capFBasePtr(cap));
    if (leaf && (*e & PTE_ADDRESS_MASK & ~MASK(bits)) == frame) {
        *e = 0;
        invalidatePage(vaddr);
    }
}

void unmapPagingStructureCap(cap_t cap)
{
    word_t asid, shift;
    vptr_t vaddr;
    pptr_t table;
    switch (cap_get_capType(cap)) {
    case cap_page_table_cap:
        if (!cap_page_table_cap_get_capPTIsMapped(cap)) {
            return;
        }
        asid = cap_page_table_cap_get_capPTMappedASID(cap);
        vaddr = cap_page_table_cap_get_capPTMappedAddress(cap);
        table = cap_page_table_cap_get_capPTBasePtr(cap);
        shift = PD_SHIFT;
        break;
    case cap_page_directory_cap:
        if (!cap_page_directory_cap_get_capPDIsMapped(cap)) {
            return;
        }
        asid = cap_page_directory_cap_get_capPDMappedASID(cap);
        vaddr = cap_page_directory_cap_get_capPDMappedAddress(cap);
        table = cap_page_directory_cap_get_capPDBasePtr(cap);
        shift = PDPT_SHIFT;
        break;
    default:
        if (!cap_pdpt_cap_get_capPDPTIsMapped(cap)) {
            return;
        }
        asid = cap_pdpt_cap_get_capPDPTMappedASID(cap);
        vaddr = cap_pdpt_cap_get_capPDPTMappedAddress(cap);
        table = cap_pdpt_cap_get_capPDPTBasePtr(cap);
        shift = PML4_SHIFT;
        break;
    }
    pptr_t root = findVSpaceForASID(asid);
    uint64_t *e = root ? lookupEntry(root, vaddr, shift).entry : NULL;
    if (e && (*e & PTE_PRESENT) && !(*e & PTE_PAGE_SIZE) && entryTable(*e) == table) {
        *e = 0;
        flushTLB();
    }
}

void deleteASID(word_t asid, pptr_t pml4)
{
    if (clearASID(asid, pml4)) {
        setVMRoot(ksCurThread);
        flushTLB();
    }
}

void deleteASIDPool(word_t asidBase, pptr_t pool)
{
    word_t index = asidBase >> ASID_POOL_INDEX_BITS;
    if (asidPoolAt(index) == (asid_pool_t *)pool) {
        setASIDPool(index, NULL);
        setVMRoot(ksCurThread);
        flushTLB();
    }
}

void Arch_configureIdleThread(tcb_t *tcb)
{
    Arch_initUserContext(tcb);
}

/* Default x87 control word and MXCSR: all exceptions masked. */
#define FXSAVE_FCW_DEFAULT 0x037f
#define FXSAVE_MXCSR_OFFSET 24
#define FXSAVE_MXCSR_DEFAULT 0x1f80

void Arch_initUserContext(tcb_t *tcb)
{
    user_context_t *c = &tcb->tcbArch.context;
    memzero(c, sizeof(*c));
    c->registers[FLAGS] = USER_FLAGS_INITIAL;
    c->registers[CS] = USER_CS_SELECTOR;
    c->registers[SS] = USER_DS_SELECTOR;
    c->registers[Error] = 0; /* first return uses iretq */
    uint8_t *fx = tcb->tcbArch.fpuState.state;
    memzero(fx, sizeof(tcb->tcbArch.fpuState));
    fx[0] = FXSAVE_FCW_DEFAULT & 0xff;
    fx[1] = FXSAVE_FCW_DEFAULT >> 8;
    uint32_t mxcsr = FXSAVE_MXCSR_DEFAULT;
    memcpy(fx + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
}

void Arch_setTLSBase(tcb_t *tcb, word_t base)
{
    if (!isCanonical(base)) {
        return; /* silently ignored (seL4-abi.md 0.1 item 2) */
    }
    setRegister(tcb, FS_BASE, base);
    wrmsr(MSR_FS_BASE, base);
}

void Arch_setTLSRegister(tcb_t *tcb, word_t base)
{
    setRegister(tcb, FS_BASE, Arch_sanitiseRegister(FS_BASE, base));
}

bool Arch_isUsableIPCBufferFrame(cap_t cap)
{
    return cap_get_capType(cap) == cap_frame_cap && !cap_frame_cap_get_capFIsDevice(cap);
}

bool Arch_isValidVTableRoot(cap_t cap)
{
    return cap_get_capType(cap) == cap_pml4_cap && cap_pml4_cap_get_capPML4IsMapped(cap);
}

/* RFLAGS a user may set: the arithmetic flags and DF, with IF forced on,
 * TF off, bit 1 set and bits 3 and 5 clear. */
#define FLAGS_USER_MASK 0xfffull
#define FLAGS_ALWAYS_ON (BIT(1) | BIT(9))
#define FLAGS_ALWAYS_OFF (BIT(3) | BIT(5) | BIT(8))

word_t Arch_sanitiseRegister(unsigned reg, word_t value)
{
    switch (reg) {
    case FLAGS:
        return ((value & FLAGS_USER_MASK) | FLAGS_ALWAYS_ON) & ~FLAGS_ALWAYS_OFF;
    case FaultIP:
    case NextIP:
    case FS_BASE:
    case GS_BASE:
        return isCanonical(value) ? value : 0;
    default:
        return value;
    }
}

void Arch_postModifyRegisters(tcb_t *tcb)
{
    /* Not -1: the next return restores the whole frame with iretq. */
    setRegister(tcb, Error, 0);
}

#define CR0_TS BIT(3)

/* Load the thread's FPU state, or trap its FPU use if it has the FPU
 * disabled (CR0.TS gives #NM, delivered as UserException 7). The state in
 * the FPU belongs to x86KSfpuOwner until another thread needs the FPU. */
void x86FpuPrepareReturn(tcb_t *tcb)
{
    word_t cr0 = readCR0();
    if (tcb->tcbFlags & seL4_TCBFlag_fpuDisabled) {
        if (!(cr0 & CR0_TS)) {
            writeCR0(cr0 | CR0_TS);
        }
        return;
    }
    if (cr0 & CR0_TS) {
        writeCR0(cr0 & ~CR0_TS);
    }
    if (x86KSfpuOwner != tcb) {
        if (x86KSfpuOwner) {
            x86FpuSave(x86KSfpuOwner);
        }
        x86FpuRestore(tcb);
        x86KSfpuOwner = tcb;
    }
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
    return cap_get_capType(cap) == cap_pml4_cap && !cap_pml4_cap_get_capPML4IsMapped(cap);
}

pptr_t Arch_vspaceRootPtr(cap_t cap)
{
    return cap_pml4_cap_get_capPML4BasePtr(cap);
}

cap_t Arch_vspaceRootWithASID(cap_t cap, word_t asid)
{
    return cap_pml4_cap_new(asid, 1, cap_pml4_cap_get_capPML4BasePtr(cap));
}
