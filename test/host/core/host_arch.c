/*
 * Host stand-ins for the arch and platform layer, so that the kernel's
 * capability code runs in an ordinary process for the core tests.
 *
 * Kernel objects live in a host buffer (see driver.c); there is no MMU,
 * no interrupt controller and no console. Arch caps behave like x86_64's
 * as far as the generic code can see: frames (4K, 2M, 1G) carry VM rights
 * and copies start unmapped; the four paging-structure caps exist but
 * cannot be copied while unmapped; no arch invocation is available.
 * Arch_isIRQPending follows a switch the test driver sets (host_env.h).
 */
#include <api/invocation.h>
#include <api/syscall.h>
#include <kernel/arch_hooks.h>
#include <kernel/state.h>
#include <machine/io.h>
#include <object/structures.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_env.h"

/* The x86_64 frame sizes (capFSize) and mapping types (capFMapType). */
enum { HOST_SMALL_PAGE = 0, HOST_LARGE_PAGE = 1, HOST_HUGE_PAGE = 2 };
enum { HOST_MAPPING_NONE = 0 };

host_env_t hostEnv;

/* ---- Console: a ring of the most recent output ---- */

#define CONSOLE_RING 16384
static char consoleRing[CONSOLE_RING];
static size_t consoleHead; /* total characters written */
static char consoleTail[CONSOLE_RING + 1];

void putConsoleChar(unsigned char c)
{
    if (c == '\r') {
        return;
    }
    consoleRing[consoleHead % CONSOLE_RING] = (char)c;
    consoleHead++;
    if (getenv("CORE_TEST_VERBOSE")) {
        fputc(c, stderr);
    }
}

const char *hostConsoleTail(void)
{
    size_t n = consoleHead < CONSOLE_RING ? consoleHead : CONSOLE_RING;
    size_t start = consoleHead - n;
    for (size_t i = 0; i < n; i++) {
        consoleTail[i] = consoleRing[(start + i) % CONSOLE_RING];
    }
    consoleTail[n] = '\0';
    return consoleTail;
}

void hostConsoleClear(void)
{
    consoleHead = 0;
}

void hostConsoleDump(void)
{
    const char *t = hostConsoleTail();
    size_t n = strlen(t);
    /* The last ~40 lines are enough to see what the kernel complained about. */
    const char *p = t + n;
    for (int lines = 0; p > t && lines <= 40; p--) {
        if (p[-1] == '\n') {
            lines++;
        }
    }
    fprintf(stderr, "---- kernel console (tail) ----\n%s\n-------------------------------\n", p);
}

/* ---- Machine ---- */

NORETURN void Arch_halt(bool success)
{
    fflush(stdout);
    hostConsoleDump();
    fprintf(stderr, "HOST: the kernel halted (%s) while: %s\n", success ? "success" : "failure",
            hostEnv.context ? hostEnv.context : "?");
    fflush(stderr);
    _exit(70);
}

bool Arch_isIRQPending(void)
{
    hostEnv.irqChecks++;
    switch (hostEnv.irqMode) {
    case HOST_IRQ_ALWAYS:
        return true;
    case HOST_IRQ_COUNTDOWN:
        if (hostEnv.irqCountdown > 0 && --hostEnv.irqCountdown == 0) {
            hostEnv.irqMode = HOST_IRQ_NONE;
            return true;
        }
        return false;
    default:
        return false;
    }
}

void Arch_maskInterrupt(bool mask, word_t irq)
{
    (void)mask;
    (void)irq;
}

void Arch_ackInterrupt(word_t irq)
{
    (void)irq;
}

void Arch_clearMemory(void *p, word_t bytes)
{
    memset(p, 0, bytes);
}

/* ---- Threads ---- */

void Arch_initUserContext(tcb_t *tcb)
{
    (void)tcb; /* the memory is zero; no user context is ever restored */
}

void Arch_switchToThread(tcb_t *tcb)
{
    (void)tcb;
}

void Arch_switchToIdleThread(void)
{
}

void Arch_configureIdleThread(tcb_t *tcb)
{
    (void)tcb;
}

void Arch_setTLSBase(tcb_t *tcb, word_t base)
{
    (void)tcb;
    (void)base;
}

void Arch_setTLSRegister(tcb_t *tcb, word_t base)
{
    (void)tcb;
    (void)base;
}

bool Arch_isUsableIPCBufferFrame(cap_t cap)
{
    return cap_get_capType(cap) == cap_frame_cap;
}

bool Arch_isValidVTableRoot(cap_t cap)
{
    return cap_get_capType(cap) == cap_pml4_cap;
}

const char *Arch_describeVMFault(word_t fsr, bool instructionFault)
{
    (void)fsr;
    return instructionFault ? "instruction fetch" : "data access";
}

NORETURN void Arch_restoreUserContext(void)
{
    fprintf(stderr, "HOST: Arch_restoreUserContext called\n");
    Arch_halt(false);
}

void Arch_dumpRegisters(const tcb_t *tcb)
{
    fprintf(stderr, "HOST: thread %p \"%s\"\n", (const void *)tcb, tcb ? tcb->tcbName : "");
}

word_t Arch_sanitiseRegister(unsigned reg, word_t value)
{
    (void)reg;
    return value;
}

void Arch_postModifyRegisters(tcb_t *tcb)
{
    (void)tcb;
}

word_t *Arch_lookupIPCBuffer(bool isReceiver, tcb_t *thread)
{
    (void)isReceiver;
    if (thread != NULL && (void *)thread == hostEnv.ipcBufferThread) {
        return (word_t *)hostEnv.ipcBuffer;
    }
    return NULL;
}

void Arch_prepareThreadDelete(tcb_t *tcb)
{
    (void)tcb;
}

/* From api/syscall.c, which the host build does not compile. */
void stopThreadWithReport(tcb_t *thread, const char *what)
{
    (void)thread;
    (void)what;
    hostEnv.threadsStopped++;
}

/* ---- Arch caps ---- */

static word_t frameBits(word_t size)
{
    return size == HOST_SMALL_PAGE ? 12 : size == HOST_LARGE_PAGE ? 21 : 30;
}

bool Arch_isCapRevocable(cap_t derivedCap, cap_t srcCap)
{
    (void)derivedCap;
    (void)srcCap;
    return false;
}

bool Arch_isParentOnlyOfCopies(cap_t cap)
{
    (void)cap;
    return false;
}

deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap)
{
    (void)slot;
    deriveCap_ret_t ret = { EXCEPTION_NONE, cap };
    switch (cap_get_capType(cap)) {
    case cap_frame_cap:
        cap = cap_frame_cap_set_capFMappedASID(cap, 0);
        cap = cap_frame_cap_set_capFMappedAddress(cap, 0);
        ret.cap = cap_frame_cap_set_capFMapType(cap, HOST_MAPPING_NONE);
        return ret;
    case cap_page_table_cap:
    case cap_page_directory_cap:
    case cap_pdpt_cap:
    case cap_pml4_cap:
        /* Nothing is ever mapped here, and unmapped tables cannot be copied. */
        userError("Copy: an unmapped paging structure cannot be copied");
        ksCurSyscallError.type = seL4_IllegalOperation;
        ret.status = EXCEPTION_SYSCALL_ERROR;
        ret.cap = cap_null_cap_new();
        return ret;
    default:
        return ret;
    }
}

cap_t Arch_maskCapRights(seL4_CapRights_t rights, cap_t cap)
{
    if (cap_get_capType(cap) != cap_frame_cap) {
        return cap;
    }
    word_t vm = cap_frame_cap_get_capFVMRights(cap);
    bool read = seL4_CapRights_get_capAllowRead(rights);
    bool write = seL4_CapRights_get_capAllowWrite(rights);
    word_t out = VMKernelOnly;
    if (read && vm == VMReadOnly) {
        out = VMReadOnly;
    } else if (read && vm == VMReadWrite) {
        out = write ? VMReadWrite : VMReadOnly;
    }
    return cap_frame_cap_set_capFVMRights(cap, out);
}

cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap)
{
    (void)preserve;
    (void)data;
    return cap;
}

arch_cap_region_t Arch_capRegion(cap_t cap)
{
    arch_cap_region_t r = { false, 0, 0 };
    switch (cap_get_capType(cap)) {
    case cap_frame_cap:
        r = (arch_cap_region_t){ true, cap_frame_cap_get_capFBasePtr(cap),
                                 frameBits(cap_frame_cap_get_capFSize(cap)) };
        break;
    case cap_page_table_cap:
        r = (arch_cap_region_t){ true, cap_page_table_cap_get_capPTBasePtr(cap), 12 };
        break;
    case cap_page_directory_cap:
        r = (arch_cap_region_t){ true, cap_page_directory_cap_get_capPDBasePtr(cap), 12 };
        break;
    case cap_pdpt_cap:
        r = (arch_cap_region_t){ true, cap_pdpt_cap_get_capPDPTBasePtr(cap), 12 };
        break;
    case cap_pml4_cap:
        r = (arch_cap_region_t){ true, cap_pml4_cap_get_capPML4BasePtr(cap), 12 };
        break;
    default:
        break;
    }
    return r;
}

bool Arch_sameRegionAs(cap_t a, cap_t b)
{
    word_t ta = cap_get_capType(a), tb = cap_get_capType(b);
    arch_cap_region_t ra = Arch_capRegion(a), rb = Arch_capRegion(b);
    if (!ra.physical || ta != tb) {
        return false;
    }
    if (ta == cap_frame_cap) {
        return ra.base <= rb.base && rb.base + MASK(rb.sizeBits) <= ra.base + MASK(ra.sizeBits);
    }
    return ra.base == rb.base;
}

bool Arch_sameObjectAs(cap_t a, cap_t b)
{
    if (cap_get_capType(a) == cap_frame_cap && cap_get_capType(b) == cap_frame_cap) {
        return cap_frame_cap_get_capFBasePtr(a) == cap_frame_cap_get_capFBasePtr(b) &&
               cap_frame_cap_get_capFSize(a) == cap_frame_cap_get_capFSize(b) &&
               cap_frame_cap_get_capFIsDevice(a) == cap_frame_cap_get_capFIsDevice(b);
    }
    return Arch_sameRegionAs(a, b);
}

finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final)
{
    (void)cap;
    (void) final;
    return (finaliseCap_ret_t){ cap_null_cap_new(), cap_null_cap_new() };
}

void Arch_postCapDeletion(cap_t cleanupInfo)
{
    (void)cleanupInfo;
}

word_t Arch_getObjectSize(word_t type)
{
    switch (type) {
    case seL4_X86_4K:
    case seL4_X86_PageTableObject:
    case seL4_X86_PageDirectoryObject:
    case seL4_X86_PDPTObject:
    case seL4_X64_PML4Object:
        return 12;
    case seL4_X86_LargePageObject:
        return 21;
    case seL4_X64_HugePageObject:
        return 30;
    default:
        return wordBits;
    }
}

bool Arch_isFrameType(word_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

cap_t Arch_createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory)
{
    (void)userBits;
    switch (type) {
    case seL4_X86_4K:
        return cap_frame_cap_new(0, region, HOST_SMALL_PAGE, HOST_MAPPING_NONE, 0, VMReadWrite,
                                 deviceMemory);
    case seL4_X86_LargePageObject:
        return cap_frame_cap_new(0, region, HOST_LARGE_PAGE, HOST_MAPPING_NONE, 0, VMReadWrite,
                                 deviceMemory);
    case seL4_X64_HugePageObject:
        return cap_frame_cap_new(0, region, HOST_HUGE_PAGE, HOST_MAPPING_NONE, 0, VMReadWrite,
                                 deviceMemory);
    case seL4_X86_PageTableObject:
        return cap_page_table_cap_new(0, region, 0, 0);
    case seL4_X86_PageDirectoryObject:
        return cap_page_directory_cap_new(0, region, 0, 0);
    case seL4_X86_PDPTObject:
        return cap_pdpt_cap_new(0, region, 0, 0);
    case seL4_X64_PML4Object:
        return cap_pml4_cap_new(0, 0, region);
    default:
        kpanic("Arch_createObject: type %lu", (unsigned long)type);
    }
}

exception_t Arch_decodeInvocation(const invocation_t *inv)
{
    userError("host: arch invocation %lu on cap type %lu is not available",
              (unsigned long)inv->label, (unsigned long)cap_get_capType(inv->cap));
    ksCurSyscallError.type = seL4_IllegalOperation;
    return EXCEPTION_SYSCALL_ERROR;
}

/* ASID pools (object/asidpool.c) assign PML4s; no arch invocation reaches
 * them here. */
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
    cap = cap_pml4_cap_set_capPML4MappedASID(cap, asid);
    return cap_pml4_cap_set_capPML4IsMapped(cap, 1);
}

exception_t Arch_decodeIRQControlGet(const invocation_t *inv)
{
    (void)inv;
    ksCurSyscallError.type = seL4_IllegalOperation;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t Arch_decodeIRQControlInvocation(const invocation_t *inv)
{
    (void)inv;
    ksCurSyscallError.type = seL4_IllegalOperation;
    return EXCEPTION_SYSCALL_ERROR;
}
