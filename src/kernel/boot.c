/*
 * Generic boot: builds the root server from the memory description and the
 * loaded image handed over by the arch boot code, then drops to user level.
 * Everything here runs once; code and data live in the boot sections.
 */
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/boot.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/cnode.h>

/* Boot-time bookkeeping; dead once the root server runs. */
static struct {
    p_region_t freemem[MAX_NUM_FREEMEM_REG]; /* free RAM, sorted */
    word_t nFree;
    region_t pagePool; /* pre-allocated pages for paging structures */
    cte_t *rootCNode;
    seL4_SlotPos slotPos; /* next free slot of the root CNode */
    seL4_BootInfo *bi;
} ndks;

/* The idle thread's TCB; the only TCB not made from untyped memory. */
static tcb_t ksIdleTCB ALIGN(2048);

void bootReserve(boot_mem_t *mem, p_region_t reg)
{
    if (mem->nReserved == MAX_NUM_RESV_REG) {
        kpanic("boot: too many reserved regions");
    }
    mem->reserved[mem->nReserved++] = reg;
}

BOOT_CODE void bootAddRAM(boot_mem_t *mem, paddr_t start, paddr_t end)
{
    start = ROUND_UP(start, seL4_PageBitsK);
    end = ROUND_DOWN(end, seL4_PageBitsK);
    if (start >= end) {
        return;
    }
    if (mem->nRam == MAX_NUM_FREEMEM_REG) {
        kprintf("boot: too many RAM regions, ignoring [%#lx, %#lx)\n", (unsigned long)start,
                (unsigned long)end);
        return;
    }
    /* Insert sorted, then merge overlapping or touching neighbours. */
    word_t i = mem->nRam;
    while (i > 0 && mem->ram[i - 1].start > start) {
        mem->ram[i] = mem->ram[i - 1];
        i--;
    }
    mem->ram[i] = (p_region_t){ start, end };
    mem->nRam++;
    word_t out = 0;
    for (word_t j = 1; j < mem->nRam; j++) {
        if (mem->ram[j].start <= mem->ram[out].end) {
            mem->ram[out].end = MAX(mem->ram[out].end, mem->ram[j].end);
        } else {
            mem->ram[++out] = mem->ram[j];
        }
    }
    mem->nRam = out + 1;
}

static bool overlaps(p_region_t a, p_region_t b)
{
    return a.start < b.end && b.start < a.end;
}

paddr_t bootFindFree(const boot_mem_t *mem, word_t size, word_t alignBits, paddr_t above)
{
    for (word_t i = 0; i < mem->nRam; i++) {
        paddr_t cand = ROUND_UP(MAX(mem->ram[i].start, above), alignBits);
        while (cand + size <= mem->ram[i].end && cand + size > cand) {
            p_region_t want = { cand, cand + size };
            bool clash = false;
            for (word_t r = 0; r < mem->nReserved; r++) {
                if (overlaps(want, mem->reserved[r])) {
                    cand = ROUND_UP(mem->reserved[r].end, alignBits);
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                return cand;
            }
        }
    }
    return 0;
}

/* freemem := RAM minus every reserved region. */
static BOOT_CODE void computeFreeMemory(const boot_mem_t *mem)
{
    ndks.nFree = 0;
    for (word_t i = 0; i < mem->nRam; i++) {
        paddr_t cur = mem->ram[i].start;
        while (cur < mem->ram[i].end) {
            paddr_t end = mem->ram[i].end;
            paddr_t next = end;
            /* the nearest reserved region at or after cur cuts the piece */
            for (word_t r = 0; r < mem->nReserved; r++) {
                p_region_t res = mem->reserved[r];
                if (res.end > cur && res.start < end) {
                    if (res.start <= cur) {
                        cur = MAX(cur, res.end);
                        end = cur;
                        next = cur;
                        break;
                    }
                    end = MIN(end, res.start);
                    next = end;
                }
            }
            if (end > cur) {
                if (ndks.nFree == MAX_NUM_FREEMEM_REG) {
                    kpanic("boot: too many free memory regions");
                }
                ndks.freemem[ndks.nFree++] = (p_region_t){ cur, end };
            }
            cur = next;
        }
    }
}

/* Carve `size` bytes aligned to 2^alignBits from the top of the highest
 * free region that can hold them, and zero them. */
static BOOT_CODE pptr_t allocRegion(word_t size, word_t alignBits)
{
    for (word_t i = ndks.nFree; i-- > 0;) {
        p_region_t r = ndks.freemem[i];
        if (r.end - r.start < size) {
            continue;
        }
        paddr_t start = ROUND_DOWN(r.end - size, alignBits);
        if (start < r.start) {
            continue;
        }
        paddr_t end = start + size;
        /* Keep the part above the block as its own region. */
        if (end < r.end) {
            if (ndks.nFree == MAX_NUM_FREEMEM_REG) {
                kpanic("boot: too many free memory regions");
            }
            memmove(&ndks.freemem[i + 2], &ndks.freemem[i + 1],
                    (ndks.nFree - i - 1) * sizeof(p_region_t));
            ndks.freemem[i + 1] = (p_region_t){ end, r.end };
            ndks.nFree++;
        }
        ndks.freemem[i].end = start;
        pptr_t p = ptrFromPaddr(start);
        memzero((void *)p, size);
        return p;
    }
    kpanic("boot: not enough memory for the root server's kernel objects (%lu bytes)",
           (unsigned long)size);
}

static BOOT_CODE pptr_t allocObject(word_t bits)
{
    return allocRegion(BIT(bits), bits);
}

pptr_t bootAllocPage(void)
{
    if (ndks.pagePool.start >= ndks.pagePool.end) {
        kpanic("boot: paging-structure pool exhausted");
    }
    pptr_t p = ndks.pagePool.start;
    ndks.pagePool.start += BIT(seL4_PageBitsK);
    return p;
}

seL4_SlotPos bootNextSlot(void)
{
    return ndks.slotPos;
}

cte_t *bootRootCNodeSlot(seL4_SlotPos slot)
{
    return &ndks.rootCNode[slot];
}

void bootProvideCap(cap_t cap)
{
    if (ndks.slotPos >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS)) {
        kpanic("boot: root CNode too small for the boot caps");
    }
    cteInsertRoot(cap, &ndks.rootCNode[ndks.slotPos++]);
}

/* Size (log2) of the extra bootinfo region: a power of two >= one page. */
static BOOT_CODE word_t extraBootinfoBits(word_t bytes)
{
    if (bytes == 0) {
        return 0;
    }
    word_t bits = highestBit(bytes);
    if (BIT(bits) < bytes) {
        bits++;
    }
    return MAX(bits, (word_t)seL4_PageBitsK);
}

static BOOT_CODE cte_t *createRootCNode(void)
{
    word_t radix = CONFIG_ROOT_CNODE_SIZE_BITS;
    pptr_t p = allocObject(radix + seL4_SlotBitsK);
    ndks.rootCNode = (cte_t *)p;
    cap_t cap = cap_cnode_cap_new(radix, wordBits - radix, 0, p);
    cteInsertRoot(cap, &ndks.rootCNode[seL4_CapInitThreadCNode]);
    return ndks.rootCNode;
}

static BOOT_CODE void createTCBCaps(tcb_t *tcb, cte_t *root)
{
    cteInsert(root[seL4_CapInitThreadCNode].cap, &root[seL4_CapInitThreadCNode],
              tcbSlot(tcb, tcbCTable));
    cteInsert(root[seL4_CapInitThreadVSpace].cap, &root[seL4_CapInitThreadVSpace],
              tcbSlot(tcb, tcbVTable));
    cteInsert(root[seL4_CapInitThreadIPCBuffer].cap, &root[seL4_CapInitThreadIPCBuffer],
              tcbSlot(tcb, tcbBuffer));
    cteInsertRoot(cap_reply_cap_new((word_t)tcb, true, true), tcbSlot(tcb, tcbReply));
    cteInsertRoot(cap_thread_cap_new((word_t)tcb), &root[seL4_CapInitThreadTCB]);
}

static BOOT_CODE tcb_t *createInitialThread(cte_t *root, pptr_t tcbMem, vptr_t ipcBuf, vptr_t entry,
                                            vptr_t biFrame)
{
    tcb_t *tcb = (tcb_t *)tcbMem;
    Arch_initUserContext(tcb);
    createTCBCaps(tcb, root);
    tcb->tcbIPCBuffer = ipcBuf;
    tcb->tcbPriority = seL4_MaxPrio;
    tcb->tcbMCP = seL4_MaxPrio;
    tcb->tcbDomain = 0;
    tcb->tcbTimeSlice = CONFIG_TIME_SLICE;
    setRegister(tcb, capRegister, biFrame);
    setRegister(tcb, FaultIP, entry);
    setRegister(tcb, NextIP, entry);
    setThreadName(tcb, "rootserver");
    tcbDebugAppend(tcb);
    thread_state_ptr_set_tsType(&tcb->tcbState, ThreadState_Running);
    return tcb;
}

static BOOT_CODE void createIdleThread(void)
{
    tcb_t *idle = &ksIdleTCB;
    Arch_configureIdleThread(idle);
    thread_state_ptr_set_tsType(&idle->tcbState, ThreadState_IdleThreadState);
    setThreadName(idle, "idle_thread");
    tcbDebugAppend(idle);
    ksIdleThread = idle;
}

/* Cut [start, end) into maximal naturally aligned power-of-two untypeds. */
static BOOT_CODE void createUntypeds(paddr_t start, paddr_t end, bool isDevice)
{
    seL4_BootInfo *bi = ndks.bi;
    start = ROUND_UP(start, seL4_MinUntypedBitsK);
    end = ROUND_DOWN(end, seL4_MinUntypedBitsK);
    while (start < end) {
        word_t alignBits = start == 0 ? wordBits - 1 : lowestBit(start);
        word_t bits = MIN(MIN(alignBits, highestBit(end - start)), (word_t)seL4_MaxUntypedBitsK);
        word_t index = ndks.slotPos - bi->untyped.start;
        if (index >= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
            kprintf("boot: untyped list full, dropping [%#lx, %#lx)\n", (unsigned long)start,
                    (unsigned long)end);
            return;
        }
        /* Boot untypeds are handed out full: the first Retype resets them. */
        word_t fullIndex = BIT(bits - seL4_MinUntypedBitsK);
        bootProvideCap(cap_untyped_cap_new(fullIndex, isDevice, bits, ptrFromPaddr(start)));
        bi->untypedList[index] =
            (seL4_UntypedDesc){ .paddr = start, .sizeBits = (uint8_t)bits, .isDevice = isDevice };
        start += BIT(bits);
    }
}

/* Device untypeds for [start, end), minus the reserved regions there
 * (device memory the kernel uses itself, such as its console or the
 * interrupt controller). */
static BOOT_CODE void createDeviceUntypeds(const boot_mem_t *mem, paddr_t start, paddr_t end)
{
    while (start < end) {
        const p_region_t *first = NULL;
        for (word_t r = 0; r < mem->nReserved; r++) {
            const p_region_t *res = &mem->reserved[r];
            if (res->start < end && res->end > start && (!first || res->start < first->start)) {
                first = res;
            }
        }
        if (first == NULL) {
            createUntypeds(start, end, true);
            return;
        }
        if (first->start > start) {
            createUntypeds(start, first->start, true);
        }
        start = first->end;
    }
}

static BOOT_CODE void createAllUntypeds(const boot_mem_t *mem)
{
    seL4_BootInfo *bi = ndks.bi;
    bi->untyped.start = ndks.slotPos;

    /* Device untypeds: every gap between RAM regions up to deviceTop. */
    paddr_t cur = 0;
    for (word_t i = 0; i < mem->nRam; i++) {
        if (mem->ram[i].start > cur) {
            createDeviceUntypeds(mem, cur, mem->ram[i].start);
        }
        cur = mem->ram[i].end;
    }
    if (cur < mem->deviceTop) {
        createDeviceUntypeds(mem, cur, mem->deviceTop);
    }
    /* Then every remaining free RAM region. */
    for (word_t i = 0; i < ndks.nFree; i++) {
        createUntypeds(ndks.freemem[i].start, ndks.freemem[i].end, false);
    }
    bi->untyped.end = ndks.slotPos;
}

static BOOT_CODE void printUntypedSummary(void)
{
    const seL4_BootInfo *bi = ndks.bi;
    word_t n = bi->untyped.end - bi->untyped.start;
    word_t ramBytes = 0, nDevice = 0;
    for (word_t i = 0; i < n; i++) {
        if (bi->untypedList[i].isDevice) {
            nDevice++;
        } else {
            ramBytes += BIT(bi->untypedList[i].sizeBits);
        }
    }
    kprintf("Untyped: %lu caps in slots [%lu, %lu): %lu RAM (%lu KiB), %lu device\n",
            (unsigned long)n, (unsigned long)bi->untyped.start, (unsigned long)bi->untyped.end,
            (unsigned long)(n - nDevice), (unsigned long)(ramBytes >> 10), (unsigned long)nDevice);
}

/* Map `count` pages from `frames` at `vaddr`, providing each frame cap. */
static BOOT_CODE void provideMappedFrames(cap_t vspace, pptr_t frames, vptr_t vaddr, word_t count,
                                          bool executable)
{
    for (word_t i = 0; i < count; i++) {
        word_t off = i << seL4_PageBitsK;
        bootProvideCap(Arch_createMappedFrameCap(vspace, frames + off, vaddr + off, executable));
    }
}

NORETURN BOOT_CODE void initKernel(boot_mem_t *mem, ui_info_t ui)
{
    /* The root server's virtual layout (seL4-abi.md 5.6). */
    vptr_t ipcBufVptr = ui.v_reg.end;
    vptr_t biFrameVptr = ipcBufVptr + BIT(seL4_PageBitsK);
    vptr_t extraBiVptr = biFrameVptr + BIT(seL4_PageBitsK);
    word_t extraBytes = Arch_extraBootinfoSize();
    word_t extraBits = extraBootinfoBits(extraBytes);
    word_t extraPages = 0;
    if (extraBits) {
        extraPages = EXTRA_BOOTINFO_MAPS_WHOLE_REGION
                         ? BIT(extraBits - seL4_PageBitsK)
                         : ROUND_UP(extraBytes, seL4_PageBitsK) >> seL4_PageBitsK;
    }
    v_region_t itVReg = { ui.v_reg.start, extraBiVptr + (extraPages << seL4_PageBitsK) };

    bootReserve(mem, ui.p_reg);
    computeFreeMemory(mem);

    /* Kernel objects of the root server, largest alignment first. */
    cte_t *root = createRootCNode();
    pptr_t extraBiMem = extraBits ? allocObject(extraBits) : 0;
    pptr_t vspaceMem = allocObject(seL4_PageBitsK);
    word_t poolBytes = Arch_numPagingStructures(itVReg) << seL4_PageBitsK;
    ndks.pagePool.start = poolBytes ? allocRegion(poolBytes, seL4_PageBitsK) : 0;
    ndks.pagePool.end = ndks.pagePool.start + poolBytes;
    pptr_t asidPoolMem = allocObject(seL4_PageBitsK);
    pptr_t ipcBufMem = allocObject(seL4_PageBitsK);
    pptr_t biMem = allocObject(seL4_PageBitsK);
    pptr_t tcbMem = allocObject(seL4_TCBBitsK);

    ndks.slotPos = seL4_NumInitialCaps;
    ndks.bi = (seL4_BootInfo *)biMem;
    seL4_BootInfo *bi = ndks.bi;
    bi->nodeID = 0;
    bi->numNodes = 1;
    bi->ipcBuffer = (seL4_IPCBuffer *)ipcBufVptr;
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->initThreadDomain = 0;
    bi->extraLen = extraBytes;

    cteInsertRoot(cap_domain_cap_new(), &root[seL4_CapDomain]);
    cteInsertRoot(cap_irq_control_cap_new(), &root[seL4_CapIRQControl]);
    Arch_createBootCaps(root);

    /* VSpace: paging structures first (userImagePaging). */
    bi->userImagePaging.start = ndks.slotPos;
    cap_t vspace = Arch_createRootVSpace(vspaceMem, itVReg);
    bi->userImagePaging.end = ndks.slotPos;
    cteInsertRoot(vspace, &root[seL4_CapInitThreadVSpace]);

    /* Extra bootinfo pages, then the image frames. */
    bi->extraBIPages.start = ndks.slotPos;
    if (extraBits) {
        Arch_fillExtraBootinfo((uint8_t *)extraBiMem, BIT(extraBits));
        provideMappedFrames(vspace, extraBiMem, extraBiVptr, extraPages, true);
    }
    bi->extraBIPages.end = ndks.slotPos;

    cteInsertRoot(Arch_createMappedFrameCap(vspace, biMem, biFrameVptr, true),
                  &root[seL4_CapBootInfoFrame]);
    cteInsertRoot(Arch_createMappedFrameCap(vspace, ipcBufMem, ipcBufVptr, true),
                  &root[seL4_CapInitThreadIPCBuffer]);

    bi->userImageFrames.start = ndks.slotPos;
    word_t nImagePages = (ui.v_reg.end - ui.v_reg.start) >> seL4_PageBitsK;
    provideMappedFrames(vspace, ptrFromPaddr(ui.p_reg.start), ui.v_reg.start, nImagePages, true);
    bi->userImageFrames.end = ndks.slotPos;

    Arch_createASIDCaps(root, asidPoolMem);

    tcb_t *rootTCB = createInitialThread(root, tcbMem, ipcBufVptr, ui.v_entry, biFrameVptr);
    createIdleThread();

    createAllUntypeds(mem);
    bi->empty = (seL4_SlotRegion){ ndks.slotPos, BIT(CONFIG_ROOT_CNODE_SIZE_BITS) };
    Arch_initBootInfo(bi);
    printUntypedSummary();

    ksCurDomain = 0;
    ksDomainTime = 0;
    ksSchedulerAction = SchedulerAction_ResumeCurrentThread;
    ksCurThread = ksIdleThread;
    switchToThread(rootTCB);
    kprintf("Booting all finished, dropped to user space\n");
    Arch_restoreUserContext();
}
