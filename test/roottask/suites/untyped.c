/*
 * Untyped_Retype (semantics 3.1-3.3, seL4-abi.md 8.2): every check of
 * 3.2 in order with its detail words, the watermark (consecutive objects,
 * alignment padding, exact bytes left), device untypeds, object sizes, and
 * reuse after revoke. Ends with a "revoke everything" test over several
 * boot untypeds.
 */
#include "helpers.h"

#define LABEL(tag) seL4_MessageInfo_get_label(tag)
#define NSLOTS (1ul << CONFIG_ROOT_CNODE_SIZE_BITS)

/* ---- Steps 1-2: label and message ---------------------------------------- */

KTEST(untyped_illegal_label)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    seL4_Word labels[] = { InvalidInvocation, CNodeCopy, TCBSuspend, UntypedRetype + 1000 };
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        seL4_MessageInfo_t tag = raw_call(
            ut, labels[i], 6, RAW_MRS(seL4_EndpointObject, 0, 0, 0, s, 1), 1, RAW_CAPS(ROOT));
        if (!CHECK_ERR(LABEL(tag), seL4_IllegalOperation)) {
            printf("  label %lu\n", (unsigned long)labels[i]);
        }
    }
    CHECK_EMPTY(s);
    CHECK_BYTES_LEFT(ut, 4096);
}

KTEST(untyped_truncated_message)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    /* Five words (num_objects missing) or no extra cap. */
    CHECK_ERR(LABEL(raw_call(ut, UntypedRetype, 5, RAW_MRS(seL4_EndpointObject, 0, 0, 0, s, 1), 1,
                             RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    CHECK_ERR(LABEL(raw_call(ut, UntypedRetype, 6, RAW_MRS(seL4_EndpointObject, 0, 0, 0, s, 1), 0,
                             RAW_CAPS(ROOT))),
              seL4_TruncatedMessage);
    /* Before the type check (step 3). */
    CHECK_ERR(
        LABEL(raw_call(ut, UntypedRetype, 0, RAW_MRS(~0ul, 0, 0, 0, s, 1), 1, RAW_CAPS(ROOT))),
        seL4_TruncatedMessage);
    /* The full message works. */
    CHECK_ERR(LABEL(raw_call(ut, UntypedRetype, 6, RAW_MRS(seL4_EndpointObject, 0, 0, 0, s, 1), 1,
                             RAW_CAPS(ROOT))),
              seL4_NoError);
    CHECK_OCCUPIED(s);
}

/* ---- Steps 3-6: type and size ------------------------------------------------ */

KTEST(untyped_bad_type)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    CHECK_INVALID_ARG(retype_root(ut, seL4_ObjectTypeCount, 0, s, 1), 0);
    CHECK_INVALID_ARG(retype_root(ut, seL4_ObjectTypeCount + 1, 0, s, 1), 0);
    CHECK_INVALID_ARG(retype_root(ut, ~0ul, 0, s, 1), 0);
    /* Before the size check (step 4) and the slot checks. */
    CHECK_INVALID_ARG(retype_root(ut, seL4_ObjectTypeCount, 64, s, 0), 0);
    CHECK_EMPTY(s);
    CHECK_BYTES_LEFT(ut, 4096);
}

KTEST(untyped_size_bits_out_of_range)
{
    /* Step 4: size_bits >= 64 or an object larger than 2^47 =>
     * RangeError(0, 47), for every type. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    CHECK_RANGE_ERR(retype_root(ut, seL4_UntypedObject, 64, s, 1), 0, 47);
    CHECK_RANGE_ERR(retype_root(ut, seL4_UntypedObject, 48, s, 1), 0, 47);
    CHECK_RANGE_ERR(retype_root(ut, seL4_UntypedObject, ~0ul, s, 1), 0, 47);
    CHECK_RANGE_ERR(retype_root(ut, seL4_CapTableObject, 43, s, 1), 0, 47); /* 2^48 bytes */
    CHECK_RANGE_ERR(retype_root(ut, seL4_CapTableObject, 64, s, 1), 0, 47);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 64, s, 1), 0, 47);
    CHECK_RANGE_ERR(retype_root(ut, seL4_TCBObject, 100, s, 1), 0, 47);
    /* The largest sizes pass the range check and fail only for memory. */
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_UntypedObject, 47, s, 1), 4096);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_CapTableObject, 42, s, 1), 4096);
    CHECK_EMPTY(s);
}

KTEST(untyped_size_bits_ignored_for_fixed_size_types)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(3);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 63, s, 1));
    CHECK_BYTES_LEFT(ut, 4096 - 16);
    CHECK_OK(retype_root(ut, seL4_NotificationObject, 47, s + 1, 1));
    CHECK_BYTES_LEFT(ut, 4096 - 64);
    CHECK_OK(retype_root(ut, seL4_TCBObject, 1, s + 2, 1));
    CHECK_BYTES_LEFT(ut, 0);
}

KTEST(untyped_minimum_sizes)
{
    /* Steps 5-6: CNode size 0 and Untyped size < 4 => InvalidArgument(1). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(2);
    if (!ut || !s) {
        return;
    }
    CHECK_INVALID_ARG(retype_root(ut, seL4_CapTableObject, 0, s, 1), 1);
    CHECK_INVALID_ARG(retype_root(ut, seL4_UntypedObject, 3, s, 1), 1);
    CHECK_INVALID_ARG(retype_root(ut, seL4_UntypedObject, 0, s, 1), 1);
    /* Before the destination lookup (step 7). */
    CHECK_INVALID_ARG(seL4_Untyped_Retype(ut, seL4_CapTableObject, 0, ROOT, s, 65, 0, 1), 1);
    CHECK_INVALID_ARG(
        seL4_Untyped_Retype(ut, seL4_UntypedObject, 2, seL4_CapInitThreadTCB, s, 64, 0, 1), 1);
    CHECK_EMPTY(s);
    /* The minimum sizes themselves work. */
    CHECK_OK(retype_root(ut, seL4_UntypedObject, 4, s, 1));
    CHECK_OK(retype_root(ut, seL4_CapTableObject, 1, s + 1, 1));
    CHECK_TRUE(cnode_has_radix(s + 1, 1));
    CHECK_BYTES_LEFT(s, 16);
    CHECK_BYTES_LEFT(ut, 4096 - 128);
}

/* ---- Steps 7-12: destination ----------------------------------------------------- */

KTEST(untyped_destination_lookup_errors)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 65, 0, 1), 1, 64);
    CHECK_LOOKUP_GUARD(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 32, 0, 1), 0, 32,
                       0, 51);
    CHECK_LOOKUP_DEPTH(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 60, 0, 1), 0, 60,
                       64);
    CHECK_LOOKUP_INVALID_ROOT(
        seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadTCB, ROOT, 64, 0, 1), 0);
    /* The lookup precedes the offset check (offset 99999 is out of range). */
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 0, 99999, 1), 0,
                    NSLOTS - 1);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 65, 99999, 1), 1,
                    64);
    CHECK_BYTES_LEFT(ut, 4096);
}

KTEST(untyped_destination_not_a_cnode)
{
    /* Step 8: FailedLookup(flag 0, MissingCapability, bitsLeft = node_depth). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr e = slot_alloc();
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    if (!ut || !e || !cn) {
        return;
    }
    seL4_Word T = seL4_CapInitThreadTCB;
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, T, 64, 0, 1), 0, 64);
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, e, 64, 0, 1), 0, 64);
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ut, 64, 0, 1), 0,
                         64);
    /* An empty slot inside a radix-2 CNode: bitsLeft 2. */
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 1, 2, 0, 1), 0, 2);
    /* Depth 0 with a root that is not a CNode: bitsLeft 0. */
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, T, 0, 0, 0, 1), 0, 0);
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ut, 0, 0, 0, 1), 0, 0);
    /* Before the offset check. */
    CHECK_LOOKUP_MISSING(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, T, 64, 99999, 0), 0,
                         64);
    CHECK_EMPTY(e);
    CHECK_BYTES_LEFT(ut, 4096 - 128);
}

KTEST(untyped_node_offset_range)
{
    /* Step 9: node_offset > 2^radix - 1 => RangeError(0, 2^radix - 1). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    if (!ut || !cn) {
        return;
    }
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, NSLOTS, 1), 0, NSLOTS - 1);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, ~0ul, 1), 0, NSLOTS - 1);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 4, 1), 0, 3);
    /* Before the num_objects checks. */
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 4, 0), 0, 3);
    /* The last slot is a valid offset. */
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 3, 1));
    CHECK_SLOT_STATE(cn, 3, 2, 1);
}

KTEST(untyped_num_objects_range)
{
    /* Step 10: 1..256 (fan-out limit); step 11: at most 2^radix - offset. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr cn = new_object(ut, seL4_CapTableObject, 2);
    seL4_CPtr s = slot_alloc();
    if (!ut || !cn || !s) {
        return;
    }
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, s, 0), 1, 256);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, s, 257), 1, 256);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, s, ~0ul), 1, 256);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, NSLOTS - 2, 3), 1, 2);
    CHECK_RANGE_ERR(retype_root(ut, seL4_EndpointObject, 0, NSLOTS - 2, 257), 1, 256);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 1, 4), 1, 3);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 5), 1, 4);
    CHECK_EMPTY(s);
    /* Exactly to the end of the CNode. */
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 1, 3));
    CHECK_SLOT_STATE(cn, 0, 2, 0);
    CHECK_SLOT_STATE(cn, 1, 2, 1);
    CHECK_SLOT_STATE(cn, 3, 2, 1);
}

KTEST(untyped_window_occupied_delete_first)
{
    /* Step 12: any occupied slot of the window => DeleteFirst; nothing is
     * created. Slot checks come before the memory check (14.3). */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr w = slot_alloc_range(4);
    if (!ut || !w) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, w + 2, 1));
    CHECK_ERR(retype_root(ut, seL4_EndpointObject, 0, w, 4), seL4_DeleteFirst);
    CHECK_ERR(retype_root(ut, seL4_EndpointObject, 0, w + 2, 2), seL4_DeleteFirst);
    CHECK_ERR(retype_root(ut, seL4_TCBObject, 0, w, 4), seL4_DeleteFirst); /* too big, too */
    CHECK_EMPTY(w);
    CHECK_EMPTY(w + 1);
    CHECK_EMPTY(w + 3);
    CHECK_BYTES_LEFT(ut, 4096 - 16);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, w, 2));
}

/* ---- Steps 13-16: memory ------------------------------------------------------------ */

KTEST(untyped_not_enough_memory_exact)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(256);
    if (!ut || !s) {
        return;
    }
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_TCBObject, 0, s, 3), 4096);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_UntypedObject, 13, s, 1), 4096);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_CapTableObject, 8, s, 1), 4096);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 1));
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_EndpointObject, 0, s + 1, 256), 4080);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_TCBObject, 0, s + 1, 2), 4080);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_UntypedObject, 12, s + 1, 1), 4080);
    CHECK_EMPTY(s + 1);
    CHECK_BYTES_LEFT(ut, 4080);
}

KTEST(untyped_watermark_consecutive_objects)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(16);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 10));
    CHECK_BYTES_LEFT(ut, 4096 - 160);
    CHECK_OK(retype_root(ut, seL4_NotificationObject, 0, s + 10, 5));
    CHECK_BYTES_LEFT(ut, 4096 - 320);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s + 15, 1));
    CHECK_BYTES_LEFT(ut, 4096 - 336);
}

KTEST(untyped_alignment_padding)
{
    /* Step 16: each object starts at the free index rounded up to its size;
     * the padding is consumed. */
    seL4_CPtr ut = ut_new(13);
    seL4_CPtr s = slot_alloc_range(6);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 1)); /* [0, 16) */
    CHECK_BYTES_LEFT(ut, 8192 - 16);
    CHECK_OK(retype_root(ut, seL4_NotificationObject, 0, s + 1, 1)); /* [32, 64) */
    CHECK_BYTES_LEFT(ut, 8192 - 64);
    CHECK_OK(retype_root(ut, seL4_TCBObject, 0, s + 2, 1)); /* [2048, 4096) */
    CHECK_BYTES_LEFT(ut, 4096);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s + 3, 1)); /* [4096, 4112) */
    CHECK_BYTES_LEFT(ut, 4096 - 16);
    CHECK_OK(retype_root(ut, seL4_CapTableObject, 6, s + 4, 1)); /* [6144, 8192) */
    CHECK_BYTES_LEFT(ut, 0);
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_EndpointObject, 0, s + 5, 1), 0);
}

KTEST(untyped_free_check_uses_unaligned_region)
{
    /* 3.2 note: the check uses the unaligned free bytes; it is exact since
     * the untyped's end is aligned. 4080 free bytes hold one 2 KiB TCB (at
     * 2048) but not two. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(3);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 1));
    CHECK_NOT_ENOUGH_MEM(retype_root(ut, seL4_TCBObject, 0, s + 1, 2), 4080);
    CHECK_OK(retype_root(ut, seL4_TCBObject, 0, s + 1, 1));
    CHECK_BYTES_LEFT(ut, 0);
}

KTEST(untyped_object_sizes_in_4k)
{
    /* semantics 3.3: EP 2^4, NTFN 2^5, TCB 2^11, CNode 2^(n+5), Untyped 2^n:
     * exactly 256 / 128 / 2 / 1 / 256 of them fill 4 KiB; one more fails. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(257);
    if (!ut || !s) {
        return;
    }
    struct {
        seL4_Word type, bits, count;
    } kinds[] = {
        { seL4_EndpointObject, 0, 256 }, { seL4_NotificationObject, 0, 128 },
        { seL4_TCBObject, 0, 2 },        { seL4_CapTableObject, 7, 1 },
        { seL4_UntypedObject, 4, 256 },  { seL4_UntypedObject, 10, 4 },
    };
    CHECK_EQ(seL4_TCBBits, 11);
    for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        int ok = CHECK_OK(retype_root(ut, kinds[i].type, kinds[i].bits, s, kinds[i].count));
        ok &= CHECK_BYTES_LEFT(ut, 0);
        ok &= CHECK_NOT_ENOUGH_MEM(
            retype_root(ut, kinds[i].type, kinds[i].bits, s + kinds[i].count, 1), 0);
        ok &= CHECK_OCCUPIED(s + kinds[i].count - 1);
        ok &= CHECK_EMPTY(s + kinds[i].count);
        if (!ok) {
            printf("  type %lu size_bits %lu\n", (unsigned long)kinds[i].type,
                   (unsigned long)kinds[i].bits);
        }
        CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
        CHECK_BYTES_LEFT(ut, 4096);
    }
}

KTEST(untyped_reuse_after_children_go)
{
    /* An untyped whose children are all gone (revoked, or deleted one by
     * one) is reset at the next retype: its full size is available. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(256);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_TCBObject, 0, s, 2));
    CHECK_BYTES_LEFT(ut, 0);
    CHECK_OK(seL4_CNode_Revoke(ROOT, ut, 64));
    CHECK_EMPTY(s);
    CHECK_EMPTY(s + 1);
    CHECK_BYTES_LEFT(ut, 4096);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 2));
    CHECK_BYTES_LEFT(ut, 4096 - 32);
    CHECK_OK(seL4_CNode_Delete(ROOT, s, 64));
    CHECK_BYTES_LEFT(ut, 4096 - 32); /* one child left */
    CHECK_OK(seL4_CNode_Delete(ROOT, s + 1, 64));
    CHECK_BYTES_LEFT(ut, 4096);
    CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 256));
    CHECK_BYTES_LEFT(ut, 0);
}

KTEST(untyped_child_untyped)
{
    /* A child untyped starts empty (free index 0) and can be the parent's
     * full size. */
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(4);
    if (!ut || !s) {
        return;
    }
    CHECK_OK(retype_root(ut, seL4_UntypedObject, 12, s, 1));
    CHECK_BYTES_LEFT(ut, 0);
    CHECK_BYTES_LEFT(s, 4096);
    CHECK_OK(retype_root(s, seL4_UntypedObject, 11, s + 1, 2));
    CHECK_BYTES_LEFT(s, 0);
    CHECK_BYTES_LEFT(s + 1, 2048);
    CHECK_OK(retype_root(s + 2, seL4_TCBObject, 0, s + 3, 1));
    CHECK_BYTES_LEFT(s + 2, 0);
    CHECK_BYTES_LEFT(s + 1, 2048);
}

KTEST(untyped_retype_into_other_cnodes)
{
    /* Destination CNode named by (root, index, depth), or the root itself
     * with depth 0, at any level. */
    seL4_CPtr ut = ut_new(14);
    seL4_CPtr x = new_object(ut, seL4_CapTableObject, 3);
    seL4_CPtr y = new_object(ut, seL4_CapTableObject, 2);
    if (!x || !y) {
        return;
    }
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, x, 64, 2, 3));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, x, 0, 0, 5, 1));
    CHECK_OK(seL4_CNode_Move(x, 7, 3, ROOT, y, 64));
    CHECK_OK(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, x, 7, 3, 0, 4));
    for (int i = 0; i < 8; i++) {
        CHECK_SLOT_STATE(x, i, 3, i >= 2 && i != 6); /* x[2..5] endpoints, x[7] = y */
    }
    for (int i = 0; i < 4; i++) {
        CHECK_SLOT_STATE(x, (7 << 2) | i, 5, 1);
    }
    /* The window is checked against that CNode's radix. */
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, x, 7, 3, 4, 1), 0, 3);
    CHECK_RANGE_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, x, 7, 3, 1, 4), 1, 3);
    CHECK_ERR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, x, 7, 3, 3, 1), seL4_DeleteFirst);
}

KTEST(untyped_fan_out_256)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc_range(257);
    if (!ut || !s) {
        return;
    }
    if (!CHECK_OK(retype_root(ut, seL4_EndpointObject, 0, s, 256))) {
        return;
    }
    for (int i = 0; i < 256; i++) {
        if (!CHECK_OCCUPIED(s + i)) {
            break;
        }
    }
    CHECK_EMPTY(s + 256);
    CHECK_FULL_ENDPOINT(s);
    CHECK_FULL_ENDPOINT(s + 255);
}

/* ---- Device untypeds (step 15) -------------------------------------------------------- */

KTEST(untyped_device_restrictions)
{
    /* Only frames and untypeds come from device memory: other types =>
     * InvalidArgument(1). A child untyped inherits the device flag. */
    seL4_CPtr dev = ut_new_device(16);
    seL4_CPtr s = slot_alloc_range(2);
    if (!dev || !s) {
        return;
    }
    CHECK_INVALID_ARG(retype_root(dev, seL4_TCBObject, 0, s, 1), 1);
    CHECK_INVALID_ARG(retype_root(dev, seL4_EndpointObject, 0, s, 1), 1);
    CHECK_INVALID_ARG(retype_root(dev, seL4_NotificationObject, 0, s, 1), 1);
    CHECK_INVALID_ARG(retype_root(dev, seL4_CapTableObject, 4, s, 1), 1);
    CHECK_EMPTY(s);
    CHECK_BYTES_LEFT(dev, 1ul << 16);
    CHECK_OK(retype_root(dev, seL4_UntypedObject, 12, s, 1));
    CHECK_BYTES_LEFT(dev, (1ul << 16) - 4096);
    CHECK_INVALID_ARG(retype_root(s, seL4_TCBObject, 0, s + 1, 1), 1);
    CHECK_INVALID_ARG(retype_root(s, seL4_CapTableObject, 1, s + 1, 1), 1);
    CHECK_OK(retype_root(s, seL4_UntypedObject, 4, s + 1, 1));
}

KTEST(untyped_device_memory_checked_first)
{
    /* 14.3: the memory check (step 14) precedes the device restriction. */
    seL4_CPtr dev = ut_new_device(16);
    seL4_CPtr s = slot_alloc_range(2);
    if (!dev || !s) {
        return;
    }
    CHECK_OK(retype_root(dev, seL4_UntypedObject, 10, s, 1));
    CHECK_NOT_ENOUGH_MEM(retype_root(s, seL4_TCBObject, 0, s + 1, 1), 1024);
    CHECK_NOT_ENOUGH_MEM(retype_root(s, seL4_EndpointObject, 0, s + 1, 65), 1024);
    CHECK_INVALID_ARG(retype_root(s, seL4_EndpointObject, 0, s + 1, 64), 1);
    /* And the slot check precedes both. */
    CHECK_ERR(retype_root(s, seL4_TCBObject, 0, s, 1), seL4_DeleteFirst);
}

/* ---- Reply lengths --------------------------------------------------------------------- */

KTEST(untyped_error_reply_lengths)
{
    seL4_CPtr ut = ut_new(12);
    seL4_CPtr s = slot_alloc();
    if (!ut || !s) {
        return;
    }
    struct {
        const char *what;
        seL4_Word mrs[8];
        seL4_Word err, replyLen, mr0;
    } cases[] = {
        { "InvalidArgument(0)", { ~0ul, 0, 0, 0, s, 1 }, seL4_InvalidArgument, 1, 0 },
        { "InvalidArgument(1)",
          { seL4_CapTableObject, 0, 0, 0, s, 1 },
          seL4_InvalidArgument,
          1,
          1 },
        { "RangeError", { seL4_UntypedObject, 64, 0, 0, s, 1 }, seL4_RangeError, 2, 0 },
        { "NotEnoughMemory", { seL4_TCBObject, 0, 0, 0, s, 3 }, seL4_NotEnoughMemory, 1, 4096 },
        { "DeleteFirst", { seL4_TCBObject, 0, 0, 0, ROOT, 1 }, seL4_DeleteFirst, 0, 0 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seL4_MessageInfo_t tag = raw_call(ut, UntypedRetype, 6, cases[i].mrs, 1, RAW_CAPS(ROOT));
        int ok = CHECK_ERR(LABEL(tag), cases[i].err);
        ok &= CHECK_EQ(seL4_MessageInfo_get_length(tag), cases[i].replyLen);
        if (cases[i].replyLen > 0) {
            ok &= CHECK_EQ(seL4_GetMR(0), cases[i].mr0);
        }
        if (!ok) {
            printf("  case %s\n", cases[i].what);
        }
    }
    CHECK_EMPTY(s);
}

/* ---- Revoke everything ----------------------------------------------------------------- */

KTEST(untyped_revoke_everything)
{
    /* Derive widely from three RAM boot untypeds and one device untyped,
     * with caps of one untyped's objects stored in CNodes made from
     * another; revoking the boot untypeds must bring all of them (and every
     * other boot untyped) back to full size, and the whole region can be
     * retyped again. */
    int idx[4] = { boot_untyped_index(16, 0, 0), boot_untyped_index(16, 0, 1),
                   boot_untyped_index(16, 0, 2), boot_untyped_index(16, 1, 0) };
    for (int i = 0; i < 4; i++) {
        if (!CHECK_TRUE(idx[i] >= 0)) {
            return;
        }
        use_boot_untyped(idx[i]);
    }
    seL4_CPtr A = boot_untyped_slot(idx[0]), B = boot_untyped_slot(idx[1]);
    seL4_CPtr C = boot_untyped_slot(idx[2]), D = boot_untyped_slot(idx[3]);

    /* From A, into the root CNode. */
    seL4_CPtr eps = new_objects(A, seL4_EndpointObject, 0, 4);
    seL4_CPtr ntfns = new_objects(A, seL4_NotificationObject, 0, 2);
    seL4_CPtr tcb = new_object(A, seL4_TCBObject, 0);
    seL4_CPtr x = new_object(A, seL4_CapTableObject, 4);
    seL4_CPtr v = new_object(A, seL4_UntypedObject, 12);
    /* From A's child untyped v. */
    seL4_CPtr ve = new_objects(v, seL4_EndpointObject, 0, 8);
    seL4_CPtr y = new_object(v, seL4_CapTableObject, 2);
    /* From C: a child untyped and its copy. */
    seL4_CPtr w = new_object(C, seL4_UntypedObject, 14);
    seL4_CPtr wc = slot_alloc();
    /* From D (device): a child untyped and a copy of it. */
    seL4_CPtr dv = new_object(D, seL4_UntypedObject, 12);
    seL4_CPtr dc = slot_alloc();
    seL4_CPtr full = slot_alloc_range(4);
    if (!eps || !ntfns || !tcb || !x || !v || !ve || !y || !w || !wc || !dv || !dc || !full) {
        return;
    }
    int ok = 1;
    /* From B, straight into x: notifications in x[0..3], CNode z in x[4]. */
    ok &= CHECK_OK(seL4_Untyped_Retype(B, seL4_NotificationObject, 0, x, 0, 0, 0, 4));
    ok &= CHECK_OK(seL4_Untyped_Retype(B, seL4_CapTableObject, 4, x, 0, 0, 4, 1));
    /* From C's copy wc: endpoints in z[0..7] (z = x[4], 8 bits deep). */
    ok &= CHECK_OK(copy_root(wc, w, seL4_AllRights));
    ok &= CHECK_OK(seL4_Untyped_Retype(wc, seL4_EndpointObject, 0, x, 4, 4, 0, 8));
    /* Copies and mints spread around. */
    ok &= CHECK_OK(seL4_CNode_Copy(x, 5, 4, ROOT, eps, 64, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Mint(x, 6, 4, ROOT, eps + 1, 64, seL4_AllRights, 7));
    ok &= CHECK_OK(seL4_CNode_Copy(y, 0, 2, x, 6, 4, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(x, 7, 4, ROOT, y, 64, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(x, 8, 4, ROOT, tcb, 64, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(x, (4 << 4) | 8, 8, ROOT, ve, 64, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Mint(x, (4 << 4) | 9, 8, ROOT, ve + 1, 64, seL4_AllRights, 3));
    ok &= CHECK_OK(seL4_CNode_Copy(x, (4 << 4) | 10, 8, ROOT, ntfns, 64, seL4_AllRights));
    ok &= CHECK_OK(copy_root(dc, dv, seL4_AllRights));
    ok &= CHECK_OK(seL4_CNode_Copy(x, 9, 4, ROOT, dc, 64, seL4_AllRights));
    if (!ok) {
        return;
    }

    /* Revoking A deletes everything made from A, and with x every cap
     * stored in it (B's notifications, the copies and mints). */
    CHECK_OK(seL4_CNode_Revoke(ROOT, A, 64));
    seL4_CPtr fromA[] = { eps, eps + 3, ntfns, ntfns + 1, tcb, x, v, ve, ve + 7, y };
    for (unsigned i = 0; i < sizeof(fromA) / sizeof(fromA[0]); i++) {
        CHECK_EMPTY(fromA[i]);
    }
    CHECK_BYTES_LEFT(A, 1ul << boot_untyped_bits(idx[0]));
    CHECK_OCCUPIED(w);
    CHECK_OCCUPIED(wc);
    CHECK_OCCUPIED(dv);
    CHECK_OCCUPIED(dc);
    /* z (from B) was stored only in x. Whether deleting x destroys z at
     * once or leaves it as a zombie until B is revoked is left open by
     * semantics 2.7 (see mdb.c); after revoking B, z and the endpoints of
     * wc stored in it are gone either way. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, B, 64));
    CHECK_BYTES_LEFT(B, 1ul << boot_untyped_bits(idx[1]));
    CHECK_BYTES_LEFT(wc, 1ul << 14);
    CHECK_OK(seL4_CNode_Revoke(ROOT, C, 64));
    CHECK_OK(seL4_CNode_Revoke(ROOT, D, 64));
    CHECK_EMPTY(w);
    CHECK_EMPTY(wc);
    CHECK_EMPTY(dv);
    CHECK_EMPTY(dc);

    /* Every boot untyped is whole, and each of ours can be retyped whole. */
    seL4_Word n = bootinfo()->untyped.end - bootinfo()->untyped.start;
    for (seL4_Word i = 0; i < n; i++) {
        unsigned bits = boot_untyped_bits((int)i);
        if (bits < seL4_MaxUntypedBits &&
            !CHECK_BYTES_LEFT(boot_untyped_slot((int)i), 1ul << bits)) {
            printf("  boot untyped %lu (2^%u at 0x%lx)\n", (unsigned long)i, bits,
                   (unsigned long)bootinfo()->untypedList[i].paddr);
        }
    }
    for (int i = 0; i < 4; i++) {
        unsigned bits = boot_untyped_bits(idx[i]);
        seL4_CPtr ut = boot_untyped_slot(idx[i]);
        CHECK_OK(retype_root(ut, seL4_UntypedObject, bits, full + i, 1));
        CHECK_BYTES_LEFT(ut, 0);
        CHECK_BYTES_LEFT(full + i, 1ul << bits);
    }
}
