/*
 * Kernel side of the host core tests (see driver.h).
 */
#include <api/invocation.h>
#include <kernel/cspace.h>
#include <kernel/preemption.h>
#include <kernel/state.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/objecttype.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "driver.h"
#include "host_env.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) __asan_poison_memory_region((void *)(p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((void *)(p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The untyped caps of the set-up, in root CNode slots 2, 3, ...: a 4 MiB
 * boot-style one (full: the first Retype resets it), 2 MiB (room for a
 * large page), smaller ones, one below the reset chunk size, and device
 * memory. */
const ut_spec_t utSpecs[] = {
    { .bits = 22, .offset = 0x400000, .full = true },
    { .bits = 21, .offset = 0x200000 },
    { .bits = 16, .offset = 0x010000 },
    { .bits = 12, .offset = 0x020000, .full = true },
    { .bits = 7, .offset = 0x021000, .full = true },
    { .bits = 10, .offset = 0x022000 },
    { .bits = 16, .offset = 0x030000, .full = true, .device = true },
};
const int nUtSpecs = sizeof(utSpecs) / sizeof(utSpecs[0]);

/* The part of the arena the untypeds cover (for poisoning and digests). */
#define UT_SPAN_START 0x010000
#define UT_SPAN_END 0x800000

static uint8_t *arenaMem;

static uint8_t *arena(void)
{
    if (!arenaMem) {
        size_t size = (size_t)1 << ARENA_BITS;
        void *p = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            exit(2);
        }
        uintptr_t a = ((uintptr_t)p + size - 1) & ~(uintptr_t)(size - 1);
        if (a + size > ((uintptr_t)1 << 47)) {
            fprintf(stderr, "arena above the 47-bit kernel pointer range\n");
            exit(2);
        }
        arenaMem = (uint8_t *)a;
    }
    return arenaMem;
}

static tcb_t *TCB(env_t *e)
{
    return (tcb_t *)e->tcb;
}

static void resetKernelGlobals(void)
{
    ksCurThread = NULL;
    ksIdleThread = NULL;
    ksSchedulerAction = SchedulerAction_ResumeCurrentThread;
    memset(ksReadyQueues, 0, sizeof(ksReadyQueues));
    memset(ksReadyQueuesL1Bitmap, 0, sizeof(ksReadyQueuesL1Bitmap));
    memset(ksReadyQueuesL2Bitmap, 0, sizeof(ksReadyQueuesL2Bitmap));
    ksCurDomain = 0;
    ksDomainTime = 0;
    ksDebugTCBs = NULL;
    memset(&ksCurSyscallError, 0, sizeof(ksCurSyscallError));
    memset(&ksCurLookupFault, 0, sizeof(ksCurLookupFault));
    ksWorkUnitsCompleted = 0;
    memset(ksCurExtraCaps, 0, sizeof(ksCurExtraCaps));
}

static mcap_t untypedModelCap(uint64_t base, const ut_spec_t *u)
{
    mcap_t c = { .type = MC_UNTYPED, .obj = -1 };
    c.base = base;
    c.bits = u->bits;
    c.wm = u->full ? (uint64_t)1 << u->bits : 0;
    c.device = u->device;
    return c;
}

void env_setup(env_t *e)
{
    memset(e, 0, sizeof(*e));
    e->arena = arena();
    UNPOISON(e->arena, (size_t)1 << ARENA_BITS);
    memset(e->arena, 0, (size_t)1 << ARENA_BITS);
    memset(&hostEnv, 0, sizeof(hostEnv));
    resetKernelGlobals();
    e->garbage = 0x9e3779b97f4a7c15ull;

    tcb_t *t = (tcb_t *)(e->arena + ROOT_TCB_OFFSET);
    cte_t *root = (cte_t *)(e->arena + ROOT_CNODE_OFFSET);
    e->tcb = t;
    e->cnode = root;
    e->ipc = (uint64_t *)(e->arena + IPC_BUFFER_OFFSET);
    thread_state_ptr_set_tsType(&t->tcbState, ThreadState_Running);
    t->tcbPriority = seL4_MaxPrio;
    t->tcbMCP = seL4_MaxPrio;
    t->tcbTimeSlice = CONFIG_TIME_SLICE;
    setThreadName(t, "core-test");
    tcbDebugAppend(t);
    ksCurThread = t;
    hostEnv.ipcBufferThread = t;
    hostEnv.ipcBuffer = e->ipc;

    cap_t rootCap = cap_cnode_cap_new(ROOT_CNODE_RADIX, ROOT_GUARD_BITS, 0, (word_t)root);
    cteInsertRoot(rootCap, tcbSlot(t, tcbCTable));
    cteInsert(rootCap, tcbSlot(t, tcbCTable), &root[SLOT_SELF]);

    model_t *m = &e->model;
    model_init(m);
    m->rootTCB = model_add_tcb(m, (uint64_t)(uintptr_t)t, true);
    m->rootCNode = model_add_cnode(m, (uint64_t)(uintptr_t)root, ROOT_CNODE_RADIX, true);
    mcap_t rc = { .type = MC_CNODE, .obj = m->rootCNode, .guardSize = ROOT_GUARD_BITS };
    model_insert_root(m, model_slot(m, m->rootTCB, tcbCTable), rc);
    model_insert(m, model_slot(m, m->rootTCB, tcbCTable), model_slot(m, m->rootCNode, SLOT_SELF),
                 rc);

    for (int i = 0; i < nUtSpecs; i++) {
        const ut_spec_t *u = &utSpecs[i];
        uint64_t base = (uint64_t)(uintptr_t)(e->arena + u->offset);
        word_t freeIndex = u->full ? BIT(u->bits - seL4_MinUntypedBits) : 0;
        cteInsertRoot(cap_untyped_cap_new(freeIndex, u->device, u->bits, base),
                      &root[SLOT_UT_FIRST + i]);
        model_insert_root(m, model_slot(m, m->rootCNode, SLOT_UT_FIRST + i),
                          untypedModelCap(base, u));
    }
}

void env_teardown(env_t *e)
{
    UNPOISON(e->arena, (size_t)1 << ARENA_BITS);
    model_free(&e->model);
    free(e->beforeObjs);
    e->beforeObjs = NULL;
    e->nBefore = e->cBefore = 0;
}

uint64_t env_slot_addr(env_t *e, int slot)
{
    return model_slot_addr(&e->model, slot);
}

unsigned kernel_cap_type(env_t *e, int slot)
{
    return (unsigned)cap_get_capType(((cte_t *)(uintptr_t)env_slot_addr(e, slot))->cap);
}

uint64_t kernel_untyped_free_index(env_t *e, int slot)
{
    return cap_untyped_cap_get_capFreeIndex(((cte_t *)(uintptr_t)env_slot_addr(e, slot))->cap);
}

/* ---- Invocations ---- */

static uint64_t nextGarbage(env_t *e)
{
    e->garbage ^= e->garbage << 13;
    e->garbage ^= e->garbage >> 7;
    e->garbage ^= e->garbage << 17;
    return e->garbage;
}

mresult_t kernel_invoke(env_t *e, const minv_t *inv)
{
    tcb_t *t = TCB(e);
    word_t *buf = (word_t *)e->ipc;
    mresult_t r = { 0 };

    /* Words the message does not carry hold garbage the kernel must ignore. */
    for (word_t i = 0; i < n_msgRegisters; i++) {
        setRegister(t, msgRegister(i), nextGarbage(e));
    }
    for (word_t i = 1; i < 512; i++) {
        buf[i] = nextGarbage(e);
    }
    for (word_t i = 0; i < inv->length && i < 16; i++) {
        if (i < n_msgRegisters) {
            setRegister(t, msgRegister(i), inv->mr[i]);
        } else {
            buf[i + 1] = inv->mr[i];
        }
    }
    for (int i = 0; i < inv->nextra; i++) {
        buf[seL4_MsgMaxLength + 2 + i] = inv->extra[i];
    }
    seL4_MessageInfo_t info = seL4_MessageInfo_new(inv->label, 0, (word_t)inv->nextra, inv->length);
    setRegister(t, msgInfoRegister, info.words[0]);
    setRegister(t, capRegister, inv->cptr);
    thread_state_ptr_set_tsType(&t->tcbState, ThreadState_Running);
    hostEnv.threadsStopped = 0;

    /* The syscall path: the invoked cap, then the extra caps, then decode. */
    lookupCap_ret_t lu = lookupCap(t, inv->cptr);
    if (lu.status != EXCEPTION_NONE) {
        r.kind = MRES_CAPFAULT;
        return r;
    }
    for (word_t i = 0; i < seL4_MsgMaxExtraCaps; i++) {
        ksCurExtraCaps[i] = NULL;
    }
    for (word_t i = 0; i < seL4_MessageInfo_get_extraCaps(info); i++) {
        lookupSlot_ret_t ls = lookupSlot(t, buf[seL4_MsgMaxLength + 2 + i]);
        if (ls.status != EXCEPTION_NONE) {
            r.kind = MRES_CAPFAULT;
            return r;
        }
        ksCurExtraCaps[i] = ls.slot;
    }
    invocation_t k = {
        .label = seL4_MessageInfo_get_label(info),
        .length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength),
        .cptr = inv->cptr,
        .slot = lu.slot,
        .cap = lu.cap,
        .call = true,
        .block = true,
        .buffer = buf,
    };
    exception_t status = decodeInvocation(&k);
    switch (status) {
    case EXCEPTION_PREEMPTED:
        r.kind = MRES_PREEMPTED;
        return r;
    case EXCEPTION_SYSCALL_ERROR: {
        replyFromKernelError(t);
        seL4_MessageInfo_t reply = { { getRegister(t, msgInfoRegister) } };
        r.kind = MRES_ERROR;
        r.error = (int)seL4_MessageInfo_get_label(reply);
        r.nwords = (int)MIN(seL4_MessageInfo_get_length(reply), (word_t)8);
        for (int i = 0; i < r.nwords; i++) {
            r.words[i] = i < n_msgRegisters ? getRegister(t, msgRegister(i)) : buf[i + 1];
        }
        return r;
    }
    case EXCEPTION_NONE:
        if (hostEnv.threadsStopped) {
            r.kind = MRES_UNSUPPORTED;
            return r;
        }
        if (thread_state_type(t) == ThreadState_Restart) {
            replyFromKernelSuccessEmpty(t);
            setThreadState(t, ThreadState_Running);
        }
        r.kind = MRES_OK;
        return r;
    default:
        r.kind = MRES_UNSUPPORTED;
        r.error = (int)status;
        return r;
    }
}

const char *result_str(mresult_t r, char *buf, size_t size)
{
    static const char *const errs[] = { "NoError",          "InvalidArgument",  "InvalidCapability",
                                        "IllegalOperation", "RangeError",       "AlignmentError",
                                        "FailedLookup",     "TruncatedMessage", "DeleteFirst",
                                        "RevokeFirst",      "NotEnoughMemory" };
    switch (r.kind) {
    case MRES_OK:
        snprintf(buf, size, "ok");
        break;
    case MRES_CAPFAULT:
        snprintf(buf, size, "cap fault");
        break;
    case MRES_PREEMPTED:
        snprintf(buf, size, "preempted");
        break;
    case MRES_UNSUPPORTED:
        snprintf(buf, size, "unsupported (%d)", r.error);
        break;
    default: {
        int n = snprintf(buf, size, "%s",
                         r.error >= 0 && r.error <= 10 ? errs[r.error] : "unknown error");
        for (int i = 0; i < r.nwords && n > 0 && (size_t)n < size; i++) {
            n += snprintf(buf + n, size - (size_t)n, "%s%#lx", i ? "," : " [",
                          (unsigned long)r.words[i]);
        }
        if (r.nwords && n > 0 && (size_t)n < size) {
            snprintf(buf + n, size - (size_t)n, "]");
        }
        break;
    }
    }
    return buf;
}

bool results_equal(mresult_t a, mresult_t b)
{
    if (a.kind != b.kind) {
        return false;
    }
    if (a.kind != MRES_ERROR) {
        return true;
    }
    if (a.error != b.error || a.nwords != b.nwords) {
        return false;
    }
    for (int i = 0; i < a.nwords; i++) {
        if (a.words[i] != b.words[i]) {
            return false;
        }
    }
    return true;
}

/* ---- Checks ---- */

typedef struct {
    char *buf;
    size_t size;
    bool failed;
} report_t;

static bool failf(report_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failf(report_t *r, const char *fmt, ...)
{
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->buf, r->size, fmt, ap);
        va_end(ap);
        r->failed = true;
    }
    return false;
}

/* The slots the checks walk: every slot of the given CNodes and TCBs. */
typedef struct {
    cte_t *addr;
    int slot;      /* model slot id */
    int parent;    /* index (in this table) of the kernel-derived MDB parent, or -1 */
    int childPos;  /* position among that parent's children */
    int nchildren; /* kernel-derived children so far */
    bool visited;
} kslot_t;

typedef struct {
    kslot_t *s;
    int n;
    int *hash; /* open addressing: index into s, or -1 */
    int hsize;
    const model_t *m;
} kslots_t;

/* Where a walked slot is, for messages: "slot 3 of cnode 0x... (live)". */
static const char *where(const kslots_t *t, int i, char *buf, size_t size)
{
    const mslot_t *ms = &t->m->slots[t->s[i].slot];
    const mobj_t *o = &t->m->objs[ms->obj];
    char mc[128];
    model_format_cap(t->m, model_slot_cap(t->m, t->s[i].slot), mc, sizeof(mc));
    snprintf(buf, size, "%p = slot %d of %s %#lx (object %d%s%s; model: %s)", (void *)t->s[i].addr,
             ms->index, model_type_name(o->type), (unsigned long)o->base, ms->obj,
             o->finalised ? ", finalised" : "", o->destroyed ? ", destroyed" : "", mc);
    return buf;
}

static int hashFind(const kslots_t *t, const void *addr)
{
    uint64_t h = ((uint64_t)(uintptr_t)addr >> 5) * 0x9e3779b97f4a7c15ull;
    for (int i = (int)(h >> 40) & (t->hsize - 1);; i = (i + 1) & (t->hsize - 1)) {
        if (t->hash[i] < 0 || t->s[t->hash[i]].addr == addr) {
            return i;
        }
    }
}

static int kslotIndex(const kslots_t *t, const void *addr)
{
    return t->hash[hashFind(t, addr)];
}

/* The slots of the model's live CNodes and TCBs or, in the middle of a
 * preempted operation (`before`), of those live before it started. */
static void collectSlots(env_t *e, kslots_t *t, bool before)
{
    model_t *m = &e->model;
    int total = 0;
    for (int o = 0; o < m->nobjs && !before; o++) {
        if (m->objs[o].firstSlot >= 0 && !m->objs[o].destroyed) {
            total += m->objs[o].nslots;
        }
    }
    for (int i = 0; i < e->nBefore && before; i++) {
        total += m->objs[e->beforeObjs[i]].nslots;
    }
    t->m = m;
    t->s = calloc((size_t)total + 1, sizeof(kslot_t));
    t->hsize = 64;
    while (t->hsize < 2 * total) {
        t->hsize *= 2;
    }
    t->hash = malloc((size_t)t->hsize * sizeof(int));
    memset(t->hash, 0xff, (size_t)t->hsize * sizeof(int));
    t->n = 0;
    int count = before ? e->nBefore : m->nobjs;
    {
        for (int k = 0; k < count; k++) {
            int o = before ? e->beforeObjs[k] : k;
            const mobj_t *ob = &m->objs[o];
            if (ob->firstSlot < 0 || (!before && ob->destroyed)) {
                continue;
            }
            for (int i = 0; i < ob->nslots; i++) {
                cte_t *a = (cte_t *)(uintptr_t)model_slot_addr(m, ob->firstSlot + i);
                int h = hashFind(t, a);
                if (t->hash[h] >= 0) {
                    continue;
                }
                t->s[t->n] = (kslot_t){ a, ob->firstSlot + i, -1, 0, 0, false };
                t->hash[h] = t->n++;
            }
        }
    }
}

static void freeSlots(kslots_t *t)
{
    free(t->s);
    free(t->hash);
}

static bool isNull(const cte_t *c)
{
    return cap_get_capType(c->cap) == cap_null_cap;
}

/* The memory a cap names: [base, base + 2^bits). */
typedef struct {
    bool physical;
    uint64_t base;
    unsigned bits;
    int family; /* what kind of object (cap type; zombies count as what they destroy) */
} kregion_t;

static kregion_t capRegionOf(cap_t c)
{
    kregion_t r = { true, 0, 0, (int)cap_get_capType(c) };
    switch (cap_get_capType(c)) {
    case cap_untyped_cap:
        r.base = cap_untyped_cap_get_capPtr(c);
        r.bits = (unsigned)cap_untyped_cap_get_capBlockSize(c);
        break;
    case cap_endpoint_cap:
        r.base = cap_endpoint_cap_get_capEPPtr(c);
        r.bits = seL4_EndpointBits;
        break;
    case cap_notification_cap:
        r.base = cap_notification_cap_get_capNtfnPtr(c);
        r.bits = seL4_NotificationBits;
        break;
    case cap_cnode_cap:
        r.base = cap_cnode_cap_get_capCNodePtr(c);
        r.bits = (unsigned)cap_cnode_cap_get_capCNodeRadix(c) + seL4_SlotBits;
        break;
    case cap_thread_cap:
        r.base = cap_thread_cap_get_capTCBPtr(c);
        r.bits = seL4_TCBBits;
        break;
    case cap_frame_cap: {
        word_t size = cap_frame_cap_get_capFSize(c);
        r.base = cap_frame_cap_get_capFBasePtr(c);
        r.bits = size == 0 ? 12 : size == 1 ? 21 : 30;
        break;
    }
    case cap_page_table_cap:
        r.base = cap_page_table_cap_get_capPTBasePtr(c);
        r.bits = 12;
        break;
    case cap_page_directory_cap:
        r.base = cap_page_directory_cap_get_capPDBasePtr(c);
        r.bits = 12;
        break;
    case cap_pdpt_cap:
        r.base = cap_pdpt_cap_get_capPDPTBasePtr(c);
        r.bits = 12;
        break;
    case cap_pml4_cap:
        r.base = cap_pml4_cap_get_capPML4BasePtr(c);
        r.bits = 12;
        break;
    case cap_zombie_cap: {
        word_t type = cap_zombie_cap_get_capZombieType(c);
        r.base = (uint64_t)(uintptr_t)zombiePtr(c);
        r.bits = type == ZOMBIE_TYPE_TCB ? seL4_TCBBits : (unsigned)type + seL4_SlotBits;
        r.family = type == ZOMBIE_TYPE_TCB ? cap_thread_cap : cap_cnode_cap;
        break;
    }
    default:
        r.physical = false;
        break;
    }
    return r;
}

/* The checker's own reading of "b is a child of a" in the MDB list. */
static bool mdbParentOf(const cte_t *a, const cte_t *b)
{
    if (!mdb_node_get_mdbRevocable(a->cteMDBNode)) {
        return false;
    }
    word_t ta = cap_get_capType(a->cap), tb = cap_get_capType(b->cap);
    kregion_t ra = capRegionOf(a->cap), rb = capRegionOf(b->cap);
    switch (ta) {
    case cap_untyped_cap:
        return rb.physical && ra.base <= rb.base &&
               rb.base + MASK(rb.bits) <= ra.base + MASK(ra.bits);
    case cap_frame_cap:
        return tb == cap_frame_cap && ra.base <= rb.base &&
               rb.base + MASK(rb.bits) <= ra.base + MASK(ra.bits);
    case cap_endpoint_cap: {
        if (tb != ta || ra.base != rb.base) {
            return false;
        }
        word_t ba = cap_endpoint_cap_get_capEPBadge(a->cap);
        return ba == 0 || (ba == cap_endpoint_cap_get_capEPBadge(b->cap) &&
                           !mdb_node_get_mdbFirstBadged(b->cteMDBNode));
    }
    case cap_notification_cap: {
        if (tb != ta || ra.base != rb.base) {
            return false;
        }
        word_t ba = cap_notification_cap_get_capNtfnBadge(a->cap);
        return ba == 0 || (ba == cap_notification_cap_get_capNtfnBadge(b->cap) &&
                           !mdb_node_get_mdbFirstBadged(b->cteMDBNode));
    }
    case cap_null_cap:
    case cap_zombie_cap:
        return false;
    default:
        return ta == tb && ra.physical && ra.base == rb.base && ra.bits == rb.bits;
    }
}

static const char *capName(cap_t c, char *buf, size_t size)
{
    kregion_t r = capRegionOf(c);
    snprintf(buf, size, "type %lu at %#lx/%u", (unsigned long)cap_get_capType(c),
             (unsigned long)r.base, r.bits);
    return buf;
}

/* MDB list: links symmetric and within the known slots, empty slots
 * unlinked, no cycles, every cap on exactly one chain; derive the tree. */
static bool checkMDB(kslots_t *t, report_t *rep)
{
    int *stack = malloc(((size_t)t->n + 1) * sizeof(int));
    bool okAll = true;
    for (int i = 0; i < t->n && okAll; i++) {
        cte_t *c = t->s[i].addr;
        cte_t *prev = mdbPrevSlot(c), *next = mdbNextSlot(c);
        if (isNull(c)) {
            if (c->cteMDBNode.words[0] || c->cteMDBNode.words[1]) {
                char b[300];
                okAll =
                    failf(rep, "empty slot %s has a non-zero MDB node", where(t, i, b, sizeof(b)));
            }
            continue;
        }
        if (next && (kslotIndex(t, next) < 0 || isNull(next) || mdbPrevSlot(next) != c)) {
            okAll = failf(rep, "slot %p: next %p is unknown, empty or does not point back",
                          (void *)c, (void *)next);
        } else if (prev && (kslotIndex(t, prev) < 0 || isNull(prev) || mdbNextSlot(prev) != c)) {
            okAll = failf(rep, "slot %p: prev %p is unknown, empty or does not point back",
                          (void *)c, (void *)prev);
        }
    }
    for (int i = 0; i < t->n && okAll; i++) {
        cte_t *head = t->s[i].addr;
        if (isNull(head) || mdbPrevSlot(head) != NULL) {
            continue;
        }
        int depth = 0;
        for (cte_t *c = head; c && okAll; c = mdbNextSlot(c)) {
            int k = kslotIndex(t, c);
            if (t->s[k].visited) {
                okAll = failf(rep, "MDB cycle or shared node at %p", (void *)c);
                break;
            }
            t->s[k].visited = true;
            /* The runs of the ancestors still open must be a prefix of the stack. */
            int keep = 0;
            while (keep < depth && mdbParentOf(t->s[stack[keep]].addr, c)) {
                keep++;
            }
            for (int j = keep; j < depth; j++) {
                if (mdbParentOf(t->s[stack[j]].addr, c)) {
                    char b1[96], b2[96];
                    okAll = failf(rep,
                                  "derivation tree inconsistent at %p (%s): a descendant of "
                                  "%p but not of its ancestor %p (%s)",
                                  (void *)c, capName(c->cap, b1, sizeof(b1)),
                                  (void *)t->s[stack[j]].addr, (void *)t->s[stack[keep]].addr,
                                  capName(t->s[stack[keep]].addr->cap, b2, sizeof(b2)));
                    break;
                }
            }
            depth = keep;
            if (depth > 0) {
                int p = stack[depth - 1];
                t->s[k].parent = p;
                t->s[k].childPos = t->s[p].nchildren++;
            }
            stack[depth++] = k;
        }
    }
    for (int i = 0; i < t->n && okAll; i++) {
        if (!isNull(t->s[i].addr) && !t->s[i].visited) {
            okAll = failf(rep, "slot %p is on no MDB chain (a cycle without head)",
                          (void *)t->s[i].addr);
        }
    }
    free(stack);
    return okAll;
}

typedef struct {
    uint64_t base, end, wmEnd;
    int family;
    bool untyped;
    const cte_t *slot;
} reg_t;

static int regCmp(const void *pa, const void *pb)
{
    const reg_t *a = pa, *b = pb;
    if (a->base != b->base) {
        return a->base < b->base ? -1 : 1;
    }
    if (a->end != b->end) {
        return a->end > b->end ? -1 : 1;
    }
    if (a->untyped != b->untyped) {
        return a->untyped ? -1 : 1;
    }
    return 0;
}

/* No two live objects overlap; objects lie inside the untypeds that cover
 * them and below their watermarks; every region is aligned to its size. */
static bool checkRegions(kslots_t *t, report_t *rep)
{
    reg_t *regs = malloc(((size_t)t->n + 1) * sizeof(reg_t));
    int n = 0;
    for (int i = 0; i < t->n; i++) {
        cte_t *c = t->s[i].addr;
        kregion_t r = capRegionOf(c->cap);
        if (!r.physical) {
            continue;
        }
        if (r.bits >= 64 || (r.base & MASK(r.bits)) != 0) {
            free(regs);
            return failf(rep, "slot %p: region %#lx/%u is not aligned to its size", (void *)c,
                         (unsigned long)r.base, r.bits);
        }
        reg_t g = { r.base, r.base + BIT(r.bits), 0, r.family, false, c };
        if (cap_get_capType(c->cap) == cap_untyped_cap) {
            g.untyped = true;
            g.wmEnd = r.base + (cap_untyped_cap_get_capFreeIndex(c->cap) << seL4_MinUntypedBits);
            if (g.wmEnd > g.end) {
                free(regs);
                return failf(rep, "untyped at %p: free index beyond its end", (void *)c);
            }
        }
        regs[n++] = g;
    }
    qsort(regs, (size_t)n, sizeof(reg_t), regCmp);
    reg_t **stack = malloc(((size_t)n + 1) * sizeof(reg_t *));
    int depth = 0;
    bool okAll = true;
    char b1[96], b2[96];
    for (int i = 0; i < n && okAll; i++) {
        reg_t *r = &regs[i];
        while (depth > 0 && stack[depth - 1]->end <= r->base) {
            depth--;
        }
        if (depth > 0) {
            reg_t *top = stack[depth - 1];
            if (r->end > top->end) {
                okAll = failf(rep, "overlap: %s in %p and %s in %p",
                              capName(top->slot->cap, b1, sizeof(b1)), (void *)top->slot,
                              capName(r->slot->cap, b2, sizeof(b2)), (void *)r->slot);
                break;
            }
            if (!top->untyped) {
                if (r->untyped || r->base != top->base || r->end != top->end ||
                    r->family != top->family) {
                    okAll = failf(rep, "overlap: %s in %p lies inside the object of %s in %p",
                                  capName(r->slot->cap, b2, sizeof(b2)), (void *)r->slot,
                                  capName(top->slot->cap, b1, sizeof(b1)), (void *)top->slot);
                }
                continue; /* another cap to the same object */
            }
            for (int j = 0; j < depth; j++) {
                reg_t *u = stack[j];
                if (!u->untyped || (r->untyped && r->base == u->base && r->end == u->end)) {
                    continue;
                }
                if (r->end > u->wmEnd) {
                    okAll = failf(rep,
                                  "%s in %p lies above the watermark %#lx of the untyped "
                                  "in %p",
                                  capName(r->slot->cap, b2, sizeof(b2)), (void *)r->slot,
                                  (unsigned long)u->wmEnd, (void *)u->slot);
                    break;
                }
            }
        }
        stack[depth++] = r;
    }
    free(stack);
    free(regs);
    return okAll;
}

static bool checkTCBList(env_t *e, report_t *rep, bool againstModel)
{
    model_t *m = &e->model;
    int expected = 0;
    for (int o = 0; o < m->nobjs; o++) {
        if (m->objs[o].type == MC_TCB && !m->objs[o].finalised) {
            expected++;
        }
    }
    int count = 0;
    tcb_t *prev = NULL;
    for (tcb_t *t = ksDebugTCBs; t; prev = t, t = t->tcbDebugNext) {
        if (t->tcbDebugPrev != prev) {
            return failf(rep, "debug TCB list: %p does not point back to %p", (void *)t,
                         (void *)prev);
        }
        if (++count > m->nobjs + 1) {
            return failf(rep, "debug TCB list: a cycle");
        }
        if (!againstModel) {
            continue;
        }
        bool found = false;
        for (int o = 0; o < m->nobjs && !found; o++) {
            found = m->objs[o].type == MC_TCB && !m->objs[o].finalised &&
                    m->objs[o].base == (uint64_t)(uintptr_t)t;
        }
        if (!found) {
            return failf(rep, "debug TCB list holds %p, which is no live thread", (void *)t);
        }
    }
    if (againstModel && count != expected) {
        return failf(rep, "debug TCB list has %d threads, the model %d", count, expected);
    }
    return true;
}

static bool capMatches(const model_t *m, cap_t k, mcap_t c, char *why, size_t size)
{
    static const int tags[MC_NTYPES] = {
        [MC_NULL] = cap_null_cap,         [MC_UNTYPED] = cap_untyped_cap,
        [MC_EP] = cap_endpoint_cap,       [MC_NTFN] = cap_notification_cap,
        [MC_CNODE] = cap_cnode_cap,       [MC_TCB] = cap_thread_cap,
        [MC_FRAME] = cap_frame_cap,       [MC_PT] = cap_page_table_cap,
        [MC_PD] = cap_page_directory_cap, [MC_PDPT] = cap_pdpt_cap,
        [MC_PML4] = cap_pml4_cap,         [MC_ZOMBIE] = cap_zombie_cap,
    };
    if ((int)cap_get_capType(k) != tags[c.type]) {
        snprintf(why, size, "cap type %lu, expected %s", (unsigned long)cap_get_capType(k),
                 model_type_name(c.type));
        return false;
    }
    const mobj_t *o = c.obj >= 0 ? &m->objs[c.obj] : NULL;
    kregion_t r = capRegionOf(k);
    bool same = true;
    switch (c.type) {
    case MC_NULL:
        return true;
    case MC_UNTYPED:
        same = r.base == c.base && r.bits == c.bits &&
               cap_untyped_cap_get_capIsDevice(k) == c.device &&
               (cap_untyped_cap_get_capFreeIndex(k) << seL4_MinUntypedBits) == c.wm;
        break;
    case MC_EP:
        same = r.base == o->base && cap_endpoint_cap_get_capEPBadge(k) == c.badge &&
               (cap_endpoint_cap_get_capCanSend(k) | cap_endpoint_cap_get_capCanReceive(k) << 1 |
                cap_endpoint_cap_get_capCanGrant(k) << 2 |
                cap_endpoint_cap_get_capCanGrantReply(k) << 3) == c.rights;
        break;
    case MC_NTFN:
        same = r.base == o->base && cap_notification_cap_get_capNtfnBadge(k) == c.badge &&
               (cap_notification_cap_get_capNtfnCanSend(k) |
                cap_notification_cap_get_capNtfnCanReceive(k) << 1) == c.rights;
        break;
    case MC_CNODE:
        same = r.base == o->base && cap_cnode_cap_get_capCNodeRadix(k) == o->radix &&
               cap_cnode_cap_get_capCNodeGuard(k) == c.guard &&
               cap_cnode_cap_get_capCNodeGuardSize(k) == c.guardSize;
        break;
    case MC_FRAME:
        same = r.base == o->base && cap_frame_cap_get_capFSize(k) == o->frameSize &&
               cap_frame_cap_get_capFVMRights(k) == c.rights &&
               cap_frame_cap_get_capFIsDevice(k) == o->device &&
               cap_frame_cap_get_capFMapType(k) == 0 && cap_frame_cap_get_capFMappedASID(k) == 0 &&
               cap_frame_cap_get_capFMappedAddress(k) == 0;
        break;
    case MC_ZOMBIE:
        same = (uint64_t)(uintptr_t)zombiePtr(k) == o->base &&
               cap_zombie_cap_get_capZombieType(k) ==
                   (o->type == MC_TCB ? (word_t)ZOMBIE_TYPE_TCB : (word_t)o->radix) &&
               zombieNumber(k) == c.znum;
        break;
    case MC_PT:
        same = r.base == o->base && !cap_page_table_cap_get_capPTIsMapped(k);
        break;
    case MC_PD:
        same = r.base == o->base && !cap_page_directory_cap_get_capPDIsMapped(k);
        break;
    case MC_PDPT:
        same = r.base == o->base && !cap_pdpt_cap_get_capPDPTIsMapped(k);
        break;
    case MC_PML4:
        same = r.base == o->base && !cap_pml4_cap_get_capPML4IsMapped(k);
        break;
    default:
        same = r.base == o->base;
        break;
    }
    if (!same) {
        char mb[128];
        model_format_cap(m, c, mb, sizeof(mb));
        snprintf(why, size, "kernel cap words %#lx %#lx, expected %s", (unsigned long)k.words[0],
                 (unsigned long)k.words[1], mb);
    }
    return same;
}

static bool compareWithModel(env_t *e, kslots_t *t, report_t *rep)
{
    const model_t *m = &e->model;
    char why[256], mb[128];
    for (int i = 0; i < t->n; i++) {
        const cte_t *k = t->s[i].addr;
        int slot = t->s[i].slot;
        const mnode_t *nd = model_slot_node(m, slot);
        mcap_t c = model_slot_cap(m, slot);
        const mslot_t *ms = &m->slots[slot];
        if (!capMatches(m, k->cap, c, why, sizeof(why))) {
            return failf(rep, "slot %d of %s %#lx (%p): %s", ms->index,
                         model_type_name(m->objs[ms->obj].type),
                         (unsigned long)m->objs[ms->obj].base, (const void *)k, why);
        }
        if (!nd) {
            continue;
        }
        if ((bool)mdb_node_get_mdbRevocable(k->cteMDBNode) != nd->original) {
            model_format_cap(m, c, mb, sizeof(mb));
            return failf(rep, "slot %p (%s): revocable is %d, expected %d", (const void *)k, mb,
                         (int)mdb_node_get_mdbRevocable(k->cteMDBNode), nd->original);
        }
        int kp = t->s[i].parent;
        const cte_t *kparent = kp >= 0 ? t->s[kp].addr : NULL;
        const cte_t *mparent =
            nd->parent >= 0
                ? (const cte_t *)(uintptr_t)model_slot_addr(m, m->nodes[nd->parent].slot)
                : NULL;
        if (kparent != mparent) {
            model_format_cap(m, c, mb, sizeof(mb));
            return failf(rep, "slot %p (%s): MDB parent is %p, the derivation tree says %p",
                         (const void *)k, mb, (const void *)kparent, (const void *)mparent);
        }
        for (int j = 0; j < nd->nchildren; j++) {
            int cs = m->nodes[nd->children[j]].slot;
            int ki = kslotIndex(t, (void *)(uintptr_t)model_slot_addr(m, cs));
            if (ki < 0 || t->s[ki].parent != i || t->s[ki].childPos != j) {
                model_format_cap(m, c, mb, sizeof(mb));
                return failf(rep,
                             "slot %p (%s): child %d of the derivation tree is not in "
                             "that place in the MDB list",
                             (const void *)k, mb, j);
            }
        }
    }
    return true;
}

/* Free untyped memory (at or above every watermark) is zero. */
static bool checkZero(env_t *e, report_t *rep)
{
    const model_t *m = &e->model;
    for (int i = 0; i < m->nnodes; i++) {
        const mnode_t *n = &m->nodes[i];
        if (!n->live || n->cap.type != MC_UNTYPED || n->cap.device) {
            continue;
        }
        const uint64_t *p = (const uint64_t *)(uintptr_t)(n->cap.base + n->cap.wm);
        const uint64_t *end = (const uint64_t *)(uintptr_t)(n->cap.base + BIT(n->cap.bits));
        for (; p < end; p++) {
            if (*p) {
                return failf(rep, "free memory of the untyped %#lx/%u is not zero at %p",
                             (unsigned long)n->cap.base, n->cap.bits, (const void *)p);
            }
        }
    }
    return true;
}

static bool runChecks(env_t *e, bool full, char *why, size_t size)
{
    report_t rep = { why, size, false };
    kslots_t t;
    collectSlots(e, &t, !full);
    bool okAll = checkMDB(&t, &rep) && checkRegions(&t, &rep) && checkTCBList(e, &rep, full);
    if (okAll && full) {
        okAll = compareWithModel(e, &t, &rep) && (!e->checkZero || checkZero(e, &rep));
    }
    freeSlots(&t);
    return okAll;
}

bool check_all(env_t *e, char *why, size_t size)
{
    if (e->model.failure[0]) {
        snprintf(why, size, "model inconsistency: %s", e->model.failure);
        return false;
    }
    return runChecks(e, true, why, size);
}

bool check_structure(env_t *e, char *why, size_t size)
{
    return runChecks(e, false, why, size);
}

/* ---- One step ---- */

typedef struct {
    uint64_t base, end;
} range_t;

/* Free untyped memory according to the model: above each watermark. */
static int freeRanges(const model_t *m, range_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < m->nnodes && n < max; i++) {
        const mnode_t *nd = &m->nodes[i];
        if (nd->live && nd->cap.type == MC_UNTYPED) {
            out[n++] = (range_t){ nd->cap.base + nd->cap.wm, nd->cap.base + BIT(nd->cap.bits) };
        }
    }
    return n;
}

static void unpoisonAll(env_t *e)
{
    UNPOISON(e->arena + UT_SPAN_START, UT_SPAN_END - UT_SPAN_START);
}

static uint64_t rngNext(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ull;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

bool step(env_t *e, const minv_t *inv, bool preempt, mresult_t *result, char *why, size_t size)
{
    model_t *m = &e->model;
    static range_t ranges[4096];
    int nranges = e->poison ? freeRanges(m, ranges, 4096) : 0;

    /* Objects alive before the step: walked while the kernel is half-way. */
    env_freeze_objects(e);
    mresult_t expect = model_invoke(m, inv);
    if (m->failure[0]) {
        snprintf(why, size, "model inconsistency: %s", m->failure);
        return false;
    }
    if (expect.kind == MRES_UNSUPPORTED) {
        snprintf(why, size, "the model does not cover this invocation (label %lu)",
                 (unsigned long)inv->label);
        return false;
    }
    /* A restart decodes the invocation again: one that deleted the caps it
     * was addressed through (or the cap it revokes) legitimately ends
     * elsewhere when preempted; those run uninterrupted. */
    if (m->restartSensitive && !getenv("CORE_TEST_PREEMPT_ALL")) {
        preempt = false;
    }

    for (int i = 0; i < nranges; i++) {
        if (ranges[i].end > ranges[i].base) {
            POISON(ranges[i].base, ranges[i].end - ranges[i].base);
        }
    }
    if (m->touchEnd > m->touchBase) {
        UNPOISON(m->touchBase, m->touchEnd - m->touchBase);
    }

    static uint64_t seed = 12345;
    mresult_t got;
    int rounds = 0;
    for (;;) {
        if (preempt) {
            /* The first run stops at its first preemption point half of the
             * time; restarts carry on with the kernel's own count. */
            hostEnv.irqMode = HOST_IRQ_ALWAYS;
            if (rounds == 0) {
                ksWorkUnitsCompleted = rngNext(&seed) % 2
                                           ? MAX_WORK_UNITS_PER_PREEMPTION - 1
                                           : rngNext(&seed) % MAX_WORK_UNITS_PER_PREEMPTION;
            }
        } else {
            hostEnv.irqMode = HOST_IRQ_NONE;
        }
        got = kernel_invoke(e, inv);
        hostEnv.irqMode = HOST_IRQ_NONE;
        if (got.kind != MRES_PREEMPTED) {
            break;
        }
        if (!preempt) {
            unpoisonAll(e);
            snprintf(why, size, "preempted with no interrupt pending");
            return false;
        }
        if (++rounds > 1000000) {
            unpoisonAll(e);
            snprintf(why, size, "no progress after %d restarts", rounds);
            return false;
        }
        unpoisonAll(e);
        if (!check_structure(e, why, size)) {
            size_t n = strlen(why);
            snprintf(why + n, size - n, " (after %d preemptions)", rounds);
            return false;
        }
        for (int i = 0; i < nranges; i++) {
            if (ranges[i].end > ranges[i].base) {
                POISON(ranges[i].base, ranges[i].end - ranges[i].base);
            }
        }
        if (m->touchEnd > m->touchBase) {
            UNPOISON(m->touchBase, m->touchEnd - m->touchBase);
        }
    }
    e->nBefore = 0;
    e->preemptions += (uint64_t)rounds;
    unpoisonAll(e);
    if (result) {
        *result = got;
    }

    if (!results_equal(got, expect)) {
        char b1[160], b2[160];
        snprintf(why, size, "kernel replied %s, the model expects %s",
                 result_str(got, b1, sizeof(b1)), result_str(expect, b2, sizeof(b2)));
        return false;
    }
    if (!check_all(e, why, size)) {
        return false;
    }
    /* After a completed Revoke, no cap in the list after the slot is its child. */
    if (inv->label == CNodeRevoke && got.kind == MRES_OK && !m->revokeTargetLost) {
        lookupCap_ret_t lu = lookupCap(TCB(e), inv->cptr);
        lookupSlot_ret_t ls = { EXCEPTION_LOOKUP_FAULT, NULL };
        if (lu.status == EXCEPTION_NONE) {
            ls = lookupSlotForCNodeOp(false, lu.cap, inv->mr[0], inv->mr[1] & 0xff);
        }
        cte_t *next = ls.status == EXCEPTION_NONE ? mdbNextSlot(ls.slot) : NULL;
        if (next && !isNull(ls.slot) && mdbParentOf(ls.slot, next)) {
            snprintf(why, size, "after Revoke, slot %p still has the child %p", (void *)ls.slot,
                     (void *)next);
            return false;
        }
    }
    return true;
}

/* ---- Digest ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

uint64_t kernel_digest(env_t *e)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(h, TCB(e)->tcbCTable, sizeof(TCB(e)->tcbCTable));
    h = fnv(h, e->cnode, sizeof(cte_t) << ROOT_CNODE_RADIX);
    h = fnv(h, e->arena + UT_SPAN_START, UT_SPAN_END - UT_SPAN_START);
    h = fnv(h, &ksDebugTCBs, sizeof(ksDebugTCBs));
    return h;
}

void env_freeze_objects(env_t *e)
{
    model_t *m = &e->model;
    e->nBefore = 0;
    if (e->cBefore < m->nobjs) {
        e->cBefore = 2 * m->nobjs;
        e->beforeObjs = realloc(e->beforeObjs, (size_t)e->cBefore * sizeof(int));
    }
    for (int o = 0; o < m->nobjs; o++) {
        if (m->objs[o].firstSlot >= 0 && !m->objs[o].destroyed) {
            e->beforeObjs[e->nBefore++] = o;
        }
    }
}

bool kernel_run_preempted(env_t *e, const minv_t *inv, mresult_t *result, uint64_t *preemptions,
                          char *why, size_t size)
{
    *preemptions = 0;
    for (;;) {
        /* Stop at the very next preemption point, every time. */
        hostEnv.irqMode = HOST_IRQ_ALWAYS;
        ksWorkUnitsCompleted = MAX_WORK_UNITS_PER_PREEMPTION - 1;
        *result = kernel_invoke(e, inv);
        hostEnv.irqMode = HOST_IRQ_NONE;
        if (!check_structure(e, why, size)) {
            return false;
        }
        if (result->kind != MRES_PREEMPTED) {
            return true;
        }
        e->preemptions++;
        if (++*preemptions > 1000000) {
            snprintf(why, size, "no progress after %lu restarts", (unsigned long)*preemptions);
            return false;
        }
    }
}
