/*
 * The named interface every architecture implements. Generic code calls
 * only these (and the inline helpers of <arch/types.h>, <arch/machine.h>).
 */
#pragma once

#include <api/abi.h>
#include <basic_types.h>
#include <kernel/boot.h>
#include <object/objecttype.h>
#include <object/structures.h>

/* Threads */
void Arch_initUserContext(tcb_t *tcb);
void Arch_switchToThread(tcb_t *tcb);
void Arch_switchToIdleThread(void);
void Arch_configureIdleThread(tcb_t *tcb);
/* The SetTLSBase syscall (a non-canonical base is ignored). */
void Arch_setTLSBase(tcb_t *tcb, word_t base);
/* TCB_SetTLSBase: set another thread's TLS register. */
void Arch_setTLSRegister(tcb_t *tcb, word_t base);
bool Arch_isUsableIPCBufferFrame(cap_t cap);
bool Arch_isValidVTableRoot(cap_t cap);
/* "read", "write", "instruction fetch"... for a VM fault status. */
const char *Arch_describeVMFault(word_t fsr, bool instructionFault);
NORETURN void Arch_restoreUserContext(void);
void Arch_dumpRegisters(const tcb_t *tcb);
/* The value a user-supplied register write may store (seL4-abi.md 11). */
word_t Arch_sanitiseRegister(unsigned reg, word_t value);
/* Another thread changed this thread's registers (WriteRegisters,
 * CopyRegisters, fault replies): leave through the full restore path. */
void Arch_postModifyRegisters(tcb_t *tcb);
/* The thread's IPC buffer through the kernel window, or NULL if it has no
 * usable one (a receiver needs a writable, non-device frame). */
word_t *Arch_lookupIPCBuffer(bool isReceiver, tcb_t *thread);

/* Boot: the root server's address space */
word_t Arch_numPagingStructures(v_region_t it);
/* Create the VSpace root at `pptr` and every paging structure needed to
 * map `it`; caps go into the root CNode through bootProvideCap(). */
cap_t Arch_createRootVSpace(pptr_t root, v_region_t it);
/* Create a frame cap for `frame`, mapped at `vaddr` in the root VSpace. */
cap_t Arch_createMappedFrameCap(cap_t vspace, pptr_t frame, vptr_t vaddr, bool executable);
/* Slot 5 (ASID control) and 6 (ASID pool at `pool`); assign the root
 * VSpace (slot 3) its ASID. */
void Arch_createASIDCaps(cte_t *rootCNode, pptr_t pool);
/* Arch boot caps (x86: IO port control in slot 7). */
void Arch_createBootCaps(cte_t *rootCNode);
/* Extra bootinfo: total size in bytes (0 for none), then its contents. */
word_t Arch_extraBootinfoSize(void);
void Arch_fillExtraBootinfo(uint8_t *dest, word_t size);
/* Arch fields of the bootinfo frame (numIOPTLevels). */
void Arch_initBootInfo(seL4_BootInfo *bi);

/* Arch caps (the generic code sends every cap it does not know here). */
typedef struct {
    bool physical; /* the cap names memory: [base, base + 2^sizeBits) */
    pptr_t base;
    word_t sizeBits;
} arch_cap_region_t;

bool Arch_isCapRevocable(cap_t derivedCap, cap_t srcCap);
/* Whether an original of this cap's type parents only its own copies, not
 * other originals (first-badged caps) of the same object: ARM SGI signals. */
bool Arch_isParentOnlyOfCopies(cap_t cap);
deriveCap_ret_t Arch_deriveCap(cte_t *slot, cap_t cap);
cap_t Arch_maskCapRights(seL4_CapRights_t rights, cap_t cap);
cap_t Arch_updateCapData(bool preserve, word_t data, cap_t cap);
bool Arch_sameRegionAs(cap_t a, cap_t b);
bool Arch_sameObjectAs(cap_t a, cap_t b);
arch_cap_region_t Arch_capRegion(cap_t cap);
finaliseCap_ret_t Arch_finaliseCap(cap_t cap, bool final);
void Arch_postCapDeletion(cap_t cleanupInfo);
word_t Arch_getObjectSize(word_t type);
bool Arch_isFrameType(word_t type);
cap_t Arch_createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory);
exception_t Arch_decodeInvocation(const invocation_t *inv);
/* VSpace-root caps for ASIDPool_Assign (object/asidpool.c). */
bool Arch_isUnassignedVSpaceRoot(cap_t cap);
pptr_t Arch_vspaceRootPtr(cap_t cap);
cap_t Arch_vspaceRootWithASID(cap_t cap, word_t asid);
exception_t Arch_decodeIRQControlGet(const invocation_t *inv);
exception_t Arch_decodeIRQControlInvocation(const invocation_t *inv);
void Arch_prepareThreadDelete(tcb_t *tcb);

/* Machine */
bool Arch_isIRQPending(void);
void Arch_maskInterrupt(bool mask, word_t irq);
void Arch_ackInterrupt(word_t irq);
void Arch_clearMemory(void *p, word_t bytes);

/* Stop the machine: success == true for a requested halt. */
NORETURN void Arch_halt(bool success);
