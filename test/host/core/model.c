/*
 * Reference model (see model.h). Written from the ABI's description of
 * CSpace addressing, the CNode methods, Untyped_Retype and cap deletion;
 * it shares no code with the kernel, only the generated label and object
 * type numbers and the error numbers of libsel4.
 */
#include "model.h"

#include <autoconf.h>
#include <api/invocation_gen.h>
#include <sel4/errors.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ABI sizes (log2 bytes). */
enum {
    SLOT_BITS = 5,
    TCB_BITS = 11,
    EP_BITS = 4,
    NTFN_BITS = 5,
    PAGE_BITS = 12,
    LARGE_PAGE_BITS = 21,
    HUGE_PAGE_BITS = 30,
    MIN_UNTYPED_BITS = 4,
    MAX_UNTYPED_BITS = 47,
    WORD_BITS = 64,
};

/* Lookup failure kinds (the first word of a lookup failure description). */
enum { LF_INVALID_ROOT = 1, LF_MISSING_CAP = 2, LF_DEPTH_MISMATCH = 3, LF_GUARD_MISMATCH = 4 };

typedef struct {
    int type;
    mword_t bitsLeft, bitsFound, guardFound;
} mfault_t;

/* ---- Small helpers ---- */

static void fail(model_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(model_t *m, const char *fmt, ...)
{
    if (m->failure[0]) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->failure, sizeof(m->failure), fmt, ap);
    va_end(ap);
}

static void *grow(void *p, int *cap, int need, size_t elem)
{
    if (need <= *cap) {
        return p;
    }
    int n = *cap ? *cap : 16;
    while (n < need) {
        n *= 2;
    }
    p = realloc(p, (size_t)n * elem);
    if (!p) {
        fprintf(stderr, "model: out of memory\n");
        exit(2);
    }
    *cap = n;
    return p;
}

static mword_t mask64(unsigned bits)
{
    return bits >= 64 ? ~(mword_t)0 : (((mword_t)1 << bits) - 1);
}

/* Bits [n-1 .. n-count] of w. */
static mword_t topBits(mword_t w, mword_t n, mword_t count)
{
    return (w >> (n - count)) & mask64((unsigned)count);
}

static mword_t roundUp(mword_t x, unsigned bits)
{
    return (x + mask64(bits)) & ~mask64(bits);
}

#define N(id) (m->nodes[(id)])
#define O(id) (m->objs[(id)])
#define S(id) (m->slots[(id)])

/* ---- Objects, slots, nodes ---- */

void model_init(model_t *m)
{
    memset(m, 0, sizeof(*m));
    m->rootTCB = m->rootCNode = -1;
}

void model_free(model_t *m)
{
    for (int i = 0; i < m->nnodes; i++) {
        free(m->nodes[i].children);
    }
    free(m->nodes);
    free(m->objs);
    free(m->slots);
    free(m->freeNodes);
    memset(m, 0, sizeof(*m));
}

static int newObject(model_t *m, int type, mword_t base, unsigned bits, int nslots)
{
    m->objs = grow(m->objs, &m->cobjs, m->nobjs + 1, sizeof(mobj_t));
    int id = m->nobjs++;
    mobj_t *o = &O(id);
    memset(o, 0, sizeof(*o));
    o->type = type;
    o->base = base;
    o->bits = bits;
    o->firstSlot = -1;
    if (nslots > 0) {
        m->slots = grow(m->slots, &m->cslots, m->nslots + nslots, sizeof(mslot_t));
        o->firstSlot = m->nslots;
        o->nslots = nslots;
        for (int i = 0; i < nslots; i++) {
            m->slots[m->nslots + i] = (mslot_t){ id, i, -1 };
        }
        m->nslots += nslots;
    }
    return id;
}

int model_add_tcb(model_t *m, mword_t base, bool boot)
{
    int id = newObject(m, MC_TCB, base, TCB_BITS, M_TCB_SLOTS);
    O(id).boot = boot;
    return id;
}

int model_add_cnode(model_t *m, mword_t base, unsigned radix, bool boot)
{
    int id = newObject(m, MC_CNODE, base, radix + SLOT_BITS, 1 << radix);
    O(id).radix = radix;
    O(id).boot = boot;
    return id;
}

int model_slot(const model_t *m, int obj, int index)
{
    return m->objs[obj].firstSlot + index;
}

mword_t model_slot_addr(const model_t *m, int slot)
{
    const mslot_t *s = &m->slots[slot];
    return m->objs[s->obj].base + ((mword_t)s->index << SLOT_BITS);
}

static const mcap_t nullCap = { .type = MC_NULL, .obj = -1 };

mcap_t model_slot_cap(const model_t *m, int slot)
{
    int n = m->slots[slot].node;
    return n < 0 ? nullCap : m->nodes[n].cap;
}

const mnode_t *model_slot_node(const model_t *m, int slot)
{
    int n = m->slots[slot].node;
    return n < 0 ? NULL : &m->nodes[n];
}

mword_t model_object_end(const mobj_t *o)
{
    return o->base + ((mword_t)1 << o->bits);
}

int model_live_caps(const model_t *m)
{
    return m->nnodes - m->nfree;
}

static bool counted(mcap_t c)
{
    return c.type != MC_NULL && c.type != MC_UNTYPED && c.type != MC_ZOMBIE && c.obj >= 0;
}

static int newNode(model_t *m, mcap_t cap, bool original, int slot)
{
    int id;
    if (m->nfree > 0) {
        id = m->freeNodes[--m->nfree];
    } else {
        m->nodes = grow(m->nodes, &m->cnodes, m->nnodes + 1, sizeof(mnode_t));
        id = m->nnodes++;
        N(id).children = NULL;
        N(id).cchildren = 0;
    }
    N(id).cap = cap;
    N(id).original = original;
    N(id).parent = -1;
    N(id).slot = slot;
    N(id).nchildren = 0;
    N(id).live = true;
    S(slot).node = id;
    if (counted(cap)) {
        O(cap.obj).ncaps++;
    }
    return id;
}

static void childInsert(model_t *m, int parent, int pos, int child)
{
    mnode_t *p = &N(parent);
    p->children = grow(p->children, &p->cchildren, p->nchildren + 1, sizeof(int));
    memmove(&p->children[pos + 1], &p->children[pos], (size_t)(p->nchildren - pos) * sizeof(int));
    p->children[pos] = child;
    p->nchildren++;
    N(child).parent = parent;
}

static int childIndex(model_t *m, int parent, int child)
{
    for (int i = 0; i < N(parent).nchildren; i++) {
        if (N(parent).children[i] == child) {
            return i;
        }
    }
    fail(m, "node %d is not a child of %d", child, parent);
    return 0;
}

/* Unlink a node: its children take its place in its parent's list. */
static void treeRemove(model_t *m, int id)
{
    int parent = N(id).parent;
    if (parent >= 0) {
        int pos = childIndex(m, parent, id);
        mnode_t *p = &N(parent);
        int k = N(id).nchildren;
        p->children = grow(p->children, &p->cchildren, p->nchildren - 1 + k, sizeof(int));
        memmove(&p->children[pos + k], &p->children[pos + 1],
                (size_t)(p->nchildren - pos - 1) * sizeof(int));
        for (int i = 0; i < k; i++) {
            p->children[pos + i] = N(id).children[i];
        }
        p->nchildren += k - 1;
    }
    for (int i = 0; i < N(id).nchildren; i++) {
        N(N(id).children[i]).parent = parent;
    }
    N(id).nchildren = 0;
    N(id).parent = -1;
}

static void freeNode(model_t *m, int id)
{
    N(id).live = false;
    m->freeNodes = grow(m->freeNodes, &m->cfree, m->nfree + 1, sizeof(int));
    m->freeNodes[m->nfree++] = id;
}

void model_insert_root(model_t *m, int slot, mcap_t cap)
{
    if (S(slot).node >= 0) {
        fail(m, "insert_root into a full slot");
        return;
    }
    newNode(m, cap, true, slot);
}

/* ---- Cap properties ---- */

static bool isPhysical(mcap_t c)
{
    return c.type != MC_NULL;
}

bool model_cap_region(const model_t *m, mcap_t c, mword_t *base, unsigned *bits)
{
    if (c.type == MC_UNTYPED) {
        *base = c.base;
        *bits = c.bits;
        return true;
    }
    if (!isPhysical(c) || c.obj < 0) {
        return false;
    }
    *base = m->objs[c.obj].base;
    *bits = m->objs[c.obj].bits;
    return true;
}

static bool sameRegion(const model_t *m, mcap_t a, mcap_t b)
{
    mword_t ab, bb;
    unsigned as, bs;
    switch (a.type) {
    case MC_UNTYPED:
        if (!model_cap_region(m, b, &bb, &bs)) {
            return false;
        }
        return a.base <= bb && bb + mask64(bs) <= a.base + mask64(a.bits);
    case MC_FRAME:
        if (b.type != MC_FRAME) {
            return false;
        }
        model_cap_region(m, a, &ab, &as);
        model_cap_region(m, b, &bb, &bs);
        return ab <= bb && bb + mask64(bs) <= ab + mask64(as);
    case MC_NULL:
    case MC_ZOMBIE:
        return false;
    default:
        return a.type == b.type && a.obj == b.obj;
    }
}

static bool isCapRevocable(mcap_t derived, mcap_t src)
{
    switch (derived.type) {
    case MC_EP:
    case MC_NTFN:
        return derived.badge != src.badge;
    case MC_UNTYPED:
        return true;
    default:
        return false;
    }
}

/* Would a cap made from the cap of `src` be its child in the derivation tree? */
static bool becomesChild(const model_t *m, int src, mcap_t newCap, bool newOriginal)
{
    const mnode_t *s = &m->nodes[src];
    if (!s->original || !sameRegion(m, s->cap, newCap)) {
        return false;
    }
    if ((s->cap.type == MC_EP || s->cap.type == MC_NTFN) && s->cap.badge != 0) {
        return newCap.badge == s->cap.badge && !newOriginal;
    }
    return true;
}

static mcap_t maskRights(mword_t rights, mcap_t c)
{
    switch (c.type) {
    case MC_EP:
        c.rights &= (unsigned)(rights & 0xf);
        break;
    case MC_NTFN:
        c.rights &= (unsigned)(rights & (MR_WRITE | MR_READ));
        break;
    case MC_FRAME: {
        bool r = rights & MR_READ, w = rights & MR_WRITE;
        if (r && c.rights == MVM_READ_WRITE) {
            c.rights = w ? MVM_READ_WRITE : MVM_READ_ONLY;
        } else if (r && c.rights == MVM_READ_ONLY) {
            c.rights = MVM_READ_ONLY;
        } else {
            c.rights = MVM_KERNEL_ONLY;
        }
        break;
    }
    default:
        break;
    }
    return c;
}

/* Badge (Mint) or guard (Mint, Mutate, Rotate) data; a null cap if refused. */
static mcap_t updateData(const model_t *m, bool preserve, mword_t data, mcap_t c)
{
    switch (c.type) {
    case MC_EP:
    case MC_NTFN:
        if (preserve || c.badge != 0) {
            return nullCap;
        }
        c.badge = data;
        return c;
    case MC_CNODE: {
        unsigned gs = (unsigned)(data & 63);
        if (gs + m->objs[c.obj].radix > WORD_BITS) {
            return nullCap;
        }
        c.guardSize = gs;
        c.guard = (data >> 6) & mask64(gs);
        return c;
    }
    default:
        return c;
    }
}

/* ---- Results ---- */

static mresult_t ok(void)
{
    return (mresult_t){ .kind = MRES_OK };
}

static mresult_t err(int e)
{
    return (mresult_t){ .kind = MRES_ERROR, .error = e };
}

static mresult_t err2(int e, mword_t a, mword_t b, int nwords)
{
    mresult_t r = err(e);
    r.nwords = nwords;
    r.words[0] = a;
    r.words[1] = b;
    return r;
}

static mresult_t errLookup(bool source, mfault_t f)
{
    mresult_t r = err(seL4_FailedLookup);
    r.words[r.nwords++] = source;
    r.words[r.nwords++] = (mword_t)f.type;
    switch (f.type) {
    case LF_MISSING_CAP:
        r.words[r.nwords++] = f.bitsLeft;
        break;
    case LF_DEPTH_MISMATCH:
        r.words[r.nwords++] = f.bitsLeft;
        r.words[r.nwords++] = f.bitsFound;
        break;
    case LF_GUARD_MISMATCH:
        r.words[r.nwords++] = f.bitsLeft;
        r.words[r.nwords++] = f.guardFound;
        r.words[r.nwords++] = f.bitsFound;
        break;
    default:
        break;
    }
    return r;
}

/* ---- CSpace addressing ---- */

typedef struct {
    bool ok;
    int slot;
    mword_t bitsRemaining;
    mfault_t fault;
} mresolve_t;

/* `trail` (if not NULL) receives the slots the lookup passes through. */
static mresolve_t resolveTrail(const model_t *m, mcap_t node, mword_t cptr, mword_t n, int *trail,
                               int *ntrail)
{
    mresolve_t r = { 0 };
    if (node.type != MC_CNODE) {
        r.fault.type = LF_INVALID_ROOT;
        return r;
    }
    for (;;) {
        mword_t radix = m->objs[node.obj].radix, gs = node.guardSize;
        if (gs > n || (gs > 0 && topBits(cptr, n, gs) != node.guard)) {
            r.fault = (mfault_t){ LF_GUARD_MISMATCH, n, gs, node.guard };
            return r;
        }
        if (gs + radix > n) {
            r.fault = (mfault_t){ LF_DEPTH_MISMATCH, n, gs + radix, 0 };
            return r;
        }
        mword_t index = radix ? topBits(cptr, n - gs, radix) : 0;
        r.slot = model_slot(m, node.obj, (int)index);
        if (trail) {
            trail[(*ntrail)++] = r.slot;
        }
        n -= gs + radix;
        mcap_t next = model_slot_cap(m, r.slot);
        if (n == 0 || next.type != MC_CNODE) {
            r.ok = true;
            r.bitsRemaining = n;
            return r;
        }
        node = next;
    }
}

static mresolve_t resolve(const model_t *m, mcap_t node, mword_t cptr, mword_t n)
{
    return resolveTrail(m, node, cptr, n, NULL, NULL);
}

typedef struct {
    bool ok;
    int slot;
    mresult_t error;
} mlookup_t;

static mlookup_t lookupForCNodeOp(const model_t *m, bool source, mcap_t root, mword_t cptr,
                                  mword_t depth)
{
    mlookup_t l = { 0 };
    if (root.type != MC_CNODE) {
        l.error = errLookup(source, (mfault_t){ LF_INVALID_ROOT, 0, 0, 0 });
        return l;
    }
    if (depth < 1 || depth > WORD_BITS) {
        l.error = err2(seL4_RangeError, 1, WORD_BITS, 2);
        return l;
    }
    mresolve_t r = resolve(m, root, cptr, depth);
    if (!r.ok) {
        l.error = errLookup(source, r.fault);
        return l;
    }
    if (r.bitsRemaining != 0) {
        l.error = errLookup(source, (mfault_t){ LF_DEPTH_MISMATCH, r.bitsRemaining, 0, 0 });
        return l;
    }
    l.ok = true;
    l.slot = r.slot;
    return l;
}

/* The current thread's lookups: all 64 bits from its CSpace root. */
static bool lookupThreadSlot(const model_t *m, mword_t cptr, int *slot)
{
    mcap_t root = model_slot_cap(m, model_slot(m, m->rootTCB, 0));
    mresolve_t r = resolve(m, root, cptr, WORD_BITS);
    *slot = r.slot;
    return r.ok;
}

/* ---- Derivation tree operations ---- */

void model_insert(model_t *m, int src, int dst, mcap_t cap)
{
    int sn = S(src).node;
    if (sn < 0 || S(dst).node >= 0) {
        fail(m, "model_insert: source empty or destination full");
        return;
    }
    bool original = isCapRevocable(cap, N(sn).cap);
    bool child = becomesChild(m, sn, cap, original);
    /* A copy of an untyped takes over its memory: the source allocates no more. */
    if (N(sn).cap.type == MC_UNTYPED) {
        N(sn).cap.wm = (mword_t)1 << N(sn).cap.bits;
    }
    int id = newNode(m, cap, original, dst);
    if (child) {
        childInsert(m, sn, 0, id);
    } else {
        if (N(sn).nchildren > 0) {
            fail(m, "model_insert: a sibling copy of a cap with children");
        }
        int parent = N(sn).parent;
        if (parent >= 0) {
            childInsert(m, parent, childIndex(m, parent, sn) + 1, id);
        }
    }
}

static void moveSlot(model_t *m, mcap_t cap, int src, int dst)
{
    int id = S(src).node;
    if (id < 0 || S(dst).node >= 0) {
        fail(m, "move: source empty or destination full");
        return;
    }
    N(id).cap = cap;
    N(id).slot = dst;
    S(dst).node = id;
    S(src).node = -1;
}

/* Exchange two slots: the cap in slot1 becomes cap1 and moves, with its
 * place in the derivation tree, to slot2; the cap in slot2 becomes cap2
 * and moves to slot1. */
static void swapSlots(model_t *m, mcap_t cap1, int slot1, mcap_t cap2, int slot2)
{
    int n1 = S(slot1).node, n2 = S(slot2).node;
    if (n1 >= 0) {
        N(n1).cap = cap1;
        N(n1).slot = slot2;
    }
    if (n2 >= 0) {
        N(n2).cap = cap2;
        N(n2).slot = slot1;
    }
    S(slot1).node = n2;
    S(slot2).node = n1;
}

/* ---- Deletion ---- */

static bool isFinal(const model_t *m, mcap_t c)
{
    return !counted(c) || m->objs[c.obj].ncaps == 1;
}

static mcap_t zombieFor(int obj, mword_t n)
{
    mcap_t z = nullCap;
    z.type = MC_ZOMBIE;
    z.obj = obj;
    z.znum = n;
    return z;
}

/* What is left of a cap once its object has been told it is going. */
static mcap_t finaliseCap(model_t *m, mcap_t c, bool final)
{
    switch (c.type) {
    case MC_CNODE:
        if (!final) {
            return nullCap;
        }
        O(c.obj).finalised = true;
        return zombieFor(c.obj, (mword_t)O(c.obj).nslots);
    case MC_TCB:
        if (!final) {
            return nullCap;
        }
        O(c.obj).finalised = true; /* suspended, out of the debug list */
        return zombieFor(c.obj, M_TCB_SLOTS);
    case MC_ZOMBIE:
        return c;
    case MC_UNTYPED:
    case MC_NULL:
        return nullCap;
    default:
        if (final) {
            O(c.obj).finalised = true;
        }
        return nullCap;
    }
}

static bool removable(const model_t *m, mcap_t rem, int slot)
{
    if (rem.type == MC_NULL) {
        return true;
    }
    return rem.znum == 0 || (rem.znum == 1 && m->objs[rem.obj].firstSlot == slot);
}

static bool cyclicZombie(const model_t *m, mcap_t rem, int slot)
{
    return rem.type == MC_ZOMBIE && m->objs[rem.obj].firstSlot == slot;
}

static void setCap(model_t *m, int id, mcap_t c)
{
    if (counted(N(id).cap)) {
        O(N(id).cap.obj).ncaps--;
    }
    N(id).cap = c;
    if (counted(c)) {
        O(c.obj).ncaps++;
    }
}

static void emptySlot(model_t *m, int slot)
{
    int id = S(slot).node;
    if (id < 0) {
        return;
    }
    mcap_t c = N(id).cap;
    setCap(m, id, nullCap);
    treeRemove(m, id);
    S(slot).node = -1;
    freeNode(m, id);
    m->stats.deleted++;
    if (c.type == MC_ZOMBIE) {
        mobj_t *o = &O(c.obj);
        o->destroyed = true;
        if (o->type == MC_CNODE) {
            m->stats.cnodesDestroyed++;
        } else {
            m->stats.tcbsDestroyed++;
        }
        for (int i = 0; i < o->nslots; i++) {
            if (S(o->firstSlot + i).node >= 0) {
                fail(m, "object %d destroyed with slot %d still full", c.obj, i);
            }
        }
    }
}

static void cteDelete(model_t *m, int slot, bool exposed);

static void reduceZombie(model_t *m, int slot, bool immediate)
{
    mcap_t z = N(S(slot).node).cap;
    int first = O(z.obj).firstSlot;
    if (!immediate) {
        if (first == slot) {
            fail(m, "reduceZombie: non-immediate reduction of a cyclic zombie");
            return;
        }
        swapSlots(m, model_slot_cap(m, first), first, z, slot);
        m->swaps++;
        m->stats.swaps++;
        return;
    }
    cteDelete(m, first + (int)z.znum - 1, false);
    int now = S(slot).node;
    if (now >= 0 && N(now).cap.type == MC_ZOMBIE && N(now).cap.obj == z.obj &&
        N(now).cap.znum == z.znum) {
        N(now).cap.znum = z.znum - 1;
    } else if (now >= 0 && !(N(now).cap.type == MC_ZOMBIE && O(N(now).cap.obj).firstSlot == slot)) {
        fail(m, "reduceZombie: unexpected cap left in the zombie's slot");
    }
}

/* True if the slot may be emptied (false: a cyclic zombie stays). */
static bool finaliseSlot(model_t *m, int slot, bool immediate)
{
    for (int guard = 0; S(slot).node >= 0; guard++) {
        if (guard > 10000000 || m->failure[0]) {
            fail(m, "finaliseSlot does not terminate");
            return false;
        }
        int id = S(slot).node;
        mcap_t c = N(id).cap;
        mcap_t rem = finaliseCap(m, c, isFinal(m, c));
        if (removable(m, rem, slot)) {
            return true;
        }
        if (N(id).nchildren > 0) {
            fail(m, "a cap with children became a zombie");
        }
        if (c.type != MC_ZOMBIE) {
            m->stats.zombies++;
        }
        setCap(m, id, rem);
        if (!immediate && cyclicZombie(m, rem, slot)) {
            return false;
        }
        reduceZombie(m, slot, immediate);
    }
    return true;
}

static void cteDelete(model_t *m, int slot, bool exposed)
{
    bool success = finaliseSlot(m, slot, exposed);
    if (exposed || success) {
        emptySlot(m, slot);
    }
}

static void revoke(model_t *m, int slot)
{
    int target = S(slot).node;
    for (;;) {
        int id = S(slot).node;
        if (id != target) {
            m->revokeTargetLost = true;
            m->restartSensitive = true;
        }
        if (id < 0 || N(id).nchildren == 0 || m->failure[0]) {
            break;
        }
        cteDelete(m, N(N(id).children[0]).slot, true);
    }
}

/* ---- Untyped_Retype ---- */

static int capTypeOf(mword_t type)
{
    switch (type) {
    case seL4_UntypedObject:
        return MC_UNTYPED;
    case seL4_TCBObject:
        return MC_TCB;
    case seL4_EndpointObject:
        return MC_EP;
    case seL4_NotificationObject:
        return MC_NTFN;
    case seL4_CapTableObject:
        return MC_CNODE;
    case seL4_X86_4K:
    case seL4_X86_LargePageObject:
    case seL4_X64_HugePageObject:
        return MC_FRAME;
    case seL4_X86_PageTableObject:
        return MC_PT;
    case seL4_X86_PageDirectoryObject:
        return MC_PD;
    case seL4_X86_PDPTObject:
        return MC_PDPT;
    case seL4_X64_PML4Object:
        return MC_PML4;
    default:
        return MC_NULL;
    }
}

static mword_t objectBits(mword_t type, mword_t userBits)
{
    switch (type) {
    case seL4_UntypedObject:
        return userBits;
    case seL4_TCBObject:
        return TCB_BITS;
    case seL4_EndpointObject:
        return EP_BITS;
    case seL4_NotificationObject:
        return NTFN_BITS;
    case seL4_CapTableObject:
        return userBits + SLOT_BITS;
    case seL4_X86_LargePageObject:
        return LARGE_PAGE_BITS;
    case seL4_X64_HugePageObject:
        return HUGE_PAGE_BITS;
    default:
        return PAGE_BITS;
    }
}

static mcap_t createObject(model_t *m, mword_t type, mword_t addr, mword_t userBits, bool device)
{
    mcap_t c = nullCap;
    c.type = capTypeOf(type);
    if (c.type == MC_UNTYPED) {
        c.base = addr;
        c.bits = (unsigned)userBits;
        c.device = device;
        return c;
    }
    unsigned bits = (unsigned)objectBits(type, userBits);
    switch (c.type) {
    case MC_TCB:
        c.obj = model_add_tcb(m, addr, false);
        break;
    case MC_CNODE:
        c.obj = model_add_cnode(m, addr, (unsigned)userBits, false);
        break;
    default:
        c.obj = newObject(m, c.type, addr, bits, 0);
        break;
    }
    switch (c.type) {
    case MC_EP:
        c.rights = MR_WRITE | MR_READ | MR_GRANT | MR_GRANT_REPLY;
        break;
    case MC_NTFN:
        c.rights = MR_WRITE | MR_READ;
        break;
    case MC_FRAME:
        c.rights = MVM_READ_WRITE;
        O(c.obj).frameSize = type == seL4_X86_4K ? 0 : type == seL4_X86_LargePageObject ? 1 : 2;
        O(c.obj).device = device;
        break;
    default:
        break;
    }
    return c;
}

static bool isFrameType(mword_t type)
{
    return type == seL4_X86_4K || type == seL4_X86_LargePageObject ||
           type == seL4_X64_HugePageObject;
}

static mresult_t decodeRetype(model_t *m, const minv_t *inv, int utSlot, const int *extra)
{
    if (inv->label != UntypedRetype) {
        return err(seL4_IllegalOperation);
    }
    if (inv->length < 6 || inv->nextra < 1) {
        return err(seL4_TruncatedMessage);
    }
    mword_t type = inv->mr[0], userBits = inv->mr[1], nodeIndex = inv->mr[2];
    mword_t nodeDepth = inv->mr[3], nodeOffset = inv->mr[4], count = inv->mr[5];
    if (type >= seL4_ObjectTypeCount) {
        return err2(seL4_InvalidArgument, 0, 0, 1);
    }
    mword_t objBits = userBits < WORD_BITS ? objectBits(type, userBits) : WORD_BITS;
    if (userBits >= WORD_BITS || objBits > MAX_UNTYPED_BITS) {
        return err2(seL4_RangeError, 0, MAX_UNTYPED_BITS, 2);
    }
    if (type == seL4_CapTableObject && userBits == 0) {
        return err2(seL4_InvalidArgument, 1, 0, 1);
    }
    if (type == seL4_UntypedObject && userBits < MIN_UNTYPED_BITS) {
        return err2(seL4_InvalidArgument, 1, 0, 1);
    }
    mcap_t root = model_slot_cap(m, extra[0]);
    mcap_t node = root;
    if (nodeDepth != 0) {
        mlookup_t l = lookupForCNodeOp(m, false, root, nodeIndex, nodeDepth);
        if (!l.ok) {
            return l.error;
        }
        node = model_slot_cap(m, l.slot);
    }
    if (node.type != MC_CNODE) {
        return errLookup(false, (mfault_t){ LF_MISSING_CAP, nodeDepth, 0, 0 });
    }
    mword_t nslots = (mword_t)O(node.obj).nslots;
    if (nodeOffset > nslots - 1) {
        return err2(seL4_RangeError, 0, nslots - 1, 2);
    }
    if (count < 1 || count > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        return err2(seL4_RangeError, 1, CONFIG_RETYPE_FAN_OUT_LIMIT, 2);
    }
    if (count > nslots - nodeOffset) {
        return err2(seL4_RangeError, 1, nslots - nodeOffset, 2);
    }
    int firstDest = model_slot(m, node.obj, (int)nodeOffset);
    for (mword_t i = 0; i < count; i++) {
        if (S(firstDest + (int)i).node >= 0) {
            return err(seL4_DeleteFirst);
        }
    }
    int ut = S(utSlot).node;
    mcap_t u = N(ut).cap;
    bool reset = N(ut).nchildren == 0;
    mword_t wm = reset ? 0 : u.wm;
    mword_t freeBytes = ((mword_t)1 << u.bits) - wm;
    if ((freeBytes >> objBits) < count) {
        return err2(seL4_NotEnoughMemory, freeBytes, 0, 1);
    }
    if (u.device && type != seL4_UntypedObject && !isFrameType(type)) {
        return err2(seL4_InvalidArgument, 1, 0, 1);
    }

    mword_t first = roundUp(u.base + wm, (unsigned)objBits);
    mword_t end = first + (count << objBits);
    m->touchBase = first;
    m->touchEnd = end;
    if (reset && u.wm > 0) {
        m->stats.resets++;
        /* Zeroed from the top in chunks of 2^8 bytes (or whole, if smaller). */
        mword_t size = (mword_t)1 << u.bits;
        mword_t cleared = u.bits < 8 ? size : roundUp(u.wm, 8);
        m->touchBase = u.base;
        m->touchEnd = end > u.base + cleared ? end : u.base + cleared;
    }
    N(ut).cap.wm = end - u.base;
    for (mword_t i = 0; i < count; i++) {
        mcap_t c = createObject(m, type, first + (i << objBits), userBits, u.device);
        int id = newNode(m, c, true, firstDest + (int)i);
        childInsert(m, ut, 0, id);
        m->stats.created++;
    }
    return ok();
}

/* ---- CNode methods ---- */

/* Copy, Mint, Move and Mutate: the source slot (non-empty). */
static mresult_t copySource(const model_t *m, const minv_t *inv, const int *extra, int dest,
                            int *src)
{
    if (inv->length < 4 || inv->nextra < 1) {
        return err(seL4_TruncatedMessage);
    }
    if (S(dest).node >= 0) {
        return err(seL4_DeleteFirst);
    }
    mword_t depth = inv->mr[3] & 0xff;
    mlookup_t l = lookupForCNodeOp(m, true, model_slot_cap(m, extra[0]), inv->mr[2], depth);
    if (!l.ok) {
        return l.error;
    }
    if (S(l.slot).node < 0) {
        return errLookup(true, (mfault_t){ LF_MISSING_CAP, depth, 0, 0 });
    }
    *src = l.slot;
    return ok();
}

/* deriveCap: the cap a copy gets, or an error. */
static mresult_t derive(const model_t *m, int src, mcap_t c, mcap_t *out)
{
    switch (c.type) {
    case MC_ZOMBIE:
        *out = nullCap;
        return ok();
    case MC_UNTYPED:
        if (m->nodes[m->slots[src].node].nchildren > 0) {
            return err(seL4_RevokeFirst);
        }
        break;
    case MC_PT:
    case MC_PD:
    case MC_PDPT:
    case MC_PML4:
        return err(seL4_IllegalOperation); /* unmapped: cannot be copied */
    default:
        break;
    }
    *out = c;
    return ok();
}

static mresult_t decodeCNode(model_t *m, const minv_t *inv, mcap_t invCap, const int *extra)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeSaveCaller) {
        return err(seL4_IllegalOperation);
    }
    if (inv->length < 2) {
        return err(seL4_TruncatedMessage);
    }
    mlookup_t d = lookupForCNodeOp(m, false, invCap, inv->mr[0], inv->mr[1] & 0xff);
    if (!d.ok) {
        return d.error;
    }
    int dest = d.slot, src = -1;
    mresult_t r;
    mcap_t c;

    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint: {
        r = copySource(m, inv, extra, dest, &src);
        if (r.kind != MRES_OK) {
            return r;
        }
        bool mint = inv->label == CNodeMint;
        if (inv->length < (mint ? 6u : 5u)) {
            return err(seL4_TruncatedMessage);
        }
        c = maskRights(inv->mr[4], model_slot_cap(m, src));
        if (mint) {
            c = updateData(m, false, inv->mr[5], c);
            if (c.type == MC_NULL) {
                return err(seL4_IllegalOperation);
            }
        }
        mcap_t derived;
        r = derive(m, src, c, &derived);
        if (r.kind != MRES_OK) {
            return r;
        }
        if (derived.type == MC_NULL) {
            return err(seL4_IllegalOperation);
        }
        model_insert(m, src, dest, derived);
        return ok();
    }
    case CNodeMove:
        r = copySource(m, inv, extra, dest, &src);
        if (r.kind != MRES_OK) {
            return r;
        }
        moveSlot(m, model_slot_cap(m, src), src, dest);
        return ok();
    case CNodeMutate:
        r = copySource(m, inv, extra, dest, &src);
        if (r.kind != MRES_OK) {
            return r;
        }
        if (inv->length < 5) {
            return err(seL4_TruncatedMessage);
        }
        c = updateData(m, true, inv->mr[4], model_slot_cap(m, src));
        if (c.type == MC_NULL) {
            return err(seL4_IllegalOperation);
        }
        moveSlot(m, c, src, dest);
        return ok();
    case CNodeRotate: {
        if (inv->length < 8 || inv->nextra < 2) {
            return err(seL4_TruncatedMessage);
        }
        mword_t srcDepth = inv->mr[7] & 0xff, pivotDepth = inv->mr[4] & 0xff;
        mlookup_t s = lookupForCNodeOp(m, true, model_slot_cap(m, extra[1]), inv->mr[6], srcDepth);
        if (!s.ok) {
            return s.error;
        }
        mlookup_t p =
            lookupForCNodeOp(m, true, model_slot_cap(m, extra[0]), inv->mr[3], pivotDepth);
        if (!p.ok) {
            return p.error;
        }
        if (p.slot == s.slot || p.slot == dest) {
            return err(seL4_IllegalOperation);
        }
        if (s.slot != dest && S(dest).node >= 0) {
            return err(seL4_DeleteFirst);
        }
        if (S(s.slot).node < 0) {
            return errLookup(true, (mfault_t){ LF_MISSING_CAP, srcDepth, 0, 0 });
        }
        if (S(p.slot).node < 0) {
            return errLookup(false, (mfault_t){ LF_MISSING_CAP, pivotDepth, 0, 0 });
        }
        mcap_t newSrc = updateData(m, true, inv->mr[5], model_slot_cap(m, s.slot));
        mcap_t newPivot = updateData(m, true, inv->mr[2], model_slot_cap(m, p.slot));
        if (newSrc.type == MC_NULL || newPivot.type == MC_NULL) {
            return err(seL4_IllegalOperation);
        }
        if (s.slot == dest) {
            swapSlots(m, newSrc, s.slot, newPivot, p.slot);
        } else {
            moveSlot(m, newPivot, p.slot, dest);
            moveSlot(m, newSrc, s.slot, p.slot);
        }
        return ok();
    }
    case CNodeRevoke:
        revoke(m, dest);
        return ok();
    case CNodeDelete:
        cteDelete(m, dest, true);
        return ok();
    case CNodeSaveCaller:
        if (S(dest).node >= 0) {
            return err(seL4_DeleteFirst);
        }
        return ok(); /* the caller slot is empty: nothing to save */
    default:         /* CancelBadgedSends */
        c = model_slot_cap(m, dest);
        if (c.type != MC_EP || c.rights != 0xf) {
            return err(seL4_IllegalOperation);
        }
        return ok(); /* no thread ever waits on an endpoint here */
    }
}

static mresult_t invoke(model_t *m, const minv_t *inv);

/* What a restart of `inv` would look up on the way to its target: the
 * invoked slot and the CNode caps passed through (slot and node ids). */
static uint64_t addressing(const model_t *m, const minv_t *inv)
{
    uint64_t h = 0xcbf29ce484222325ull;
    int slot, trail[64], n = 0;
    if (!lookupThreadSlot(m, inv->cptr, &slot)) {
        return 0;
    }
    mcap_t root = model_slot_cap(m, slot);
    trail[n++] = slot;
    if (root.type == MC_CNODE && inv->length >= 2) {
        mword_t depth = inv->mr[1] & 0xff;
        if (depth >= 1 && depth <= WORD_BITS) {
            mresolve_t r = resolveTrail(m, root, inv->mr[0], depth, trail, &n);
            if (r.ok && r.bitsRemaining == 0) {
                n--; /* the target itself: what it holds is the operation's business */
            }
        }
    }
    for (int i = 0; i < n; i++) {
        h = (h ^ (uint64_t)trail[i]) * 0x100000001b3ull;
        h = (h ^ (uint64_t)(m->slots[trail[i]].node + 1)) * 0x100000001b3ull;
    }
    return h;
}

mresult_t model_invoke(model_t *m, const minv_t *inv)
{
    uint64_t before = addressing(m, inv);
    mresult_t r = invoke(m, inv);
    /* A restart decodes afresh: if the operation deleted or moved a cap it
     * was addressed through, a restart finds something else. */
    if ((inv->label == CNodeRevoke || inv->label == CNodeDelete) && addressing(m, inv) != before) {
        m->restartSensitive = true;
    }
    return r;
}

static mresult_t invoke(model_t *m, const minv_t *inv)
{
    m->swaps = 0;
    m->revokeTargetLost = false;
    m->restartSensitive = false;
    m->touchBase = m->touchEnd = 0;
    int slot, extra[3] = { -1, -1, -1 };
    if (!lookupThreadSlot(m, inv->cptr, &slot)) {
        return (mresult_t){ .kind = MRES_CAPFAULT };
    }
    for (int i = 0; i < inv->nextra; i++) {
        if (!lookupThreadSlot(m, inv->extra[i], &extra[i])) {
            return (mresult_t){ .kind = MRES_CAPFAULT };
        }
    }
    mcap_t cap = model_slot_cap(m, slot);
    switch (cap.type) {
    case MC_UNTYPED:
        return decodeRetype(m, inv, slot, extra);
    case MC_CNODE:
        return decodeCNode(m, inv, cap, extra);
    case MC_NULL:
    case MC_ZOMBIE:
        return err2(seL4_InvalidCapability, 0, 0, 1);
    case MC_FRAME:
    case MC_PT:
    case MC_PD:
    case MC_PDPT:
    case MC_PML4:
        return err(seL4_IllegalOperation); /* no arch invocation on the host */
    default:
        return (mresult_t){ .kind = MRES_UNSUPPORTED };
    }
}

int model_lookup_type(const model_t *m, mword_t cptr)
{
    int slot;
    if (!lookupThreadSlot(m, cptr, &slot)) {
        return -1;
    }
    return model_slot_cap(m, slot).type;
}

/* ---- Printing ---- */

const char *model_type_name(int type)
{
    static const char *const names[MC_NTYPES] = {
        "null",  "untyped",    "endpoint",       "notification", "cnode", "thread",
        "frame", "page_table", "page_directory", "pdpt",         "pml4",  "zombie",
    };
    return type >= 0 && type < MC_NTYPES ? names[type] : "?";
}

void model_format_cap(const model_t *m, mcap_t c, char *buf, size_t size)
{
    mword_t base = 0;
    unsigned bits = 0;
    model_cap_region(m, c, &base, &bits);
    switch (c.type) {
    case MC_UNTYPED:
        snprintf(buf, size, "untyped %#lx/%u wm %#lx%s", (unsigned long)c.base, c.bits,
                 (unsigned long)c.wm, c.device ? " device" : "");
        break;
    case MC_EP:
    case MC_NTFN:
        snprintf(buf, size, "%s %#lx badge %#lx rights %#x", model_type_name(c.type),
                 (unsigned long)base, (unsigned long)c.badge, c.rights);
        break;
    case MC_CNODE:
        snprintf(buf, size, "cnode %#lx radix %u guard %#lx/%u", (unsigned long)base,
                 m->objs[c.obj].radix, (unsigned long)c.guard, c.guardSize);
        break;
    case MC_ZOMBIE:
        snprintf(buf, size, "zombie of %s %#lx, %lu left", model_type_name(m->objs[c.obj].type),
                 (unsigned long)base, (unsigned long)c.znum);
        break;
    case MC_FRAME:
        snprintf(buf, size, "frame %#lx/%u vm %u", (unsigned long)base, bits, c.rights);
        break;
    case MC_NULL:
        snprintf(buf, size, "null");
        break;
    default:
        snprintf(buf, size, "%s %#lx", model_type_name(c.type), (unsigned long)base);
        break;
    }
}
