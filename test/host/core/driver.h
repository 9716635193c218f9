/*
 * The kernel side of the host core tests: the object arena, the current
 * thread and its root CNode, invocations made the way the syscall path
 * makes them, and the checks that compare the kernel's state with the
 * reference model and test the invariants of the capability system.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Where things are in the arena (offsets). */
#define ARENA_BITS 24
#define ROOT_TCB_OFFSET 0x0000
#define IPC_BUFFER_OFFSET 0x1000
#define ROOT_CNODE_OFFSET 0x2000
#define ROOT_CNODE_RADIX 8
#define ROOT_GUARD_BITS (64 - ROOT_CNODE_RADIX)

/* Root CNode slots of the set-up. */
enum {
    SLOT_NULL = 0,
    SLOT_SELF = 1, /* a copy of the root CNode cap (guard 56 bits, radix 8) */
    SLOT_UT_FIRST = 2,
};

typedef struct {
    unsigned bits;
    uint64_t offset; /* in the arena, aligned to the size */
    bool full;       /* handed over with the free index at the top (boot style) */
    bool device;
} ut_spec_t;

extern const ut_spec_t utSpecs[];
extern const int nUtSpecs;

typedef struct {
    uint8_t *arena;
    void *tcb;     /* tcb_t * of the current thread */
    void *cnode;   /* cte_t * of its root CNode */
    uint64_t *ipc; /* its IPC buffer */
    model_t model;
    uint64_t garbage; /* seed for the words an invocation does not use */
    bool poison;      /* keep free untyped memory ASan-poisoned during kernel calls */
    bool checkZero;   /* also check that free untyped memory is zero */
    int *beforeObjs;  /* CNodes and TCBs live before the pending operation */
    int nBefore, cBefore;
    uint64_t preemptions; /* restarts after EXCEPTION_PREEMPTED, all steps */
} env_t;

/* A fresh arena, kernel state and model with the standard set-up. */
void env_setup(env_t *e);
void env_teardown(env_t *e);

/* Make one invocation in the kernel (registers, IPC buffer, extra caps,
 * lookupCap, decodeInvocation, the reply). kind is MRES_PREEMPTED if the
 * kernel stopped at a preemption point. */
mresult_t kernel_invoke(env_t *e, const minv_t *inv);

/* Predict with the model, then run the kernel (re-running after every
 * preemption if `preempt` is set, with a pending interrupt); compare the
 * replies and the states and check every invariant. Returns false with a
 * message in `why` on the first difference. */
bool step(env_t *e, const minv_t *inv, bool preempt, mresult_t *result, char *why, size_t size);

/* Compare everything the model knows with the kernel, and check the
 * invariants (MDB list, derivation tree, regions, watermarks, TCB list). */
bool check_all(env_t *e, char *why, size_t size);
/* Only the invariants that hold in the middle of a preempted operation. */
bool check_structure(env_t *e, char *why, size_t size);

/* A digest of the kernel state, independent of the model: the current
 * thread's slots, its root CNode, all memory the untypeds cover and the
 * debug TCB list. */
uint64_t kernel_digest(env_t *e);

/* Run an invocation in the kernel alone (no model), preempted at every
 * preemption point, restarting after every preemption and checking the
 * structural invariants over the CNodes and TCBs the model knew when
 * env_freeze_objects() was called. Returns the final reply; *preemptions
 * counts the restarts. */
void env_freeze_objects(env_t *e);
bool kernel_run_preempted(env_t *e, const minv_t *inv, mresult_t *result, uint64_t *preemptions,
                          char *why, size_t size);

/* Helpers for building invocations. */
uint64_t env_slot_addr(env_t *e, int slot);
/* Kernel view of a slot: cap type tag (cap_get_capType). */
unsigned kernel_cap_type(env_t *e, int slot);
uint64_t kernel_untyped_free_index(env_t *e, int slot);

const char *result_str(mresult_t r, char *buf, size_t size);
bool results_equal(mresult_t a, mresult_t b);
