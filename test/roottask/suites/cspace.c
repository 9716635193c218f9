/*
 * CSpace addressing (semantics 1.2-1.4, seL4-abi.md 3.4, 9.2): the root
 * CNode's 64-bit resolution, deep CSpaces built from retyped CNodes and
 * guarded mints, and every lookup failure with its detail words.
 *
 * Destination lookups are probed with CNode_Move onto the same slot: it
 * never changes anything, and a failed destination lookup is reported
 * before anything else (source flag 0).
 */
#include "helpers.h"

/*
 * The deep CSpace used below (all relative to the guarded L1 cap `l1g`):
 *
 *   l1g: L1, radix 4, guard 0x5 / 4 bits        -> 8 bits per level
 *   L1[3] = L2 cap, radix 4, guard 0x1 / 2 bits -> 6 bits
 *   L2[7] = L3 cap, radix 3, no guard           -> 3 bits
 *   L1[5] = endpoint, L3[2] = endpoint
 */
#define L1_GUARD 0x5ul
#define L2_GUARD 0x1ul
#define D1 8  /* depth of an L1 slot */
#define D2 14 /* depth of an L2 slot */
#define D3 17 /* depth of an L3 slot */

static seL4_Word a1(seL4_Word i)
{
    return (L1_GUARD << 4) | i;
}

static seL4_Word a2(seL4_Word j)
{
    return (a1(3) << 6) | (L2_GUARD << 4) | j;
}

static seL4_Word a3(seL4_Word k)
{
    return (a2(7) << 3) | k;
}

typedef struct {
    seL4_CPtr ut;
    seL4_CPtr l1, l2, l3; /* the originals from Retype, unguarded */
    seL4_CPtr l1g;        /* L1 minted with its guard */
    seL4_CPtr ep;         /* an endpoint in the root CNode */
} deep_t;

static int build_deep(deep_t *d)
{
    d->ut = ut_new(16);
    if (d->ut == 0) {
        return 0;
    }
    d->l1 = new_objects(d->ut, seL4_CapTableObject, 4, 2);
    d->l3 = new_object(d->ut, seL4_CapTableObject, 3);
    d->ep = new_object(d->ut, seL4_EndpointObject, 0);
    d->l1g = slot_alloc();
    if (!d->l1 || !d->l3 || !d->ep || !d->l1g) {
        return 0;
    }
    d->l2 = d->l1 + 1;
    int ok = 1;
    ok &= CHECK_OK(mint_root(d->l1g, d->l1, seL4_AllRights, GUARD(L1_GUARD, 4)));
    ok &= CHECK_OK(seL4_CNode_Mint(d->l1g, a1(3), D1, ROOT, d->l2, ROOT_DEPTH, seL4_AllRights,
                                   GUARD(L2_GUARD, 2)));
    ok &= CHECK_OK(seL4_CNode_Copy(d->l1g, a2(7), D2, ROOT, d->l3, ROOT_DEPTH, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(d->l1g, a3(2), D3, ROOT, d->ep, ROOT_DEPTH, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(d->l1g, a1(5), D1, ROOT, d->ep, ROOT_DEPTH, seL4_AllRights));
    return ok;
}

/* Move-self: a destination probe that changes nothing. */
#define MOVE_SELF(cnode, index, depth) \
    seL4_CNode_Move((cnode), (index), (depth), (cnode), (index), (depth))

KTEST(cspace_root_cnode_resolves_exactly_64_bits)
{
    /* Root CNode: guard size 51 + radix 13 (seL4-abi.md 0.1 item 5). */
    seL4_CPtr s = slot_alloc();
    CHECK_LOOKUP_MISSING(MOVE_SELF(ROOT, s, 64), 1, 64); /* resolves: empty slot */
    /* Fewer than 51 bits cannot even hold the guard: GuardMismatch. */
    CHECK_LOOKUP_GUARD(MOVE_SELF(ROOT, 0, 50), 0, 50, 0, 51);
    CHECK_LOOKUP_GUARD(MOVE_SELF(ROOT, 0, 1), 0, 1, 0, 51);
    /* 51..63 bits: guard matches, guard + radix = 64 does not fit. */
    CHECK_LOOKUP_DEPTH(MOVE_SELF(ROOT, 0, 51), 0, 51, 64);
    CHECK_LOOKUP_DEPTH(MOVE_SELF(ROOT, 7, 60), 0, 60, 64);
    CHECK_LOOKUP_DEPTH(MOVE_SELF(ROOT, 7, 63), 0, 63, 64);
    /* At depth 51 all 51 bits are guard: index 1 mismatches. */
    CHECK_LOOKUP_GUARD(MOVE_SELF(ROOT, 1, 51), 0, 51, 0, 51);
}

KTEST(cspace_root_guard_bits_must_be_zero)
{
    seL4_CPtr s = slot_alloc();
    CHECK_LOOKUP_GUARD(MOVE_SELF(ROOT, (1ul << 63) | s, 64), 0, 64, 0, 51);
    CHECK_LOOKUP_GUARD(MOVE_SELF(ROOT, 1ul << CONFIG_ROOT_CNODE_SIZE_BITS, 64), 0, 64, 0, 51);
    /* The highest index the radix covers is a valid slot (empty here). */
    CHECK_LOOKUP_MISSING(MOVE_SELF(ROOT, (1ul << CONFIG_ROOT_CNODE_SIZE_BITS) - 1, 64), 1, 64);
    /* The same failure as a source lookup carries source flag 1. */
    CHECK_LOOKUP_GUARD(seL4_CNode_Copy(ROOT, s, 64, ROOT, (1ul << 63) | 2, 64, seL4_AllRights), 1,
                       64, 0, 51);
}

KTEST(cspace_depth_out_of_range)
{
    /* semantics 1.3 b: depth < 1 or > 64 => RangeError(1, 64). */
    seL4_CPtr s = slot_alloc();
    seL4_CPtr e = slot_alloc();
    seL4_Uint8 bad[] = { 0, 65, 255 };
    for (unsigned i = 0; i < sizeof(bad); i++) {
        seL4_Uint8 d = bad[i];
        CHECK_RANGE_ERR(seL4_CNode_Delete(ROOT, s, d), 1, 64);
        CHECK_RANGE_ERR(seL4_CNode_Revoke(ROOT, s, d), 1, 64);
        CHECK_RANGE_ERR(seL4_CNode_SaveCaller(ROOT, s, d), 1, 64);
        CHECK_RANGE_ERR(seL4_CNode_CancelBadgedSends(ROOT, s, d), 1, 64);
        CHECK_RANGE_ERR(seL4_CNode_Copy(ROOT, s, d, ROOT, ROOT, 64, seL4_AllRights), 1, 64);
        /* Source depth, with a good destination. */
        CHECK_RANGE_ERR(seL4_CNode_Copy(ROOT, s, 64, ROOT, ROOT, d, seL4_AllRights), 1, 64);
        CHECK_RANGE_ERR(seL4_CNode_Move(ROOT, s, 64, ROOT, e, d), 1, 64);
    }
    CHECK_EMPTY(s);
}

KTEST(cspace_invalid_root)
{
    /* semantics 1.3 a: the source root is not a CNode cap. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr s = slot_alloc();
    seL4_CPtr roots[] = { seL4_CapInitThreadTCB, seL4_CapNull, ut, ep, seL4_CapIRQControl };
    for (unsigned i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        CHECK_LOOKUP_INVALID_ROOT(seL4_CNode_Copy(ROOT, s, 64, roots[i], ep, 64, seL4_AllRights),
                                  1);
        CHECK_LOOKUP_INVALID_ROOT(seL4_CNode_Move(ROOT, s, 64, roots[i], ep, 64), 1);
    }
    /* A retype destination root that is not a CNode: flag 0. */
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadTCB, s, 64, 0, 1), 0);
    CHECK_EMPTY(s);
}

KTEST(cspace_invalid_root_before_depth_range)
{
    /* semantics 1.3 / 14.7: the root check precedes the depth range check. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_CNode_Copy(ROOT, s, 64, seL4_CapInitThreadTCB, 5, 0, seL4_AllRights), 1);
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_CNode_Copy(ROOT, s, 64, seL4_CapInitThreadTCB, 5, 65, seL4_AllRights), 1);
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadTCB, s, 65, 0, 1), 0);
}

KTEST(cspace_two_level_lookup)
{
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc_range(3);
    /* Through the guarded cap: 4 guard bits + 4 index bits. */
    CHECK_OK(seL4_CNode_Copy(ROOT, t, 64, d.l1g, a1(5), D1, seL4_AllRights));
    CHECK_FULL_ENDPOINT(t);
    /* Through the unguarded original: 4 index bits. */
    CHECK_OK(seL4_CNode_Copy(ROOT, t + 1, 64, d.l1, 5, 4, seL4_AllRights));
    CHECK_FULL_ENDPOINT(t + 1);
    /* A slot written through one cap is seen through the other. */
    CHECK_OK(seL4_CNode_Copy(d.l1, 9, 4, ROOT, d.ep, 64, seL4_AllRights));
    CHECK_SLOT_STATE(d.l1g, a1(9), D1, 1);
    CHECK_SLOT_STATE(d.l1g, a1(10), D1, 0);
    CHECK_OK(seL4_CNode_Move(ROOT, t + 2, 64, d.l1g, a1(9), D1));
    CHECK_SLOT_STATE(d.l1, 9, 4, 0);
    CHECK_FULL_ENDPOINT(t + 2);
}

KTEST(cspace_three_level_lookup)
{
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc_range(4);
    /* L3[2] from every level: 17, 13 (no L1 guard), 7 (L2 original), 3 bits. */
    seL4_Word viaL1 = (((3ul << 6) | (L2_GUARD << 4) | 7) << 3) | 2;
    CHECK_OK(seL4_CNode_Copy(ROOT, t, 64, d.l1g, a3(2), D3, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(ROOT, t + 1, 64, d.l1, viaL1, 13, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(ROOT, t + 2, 64, d.l2, (7 << 3) | 2, 7, seL4_AllRights));
    CHECK_OK(seL4_CNode_Copy(ROOT, t + 3, 64, d.l3, 2, 3, seL4_AllRights));
    for (int i = 0; i < 4; i++) {
        CHECK_FULL_ENDPOINT(t + i);
    }
    /* Neighbouring slots are empty at every level. */
    CHECK_SLOT_STATE(d.l1g, a3(3), D3, 0);
    CHECK_SLOT_STATE(d.l1g, a2(6), D2, 0);
    /* Destination three levels down. */
    CHECK_OK(seL4_CNode_Copy(d.l1g, a3(6), D3, ROOT, d.ep, 64, seL4_AllRights));
    CHECK_SLOT_STATE(d.l3, 6, 3, 1);
}

KTEST(cspace_depth_mismatch_at_each_level)
{
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc();
    /* One bit short at each level: bitsLeft = bits remaining at that
     * level, bitsFound = guard + radix of that level. */
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, a1(3) >> 1, D1 - 1), 0, 7, 8);
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, a2(7) >> 2, D2 - 2), 0, 4, 6);
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, a3(2) >> 1, D3 - 1), 0, 2, 3);
    /* As a source lookup. */
    CHECK_LOOKUP_DEPTH(seL4_CNode_Copy(ROOT, t, 64, d.l1g, a3(2) >> 1, D3 - 1, seL4_AllRights), 1,
                       2, 3);
    CHECK_EMPTY(t);
}

KTEST(cspace_guard_mismatch_at_each_level)
{
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc();
    /* L1: wrong guard; and fewer bits than the guard (guard size > n). */
    CHECK_LOOKUP_GUARD(MOVE_SELF(d.l1g, (0x6ul << 4) | 3, D1), 0, 8, L1_GUARD, 4);
    CHECK_LOOKUP_GUARD(MOVE_SELF(d.l1g, L1_GUARD >> 1, 3), 0, 3, L1_GUARD, 4);
    /* L2: wrong guard with 6 bits left; and 1 bit left for a 2-bit guard. */
    CHECK_LOOKUP_GUARD(MOVE_SELF(d.l1g, (a1(3) << 6) | (2ul << 4) | 7, D2), 0, 6, L2_GUARD, 2);
    CHECK_LOOKUP_GUARD(MOVE_SELF(d.l1g, a1(3) << 1, D1 + 1), 0, 1, L2_GUARD, 2);
    /* As a source lookup. */
    CHECK_LOOKUP_GUARD(seL4_CNode_Copy(ROOT, t, 64, d.l1g, (0x6ul << 4) | 3, D1, seL4_AllRights), 1,
                       8, L1_GUARD, 4);
    CHECK_EMPTY(t);
}

KTEST(cspace_lookup_stops_early_at_non_cnode)
{
    /* semantics 1.3 d: bits left after reaching a non-CNode cap (or an
     * empty slot) => DepthMismatch(bitsLeft = remaining, bitsFound = 0). */
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc();
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, (a1(5) << 6) | 0x15, D2), 0, 6, 0); /* endpoint */
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, (a1(6) << 6) | 0x15, D2), 0, 6, 0); /* empty */
    CHECK_LOOKUP_DEPTH(MOVE_SELF(d.l1g, (a3(2) << 1) | 1, D3 + 1), 0, 1, 0);
    CHECK_LOOKUP_DEPTH(seL4_CNode_Copy(ROOT, t, 64, d.l1g, a1(5) << 6, D2, seL4_AllRights), 1, 6,
                       0);
    /* Retype destination node lookup: flag 0. */
    CHECK_LOOKUP_DEPTH(
        seL4_Untyped_Retype(d.ut, seL4_EndpointObject, 0, d.l1g, a1(5) << 6, D2, 0, 1), 0, 6, 0);
    CHECK_EMPTY(t);
}

KTEST(cspace_lookup_ending_at_cnode_cap_slot)
{
    /* A lookup that uses up its depth exactly at a slot holding a CNode cap
     * names that slot; it does not descend. */
    deep_t d;
    if (!build_deep(&d)) {
        return;
    }
    seL4_CPtr t = slot_alloc();
    CHECK_SLOT_STATE(d.l1g, a1(3), D1, 1);
    CHECK_OK(seL4_CNode_Copy(ROOT, t, 64, d.l1g, a1(3), D1, seL4_AllRights));
    /* The copy is the L2 cap with its guard 0x1 / 2 bits. */
    CHECK_SLOT_STATE(t, (L2_GUARD << 4) | 7, 6, 1);
    CHECK_SLOT_STATE(t, (L2_GUARD << 4) | 8, 6, 0);
    CHECK_LOOKUP_GUARD(MOVE_SELF(t, 7, 6), 0, 6, L2_GUARD, 2);
}

KTEST(cspace_mint_guard_masked_to_guard_size)
{
    /* updateCapData: guard = remaining bits masked to the guard size. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr c = new_object(ut, seL4_CapTableObject, 4);
    seL4_CPtr g = slot_alloc();
    if (!c || !g) {
        return;
    }
    if (!CHECK_OK(mint_root(g, c, seL4_AllRights, GUARD(0x15, 4)))) {
        return;
    }
    CHECK_LOOKUP_MISSING(MOVE_SELF(g, (0x5ul << 4) | 1, 8), 1, 8);
    CHECK_LOOKUP_GUARD(MOVE_SELF(g, (0x6ul << 4) | 1, 8), 0, 8, 0x5, 4);
}

KTEST(cspace_guard_size_plus_radix_limit)
{
    /* guard size + radix > 64 => null cap => IllegalOperation. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr c = new_object(ut, seL4_CapTableObject, 4);
    seL4_CPtr g = slot_alloc_range(3);
    if (!c || !g) {
        return;
    }
    CHECK_ERR(mint_root(g, c, seL4_AllRights, GUARD(0, 61)), seL4_IllegalOperation);
    CHECK_ERR(mutate_root(g, c, GUARD(0, 61)), seL4_IllegalOperation);
    CHECK_OCCUPIED(c);
    CHECK_EMPTY(g);
    /* Exactly 64 bits: a 60-bit zero guard, then 4 index bits. */
    CHECK_OK(mint_root(g, c, seL4_AllRights, GUARD(0, 60)));
    CHECK_LOOKUP_MISSING(MOVE_SELF(g, 3, 64), 1, 64);
    CHECK_LOOKUP_GUARD(MOVE_SELF(g, (1ul << 40) | 3, 64), 0, 64, 0, 60);
    /* The root CNode cap (radix 13) takes at most a 51-bit guard. */
    CHECK_ERR(mint_root(g + 1, ROOT, seL4_AllRights, GUARD(0, 52)), seL4_IllegalOperation);
    CHECK_OK(mint_root(g + 2, ROOT, seL4_AllRights, GUARD(0, 51)));
    CHECK_LOOKUP_MISSING(MOVE_SELF(g + 2, g + 1, 64), 1, 64);
}

KTEST(cspace_mutate_sets_guard)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr c = new_object(ut, seL4_CapTableObject, 3);
    seL4_CPtr m = slot_alloc();
    if (!c || !m) {
        return;
    }
    if (!CHECK_OK(mutate_root(m, c, GUARD(3, 2)))) {
        return;
    }
    CHECK_EMPTY(c);
    CHECK_OCCUPIED(m);
    CHECK_LOOKUP_MISSING(MOVE_SELF(m, (3ul << 3) | 1, 5), 1, 5);
    CHECK_LOOKUP_GUARD(MOVE_SELF(m, 1, 3), 0, 3, 3, 2);
    CHECK_LOOKUP_DEPTH(MOVE_SELF(m, 6, 3), 0, 3, 5);
}

KTEST(cspace_source_flag_per_lookup)
{
    /* The same failure: flag 0 on the destination, 1 on the source. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr ep = new_object(ut, seL4_EndpointObject, 0);
    seL4_CPtr s = slot_alloc();
    CHECK_LOOKUP_GUARD(seL4_CNode_Copy(ROOT, 0, 32, ROOT, ep, 64, seL4_AllRights), 0, 32, 0, 51);
    CHECK_LOOKUP_GUARD(seL4_CNode_Copy(ROOT, s, 64, ROOT, 0, 32, seL4_AllRights), 1, 32, 0, 51);
    CHECK_LOOKUP_GUARD(seL4_CNode_Mint(ROOT, s, 64, ROOT, 0, 32, seL4_AllRights, 1), 1, 32, 0, 51);
    CHECK_LOOKUP_GUARD(seL4_CNode_Move(ROOT, s, 64, ROOT, 0, 32), 1, 32, 0, 51);
    CHECK_LOOKUP_GUARD(seL4_CNode_Mutate(ROOT, s, 64, ROOT, 0, 32, 0), 1, 32, 0, 51);
    CHECK_LOOKUP_DEPTH(seL4_CNode_Mutate(ROOT, 0, 60, ROOT, ep, 64, 0), 0, 60, 64);
    CHECK_LOOKUP_DEPTH(seL4_CNode_Delete(ROOT, 0, 60), 0, 60, 64);
    CHECK_LOOKUP_DEPTH(seL4_CNode_Revoke(ROOT, 0, 60), 0, 60, 64);
    CHECK_EMPTY(s);
    CHECK_OCCUPIED(ep);
}
