/*
 * Reference model of capabilities, the derivation tree and untyped memory
 * for the host core tests.
 *
 * The model knows nothing of the kernel's data structures: caps are plain
 * records naming model objects, the derivation tree is explicit (a parent
 * and an ordered list of children per cap, ordered as the kernel's MDB list
 * must order them), and every untyped cap carries its watermark in bytes.
 * model_invoke() plays one invocation the way the ABI describes it
 * (checks in order, then the effect) and predicts the reply; deletion and
 * revocation follow the specified recursion (zombies, cyclic zombies,
 * non-exposed deletions moving a zombie into its object's first slot)
 * without preemption.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t mword_t;

enum mcap_type {
    MC_NULL = 0,
    MC_UNTYPED,
    MC_EP,
    MC_NTFN,
    MC_CNODE,
    MC_TCB,
    MC_FRAME,
    MC_PT,
    MC_PD,
    MC_PDPT,
    MC_PML4,
    MC_ZOMBIE,
    MC_NTYPES
};

/* Rights bits as in seL4_CapRights: write, read, grant, grant-reply. */
enum { MR_WRITE = 1, MR_READ = 2, MR_GRANT = 4, MR_GRANT_REPLY = 8 };
/* Frame VM rights as the kernel stores them. */
enum { MVM_KERNEL_ONLY = 1, MVM_READ_ONLY = 2, MVM_READ_WRITE = 3 };

#define M_TCB_SLOTS 5
#define M_ZOMBIE_TCB 64

typedef struct {
    int type;           /* enum mcap_type */
    int obj;            /* object id; -1 for null and untyped caps */
    mword_t base;       /* untyped: first byte of the region */
    unsigned bits;      /* untyped: log2 size of the region */
    mword_t wm;         /* untyped: watermark, bytes from base */
    bool device;        /* untyped */
    mword_t badge;      /* endpoint, notification */
    unsigned rights;    /* endpoint (4 bits), notification (write, read), frame (MVM_*) */
    mword_t guard;      /* cnode */
    unsigned guardSize; /* cnode */
    mword_t znum;       /* zombie: slots still to be cleared */
} mcap_t;

typedef struct {
    int type;           /* the type of cap that names it (MC_EP, MC_CNODE, ...) */
    mword_t base;       /* kernel address */
    unsigned bits;      /* log2 size */
    unsigned radix;     /* cnode */
    unsigned frameSize; /* frame: 0 = 4K, 1 = 2M, 2 = 1G */
    bool device;        /* frame */
    int firstSlot;      /* cnode, tcb: slot id of slot 0, else -1 */
    int nslots;
    int ncaps;      /* live caps naming it, zombies not counted */
    bool finalised; /* its last cap was finalised (a TCB leaves the debug list) */
    bool destroyed; /* cnode, tcb: the zombie is gone with all slots */
    bool boot;      /* made by the test set-up, not from untyped */
} mobj_t;

typedef struct {
    int obj;   /* the cnode or tcb the slot belongs to */
    int index; /* slot number within it */
    int node;  /* the cap in it, or -1 */
} mslot_t;

typedef struct {
    mcap_t cap;
    bool original; /* revocable: may have children of its own */
    int parent;    /* node id, -1 for a root of the derivation tree */
    int slot;
    int *children; /* in MDB order */
    int nchildren, cchildren;
    bool live;
} mnode_t;

/* One invocation as user level makes it. */
typedef struct {
    mword_t label;
    mword_t length; /* message words, at most 16 here */
    mword_t cptr;   /* the invoked cap */
    int nextra;     /* extra caps (CPtrs), at most 3 */
    mword_t extra[3];
    mword_t mr[16];
} minv_t;

enum mresult_kind {
    MRES_OK = 0,     /* success (empty reply) */
    MRES_ERROR,      /* error reply: error and words */
    MRES_CAPFAULT,   /* a CPtr of the syscall itself did not resolve */
    MRES_PREEMPTED,  /* (kernel side only) */
    MRES_UNSUPPORTED /* the model does not cover this invocation */
};

typedef struct {
    int kind;
    int error; /* seL4_Error */
    int nwords;
    mword_t words[8];
} mresult_t;

typedef struct {
    mobj_t *objs;
    int nobjs, cobjs;
    mslot_t *slots;
    int nslots, cslots;
    mnode_t *nodes;
    int nnodes, cnodes;
    int *freeNodes;
    int nfree, cfree;
    int rootTCB;   /* object id of the current thread */
    int rootCNode; /* object id of its CSpace root */
    /* Facts about the last model_invoke(). */
    int swaps;             /* zombies moved into their first slot */
    bool revokeTargetLost; /* the revoked slot lost its cap while revoking */
    /* Restarting this operation after a preemption may end elsewhere than
     * running it through, because a restart decodes afresh: the revoked
     * slot lost its cap, or a cap the invocation was addressed through (the
     * invoked cap, a CNode cap on the way to the target) is gone or moved. */
    bool restartSensitive;
    mword_t touchBase, touchEnd; /* memory a successful Retype may write */
    char failure[512];           /* model inconsistency, empty if none */
    struct {
        uint64_t created, deleted, zombies, swaps, resets, cnodesDestroyed, tcbsDestroyed;
    } stats; /* totals, for the test's report */
} model_t;

void model_init(model_t *m);
void model_free(model_t *m);

/* Set-up: boot objects and root caps. */
int model_add_tcb(model_t *m, mword_t base, bool boot);
int model_add_cnode(model_t *m, mword_t base, unsigned radix, bool boot);
void model_insert_root(model_t *m, int slot, mcap_t cap);
/* cteInsert semantics: `cap` (derived from the cap in src) into empty dst. */
void model_insert(model_t *m, int src, int dst, mcap_t cap);

mresult_t model_invoke(model_t *m, const minv_t *inv);
/* Type of the cap the current thread's CPtr names, or -1 if it does not resolve. */
int model_lookup_type(const model_t *m, mword_t cptr);

/* Queries. */
int model_slot(const model_t *m, int obj, int index);
mword_t model_slot_addr(const model_t *m, int slot);
mcap_t model_slot_cap(const model_t *m, int slot);
const mnode_t *model_slot_node(const model_t *m, int slot); /* NULL if empty */
mword_t model_object_end(const mobj_t *o);
int model_live_caps(const model_t *m);
/* Region of a cap (false for caps that name no memory). */
bool model_cap_region(const model_t *m, mcap_t c, mword_t *base, unsigned *bits);
const char *model_type_name(int type);
void model_format_cap(const model_t *m, mcap_t c, char *buf, size_t size);
