/*
 * Untyped_Retype: checks in the order of semantics.md 3.2, then a reset of
 * an untyped without children (preemptible, from the top down) and the
 * creation of the objects, each cap a child of the untyped.
 */
#include <api/invocation.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/cspace.h>
#include <kernel/preemption.h>
#include <kernel/thread.h>
#include <object/cnode.h>
#include <object/untyped.h>

/* Everything decode established, ready for invokeUntypedRetype. */
typedef struct {
    cte_t *untypedSlot;
    bool reset;
    pptr_t firstObject;
    word_t type;
    word_t userBits;
    word_t objectBits;
    cte_t *destSlots;
    word_t count;
    bool device;
} retype_t;

/* Zero the used part of an untyped and set its free index to 0, in chunks
 * from the top so that a preempted reset keeps its progress. */
static exception_t resetUntypedCap(cte_t *slot)
{
    cap_t cap = slot->cap;
    word_t used = cap_untyped_cap_get_capFreeIndex(cap) << seL4_MinUntypedBits;
    word_t bits = cap_untyped_cap_get_capBlockSize(cap);
    pptr_t base = cap_untyped_cap_get_capPtr(cap);
    if (used == 0) {
        return EXCEPTION_NONE;
    }
    if (cap_untyped_cap_get_capIsDevice(cap) || bits < RESET_CHUNK_BITS) {
        if (!cap_untyped_cap_get_capIsDevice(cap)) {
            memzero((void *)base, BIT(bits));
        }
        slot->cap = cap_untyped_cap_set_capFreeIndex(cap, 0);
        return EXCEPTION_NONE;
    }
    for (sword_t offset = (sword_t)ROUND_DOWN(used - 1, RESET_CHUNK_BITS); offset >= 0;
         offset -= (sword_t)BIT(RESET_CHUNK_BITS)) {
        Arch_clearMemory((void *)(base + (word_t)offset), BIT(RESET_CHUNK_BITS));
        slot->cap =
            cap_untyped_cap_set_capFreeIndex(slot->cap, (word_t)offset >> seL4_MinUntypedBits);
        exception_t status = preemptionPoint();
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    return EXCEPTION_NONE;
}

static exception_t invokeUntypedRetype(const retype_t *r)
{
    setThreadState(ksCurThread, ThreadState_Restart);
    if (r->reset) {
        exception_t status = resetUntypedCap(r->untypedSlot);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    cap_t ut = r->untypedSlot->cap;
    pptr_t end = r->firstObject + (r->count << r->objectBits);
    r->untypedSlot->cap = cap_untyped_cap_set_capFreeIndex(
        ut, (end - cap_untyped_cap_get_capPtr(ut)) >> seL4_MinUntypedBits);
    for (word_t i = 0; i < r->count; i++) {
        pptr_t obj = r->firstObject + (i << r->objectBits);
        cap_t cap = createObject(r->type, obj, r->userBits, r->device);
        insertNewCap(r->untypedSlot, &r->destSlots[i], cap);
    }
    return EXCEPTION_NONE;
}

/* Steps 3-6: the type and the size. */
static exception_t checkTypeAndSize(word_t type, word_t userBits, word_t *objectBits)
{
    if (type >= seL4_ObjectTypeCount) {
        userError("Untyped Retype: type %lu does not exist (at most %u)", (unsigned long)type,
                  seL4_ObjectTypeCount - 1);
        return syscallErrorInvalidArgument(0);
    }
    *objectBits = userBits < wordBits ? getObjectSize(type, userBits) : wordBits;
    if (userBits >= wordBits || *objectBits > seL4_MaxUntypedBits) {
        userError("Untyped Retype: size bits %lu give an object larger than 2^%u",
                  (unsigned long)userBits, seL4_MaxUntypedBits);
        return syscallErrorRange(0, seL4_MaxUntypedBits);
    }
    if (type == seL4_CapTableObject && userBits == 0) {
        userError("Untyped Retype: a CNode needs at least 1 size bit");
        return syscallErrorInvalidArgument(1);
    }
    if (type == seL4_UntypedObject && userBits < seL4_MinUntypedBits) {
        userError("Untyped Retype: an untyped needs at least %u size bits, got %lu",
                  seL4_MinUntypedBits, (unsigned long)userBits);
        return syscallErrorInvalidArgument(1);
    }
    return EXCEPTION_NONE;
}

/* Steps 7-12: the destination CNode and the window of empty slots. */
static exception_t checkDestination(const struct UntypedRetype_args *a, cte_t **slots)
{
    cap_t root = ksCurExtraCaps[0]->cap;
    cap_t node = root;
    if (a->node_depth != 0) {
        lookupSlot_ret_t l = lookupSlotForCNodeOp(false, root, a->node_index, a->node_depth);
        if (l.status != EXCEPTION_NONE) {
            userError("Untyped Retype: destination CNode lookup failed");
            return l.status;
        }
        node = l.slot->cap;
    }
    if (cap_get_capType(node) != cap_cnode_cap) {
        userError("Untyped Retype: destination is not a CNode (cap type %lu)",
                  (unsigned long)cap_get_capType(node));
        ksCurSyscallError.failedLookupWasSource = false;
        ksCurLookupFault = lookupFaultMissingCap(a->node_depth);
        return syscallError(seL4_FailedLookup);
    }
    word_t slots_n = BIT(cap_cnode_cap_get_capCNodeRadix(node));
    if (a->node_offset > slots_n - 1) {
        userError("Untyped Retype: offset %lu beyond the CNode's %lu slots",
                  (unsigned long)a->node_offset, (unsigned long)slots_n);
        return syscallErrorRange(0, slots_n - 1);
    }
    if (a->num_objects < 1 || a->num_objects > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        userError("Untyped Retype: %lu objects requested (1..%u)", (unsigned long)a->num_objects,
                  CONFIG_RETYPE_FAN_OUT_LIMIT);
        return syscallErrorRange(1, CONFIG_RETYPE_FAN_OUT_LIMIT);
    }
    if (a->num_objects > slots_n - a->node_offset) {
        userError("Untyped Retype: %lu objects do not fit after offset %lu",
                  (unsigned long)a->num_objects, (unsigned long)a->node_offset);
        return syscallErrorRange(1, slots_n - a->node_offset);
    }
    cte_t *dest = (cte_t *)cap_cnode_cap_get_capCNodePtr(node) + a->node_offset;
    for (word_t i = 0; i < a->num_objects; i++) {
        if (cap_get_capType(dest[i].cap) != cap_null_cap) {
            userError("Untyped Retype: destination slot %lu is not empty",
                      (unsigned long)(a->node_offset + i));
            return syscallError(seL4_DeleteFirst);
        }
    }
    *slots = dest;
    return EXCEPTION_NONE;
}

exception_t decodeUntypedInvocation(const invocation_t *inv)
{
    if (inv->label != UntypedRetype) {
        userError("Untyped: label %lu is not Retype", (unsigned long)inv->label);
        return syscallError(seL4_IllegalOperation);
    }
    if (inv->length < UntypedRetype_MinLength || ksCurExtraCaps[0] == NULL) {
        userError("Untyped Retype: message of %lu words, need 6 and a root CNode",
                  (unsigned long)inv->length);
        return syscallError(seL4_TruncatedMessage);
    }
    struct UntypedRetype_args a = unpackUntypedRetypeArgs(inv->buffer);
    retype_t r = {
        .untypedSlot = inv->slot, .type = a.type, .userBits = a.size_bits, .count = a.num_objects
    };
    exception_t status = checkTypeAndSize(a.type, a.size_bits, &r.objectBits);
    if (status == EXCEPTION_NONE) {
        status = checkDestination(&a, &r.destSlots);
    }
    if (status != EXCEPTION_NONE) {
        return status;
    }

    /* Steps 13-16: where the objects go. */
    cap_t ut = inv->cap;
    pptr_t base = cap_untyped_cap_get_capPtr(ut);
    r.reset = ensureNoChildren(inv->slot) == EXCEPTION_NONE;
    word_t freeIndex = r.reset ? 0 : cap_untyped_cap_get_capFreeIndex(ut);
    word_t freeBytes =
        BIT(cap_untyped_cap_get_capBlockSize(ut)) - (freeIndex << seL4_MinUntypedBits);
    if ((freeBytes >> r.objectBits) < r.count) {
        userError("Untyped Retype: %lu objects of 2^%lu bytes need more than the %lu bytes left",
                  (unsigned long)r.count, (unsigned long)r.objectBits, (unsigned long)freeBytes);
        ksCurSyscallError.memoryLeft = freeBytes;
        return syscallError(seL4_NotEnoughMemory);
    }
    r.device = cap_untyped_cap_get_capIsDevice(ut);
    if (r.device && a.type != seL4_UntypedObject && !Arch_isFrameType(a.type)) {
        userError("Untyped Retype: device memory can only become frames or untypeds");
        return syscallErrorInvalidArgument(1);
    }
    r.firstObject = ROUND_UP(base + (freeIndex << seL4_MinUntypedBits), r.objectBits);
    return invokeUntypedRetype(&r);
}
