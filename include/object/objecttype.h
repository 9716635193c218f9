/*
 * Operations every cap type supports, dispatched on the cap's type:
 * derivation, rights and data updates, identity, finalisation, object
 * creation, and invocation decoding (semantics.md 2.4-2.7, 3.3).
 */
#pragma once

#include <api/failures.h>
#include <object/structures.h>

typedef struct {
    exception_t status; /* NONE, or SYSCALL_ERROR with ksCurSyscallError set */
    cap_t cap;          /* may be the null cap: "this cap cannot be copied" */
} deriveCap_ret_t;

typedef struct {
    cap_t remainder;   /* null, or a zombie still to be reduced */
    cap_t cleanupInfo; /* what postCapDeletion must release (IRQ, ports) */
} finaliseCap_ret_t;

/* The arguments of one invocation, looked up but not yet decoded. */
typedef struct {
    word_t label;   /* invocation label from the message info */
    word_t length;  /* message length, clamped, 4 if there is no IPC buffer */
    cptr_t cptr;    /* the invoked CPtr */
    cte_t *slot;    /* the slot holding the invoked cap */
    cap_t cap;      /* the invoked cap */
    bool call;      /* Call (the caller waits for a reply) */
    bool block;     /* Send or Call, as opposed to NBSend */
    word_t *buffer; /* the caller's IPC buffer (readable), or NULL */
} invocation_t;

deriveCap_ret_t deriveCap(cte_t *slot, cap_t cap);
cap_t maskCapRights(seL4_CapRights_t rights, cap_t cap);
cap_t updateCapData(bool preserve, word_t data, cap_t cap);
bool sameRegionAs(cap_t a, cap_t b);
bool sameObjectAs(cap_t a, cap_t b);
finaliseCap_ret_t finaliseCap(cap_t cap, bool final, bool exposed);
void postCapDeletion(cap_t cleanupInfo);
bool isCapRevocable(cap_t derivedCap, cap_t srcCap);

/* The VM rights (VMKernelOnly, VMReadOnly, VMReadWrite) a frame cap keeps
 * after masking with `rights`: write needs read, and no read leaves none. */
word_t maskVMRights(word_t vm, seL4_CapRights_t rights);
/* Whether the 2^bBits bytes at bBase lie inside the 2^aBits bytes at aBase. */
bool regionContains(pptr_t aBase, word_t aBits, pptr_t bBase, word_t bBits);

/* log2 size of an object of `type` with user size `userBits` (64 if the
 * type does not exist); `userBits` matters for CNodes and untypeds only. */
word_t getObjectSize(word_t type, word_t userBits);
/* Initialise an object in zeroed memory and return its original cap. */
cap_t createObject(word_t type, pptr_t region, word_t userBits, bool deviceMemory);

exception_t decodeInvocation(const invocation_t *inv);

/* A zombie stands for an object being destroyed: `ptr` is its first slot,
 * `number` how many of its slots are still to be cleared. */
#define ZOMBIE_TYPE_TCB 64
#define TCB_CNODE_NUMBER_BITS 5

static inline word_t zombieNumberBits(word_t type)
{
    return type == ZOMBIE_TYPE_TCB ? TCB_CNODE_NUMBER_BITS : type + 1;
}

static inline cap_t zombieNew(word_t type, cte_t *ptr, word_t number)
{
    return cap_zombie_cap_new((word_t)ptr | number, type);
}

static inline cte_t *zombiePtr(cap_t cap)
{
    word_t type = cap_zombie_cap_get_capZombieType(cap);
    return (cte_t *)(cap_zombie_cap_get_capZombieID(cap) & ~MASK(zombieNumberBits(type)));
}

static inline word_t zombieNumber(cap_t cap)
{
    word_t type = cap_zombie_cap_get_capZombieType(cap);
    return cap_zombie_cap_get_capZombieID(cap) & MASK(zombieNumberBits(type));
}

static inline cap_t zombieSetNumber(cap_t cap, word_t n)
{
    return zombieNew(cap_zombie_cap_get_capZombieType(cap), zombiePtr(cap), n);
}
