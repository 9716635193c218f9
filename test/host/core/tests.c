/*
 * The host core tests: directed cases with hand-written expectations, and
 * seeded random sequences of Retype, Copy, Mint, Move, Mutate, Rotate,
 * Delete and Revoke checked step by step against the reference model.
 *
 *   core_tests --list          names of all tests
 *   core_tests --run NAME      run one; prints "TEST-OK NAME" on success
 *
 * Every step (directed or random) goes through step() in driver.c: the
 * model predicts the reply, the kernel runs the invocation, the replies
 * and the complete states are compared and all invariants are checked.
 */
#include <api/invocation.h>
#include <object/structures.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver.h"
#include "host_env.h"

#define WHY_SIZE 1024

/* ---- Building invocations ---- */

static minv_t msg(mword_t label, mword_t cptr, int nextra, const mword_t *extra, int n, ...)
{
    minv_t inv;
    memset(&inv, 0, sizeof(inv));
    inv.label = label;
    inv.cptr = cptr;
    inv.nextra = nextra;
    for (int i = 0; i < nextra; i++) {
        inv.extra[i] = extra[i];
    }
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        inv.mr[i] = va_arg(ap, mword_t);
    }
    va_end(ap);
    inv.length = (mword_t)n;
    return inv;
}

#define W(x) ((mword_t)(x))

static minv_t retype(mword_t ut, mword_t type, mword_t bits, mword_t root, mword_t nodeIndex,
                     mword_t nodeDepth, mword_t offset, mword_t count)
{
    return msg(UntypedRetype, ut, 1, &root, 6, type, bits, nodeIndex, nodeDepth, offset, count);
}

static minv_t op2(mword_t label, mword_t root, mword_t index, mword_t depth)
{
    return msg(label, root, 0, NULL, 2, index, depth);
}

static minv_t copyOp(mword_t root, mword_t di, mword_t dd, mword_t srcRoot, mword_t si, mword_t sd,
                     mword_t rights)
{
    return msg(CNodeCopy, root, 1, &srcRoot, 5, di, dd, si, sd, rights);
}

static minv_t mintOp(mword_t root, mword_t di, mword_t dd, mword_t srcRoot, mword_t si, mword_t sd,
                     mword_t rights, mword_t badge)
{
    return msg(CNodeMint, root, 1, &srcRoot, 6, di, dd, si, sd, rights, badge);
}

static minv_t moveOp(mword_t root, mword_t di, mword_t dd, mword_t srcRoot, mword_t si, mword_t sd)
{
    return msg(CNodeMove, root, 1, &srcRoot, 4, di, dd, si, sd);
}

static minv_t mutateOp(mword_t root, mword_t di, mword_t dd, mword_t srcRoot, mword_t si,
                       mword_t sd, mword_t data)
{
    return msg(CNodeMutate, root, 1, &srcRoot, 5, di, dd, si, sd, data);
}

static minv_t rotateOp(mword_t root, mword_t di, mword_t dd, mword_t dBadge, mword_t pivotRoot,
                       mword_t pi, mword_t pd, mword_t pBadge, mword_t srcRoot, mword_t si,
                       mword_t sd)
{
    mword_t extra[2] = { pivotRoot, srcRoot };
    return msg(CNodeRotate, root, 2, extra, 8, di, dd, dBadge, pi, pd, pBadge, si, sd);
}

/* Root CNode slots, addressed through the self cap with all 64 bits. */
#define RS SLOT_SELF
#define D64 W(64)
#define UT(i) W(SLOT_UT_FIRST + (i))
#define ALL_RIGHTS W(0xf)
#define CNODE_DATA(guard, size) ((W(guard) << 6) | W(size))

static mresult_t res(int kind, int error, int n, ...)
{
    mresult_t r = { kind, error, n, { 0 } };
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        r.words[i] = va_arg(ap, mword_t);
    }
    va_end(ap);
    return r;
}

#define OK res(MRES_OK, 0, 0)
#define ERR(e) res(MRES_ERROR, e, 0)
#define ERRW(e, ...) res(MRES_ERROR, e, __VA_ARGS__)
/* FailedLookup words: source?, lookup failure type and its details. */
#define LF_MISSING(src, left) ERRW(seL4_FailedLookup, 3, W(src), W(2), W(left))
#define LF_DEPTH(src, left, found) ERRW(seL4_FailedLookup, 4, W(src), W(3), W(left), W(found))
#define LF_GUARD(src, left, guard, size) \
    ERRW(seL4_FailedLookup, 5, W(src), W(4), W(left), W(guard), W(size))
#define LF_ROOT(src) ERRW(seL4_FailedLookup, 2, W(src), W(1))
#define RANGE(lo, hi) ERRW(seL4_RangeError, 2, W(lo), W(hi))

/* ---- Test context ---- */

typedef struct {
    env_t env;
    char *why;
    size_t size;
    int line;
} ctx_t;

static bool expectAt(ctx_t *c, int line, minv_t inv, mresult_t want)
{
    mresult_t got;
    c->line = line;
    if (!step(&c->env, &inv, false, &got, c->why, c->size)) {
        size_t n = strlen(c->why);
        snprintf(c->why + n, c->size - n, " (line %d)", line);
        return false;
    }
    if (!results_equal(got, want)) {
        char b1[160], b2[160];
        snprintf(c->why, c->size, "line %d: kernel and model replied %s, the test expects %s", line,
                 result_str(got, b1, sizeof(b1)), result_str(want, b2, sizeof(b2)));
        return false;
    }
    return true;
}

#define EXPECT(inv, want)                      \
    do {                                       \
        if (!expectAt(c, __LINE__, inv, want)) \
            return false;                      \
    } while (0)

#define CHECK(cond, ...)                                               \
    do {                                                               \
        if (!(cond)) {                                                 \
            int n_ = snprintf(c->why, c->size, "line %d: ", __LINE__); \
            snprintf(c->why + n_, c->size - (size_t)n_, __VA_ARGS__);  \
            return false;                                              \
        }                                                              \
    } while (0)

static int rootSlot(ctx_t *c, int i)
{
    return model_slot(&c->env.model, c->env.model.rootCNode, i);
}

static unsigned ktype(ctx_t *c, int rslot)
{
    return kernel_cap_type(&c->env, rootSlot(c, rslot));
}

static uint64_t kfree(ctx_t *c, int rslot)
{
    return kernel_untyped_free_index(&c->env, rootSlot(c, rslot));
}

static mcap_t mcap(ctx_t *c, int rslot)
{
    return model_slot_cap(&c->env.model, rootSlot(c, rslot));
}

/* ---- Directed tests ---- */

static bool t_setup(ctx_t *c)
{
    if (!check_all(&c->env, c->why, c->size)) {
        return false;
    }
    CHECK(ktype(c, RS) == cap_cnode_cap, "self cap");
    CHECK(kfree(c, SLOT_UT_FIRST) == BIT(22 - 4), "boot untyped is full");
    CHECK(kfree(c, SLOT_UT_FIRST + 1) == 0, "empty untyped");
    return true;
}

static bool t_retype_types(ctx_t *c)
{
    /* 64 KiB empty untyped in root slot 4: objects go up from its base,
     * each aligned to its own size. */
    int u = SLOT_UT_FIRST + 2;
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 1), OK);
    CHECK(kfree(c, u) == 1, "free index after an endpoint: %lu", (unsigned long)kfree(c, u));
    EXPECT(retype(W(u), seL4_NotificationObject, 0, RS, 0, 0, 21, 1), OK);
    CHECK(kfree(c, u) == 4, "after a notification (aligned to 32): %lu",
          (unsigned long)kfree(c, u));
    EXPECT(retype(W(u), seL4_TCBObject, 0, RS, 0, 0, 22, 1), OK);
    CHECK(kfree(c, u) == 4096 / 16, "after a TCB (aligned to 2K)");
    EXPECT(retype(W(u), seL4_CapTableObject, 2, RS, 0, 0, 23, 2), OK);
    CHECK(kfree(c, u) == (4096 + 256) / 16, "after two 4-slot CNodes");
    EXPECT(retype(W(u), seL4_UntypedObject, 9, RS, 0, 0, 25, 1), OK);
    CHECK(kfree(c, u) == (4096 + 512 + 512) / 16, "after a 512-byte untyped");
    EXPECT(retype(W(u), seL4_X86_4K, 0, RS, 0, 0, 26, 1), OK);
    CHECK(kfree(c, u) == 12288 / 16, "after a frame (aligned to 4K)");
    EXPECT(retype(W(u), seL4_X86_PageTableObject, 0, RS, 0, 0, 27, 1), OK);
    EXPECT(retype(W(u), seL4_X86_PageDirectoryObject, 0, RS, 0, 0, 28, 1), OK);
    EXPECT(retype(W(u), seL4_X86_PDPTObject, 0, RS, 0, 0, 29, 1), OK);
    EXPECT(retype(W(u), seL4_X64_PML4Object, 0, RS, 0, 0, 30, 1), OK);
    CHECK(kfree(c, u) == 7 * 4096 / 16, "after four paging structures");
    EXPECT(retype(W(u), seL4_X86_LargePageObject, 0, RS, 0, 0, 31, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(65536 - 7 * 4096)));
    EXPECT(retype(W(u), seL4_X64_HugePageObject, 0, RS, 0, 0, 31, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(65536 - 7 * 4096)));
    CHECK(ktype(c, 20) == cap_endpoint_cap && ktype(c, 22) == cap_thread_cap &&
              ktype(c, 24) == cap_cnode_cap && ktype(c, 26) == cap_frame_cap,
          "object caps");
    /* The 2 MiB untyped takes a large page exactly. */
    EXPECT(retype(UT(1), seL4_X86_LargePageObject, 0, RS, 0, 0, 31, 1), OK);
    CHECK(kfree(c, SLOT_UT_FIRST + 1) == BIT(21 - 4), "large page fills the untyped");
    /* Boot untypeds are full: the first Retype (no children) resets them. */
    EXPECT(retype(UT(0), seL4_EndpointObject, 0, RS, 0, 0, 32, 3), OK);
    CHECK(kfree(c, SLOT_UT_FIRST) == 3, "reset, then three endpoints");
    EXPECT(retype(UT(4), seL4_NotificationObject, 0, RS, 0, 0, 35, 4), OK);
    CHECK(kfree(c, SLOT_UT_FIRST + 4) == 8, "128-byte untyped: reset whole, 4 notifications");
    EXPECT(retype(UT(4), seL4_EndpointObject, 0, RS, 0, 0, 39, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(0)));
    /* Device memory: frames and untypeds only. */
    EXPECT(retype(UT(6), seL4_EndpointObject, 0, RS, 0, 0, 40, 1),
           ERRW(seL4_InvalidArgument, 1, W(1)));
    EXPECT(retype(UT(6), seL4_X86_4K, 0, RS, 0, 0, 40, 2), OK);
    EXPECT(retype(UT(6), seL4_UntypedObject, 12, RS, 0, 0, 42, 1), OK);
    CHECK(mcap(c, 42).device, "a child of device memory is device memory");
    EXPECT(retype(W(42), seL4_TCBObject, 0, RS, 0, 0, 43, 1), ERRW(seL4_InvalidArgument, 1, W(1)));
    /* Revoking the untyped frees it for the next Retype. */
    EXPECT(op2(CNodeRevoke, RS, W(u), D64), OK);
    CHECK(kfree(c, u) == (4096 * 7) / 16, "revoke keeps the watermark until the next retype");
    EXPECT(retype(W(u), seL4_UntypedObject, 16, RS, 0, 0, 20, 1), OK);
    CHECK(kfree(c, u) == BIT(16 - 4), "reset, then one untyped of the whole size");
    return true;
}

static bool t_retype_errors(ctx_t *c)
{
    int u = SLOT_UT_FIRST + 5; /* 1 KiB, empty */
    EXPECT(msg(CNodeCopy, W(u), 0, NULL, 0), ERR(seL4_IllegalOperation));
    EXPECT(msg(UntypedRetype, W(RS), 0, NULL, 0), ERR(seL4_IllegalOperation));
    minv_t inv = retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 1);
    inv.length = 5;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    inv = retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 1);
    inv.nextra = 0;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    EXPECT(retype(W(u), seL4_ObjectTypeCount, 0, RS, 0, 0, 20, 1),
           ERRW(seL4_InvalidArgument, 1, W(0)));
    EXPECT(retype(W(u), W(1) << 40, 0, RS, 0, 0, 20, 1), ERRW(seL4_InvalidArgument, 1, W(0)));
    EXPECT(retype(W(u), seL4_EndpointObject, 64, RS, 0, 0, 20, 1), RANGE(0, 47));
    EXPECT(retype(W(u), seL4_CapTableObject, 43, RS, 0, 0, 20, 1), RANGE(0, 47));
    EXPECT(retype(W(u), seL4_UntypedObject, 48, RS, 0, 0, 20, 1), RANGE(0, 47));
    EXPECT(retype(W(u), seL4_CapTableObject, 0, RS, 0, 0, 20, 1),
           ERRW(seL4_InvalidArgument, 1, W(1)));
    EXPECT(retype(W(u), seL4_UntypedObject, 3, RS, 0, 0, 20, 1),
           ERRW(seL4_InvalidArgument, 1, W(1)));
    /* The destination CNode. */
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 65, 20, 1), RANGE(1, 64));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, D64, 20, 1), LF_MISSING(0, 64));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0x105, D64, 20, 1), LF_GUARD(0, 64, 0, 56));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 5, 10, 20, 1), LF_GUARD(0, 10, 0, 56));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, W(u), 0, 0, 20, 1), LF_MISSING(0, 0));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, W(u), 0, D64, 20, 1), LF_ROOT(0));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 256, 1), RANGE(0, 255));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 0), RANGE(1, 256));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 257), RANGE(1, 256));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 250, 10), RANGE(1, 6));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 0, 3), ERR(seL4_DeleteFirst));
    /* Memory. */
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 100, 65),
           ERRW(seL4_NotEnoughMemory, 1, W(1024)));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 100, 64), OK);
    CHECK(kfree(c, u) == 64, "1 KiB of endpoints");
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 200, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(0)));
    /* A CNode made here becomes a destination through a two-level lookup. */
    EXPECT(op2(CNodeRevoke, RS, W(u), D64), OK);
    EXPECT(retype(W(u), seL4_CapTableObject, 3, RS, 0, 0, 30, 1), OK);
    EXPECT(mintOp(RS, 31, D64, RS, 1, D64, ALL_RIGHTS, CNODE_DATA(0, 0)), OK);
    /* 31 holds the root CNode with no guard: 8 bits select slot 30, 3 more
     * select a slot in the new CNode. */
    EXPECT(retype(W(u), seL4_EndpointObject, 0, 31, (30 << 0), 8, 6, 2), OK);
    EXPECT(retype(W(u), seL4_EndpointObject, 0, 31, (30 << 0), 8, 6, 2), ERR(seL4_DeleteFirst));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, 31, (30 << 0), 8, 7, 2), RANGE(1, 1));
    EXPECT(retype(W(u), seL4_EndpointObject, 0, 31, (30 << 3) | 6, 11, 0, 1), LF_MISSING(0, 11));
    return true;
}

static bool t_cnode_errors(ctx_t *c)
{
    EXPECT(retype(UT(2), seL4_EndpointObject, 0, RS, 0, 0, 20, 1), OK);
    EXPECT(op2(UntypedRetype, RS, 20, D64), ERR(seL4_IllegalOperation));
    EXPECT(op2(W(nArchInvocationLabels), RS, 20, D64), ERR(seL4_IllegalOperation));
    EXPECT(msg(CNodeDelete, RS, 0, NULL, 1, W(20)), ERR(seL4_TruncatedMessage));
    EXPECT(op2(CNodeDelete, RS, 20, 0), RANGE(1, 64));
    EXPECT(op2(CNodeDelete, RS, 20, 65), RANGE(1, 64));
    EXPECT(op2(CNodeDelete, RS, 20, 0x100 | 63), LF_DEPTH(0, 63, 64));
    EXPECT(op2(CNodeDelete, RS, 20, 55), LF_GUARD(0, 55, 0, 56));
    EXPECT(op2(CNodeDelete, RS, 20, 0x140 | 63), RANGE(1, 64));
    EXPECT(op2(CNodeDelete, RS, W(1) << 63 | 20, D64), LF_GUARD(0, 64, 0, 56));
    EXPECT(op2(CNodeDelete, UT(2), 0, D64), ERR(seL4_IllegalOperation)); /* an untyped */
    EXPECT(op2(CNodeDelete, 0, 0, D64), ERRW(seL4_InvalidCapability, 1, W(0)));
    EXPECT(op2(CNodeDelete, 0x1000, 0, D64), res(MRES_CAPFAULT, 0, 0));
    /* Copy: message, destination, source. */
    minv_t inv = copyOp(RS, 21, D64, RS, 20, D64, ALL_RIGHTS);
    inv.length = 3;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    inv = copyOp(RS, 21, D64, RS, 20, D64, ALL_RIGHTS);
    inv.nextra = 0;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    inv = copyOp(RS, 21, D64, RS, 20, D64, ALL_RIGHTS);
    inv.length = 4;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    EXPECT(copyOp(RS, 20, D64, RS, 20, D64, ALL_RIGHTS), ERR(seL4_DeleteFirst));
    EXPECT(copyOp(RS, 21, D64, RS, 22, D64, ALL_RIGHTS), LF_MISSING(1, 64));
    EXPECT(copyOp(RS, 21, D64, RS, 20, 63, ALL_RIGHTS), LF_DEPTH(1, 63, 64));
    EXPECT(copyOp(RS, 21, D64, RS, W(1) << 62, 63, ALL_RIGHTS), LF_GUARD(1, 63, 0, 56));
    EXPECT(copyOp(RS, 21, D64, 20, 20, D64, ALL_RIGHTS), LF_ROOT(1));
    EXPECT(copyOp(RS, 21, D64, RS, 20, 0, ALL_RIGHTS), RANGE(1, 64));
    EXPECT(copyOp(RS, 21, D64, RS, 20, D64, W(MR_READ)), OK);
    CHECK(mcap(c, 21).rights == MR_READ, "copy with read only");
    /* Mint: badge once, on an unbadged cap. */
    inv = mintOp(RS, 22, D64, RS, 20, D64, ALL_RIGHTS, 7);
    inv.length = 5;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    EXPECT(mintOp(RS, 22, D64, RS, 20, D64, ALL_RIGHTS, 7), OK);
    EXPECT(mintOp(RS, 23, D64, RS, 22, D64, ALL_RIGHTS, 8), ERR(seL4_IllegalOperation));
    EXPECT(mintOp(RS, 23, D64, RS, 22, D64, ALL_RIGHTS, 0), ERR(seL4_IllegalOperation));
    /* CNode guards must fit. */
    EXPECT(mintOp(RS, 23, D64, RS, RS, D64, ALL_RIGHTS, CNODE_DATA(0, 57)),
           ERR(seL4_IllegalOperation));
    EXPECT(mintOp(RS, 23, D64, RS, RS, D64, ALL_RIGHTS, CNODE_DATA(0x1f, 56)), OK);
    /* Untyped with children and unmapped paging structures cannot be copied. */
    EXPECT(copyOp(RS, 24, D64, RS, UT(2), D64, ALL_RIGHTS), ERR(seL4_RevokeFirst));
    EXPECT(retype(UT(2), seL4_X86_PageTableObject, 0, RS, 0, 0, 25, 1), OK);
    EXPECT(copyOp(RS, 24, D64, RS, 25, D64, ALL_RIGHTS), ERR(seL4_IllegalOperation));
    /* Move and Mutate. */
    EXPECT(moveOp(RS, 26, D64, RS, 26, D64), LF_MISSING(1, 64));
    EXPECT(moveOp(RS, 26, D64, RS, 21, D64), OK);
    EXPECT(moveOp(RS, 26, D64, RS, 21, D64), ERR(seL4_DeleteFirst));
    EXPECT(mutateOp(RS, 27, D64, RS, 26, D64, 5), ERR(seL4_IllegalOperation)); /* endpoint */
    inv = mutateOp(RS, 27, D64, RS, 23, D64, 0);
    inv.length = 4;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    EXPECT(mutateOp(RS, 27, D64, RS, 23, D64, CNODE_DATA(0, 60)), ERR(seL4_IllegalOperation));
    EXPECT(mutateOp(RS, 27, D64, RS, 23, D64, CNODE_DATA(3, 2)), OK);
    CHECK(mcap(c, 27).guard == 3 && mcap(c, 27).guardSize == 2, "mutated guard");
    EXPECT(mutateOp(RS, 28, D64, RS, 25, D64, 0x1234), OK); /* no data: moved as it is */
    /* Rotate. */
    inv = rotateOp(RS, 30, D64, 0, RS, 28, D64, 0, RS, 27, D64);
    inv.nextra = 1;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    inv = rotateOp(RS, 30, D64, 0, RS, 28, D64, 0, RS, 27, D64);
    inv.length = 7;
    EXPECT(inv, ERR(seL4_TruncatedMessage));
    EXPECT(rotateOp(RS, 30, D64, 0, RS, 28, 5, 0, RS, 27, D64), LF_GUARD(1, 5, 0, 56));
    EXPECT(rotateOp(RS, 30, D64, 0, RS, 27, D64, 0, RS, 27, D64), ERR(seL4_IllegalOperation));
    EXPECT(rotateOp(RS, 28, D64, 0, RS, 28, D64, 0, RS, 27, D64), ERR(seL4_IllegalOperation));
    EXPECT(rotateOp(RS, 26, D64, 0, RS, 28, D64, 0, RS, 27, D64), ERR(seL4_DeleteFirst));
    EXPECT(rotateOp(RS, 30, D64, 0, RS, 28, D64, 0, RS, 31, D64), LF_MISSING(1, 64));
    EXPECT(rotateOp(RS, 30, D64, 0, RS, 31, D64, 0, RS, 27, D64), LF_MISSING(0, 64));
    EXPECT(rotateOp(RS, 30, D64, 0, RS, 26, D64, 0, RS, 28, D64), ERR(seL4_IllegalOperation));
    EXPECT(rotateOp(RS, 30, D64, CNODE_DATA(0, 61), RS, 27, D64, 0, RS, 28, D64),
           ERR(seL4_IllegalOperation));
    /* 28 (page table) -> 27, 27 (cnode, new guard) -> 30. */
    EXPECT(rotateOp(RS, 30, D64, CNODE_DATA(1, 1), RS, 27, D64, 0, RS, 28, D64), OK);
    CHECK(ktype(c, 30) == cap_cnode_cap && ktype(c, 27) == cap_page_table_cap &&
              ktype(c, 28) == cap_null_cap && mcap(c, 30).guardSize == 1,
          "rotate result");
    /* Rotate with source == destination swaps. */
    EXPECT(rotateOp(RS, 30, D64, CNODE_DATA(0, 0), RS, 27, D64, 0, RS, 30, D64), OK);
    CHECK(ktype(c, 30) == cap_page_table_cap && ktype(c, 27) == cap_cnode_cap &&
              mcap(c, 27).guardSize == 0,
          "swap result");
    /* SaveCaller and CancelBadgedSends. */
    EXPECT(op2(CNodeSaveCaller, RS, 20, D64), ERR(seL4_DeleteFirst));
    EXPECT(op2(CNodeSaveCaller, RS, 40, D64), OK);
    EXPECT(op2(CNodeCancelBadgedSends, RS, 20, D64), OK);
    EXPECT(op2(CNodeCancelBadgedSends, RS, 22, D64), OK);
    EXPECT(op2(CNodeCancelBadgedSends, RS, 26, D64), ERR(seL4_IllegalOperation));
    EXPECT(op2(CNodeCancelBadgedSends, RS, 27, D64), ERR(seL4_IllegalOperation));
    /* Delete and Revoke of empty slots succeed. */
    EXPECT(op2(CNodeDelete, RS, 41, D64), OK);
    EXPECT(op2(CNodeRevoke, RS, 41, D64), OK);
    return true;
}

static bool t_lookup_guards(ctx_t *c)
{
    /* Root CNode with a 4-bit guard 0xa in slot 10; a radix-3 CNode in 11;
     * a copy of it with the 2-bit guard 1 in 12. */
    EXPECT(mintOp(RS, 10, D64, RS, RS, D64, ALL_RIGHTS, CNODE_DATA(0xa, 4)), OK);
    EXPECT(retype(UT(2), seL4_CapTableObject, 3, RS, 0, 0, 11, 1), OK);
    EXPECT(mintOp(RS, 12, D64, RS, 11, D64, ALL_RIGHTS, CNODE_DATA(1, 2)), OK);
    EXPECT(retype(UT(2), seL4_EndpointObject, 0, RS, 0, 0, 13, 1), OK);
    mword_t g = 0xa << 8;
    /* One level through slot 10: 12 bits. */
    EXPECT(copyOp(10, g | 20, 12, 10, g | 13, 12, ALL_RIGHTS), OK);
    EXPECT(copyOp(10, 0xb << 8 | 21, 12, RS, 13, D64, ALL_RIGHTS), LF_GUARD(0, 12, 0xa, 4));
    EXPECT(copyOp(10, g | 21, 3, RS, 13, D64, ALL_RIGHTS), LF_GUARD(0, 3, 0xa, 4));
    EXPECT(copyOp(10, (0xa << 7) | 21, 11, RS, 13, D64, ALL_RIGHTS), LF_DEPTH(0, 11, 12));
    /* 13 more bits than the endpoint slot needs: it is no CNode. */
    EXPECT(copyOp(10, (g | 20) << 1, 13, RS, 13, D64, ALL_RIGHTS), LF_DEPTH(0, 1, 0));
    /* Two levels: slot 11 (no guard), then 3 bits. */
    EXPECT(copyOp(10, (g | 11) << 3 | 5, 15, RS, 13, D64, ALL_RIGHTS), OK);
    CHECK(model_slot_cap(&c->env.model, model_slot(&c->env.model, mcap(c, 11).obj, 5)).type ==
              MC_EP,
          "two-level copy landed in slot 5");
    EXPECT(copyOp(10, (g | 11) << 3 | 5, 15, RS, 13, D64, ALL_RIGHTS), ERR(seL4_DeleteFirst));
    /* Through slot 12: guard 01, then 3 bits. */
    EXPECT(copyOp(10, (g | 12) << 5 | 1 << 3 | 6, 17, RS, 13, D64, ALL_RIGHTS), OK);
    EXPECT(copyOp(10, (g | 12) << 5 | 2 << 3 | 6, 17, RS, 13, D64, ALL_RIGHTS),
           LF_GUARD(0, 5, 1, 2));
    EXPECT(copyOp(10, (g | 12) << 4 | 1 << 2, 16, RS, 13, D64, ALL_RIGHTS), LF_DEPTH(0, 4, 5));
    /* Depth stops exactly at the CNode cap in slot 12: that slot is full. */
    EXPECT(copyOp(10, g | 12, 12, RS, 13, D64, ALL_RIGHTS), ERR(seL4_DeleteFirst));
    /* Invoked through the radix-3 CNode itself (3 bits, no guard), and its
     * guarded copy (5 bits). */
    EXPECT(moveOp(11, 1, 3, 11, 5, 3), OK);
    EXPECT(moveOp(12, 1 << 3 | 2, 5, 12, 1 << 3 | 1, 5), OK);
    EXPECT(moveOp(12, 0, 3, 12, 1 << 3 | 1, 5), LF_GUARD(0, 3, 1, 2));
    EXPECT(moveOp(12, 2, 3, 12, 1 << 3 | 1, 5), LF_DEPTH(0, 3, 5));
    /* The depth word is 8 bits wide. */
    EXPECT(copyOp(RS, 30, 0x100 | 64, RS, 13, 0x7f00 | 64, ALL_RIGHTS), OK);
    /* A radix-1 CNode with a 63-bit guard takes all 64 bits in one level. */
    EXPECT(retype(UT(2), seL4_CapTableObject, 1, RS, 0, 0, 40, 1), OK);
    mword_t guard63 = 0x2aaaaaaaaaaaaaaull; /* the data word holds 58 guard bits */
    EXPECT(mintOp(RS, 41, D64, RS, 40, D64, ALL_RIGHTS, CNODE_DATA(guard63, 63)), OK);
    EXPECT(mintOp(RS, 42, D64, RS, 40, D64, ALL_RIGHTS, CNODE_DATA(3, 64)), OK);
    CHECK(mcap(c, 42).guardSize == 0, "only 6 bits of the guard size count");
    EXPECT(copyOp(41, guard63 << 1 | 1, D64, RS, 13, D64, ALL_RIGHTS), OK);
    EXPECT(copyOp(41, guard63 << 1 | 1, D64, RS, 13, D64, ALL_RIGHTS), ERR(seL4_DeleteFirst));
    EXPECT(copyOp(41, (guard63 ^ 1) << 1, D64, RS, 13, D64, ALL_RIGHTS),
           LF_GUARD(0, 64, guard63, 63));
    EXPECT(moveOp(RS, 43, D64, 41, guard63 << 1 | 1, D64), OK);
    return true;
}

static bool t_fan_out(ctx_t *c)
{
    /* The most objects one Retype may make, into a radix-8 CNode. */
    EXPECT(retype(UT(1), seL4_CapTableObject, 8, RS, 0, 0, 20, 1), OK);
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 20, D64, 0, 257), RANGE(1, 256));
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 20, D64, 1, 256), RANGE(1, 255));
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 20, D64, 0, 256), OK);
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 20, D64, 0, 1), ERR(seL4_DeleteFirst));
    /* Copies of all of them in a second CNode, then revoke the untyped. */
    EXPECT(retype(UT(1), seL4_CapTableObject, 8, RS, 0, 0, 21, 1), OK);
    for (int i = 0; i < 256; i += 3) {
        EXPECT(mintOp(21, W(i), 8, 20, W(i), 8, ALL_RIGHTS, W(i % 4)), OK);
    }
    EXPECT(op2(CNodeRevoke, RS, UT(1), D64), OK);
    CHECK(ktype(c, 20) == cap_null_cap && ktype(c, 21) == cap_null_cap, "revoked");
    CHECK(kfree(c, SLOT_UT_FIRST + 1) != 0, "the watermark stays until the next Retype");
    EXPECT(retype(UT(1), seL4_UntypedObject, 21, RS, 0, 0, 20, 1), OK);
    return true;
}

static bool t_mdb_badges(ctx_t *c)
{
    /* P: an endpoint; p2 a copy; Y minted (badge 5) from P; X minted
     * (badge 5) from the copy; c1 a copy of X. List: P, Y, p2, X, c1. */
    EXPECT(retype(UT(2), seL4_EndpointObject, 0, RS, 0, 0, 20, 1), OK);
    EXPECT(copyOp(RS, 21, D64, RS, 20, D64, ALL_RIGHTS), OK);
    EXPECT(mintOp(RS, 22, D64, RS, 20, D64, ALL_RIGHTS, 5), OK);
    EXPECT(mintOp(RS, 23, D64, RS, 21, D64, ALL_RIGHTS, 5), OK);
    EXPECT(copyOp(RS, 24, D64, RS, 23, D64, ALL_RIGHTS), OK);
    EXPECT(copyOp(RS, 25, D64, RS, 22, D64, ALL_RIGHTS), OK);
    /* Without p2 and X, c1 follows Y's copies but is not Y's child. */
    EXPECT(op2(CNodeDelete, RS, 21, D64), OK);
    EXPECT(op2(CNodeDelete, RS, 23, D64), OK);
    EXPECT(op2(CNodeRevoke, RS, 22, D64), OK);
    CHECK(ktype(c, 24) == cap_endpoint_cap, "revoking Y removed the copy of X");
    CHECK(ktype(c, 25) == cap_null_cap, "revoking Y kept its own copy");
    /* An unbadged original parents every badge. */
    EXPECT(mintOp(RS, 26, D64, RS, 20, D64, ALL_RIGHTS, 9), OK);
    EXPECT(copyOp(RS, 27, D64, RS, 26, D64, W(MR_WRITE)), OK);
    EXPECT(op2(CNodeRevoke, RS, 20, D64), OK);
    CHECK(ktype(c, 20) == cap_endpoint_cap && ktype(c, 22) == cap_null_cap &&
              ktype(c, 24) == cap_null_cap && ktype(c, 26) == cap_null_cap &&
              ktype(c, 27) == cap_null_cap,
          "revoking the original");
    /* Notifications behave the same. */
    EXPECT(retype(UT(2), seL4_NotificationObject, 0, RS, 0, 0, 30, 1), OK);
    EXPECT(mintOp(RS, 31, D64, RS, 30, D64, ALL_RIGHTS, 1), OK);
    EXPECT(mintOp(RS, 32, D64, RS, 30, D64, ALL_RIGHTS, 1), OK);
    EXPECT(copyOp(RS, 33, D64, RS, 31, D64, ALL_RIGHTS), OK);
    EXPECT(op2(CNodeRevoke, RS, 32, D64), OK);
    CHECK(ktype(c, 33) == cap_notification_cap, "other mint of the same badge untouched");
    EXPECT(op2(CNodeRevoke, RS, 31, D64), OK);
    CHECK(ktype(c, 33) == cap_null_cap, "own copy revoked");
    /* Revoking the untyped removes everything made from it. */
    EXPECT(op2(CNodeRevoke, RS, UT(2), D64), OK);
    CHECK(ktype(c, 20) == cap_null_cap && ktype(c, 30) == cap_null_cap, "untyped revoked");
    return true;
}

static bool t_untyped_copy(ctx_t *c)
{
    int u = SLOT_UT_FIRST + 2;
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 2), OK);
    EXPECT(copyOp(RS, 30, D64, RS, W(u), D64, ALL_RIGHTS), ERR(seL4_RevokeFirst));
    EXPECT(op2(CNodeDelete, RS, 20, D64), OK);
    EXPECT(op2(CNodeDelete, RS, 21, D64), OK);
    CHECK(kfree(c, u) == 2, "deleting keeps the watermark");
    EXPECT(copyOp(RS, 30, D64, RS, W(u), D64, ALL_RIGHTS), OK);
    CHECK(kfree(c, u) == BIT(16 - 4), "the source of an untyped copy is full");
    CHECK(kfree(c, 30) == 2, "the copy keeps the old watermark");
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 20, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(0)));
    EXPECT(retype(W(30), seL4_EndpointObject, 0, RS, 0, 0, 20, 1), OK);
    CHECK(kfree(c, 30) == 1, "the copy was reset");
    EXPECT(mintOp(RS, 31, D64, RS, 30, D64, ALL_RIGHTS, 3), ERR(seL4_RevokeFirst));
    EXPECT(op2(CNodeDelete, RS, 30, D64), OK); /* the endpoint stays, under the source */
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 21, 1),
           ERRW(seL4_NotEnoughMemory, 1, W(0)));
    EXPECT(op2(CNodeRevoke, RS, W(u), D64), OK);
    CHECK(ktype(c, 20) == cap_null_cap, "revoke reaches the copy's children");
    EXPECT(retype(W(u), seL4_EndpointObject, 0, RS, 0, 0, 21, 1), OK);
    CHECK(kfree(c, u) == 1, "reset after revoke");
    /* Moving an untyped keeps its children and watermark. */
    EXPECT(moveOp(RS, 40, D64, RS, W(u), D64), OK);
    EXPECT(copyOp(RS, 41, D64, RS, 40, D64, ALL_RIGHTS), ERR(seL4_RevokeFirst));
    EXPECT(op2(CNodeRevoke, RS, 40, D64), OK);
    CHECK(ktype(c, 21) == cap_null_cap, "revoke after move");
    /* Deleting an untyped with children leaves the children in place. */
    EXPECT(retype(W(40), seL4_UntypedObject, 12, RS, 0, 0, 42, 1), OK);
    EXPECT(retype(W(42), seL4_EndpointObject, 0, RS, 0, 0, 43, 2), OK);
    EXPECT(op2(CNodeDelete, RS, 42, D64), OK);
    CHECK(ktype(c, 43) == cap_endpoint_cap, "orphans survive");
    EXPECT(op2(CNodeRevoke, RS, 40, D64), OK);
    CHECK(ktype(c, 43) == cap_null_cap && ktype(c, 44) == cap_null_cap, "grandparent revoke");
    return true;
}

static bool t_delete_cascade(ctx_t *c)
{
    /* A (radix 2) holds the only cap to B (radix 2); B holds an endpoint.
     * Deleting A's last cap leaves B as a cyclic zombie in B[0]. */
    EXPECT(retype(UT(2), seL4_CapTableObject, 2, RS, 0, 0, 30, 2), OK);
    EXPECT(retype(UT(2), seL4_EndpointObject, 0, RS, 0, 0, 32, 1), OK);
    int bSlot0 = model_slot(&c->env.model, mcap(c, 31).obj, 0);
    EXPECT(moveOp(31, 2, 2, RS, 32, D64), OK); /* endpoint into B[2] */
    EXPECT(moveOp(30, 1, 2, RS, 31, D64), OK); /* B's cap into A[1] */
    EXPECT(op2(CNodeDelete, RS, 30, D64), OK);
    CHECK(kernel_cap_type(&c->env, bSlot0) == cap_zombie_cap, "B[0] holds B's zombie");
    CHECK(kernel_cap_type(&c->env, bSlot0 + 2) == cap_endpoint_cap, "B[2] keeps the endpoint");
    /* The untyped's revoke finishes B off. */
    EXPECT(op2(CNodeRevoke, RS, UT(2), D64), OK);
    /* A CNode holding its own only cap, and a TCB. */
    EXPECT(retype(UT(2), seL4_CapTableObject, 1, RS, 0, 0, 30, 1), OK);
    EXPECT(retype(UT(2), seL4_TCBObject, 0, RS, 0, 0, 31, 1), OK);
    EXPECT(moveOp(30, 1, 1, RS, 31, D64), OK); /* the TCB into C[1] */
    EXPECT(moveOp(30, 0, 1, RS, 30, D64), OK); /* C's cap into C[0] */
    EXPECT(op2(CNodeRevoke, RS, UT(2), D64), OK);
    /* A TCB deleted through the root CNode. */
    EXPECT(retype(UT(2), seL4_TCBObject, 0, RS, 0, 0, 31, 2), OK);
    EXPECT(copyOp(RS, 33, D64, RS, 31, D64, ALL_RIGHTS), OK);
    EXPECT(op2(CNodeDelete, RS, 31, D64), OK);
    EXPECT(op2(CNodeDelete, RS, 33, D64), OK);
    EXPECT(op2(CNodeDelete, RS, 32, D64), OK);
    /* Nested CNodes three deep, all reachable only through the first. */
    EXPECT(retype(UT(2), seL4_CapTableObject, 2, RS, 0, 0, 40, 3), OK);
    EXPECT(retype(UT(2), seL4_NotificationObject, 0, RS, 0, 0, 43, 3), OK);
    EXPECT(moveOp(42, 3, 2, RS, 43, D64), OK);
    EXPECT(moveOp(41, 3, 2, RS, 44, D64), OK);
    EXPECT(moveOp(40, 3, 2, RS, 45, D64), OK);
    EXPECT(moveOp(41, 0, 2, RS, 42, D64), OK);
    EXPECT(moveOp(40, 2, 2, RS, 41, D64), OK);
    EXPECT(op2(CNodeDelete, RS, 40, D64), OK);
    EXPECT(op2(CNodeRevoke, RS, UT(2), D64), OK);
    return true;
}

/* ---- Preemption ---- */

typedef bool (*scenario_fn)(ctx_t *c, minv_t *longOp);

/* Run `build`, then its long operation once to completion and once with an
 * interrupt always pending (restarting after every preemption); the two
 * end states must be the same. */
static bool comparePreempted(ctx_t *c, scenario_fn build, uint64_t minPreemptions)
{
    minv_t op;
    uint64_t digest[2];
    for (int run = 0; run < 2; run++) {
        if (run == 1) {
            env_teardown(&c->env);
            env_setup(&c->env);
            c->env.poison = true;
        }
        if (!build(c, &op)) {
            return false;
        }
        uint64_t before = c->env.preemptions;
        mresult_t got;
        if (!step(&c->env, &op, run == 1, &got, c->why, c->size)) {
            return false;
        }
        CHECK(got.kind == MRES_OK, "the long operation failed");
        uint64_t n = c->env.preemptions - before;
        if (run == 1) {
            CHECK(n >= minPreemptions, "only %lu preemptions", (unsigned long)n);
        } else {
            CHECK(n == 0, "preempted without an interrupt");
        }
        digest[run] = kernel_digest(&c->env);
    }
    CHECK(digest[0] == digest[1], "preempted run ends in a different state (%#lx vs %#lx)",
          (unsigned long)digest[0], (unsigned long)digest[1]);
    return true;
}

static bool build_revoke(ctx_t *c, minv_t *op)
{
    /* 200 endpoints with copies and badges, CNodes full of copies. */
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 0, 0, 20, 100), OK);
    EXPECT(retype(UT(1), seL4_CapTableObject, 4, RS, 0, 0, 120, 4), OK);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 16; j++) {
            mword_t badge = (mword_t)(j % 3);
            EXPECT(mintOp(120 + i, W(j), 4, RS, W(20 + i * 16 + j), D64, ALL_RIGHTS, badge), OK);
        }
    }
    EXPECT(retype(UT(1), seL4_TCBObject, 0, RS, 0, 0, 130, 8), OK);
    *op = op2(CNodeRevoke, RS, UT(1), D64);
    return true;
}

static bool build_delete(ctx_t *c, minv_t *op)
{
    /* A radix-7 CNode full of caps, nested CNodes among them. */
    EXPECT(retype(UT(1), seL4_CapTableObject, 7, RS, 0, 0, 20, 1), OK);
    EXPECT(retype(UT(1), seL4_CapTableObject, 3, RS, 0, 0, 21, 4), OK);
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, 20, 0, 0, 0, 120), OK);
    for (int i = 0; i < 4; i++) {
        EXPECT(retype(UT(1), seL4_NotificationObject, 0, RS, W(21 + i), D64, 0, 8), OK);
        EXPECT(moveOp(20, W(120 + i), 7, RS, W(21 + i), D64), OK);
    }
    EXPECT(copyOp(20, 125, 7, 20, 3, 7, ALL_RIGHTS), OK);
    *op = op2(CNodeDelete, RS, 20, D64);
    return true;
}

static bool build_reset(ctx_t *c, minv_t *op)
{
    (void)c;
    /* The 4 MiB boot untyped is full: its first Retype clears it all. */
    *op = retype(UT(0), seL4_EndpointObject, 0, RS, 0, 0, 20, 8);
    return true;
}

/* C and E (radix 2, from the 2 MiB untyped) hold each other's only caps:
 * E's in C[0], C's in E[1]. Revoking the untyped deletes E's cap first
 * (exposed, in C[0]); clearing E reaches C's final cap, whose zombie is
 * then moved into C[0], the very slot being emptied, while E's zombie moves
 * on into E[1] and E[0]. Preempted at every preemption point and restarted,
 * the revoke (driven by what the slots hold) must end in the same state as
 * one run straight through; so must revoking again and reusing the memory. */
static bool build_swap(ctx_t *c)
{
    EXPECT(retype(UT(1), seL4_CapTableObject, 2, RS, 0, 0, 30, 2), OK);
    EXPECT(retype(UT(1), seL4_EndpointObject, 0, RS, 0, 0, 32, 2), OK);
    EXPECT(mintOp(RS, 10, D64, RS, RS, D64, ALL_RIGHTS, CNODE_DATA(0, 0)), OK);
    EXPECT(moveOp(31, 2, 2, RS, 32, D64), OK); /* an endpoint in E[2] */
    EXPECT(moveOp(30, 3, 2, RS, 33, D64), OK); /* and one in C[3] */
    EXPECT(moveOp(30, 0, 2, RS, 31, D64), OK); /* E's cap into C[0] */
    /* C's cap into E[1], E reached as R[10] -> R[30] (C) -> C[0] (E). */
    EXPECT(moveOp(10, ((30 << 2) | 0) << 2 | 1, 12, RS, 30, D64), OK);
    return true;
}

static bool t_preempt_zombie_swap(ctx_t *c)
{
    minv_t ops[3] = {
        op2(CNodeRevoke, RS, UT(1), D64),
        op2(CNodeRevoke, RS, UT(1), D64),
        retype(UT(1), seL4_EndpointObject, 0, RS, 0, 0, 40, 4),
    };
    uint64_t digest[2], afterRevoke = 0;
    for (int run = 0; run < 2; run++) {
        if (run == 1) {
            env_teardown(&c->env);
            env_setup(&c->env);
        }
        if (!build_swap(c)) {
            return false;
        }
        if (run == 0) {
            /* Through the model: it must see the zombie moved into the slot. */
            model_t *m = &c->env.model;
            EXPECT(ops[0], OK);
            CHECK(m->swaps > 0, "the scenario moves no zombie");
            afterRevoke = kernel_digest(&c->env);
            EXPECT(ops[1], OK);
            EXPECT(ops[2], OK);
        } else {
            env_freeze_objects(&c->env);
            for (int i = 0; i < 3; i++) {
                mresult_t got;
                uint64_t n;
                if (!kernel_run_preempted(&c->env, &ops[i], &got, &n, c->why, c->size)) {
                    return false;
                }
                CHECK(got.kind == MRES_OK, "operation %d failed", i);
                CHECK(i > 0 || n > 0, "never preempted");
                CHECK(i > 0 || kernel_digest(&c->env) == afterRevoke,
                      "the preempted revoke ends in another state");
            }
        }
        digest[run] = kernel_digest(&c->env);
    }
    CHECK(digest[0] == digest[1], "revoking again and reusing the memory ends differently");
    return true;
}

static bool t_preempt_revoke(ctx_t *c)
{
    return comparePreempted(c, build_revoke, 1);
}

static bool t_preempt_delete(ctx_t *c)
{
    return comparePreempted(c, build_delete, 1);
}

static bool t_preempt_reset(ctx_t *c)
{
    return comparePreempted(c, build_reset, 100);
}

/* ---- Random sequences ---- */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rnd(rng_t *r)
{
    r->s += 0x9e3779b97f4a7c15ull;
    uint64_t z = r->s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(rng_t *r, unsigned n)
{
    return n ? (unsigned)(rnd(r) % n) : 0;
}

static bool chance(rng_t *r, unsigned percent)
{
    return below(r, 100) < percent;
}

typedef struct {
    mword_t root; /* CPtr of the CNode cap in the root CNode */
    mword_t index, depth;
    int slot; /* model slot it resolves to (when well formed) */
} addr_t;

typedef struct {
    ctx_t *c;
    rng_t r;
    int roots[256], nroots;   /* root CNode slots holding CNode caps */
    int untypeds[256], nuts;  /* ... holding untyped caps */
    int others[256], nothers; /* ... holding anything else */
    int badAddresses;         /* percent of deliberately malformed addresses */
} gen_t;

static const model_t *M(gen_t *g)
{
    return &g->c->env.model;
}

static void scanRoot(gen_t *g)
{
    g->nroots = g->nuts = g->nothers = 0;
    for (int i = 0; i < 256; i++) {
        mcap_t c = mcap(g->c, i);
        if (c.type == MC_CNODE) {
            g->roots[g->nroots++] = i;
        } else if (c.type == MC_UNTYPED) {
            g->untypeds[g->nuts++] = i;
        } else if (c.type != MC_NULL) {
            g->others[g->nothers++] = i;
        }
    }
}

static mword_t shl(mword_t x, mword_t k)
{
    return k >= 64 ? 0 : x << k;
}

/* A slot reached from a CNode cap in the root CNode, possibly through
 * further CNode caps (at most three levels). */
static addr_t walk(gen_t *g, int rootSlot)
{
    addr_t a = { W(rootSlot), 0, 0, -1 };
    mcap_t cap = mcap(g->c, rootSlot);
    for (int level = 0; level < 3; level++) {
        unsigned radix = M(g)->objs[cap.obj].radix, gs = cap.guardSize;
        if (a.depth + gs + radix > 64) {
            break;
        }
        mword_t index = below(&g->r, 1u << radix);
        a.index = shl(a.index, gs + radix) | shl(cap.guard, radix) | index;
        a.depth += gs + radix;
        a.slot = model_slot(M(g), cap.obj, (int)index);
        mcap_t next = model_slot_cap(M(g), a.slot);
        if (next.type != MC_CNODE || !chance(&g->r, 35) ||
            a.depth + next.guardSize + M(g)->objs[next.obj].radix > 64) {
            break;
        }
        cap = next;
    }
    return a;
}

enum { WANT_ANY, WANT_FULL, WANT_EMPTY, WANT_CNODE, WANT_PARENT };

/* The root CNode's self cap and the untypeds of the set-up never move and
 * are never deleted (only revoked), so that a long sequence keeps a CSpace
 * root and memory to work with. */
static bool protectedSlot(gen_t *g, int slot)
{
    int first = model_slot(M(g), M(g)->rootCNode, SLOT_SELF);
    return slot >= first && slot < first + (SLOT_UT_FIRST - SLOT_SELF) + nUtSpecs;
}

static bool wanted(gen_t *g, int slot, int want)
{
    const mnode_t *n = model_slot_node(M(g), slot);
    switch (want) {
    case WANT_FULL:
        return n != NULL;
    case WANT_EMPTY:
        return n == NULL;
    case WANT_CNODE:
        return n && n->cap.type == MC_CNODE;
    case WANT_PARENT:
        return n && n->nchildren > 0;
    default:
        return true;
    }
}

static void spoil(gen_t *g, addr_t *a)
{
    switch (below(&g->r, 6)) {
    case 0:
        a->depth += 1 + below(&g->r, 3);
        break;
    case 1:
        a->depth = a->depth > 1 ? a->depth - 1 - below(&g->r, a->depth - 1) : 0;
        break;
    case 2:
        a->depth = chance(&g->r, 50) ? 0 : 65 + below(&g->r, 190);
        break;
    case 3:
        a->index ^= shl(1, below(&g->r, a->depth ? (unsigned)a->depth : 1));
        break;
    case 4:
        a->root = g->nothers && chance(&g->r, 50) ? W(g->others[below(&g->r, g->nothers)])
                                                  : W(below(&g->r, 256));
        break;
    default:
        a->depth |= 0x100; /* only 8 bits of the depth word count */
        break;
    }
    a->slot = -1;
}

static addr_t address(gen_t *g, int want, bool avoidProtected)
{
    addr_t a = { W(SLOT_SELF), 0, 0, -1 };
    for (int tries = 0; tries < 40 && g->nroots > 0; tries++) {
        a = walk(g, g->roots[below(&g->r, g->nroots)]);
        if (a.slot >= 0 && wanted(g, a.slot, want) &&
            !(avoidProtected && protectedSlot(g, a.slot))) {
            break;
        }
    }
    if (avoidProtected && a.slot >= 0 && protectedSlot(g, a.slot)) {
        a.depth = 0; /* malformed: fails the lookup */
    }
    if (chance(&g->r, g->badAddresses)) {
        spoil(g, &a);
    }
    return a;
}

static mword_t randomBadge(gen_t *g, mcap_t src)
{
    if (src.type == MC_CNODE && !chance(&g->r, 5)) {
        unsigned radix = M(g)->objs[src.obj].radix;
        unsigned gs = below(&g->r, 7);
        if (gs + radix > 64) {
            gs = 64 - radix;
        }
        return CNODE_DATA(rnd(&g->r) & ((W(1) << gs) - 1), gs);
    }
    switch (below(&g->r, 8)) {
    case 0:
        return 0;
    case 1:
        return rnd(&g->r);
    default:
        return 1 + below(&g->r, 3);
    }
}

static mword_t randomRights(gen_t *g)
{
    if (chance(&g->r, 70)) {
        return ALL_RIGHTS;
    }
    return chance(&g->r, 80) ? W(below(&g->r, 16)) : rnd(&g->r);
}

static const struct {
    mword_t type;
    unsigned weight;
} typeWeights[] = {
    { seL4_EndpointObject, 16 },         { seL4_NotificationObject, 10 },
    { seL4_CapTableObject, 16 },         { seL4_TCBObject, 7 },
    { seL4_UntypedObject, 14 },          { seL4_X86_4K, 8 },
    { seL4_X86_LargePageObject, 2 },     { seL4_X86_PageTableObject, 3 },
    { seL4_X86_PageDirectoryObject, 2 }, { seL4_X86_PDPTObject, 2 },
    { seL4_X64_PML4Object, 2 },          { seL4_X64_HugePageObject, 1 },
    { seL4_ObjectTypeCount, 1 },
};

static minv_t genRetype(gen_t *g)
{
    unsigned total = 0, pick;
    for (size_t i = 0; i < sizeof(typeWeights) / sizeof(typeWeights[0]); i++) {
        total += typeWeights[i].weight;
    }
    pick = below(&g->r, total);
    mword_t type = seL4_EndpointObject;
    for (size_t i = 0; i < sizeof(typeWeights) / sizeof(typeWeights[0]); i++) {
        if (pick < typeWeights[i].weight) {
            type = typeWeights[i].type;
            break;
        }
        pick -= typeWeights[i].weight;
    }
    mword_t bits = below(&g->r, 12);
    if (type == seL4_CapTableObject) {
        unsigned p = below(&g->r, 100);
        bits = p < 80   ? 1 + below(&g->r, 4)
               : p < 95 ? 5 + below(&g->r, 4)
                        : (mword_t[]){ 0, 43, 64, 1000 }[below(&g->r, 4)];
    } else if (type == seL4_UntypedObject) {
        unsigned max = 16;
        unsigned p = below(&g->r, 100);
        bits = p < 75   ? 6 + below(&g->r, 9)
               : p < 93 ? 4 + below(&g->r, max > 4 ? max - 3 : 1)
                        : (mword_t[]){ 3, 48, 64, 200 }[below(&g->r, 4)];
    }
    /* The untyped: mostly one with room for the objects (one with no
     * children has room for everything: it will be reset). */
    mword_t objBits = type == seL4_UntypedObject         ? bits
                      : type == seL4_CapTableObject      ? bits + 5
                      : type == seL4_TCBObject           ? 11
                      : type == seL4_EndpointObject      ? 4
                      : type == seL4_NotificationObject  ? 5
                      : type == seL4_X86_LargePageObject ? 21
                      : type == seL4_X64_HugePageObject  ? 30
                                                         : 12;
    mword_t ut = g->nuts ? W(g->untypeds[below(&g->r, g->nuts)]) : W(RS);
    if (g->nuts && chance(&g->r, 85) && objBits < 40) {
        int fits[256], nfits = 0;
        for (int i = 0; i < g->nuts; i++) {
            const mnode_t *n = model_slot_node(M(g), rootSlot(g->c, g->untypeds[i]));
            mword_t room = (W(1) << n->cap.bits) - (n->nchildren ? n->cap.wm : 0);
            if ((room >> objBits) >= 1 &&
                (!n->cap.device || type == seL4_X86_4K || type == seL4_UntypedObject)) {
                fits[nfits++] = g->untypeds[i];
            }
        }
        if (nfits) {
            ut = W(fits[below(&g->r, (unsigned)nfits)]);
        }
    }
    if (chance(&g->r, 3) || !g->nuts) {
        ut = chance(&g->r, 50) && g->nothers ? W(g->others[below(&g->r, g->nothers)])
                                             : W(g->roots[below(&g->r, g->nroots)]);
    }
    /* Destination: the root CNode or a CNode reached from it. */
    mword_t root = W(g->roots[below(&g->r, g->nroots)]);
    mword_t nodeIndex = 0, nodeDepth = 0;
    mcap_t node = mcap(g->c, (int)root);
    if (chance(&g->r, 30)) {
        addr_t a = address(g, WANT_CNODE, false);
        root = a.root;
        nodeIndex = a.index;
        nodeDepth = a.depth;
        node = a.slot >= 0 ? model_slot_cap(M(g), a.slot) : node;
    }
    unsigned p = below(&g->r, 100);
    mword_t count = p < 70   ? 1 + below(&g->r, 4)
                    : p < 90 ? 5 + below(&g->r, 12)
                             : 17 + below(&g->r, 48);
    mword_t offset = 0;
    if (node.type == MC_CNODE) {
        const mobj_t *o = &M(g)->objs[node.obj];
        if (count > (mword_t)o->nslots) {
            count = (mword_t)o->nslots;
        }
        for (int tries = 0; tries < 20; tries++) {
            offset = below(&g->r, (unsigned)(o->nslots - (int)count + 1));
            bool empty = true;
            for (mword_t i = 0; i < count && empty; i++) {
                empty = model_slot_node(M(g), o->firstSlot + (int)(offset + i)) == NULL;
            }
            if (empty) {
                break;
            }
        }
    }
    if (chance(&g->r, 3)) {
        switch (below(&g->r, 3)) {
        case 0:
            count = chance(&g->r, 50) ? 0 : 257;
            break;
        case 1:
            offset += 1000;
            break;
        default:
            count += 300;
            break;
        }
    }
    return retype(ut, type, bits, root, nodeIndex, nodeDepth, offset, count);
}

static minv_t genOp(gen_t *g)
{
    int live = model_live_caps(M(g));
    unsigned w[10] = {
        /* retype copy mint move mutate rotate delete revoke other malformed */
        live > 300 ? 6 : 22, 12, 12, 8, 5, 5, live > 300 ? 30 : 11, live > 300 ? 14 : 7, 3, 2,
    };
    unsigned total = 0;
    for (int i = 0; i < 10; i++) {
        total += w[i];
    }
    unsigned pick = below(&g->r, total), kind = 0;
    while (pick >= w[kind]) {
        pick -= w[kind++];
    }
    addr_t d, s, p;
    switch (kind) {
    case 0:
        return genRetype(g);
    case 1:
    case 2: {
        s = address(g, WANT_FULL, false);
        d = address(g, WANT_EMPTY, false);
        mcap_t src = s.slot >= 0 ? model_slot_cap(M(g), s.slot) : (mcap_t){ 0 };
        if (kind == 1) {
            return copyOp(d.root, d.index, d.depth, s.root, s.index, s.depth, randomRights(g));
        }
        return mintOp(d.root, d.index, d.depth, s.root, s.index, s.depth, randomRights(g),
                      randomBadge(g, src));
    }
    case 3:
    case 4: {
        s = address(g, WANT_FULL, true);
        d = address(g, WANT_EMPTY, false);
        if (kind == 3) {
            return moveOp(d.root, d.index, d.depth, s.root, s.index, s.depth);
        }
        mcap_t src = s.slot >= 0 ? model_slot_cap(M(g), s.slot) : (mcap_t){ 0 };
        return mutateOp(d.root, d.index, d.depth, s.root, s.index, s.depth, randomBadge(g, src));
    }
    case 5: {
        s = address(g, WANT_FULL, true);
        p = address(g, WANT_FULL, true);
        d = chance(&g->r, 30) ? s : address(g, WANT_EMPTY, false);
        mcap_t sc = s.slot >= 0 ? model_slot_cap(M(g), s.slot) : (mcap_t){ 0 };
        mcap_t pc = p.slot >= 0 ? model_slot_cap(M(g), p.slot) : (mcap_t){ 0 };
        return rotateOp(d.root, d.index, d.depth, randomBadge(g, pc), p.root, p.index, p.depth,
                        randomBadge(g, sc), s.root, s.index, s.depth);
    }
    case 6:
        d = address(g, WANT_FULL, true);
        return op2(CNodeDelete, d.root, d.index, d.depth);
    case 7:
        if (g->nuts && chance(&g->r, 35)) {
            return op2(CNodeRevoke, RS, W(g->untypeds[below(&g->r, g->nuts)]), D64);
        }
        d = address(g, chance(&g->r, 70) ? WANT_PARENT : WANT_FULL, true);
        return op2(CNodeRevoke, d.root, d.index, d.depth);
    case 8:
        d = address(g, WANT_ANY, false);
        return op2(chance(&g->r, 50) ? CNodeSaveCaller : CNodeCancelBadgedSends, d.root, d.index,
                   d.depth);
    default: {
        /* Wrong labels, short messages, missing extra caps, bad CPtrs. */
        minv_t inv;
        if (chance(&g->r, 50)) {
            inv = genRetype(g);
        } else {
            s = address(g, WANT_FULL, true);
            d = address(g, WANT_EMPTY, false);
            inv = mintOp(d.root, d.index, d.depth, s.root, s.index, s.depth, ALL_RIGHTS,
                         1 + below(&g->r, 3));
            inv.label = CNodeRevoke + below(&g->r, CNodeSaveCaller - CNodeRevoke + 2);
        }
        switch (below(&g->r, 4)) {
        case 0:
            inv.length = below(&g->r, (unsigned)inv.length);
            break;
        case 1:
            inv.nextra = 0;
            break;
        case 2:
            inv.extra[0] = chance(&g->r, 50) ? rnd(&g->r) : W(below(&g->r, 256));
            break;
        default:
            inv.cptr = chance(&g->r, 50) ? rnd(&g->r) : W(below(&g->r, 256));
            break;
        }
        return inv;
    }
    }
}

/* Every cap of the model with its place in the derivation tree (debugging). */
static void dumpModel(const model_t *m)
{
    for (int i = 0; i < m->nnodes; i++) {
        const mnode_t *n = &m->nodes[i];
        if (!n->live) {
            continue;
        }
        char b[160];
        model_format_cap(m, n->cap, b, sizeof(b));
        const mslot_t *s = &m->slots[n->slot];
        printf("node %d: slot %#lx (%d of obj %d) %s%s parent %d children", i,
               (unsigned long)model_slot_addr(m, n->slot), s->index, s->obj, b,
               n->original ? " original" : "", n->parent);
        for (int k = 0; k < n->nchildren; k++) {
            printf(" %d", n->children[k]);
        }
        printf("\n");
    }
    for (int o = 0; o < m->nobjs; o++) {
        const mobj_t *ob = &m->objs[o];
        if (!ob->destroyed && ob->firstSlot >= 0) {
            printf("obj %d: %s %#lx/%u ncaps %d%s\n", o, model_type_name(ob->type),
                   (unsigned long)ob->base, ob->bits, ob->ncaps, ob->finalised ? " finalised" : "");
        }
    }
}

/* A seeded random sequence; `preempt`: an interrupt is always pending and
 * long operations restart until done. */
static bool randomRun(ctx_t *c, uint64_t seed, int steps, bool preempt)
{
    gen_t g = { .c = c, .r = { seed * 0x100000001b3ull + 7 }, .badAddresses = 6 };
    c->env.poison = true;
    char desc[256];
    int okCount[64] = { 0 }, errCount[64] = { 0 }, maxLive = 0;
    for (int i = 0; i < steps; i++) {
        scanRoot(&g);
        minv_t inv = genOp(&g);
        /* Thread, endpoint and notification invocations are not covered here. */
        int t = model_lookup_type(M(&g), inv.cptr);
        for (int k = 0; k < 1000 && (t == MC_TCB || t == MC_EP || t == MC_NTFN); k++) {
            inv = genOp(&g);
            t = model_lookup_type(M(&g), inv.cptr);
        }
        if (t == MC_TCB || t == MC_EP || t == MC_NTFN) {
            inv = op2(CNodeRevoke, RS, 0, D64);
        }
        /* Every so often, clean up so that memory is reused. */
        if (i % 150 == 149) {
            inv = op2(CNodeRevoke, RS, g.nuts ? W(g.untypeds[below(&g.r, g.nuts)]) : 0, D64);
        }
        if (getenv("CORE_TEST_DUMP_AT") && atoi(getenv("CORE_TEST_DUMP_AT")) == i) {
            dumpModel(M(&g));
        }
        c->env.checkZero = i % 64 == 0;
        snprintf(desc, sizeof(desc), "seed %lu step %d label %lu", (unsigned long)seed, i,
                 (unsigned long)inv.label);
        hostEnv.context = desc;
        mresult_t got;
        if (!step(&c->env, &inv, preempt && chance(&g.r, 70), &got, c->why, c->size)) {
            char mrs[256];
            int n = 0;
            for (unsigned k = 0; k < inv.length && k < 8; k++) {
                n += snprintf(mrs + n, sizeof(mrs) - (size_t)n, " %#lx", (unsigned long)inv.mr[k]);
            }
            size_t len = strlen(c->why);
            snprintf(c->why + len, c->size - len,
                     "\n  at %s: cptr %#lx length %lu extra %d [%#lx %#lx] mrs%s", desc,
                     (unsigned long)inv.cptr, (unsigned long)inv.length, inv.nextra,
                     (unsigned long)inv.extra[0], (unsigned long)inv.extra[1], mrs);
            return false;
        }
        if (getenv("CORE_TEST_TRACE")) {
            char rb[160];
            printf("step %d (%lu): label %lu cptr %#lx mr %#lx %#lx %#lx %#lx %#lx %#lx -> %s\n", i,
                   (unsigned long)c->env.preemptions, (unsigned long)inv.label,
                   (unsigned long)inv.cptr, (unsigned long)inv.mr[0], (unsigned long)inv.mr[1],
                   (unsigned long)inv.mr[2], (unsigned long)inv.mr[3], (unsigned long)inv.mr[4],
                   (unsigned long)inv.mr[5], result_str(got, rb, sizeof(rb)));
        }
        int *count = got.kind == MRES_OK ? okCount : errCount;
        count[inv.label < 64 ? inv.label : 0]++;
        int live = model_live_caps(M(&g));
        maxLive = live > maxLive ? live : maxLive;
    }
    const model_t *m = M(&g);
    printf("stats: retype %d/%d copy %d/%d mint %d/%d move %d/%d mutate %d/%d rotate %d/%d "
           "delete %d/%d revoke %d/%d (ok/failed)\n",
           okCount[UntypedRetype], errCount[UntypedRetype], okCount[CNodeCopy], errCount[CNodeCopy],
           okCount[CNodeMint], errCount[CNodeMint], okCount[CNodeMove], errCount[CNodeMove],
           okCount[CNodeMutate], errCount[CNodeMutate], okCount[CNodeRotate], errCount[CNodeRotate],
           okCount[CNodeDelete], errCount[CNodeDelete], okCount[CNodeRevoke],
           errCount[CNodeRevoke]);
    printf("stats: objects %lu, caps deleted %lu, zombies %lu, zombie moves %lu, resets %lu, "
           "cnodes destroyed %lu, tcbs destroyed %lu, most caps %d, preemptions %lu\n",
           (unsigned long)m->stats.created, (unsigned long)m->stats.deleted,
           (unsigned long)m->stats.zombies, (unsigned long)m->stats.swaps,
           (unsigned long)m->stats.resets, (unsigned long)m->stats.cnodesDestroyed,
           (unsigned long)m->stats.tcbsDestroyed, maxLive, (unsigned long)c->env.preemptions);
    c->env.checkZero = true;
    if (!check_all(&c->env, c->why, c->size)) {
        return false;
    }
    if (preempt) {
        CHECK(c->env.preemptions > 0, "no operation was ever preempted");
    }
    return true;
}

#define RANDOM_STEPS 4000

#define RANDOM_TEST(n)                                    \
    static bool t_random_##n(ctx_t *c)                    \
    {                                                     \
        return randomRun(c, n, RANDOM_STEPS, false);      \
    }                                                     \
    static bool t_random_preempt_##n(ctx_t *c)            \
    {                                                     \
        return randomRun(c, 100 + n, RANDOM_STEPS, true); \
    }

RANDOM_TEST(1)
RANDOM_TEST(2)
RANDOM_TEST(3)
RANDOM_TEST(4)
RANDOM_TEST(5)
RANDOM_TEST(6)

static bool t_random_many(ctx_t *c)
{
    /* Not in the suite: CORE_TEST_SEEDS=first:count for long soak runs. */
    const char *env = getenv("CORE_TEST_SEEDS");
    unsigned first = 1000, count = 20;
    if (env) {
        sscanf(env, "%u:%u", &first, &count);
    }
    bool preempt = getenv("CORE_TEST_PREEMPT") != NULL;
    for (unsigned s = first; s < first + count; s++) {
        env_teardown(&c->env);
        env_setup(&c->env);
        fprintf(stderr, "soak: seed %u\n", s);
        if (!randomRun(c, s, RANDOM_STEPS, preempt)) {
            return false;
        }
    }
    return true;
}

/* ---- Main ---- */

static const struct {
    const char *name;
    bool (*fn)(ctx_t *c);
} tests[] = {
    { "core.setup", t_setup },
    { "core.retype.types", t_retype_types },
    { "core.retype.errors", t_retype_errors },
    { "core.cnode.errors", t_cnode_errors },
    { "core.cspace.guards", t_lookup_guards },
    { "core.retype.fan_out", t_fan_out },
    { "core.mdb.badges", t_mdb_badges },
    { "core.mdb.untyped_copy", t_untyped_copy },
    { "core.delete.cascade", t_delete_cascade },
    { "core.preempt.revoke", t_preempt_revoke },
    { "core.preempt.delete", t_preempt_delete },
    { "core.preempt.reset", t_preempt_reset },
    { "core.preempt.zombie_swap", t_preempt_zombie_swap },
    { "core.random.seed1", t_random_1 },
    { "core.random.seed2", t_random_2 },
    { "core.random.seed3", t_random_3 },
    { "core.random.seed4", t_random_4 },
    { "core.random.seed5", t_random_5 },
    { "core.random.seed6", t_random_6 },
    { "core.random_preempt.seed1", t_random_preempt_1 },
    { "core.random_preempt.seed2", t_random_preempt_2 },
    { "core.random_preempt.seed3", t_random_preempt_3 },
    { "core.random_preempt.seed4", t_random_preempt_4 },
    { "core.random_preempt.seed5", t_random_preempt_5 },
    { "core.random_preempt.seed6", t_random_preempt_6 },
};

int main(int argc, char **argv)
{
    size_t n = sizeof(tests) / sizeof(tests[0]);
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++) {
            printf("%s\n", tests[i].name);
        }
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "--run") != 0) {
        fprintf(stderr, "usage: %s --list | --run NAME\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i <= n; i++) {
        /* core.soak is not listed: many more random seeds, on request. */
        bool soak = i == n && strcmp(argv[2], "core.soak") == 0;
        if (!soak && (i == n || strcmp(argv[2], tests[i].name) != 0)) {
            continue;
        }
        bool (*fn)(ctx_t *) = soak ? t_random_many : tests[i].fn;
        const char *name = soak ? "core.soak" : tests[i].name;
        static char why[WHY_SIZE];
        static ctx_t c;
        c.why = why;
        c.size = sizeof(why);
        env_setup(&c.env);
        hostEnv.context = name;
        clock_t start = clock();
        bool ok = fn(&c);
        double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
        if (ok) {
            printf("TEST-OK %s (%.2fs, %lu preemptions)\n", name, secs,
                   (unsigned long)c.env.preemptions);
        } else {
            hostConsoleDump();
            printf("TEST-FAIL %s: %s\n", name, why);
        }
        env_teardown(&c.env);
        return ok ? 0 : 1;
    }
    fprintf(stderr, "no test %s\n", argv[2]);
    return 2;
}
