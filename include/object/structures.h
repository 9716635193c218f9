/*
 * Kernel object layouts: capability slots, TCBs, and the sizes the ABI
 * fixes for every object. Packed words come from the generated
 * <object/structures_gen.h> (include/arch/<arch>/structures.bf).
 */
#pragma once

#include <arch/types.h>
#include <basic_types.h>
#include <api/failures.h>
#include <config.h>
#include <object/structures_gen.h>
#include <util.h>

/* Object sizes (log2 bytes); each equals the ABI's seL4_*Bits constant. */
enum {
    seL4_SlotBitsK = 5,
    seL4_TCBBitsK = 11,
    seL4_EndpointBitsK = 4,
    seL4_NotificationBitsK = 5,
    seL4_MinUntypedBitsK = 4,
    seL4_MaxUntypedBitsK = 47,
    seL4_PageBitsK = 12,
    seL4_IPCBufferSizeBitsK = 10,
};

/* A capability slot: the cap and its place in the derivation tree. */
typedef struct cte {
    cap_t cap;
    mdb_node_t cteMDBNode;
} cte_t;
compile_assert(cte_size, sizeof(cte_t) == BIT(seL4_SlotBitsK));

/* Thread states (thread_state.tsType). */
typedef enum {
    ThreadState_Inactive = 0,
    ThreadState_Running,
    ThreadState_Restart,
    ThreadState_BlockedOnReceive,
    ThreadState_BlockedOnSend,
    ThreadState_BlockedOnReply,
    ThreadState_BlockedOnNotification,
    ThreadState_IdleThreadState,
} _thread_state_t;

/* Slots every TCB owns; together they act like a small CNode. */
enum tcb_cnode_index {
    tcbCTable = 0, /* CSpace root */
    tcbVTable = 1, /* VSpace root */
    tcbReply = 2,  /* reply master cap */
    tcbCaller = 3, /* reply cap of the thread this one is serving */
    tcbBuffer = 4, /* IPC buffer frame */
    tcbCNodeEntries
};

#define TCB_NAME_LENGTH 64

/*
 * A thread control block occupies a whole 2^11-byte object.
 * Invariants: tcbState.tsType is one of _thread_state_t; tcbPriority and
 * tcbMCP are at most seL4_MaxPrio; the scheduler links are only valid
 * while thread_state.tcbQueued is set; the debug list holds every live TCB.
 */
typedef struct tcb {
    cte_t tcbCTable[tcbCNodeEntries];
    arch_tcb_t tcbArch;
    thread_state_t tcbState;
    word_t tcbFaultHandler; /* CPtr looked up in the thread's CSpace */
    word_t tcbIPCBuffer;    /* user vaddr of the IPC buffer */
    word_t tcbPriority;
    word_t tcbMCP;
    word_t tcbDomain;
    word_t tcbTimeSlice;                  /* remaining ticks */
    word_t tcbFlags;                      /* seL4_TCBFlag_* */
    notification_t *tcbBoundNotification; /* one-to-one with ntfnBoundTCB */
    fault_t tcbFault;                     /* pending fault, or null_fault */
    lookup_fault_t tcbLookupFailure;      /* details of a pending cap fault */
    struct tcb *tcbSchedNext, *tcbSchedPrev;
    struct tcb *tcbEPNext, *tcbEPPrev;
    struct tcb *tcbDebugNext, *tcbDebugPrev;
    char tcbName[TCB_NAME_LENGTH];
} tcb_t;
compile_assert(tcb_fits, sizeof(tcb_t) <= BIT(seL4_TCBBitsK));

/* VM rights stored in frame caps. */
enum vm_rights {
    VMKernelOnly = 1,
    VMReadOnly = 2,
    VMReadWrite = 3,
};

static inline tcb_t *tcbFromCap(cap_t cap)
{
    return (tcb_t *)cap_thread_cap_get_capTCBPtr(cap);
}

static inline cte_t *tcbSlot(tcb_t *tcb, enum tcb_cnode_index i)
{
    return &tcb->tcbCTable[i];
}

static inline word_t thread_state_type(const tcb_t *t)
{
    return thread_state_get_tsType(t->tcbState);
}

static inline bool isRunnable(const tcb_t *t)
{
    word_t s = thread_state_type(t);
    return s == ThreadState_Running || s == ThreadState_Restart;
}

static inline word_t getRegister(const tcb_t *t, unsigned reg)
{
    return t->tcbArch.context.registers[reg];
}

static inline void setRegister(tcb_t *t, unsigned reg, word_t v)
{
    t->tcbArch.context.registers[reg] = v;
}
