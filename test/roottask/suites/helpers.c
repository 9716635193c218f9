/*
 * Shared helpers of the kernel-object suites: slot allocation and clean-up,
 * untyped discovery, error-detail checks and slot probes (helpers.h).
 * Owns the allocator state; tests run one after another in one thread.
 */
#include "helpers.h"

#include <string.h>

#define NUM_SLOTS (1ul << CONFIG_ROOT_CNODE_SIZE_BITS)
#define MAX_TRACKED 2048
#define MAX_PARENTS 64

enum { SLOT_FREE = 0, SLOT_USED = 1, SLOT_LEAKED = 2 };

static unsigned char slotUse[NUM_SLOTS]; /* SLOT_*; only bi->empty is ever used */
static seL4_CPtr tracked[MAX_TRACKED];   /* slots handed out, in allocation order */
static seL4_Word numTracked;
static int parents[MAX_PARENTS]; /* boot untyped indices used by the running test */
static int numParents;
static seL4_CPtr probeSlot; /* reserved empty slot for ut_bytes_left (never handed out) */

seL4_BootInfo *bootinfo(void)
{
    return seL4_GetBootInfo();
}

static void init_once(void)
{
    static int done;
    if (done) {
        return;
    }
    done = 1;
    /* The last slot of the root CNode is the probe's destination. */
    probeSlot = bootinfo()->empty.end - 1;
    slotUse[probeSlot] = SLOT_LEAKED;
}

/* ---- Slots ---------------------------------------------------------------- */

static seL4_CPtr take(seL4_CPtr s)
{
    slotUse[s] = SLOT_USED;
    if (numTracked < MAX_TRACKED) {
        tracked[numTracked++] = s;
    } else {
        TEST_FAIL("slot allocator: more than %d slots in one test", MAX_TRACKED);
    }
    return s;
}

seL4_CPtr slot_alloc_range(seL4_Word n)
{
    init_once();
    seL4_BootInfo *b = bootinfo();
    seL4_Word run = 0;
    for (seL4_CPtr s = b->empty.start; s < b->empty.end; s++) {
        run = slotUse[s] == SLOT_FREE ? run + 1 : 0;
        if (run == n) {
            seL4_CPtr first = s + 1 - n;
            for (seL4_Word i = 0; i < n; i++) {
                take(first + i);
            }
            return first;
        }
    }
    TEST_FAIL("slot allocator: no %lu consecutive free slots", (unsigned long)n);
    return 0;
}

seL4_CPtr slot_alloc(void)
{
    return slot_alloc_range(1);
}

void slot_forget(seL4_CPtr slot)
{
    for (seL4_Word i = 0; i < numTracked; i++) {
        if (tracked[i] == slot) {
            memmove(&tracked[i], &tracked[i + 1], (numTracked - i - 1) * sizeof(tracked[0]));
            numTracked--;
            break;
        }
    }
    if (slot < NUM_SLOTS) {
        slotUse[slot] = SLOT_LEAKED;
    }
}

seL4_Word slots_in_use(void)
{
    return numTracked;
}

/* ---- Untypeds --------------------------------------------------------------- */

static seL4_Word numBootUntypeds(void)
{
    return bootinfo()->untyped.end - bootinfo()->untyped.start;
}

int boot_untyped_index(unsigned minBits, int device, int skip)
{
    /* Smallest fitting first, so tests do not zero big blocks needlessly. */
    int chosen[MAX_PARENTS];
    int numChosen = 0;
    for (int round = 0; round <= skip; round++) {
        int best = -1;
        for (seL4_Word i = 0; i < numBootUntypeds(); i++) {
            seL4_UntypedDesc *u = &bootinfo()->untypedList[i];
            int taken = 0;
            for (int c = 0; c < numChosen; c++) {
                taken |= chosen[c] == (int)i;
            }
            if (taken || !u->isDevice != !device || u->sizeBits < minBits) {
                continue;
            }
            if (best < 0 || u->sizeBits < bootinfo()->untypedList[best].sizeBits) {
                best = (int)i;
            }
        }
        if (best < 0) {
            return -1;
        }
        if (numChosen < MAX_PARENTS) {
            chosen[numChosen++] = best;
        }
        if (round == skip) {
            return best;
        }
    }
    return -1;
}

seL4_CPtr boot_untyped_slot(int index)
{
    return bootinfo()->untyped.start + (seL4_CPtr)index;
}

unsigned boot_untyped_bits(int index)
{
    return bootinfo()->untypedList[index].sizeBits;
}

void use_boot_untyped(int index)
{
    for (int i = 0; i < numParents; i++) {
        if (parents[i] == index) {
            return;
        }
    }
    if (numParents < MAX_PARENTS) {
        parents[numParents++] = index;
    }
}

static seL4_CPtr ut_new_from(unsigned bits, int device)
{
    seL4_CPtr slot = slot_alloc();
    if (slot == 0) {
        return 0;
    }
    /* Try fitting boot untypeds, smallest first, until one has room. */
    for (int skip = 0;; skip++) {
        int idx = boot_untyped_index(bits, device, skip);
        if (idx < 0) {
            TEST_FAIL("no %s boot untyped with room for a 2^%u child", device ? "device" : "RAM",
                      bits);
            return 0;
        }
        seL4_Error err = retype_root(boot_untyped_slot(idx), seL4_UntypedObject, bits, slot, 1);
        if (err == seL4_NoError) {
            use_boot_untyped(idx);
            return slot;
        }
        if (err != seL4_NotEnoughMemory) {
            TEST_FAIL("retype of a 2^%u untyped from boot untyped %d (slot %lu) failed: %s "
                      "(MR0 0x%lx MR1 0x%lx)",
                      bits, idx, (unsigned long)boot_untyped_slot(idx), test_error_name(err),
                      err_mr(0), err_mr(1));
            return 0;
        }
    }
}

seL4_CPtr ut_new(unsigned bits)
{
    return ut_new_from(bits, 0);
}

seL4_CPtr ut_new_device(unsigned bits)
{
    return ut_new_from(bits, 1);
}

seL4_CPtr new_objects_at(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word n,
                         const char *file, int line)
{
    if (ut == 0) {
        test_fail_at(file, line, "no untyped to retype from");
        return 0;
    }
    seL4_CPtr first = slot_alloc_range(n);
    if (first == 0) {
        return 0;
    }
    seL4_Error err = retype_root(ut, type, bits, first, n);
    if (err != seL4_NoError) {
        test_fail_at(file, line,
                     "Untyped_Retype(type %lu, size_bits %lu, %lu objects) into slot %lu: got %s, "
                     "expected seL4_NoError (MR0 0x%lx MR1 0x%lx)",
                     (unsigned long)type, (unsigned long)bits, (unsigned long)n,
                     (unsigned long)first, test_error_name(err), err_mr(0), err_mr(1));
        return 0;
    }
    return first;
}

seL4_Word ut_bytes_left(seL4_CPtr ut)
{
    init_once();
    mr_poison();
    seL4_Error err = retype_root(ut, seL4_UntypedObject, seL4_MaxUntypedBits, probeSlot, 1);
    if (err == seL4_NotEnoughMemory) {
        return err_mr(0);
    }
    printf("  ut_bytes_left(slot %lu): probe retype returned %s (MR0 0x%lx MR1 0x%lx), "
           "expected seL4_NotEnoughMemory\n",
           (unsigned long)ut, test_error_name(err), err_mr(0), err_mr(1));
    if (err == seL4_NoError) {
        seL4_CNode_Delete(ROOT, probeSlot, ROOT_DEPTH);
    }
    return (seL4_Word)-1;
}

int check_bytes_left_at(seL4_CPtr ut, seL4_Word expected, const char *what, const char *file,
                        int line)
{
    seL4_Word left = ut_bytes_left(ut);
    if (left == expected) {
        return 1;
    }
    test_fail_at(file, line,
                 "bytes left in untyped %s (slot %lu): got 0x%lx (%lu), expected 0x%lx (%lu)", what,
                 (unsigned long)ut, left, left, expected, expected);
    return 0;
}

/* ---- Error details ---------------------------------------------------------- */

void mr_poison(void)
{
    for (int i = 0; i < 8; i++) {
        seL4_SetMR(i, MR_POISON + (seL4_Word)i);
    }
}

seL4_Word err_mr(int i)
{
    return seL4_GetMR(i);
}

int check_err_mrs_at(seL4_Word err, seL4_Word expected, const seL4_Word *mrs, int n,
                     const char *expr, const char *file, int line)
{
    /* Read the details first: nothing below may touch the IPC buffer before. */
    seL4_Word got[8];
    for (int i = 0; i < 8; i++) {
        got[i] = seL4_GetMR(i);
    }
    int ok = err == expected;
    for (int i = 0; i < n && ok; i++) {
        ok = got[i] == mrs[i];
    }
    if (ok) {
        return 1;
    }
    char want[160], have[160];
    int w = 0, h = 0;
    for (int i = 0; i < n; i++) {
        w += snprintf(want + w, sizeof(want) - (size_t)w, "%s%lu", i ? ", " : "", mrs[i]);
        h += snprintf(have + h, sizeof(have) - (size_t)h, "%s%lu", i ? ", " : "", got[i]);
    }
    test_fail_at(file, line,
                 "%s:\n    expected %s with MR0.. = {%s}\n    got      %s with MR0.. = {%s}", expr,
                 test_error_name(expected), want, test_error_name(err), have);
    return 0;
}

/* ---- Raw invocations -------------------------------------------------------- */

seL4_MessageInfo_t raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word mrs[8],
                            seL4_Word ncaps, const seL4_CPtr caps[3])
{
    for (int i = 0; i < 8; i++) {
        seL4_SetMR(i, mrs[i]);
    }
    for (int i = 0; i < 3; i++) {
        seL4_SetCap(i, caps[i]);
    }
    return seL4_Call(cap, seL4_MessageInfo_new(label, 0, ncaps, len));
}

/* ---- Probes ------------------------------------------------------------------ */

int slot_state(seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    mr_poison();
    seL4_Error err = seL4_CNode_Move(root, index, depth, root, index, depth);
    if (err == seL4_DeleteFirst) {
        return 1;
    }
    if (err == seL4_FailedLookup && err_mr(0) == 1 && err_mr(1) == seL4_MissingCapability) {
        return 0;
    }
    printf("  slot probe (root %lu, index 0x%lx, depth %u): CNode_Move onto itself returned %s "
           "(MR0 0x%lx MR1 0x%lx MR2 0x%lx)\n",
           (unsigned long)root, (unsigned long)index, depth, test_error_name(err), err_mr(0),
           err_mr(1), err_mr(2));
    return -1;
}

int check_slot_at(seL4_CNode root, seL4_Word index, seL4_Uint8 depth, int expected,
                  const char *what, const char *file, int line)
{
    int state = slot_state(root, index, depth);
    if (state == expected) {
        return 1;
    }
    test_fail_at(file, line, "slot %s (index 0x%lx, depth %u in CNode %lu): expected %s, got %s",
                 what, (unsigned long)index, depth, (unsigned long)root,
                 expected ? "a cap" : "empty",
                 state == 1   ? "a cap"
                 : state == 0 ? "empty"
                              : "a failed probe");
    return 0;
}

int cnode_has_radix(seL4_CPtr slot, unsigned radix)
{
    mr_poison();
    seL4_Error err = seL4_CNode_Move(slot, 0, (seL4_Uint8)radix, slot, 0, (seL4_Uint8)radix);
    return err == seL4_DeleteFirst ||
           (err == seL4_FailedLookup && err_mr(0) == 1 && err_mr(1) == seL4_MissingCapability);
}

int is_full_endpoint(seL4_CPtr slot)
{
    return seL4_CNode_CancelBadgedSends(ROOT, slot, ROOT_DEPTH) == seL4_NoError;
}

/* ---- A second thread ---------------------------------------------------------- */

static seL4_CPtr helperEp;
static seL4_Word helperLabel;
static seL4_Word helperStack[512] __attribute__((aligned(16)));

/* Runs in the helper thread. It shares the root task's TLS block but has
 * no IPC buffer of its own, so it only makes syscalls that move no message
 * words through the buffer (length 0 both ways). */
static void helper_main(void)
{
    seL4_Call(helperEp, seL4_MessageInfo_new(helperLabel, 0, 0, 0));
    for (;;) {
        seL4_Word badge;
        seL4_Recv(helperEp, &badge);
    }
}

static int start_helper(seL4_CPtr tcb)
{
    seL4_UserContext regs;
    memset(&regs, 0, sizeof(regs));
    seL4_Word top = (seL4_Word)&helperStack[sizeof(helperStack) / sizeof(helperStack[0])];
    seL4_Word tp;
#if defined(CONFIG_ARCH_X86_64)
    __asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
    regs.rip = (seL4_Word)helper_main;
    regs.rsp = top - 8; /* as if called: RSP = 8 mod 16 at entry */
    regs.fs_base = tp;
#elif defined(CONFIG_ARCH_AARCH64)
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
    regs.pc = (seL4_Word)helper_main;
    regs.sp = top;
    regs.tpidr_el0 = tp;
#else
#error "start_helper: unknown architecture"
#endif
    int ok =
        CHECK_OK(seL4_TCB_Configure(tcb, 0, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull));
    ok = ok && CHECK_OK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 100));
    ok =
        ok && CHECK_OK(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs));
    return ok;
}

int reply_cap_from_helper(seL4_CPtr ut, seL4_CPtr ep, seL4_Word label, seL4_CPtr replySlot,
                          seL4_Word *gotLabel, seL4_Word *gotBadge)
{
    seL4_CPtr tcb = new_object(ut, seL4_TCBObject, 0);
    if (!tcb) {
        return 0;
    }
    helperEp = ep;
    helperLabel = label;
    if (!start_helper(tcb)) {
        return 0;
    }
    /* Blocks until the helper (lower priority) has run and called. */
    seL4_MessageInfo_t info = seL4_Recv(ep, gotBadge);
    *gotLabel = seL4_MessageInfo_get_label(info);
    return CHECK_OK(seL4_CNode_SaveCaller(ROOT, replySlot, ROOT_DEPTH));
}

/* ---- Clean-up ------------------------------------------------------------- */

static void cleanup(int report)
{
    /* 1. Revoke what the test made: children of its untypeds, copies of its
     *    originals. 2. Revoke the boot untypeds it used. 3. Delete its slots,
     *    last first. Errors are reported, and a slot that cannot be emptied
     *    is never handed out again. */
    for (seL4_Word i = 0; i < numTracked; i++) {
        seL4_Error err = seL4_CNode_Revoke(ROOT, tracked[i], ROOT_DEPTH);
        if (err != seL4_NoError && report) {
            TEST_FAIL("clean-up: CNode_Revoke of slot %lu returned %s", (unsigned long)tracked[i],
                      test_error_name(err));
        }
    }
    for (int i = 0; i < numParents; i++) {
        seL4_Error err = seL4_CNode_Revoke(ROOT, boot_untyped_slot(parents[i]), ROOT_DEPTH);
        if (err != seL4_NoError && report) {
            TEST_FAIL("clean-up: CNode_Revoke of boot untyped slot %lu returned %s",
                      (unsigned long)boot_untyped_slot(parents[i]), test_error_name(err));
        }
    }
    while (numTracked > 0) {
        seL4_CPtr s = tracked[--numTracked];
        seL4_Error err = seL4_CNode_Delete(ROOT, s, ROOT_DEPTH);
        if (err != seL4_NoError) {
            if (report) {
                TEST_FAIL("clean-up: CNode_Delete of slot %lu returned %s", (unsigned long)s,
                          test_error_name(err));
            }
            slotUse[s] = SLOT_LEAKED;
        } else {
            slotUse[s] = SLOT_FREE;
        }
    }
    /* Every boot untyped the test used must be whole again (no children). */
    for (int i = 0; i < numParents; i++) {
        int idx = parents[i];
        seL4_Word left = ut_bytes_left(boot_untyped_slot(idx));
        seL4_Word full = 1ul << boot_untyped_bits(idx);
        if (left != full && report) {
            TEST_FAIL("clean-up: boot untyped %d (slot %lu) has 0x%lx bytes left after revoke, "
                      "expected its full size 0x%lx",
                      idx, (unsigned long)boot_untyped_slot(idx), left, full);
        }
    }
    numParents = 0;
}

void ktest_begin(void)
{
    init_once();
    if (numTracked > 0 || numParents > 0) {
        /* Left over by a test that stopped early without its wrapper. */
        printf("  note: cleaning up %lu slots left by an earlier test\n",
               (unsigned long)numTracked);
        cleanup(0);
    }
}

void ktest_end(void)
{
    cleanup(1);
}
