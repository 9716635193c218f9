/*
 * Shared helpers for the kernel-object suites (cspace, cnode, mdb, untyped,
 * x86_64): a slot allocator over the root CNode's empty region, untyped
 * discovery, per-test scratch untypeds with automatic clean-up, checks of
 * error codes together with their detail words, and behavioural probes of
 * slot contents that work without the debug syscalls.
 *
 * Every test that creates kernel objects is written as
 *
 *     KTEST(name) { ... }
 *
 * which runs the body between ktest_begin() and ktest_end(). ktest_end()
 * revokes and deletes every slot the body allocated, revokes the boot
 * untypeds it took memory from, frees the slots and checks that each of
 * those boot untypeds is whole again. A body may therefore `return` early
 * at any point.
 */
#pragma once

#include "../framework/test.h"

/* The root CNode: radix 13, guard size 51, so slot k is cptr k at depth 64. */
#define ROOT seL4_CapInitThreadCNode
#define ROOT_DEPTH 64

/* A word with every bit of the error-detail MRs we poison before a call. */
#define MR_POISON 0x5eedf00dcafe0000ul

seL4_BootInfo *bootinfo(void);

/* ---- Slots of the root CNode ---------------------------------------- */

/* A free slot of bi->empty, tracked for clean-up; 0 (and a failed check)
 * if none is left. */
seL4_CPtr slot_alloc(void);
/* n consecutive free slots; returns the first (0 if impossible). */
seL4_CPtr slot_alloc_range(seL4_Word n);
/* Stop tracking a slot and never hand it out again (it holds a cap that
 * clean-up must not delete, e.g. a boot cap a test failed to move back). */
void slot_forget(seL4_CPtr slot);
/* Slots currently handed out (tracked). */
seL4_Word slots_in_use(void);

/* ---- Untypeds --------------------------------------------------------- */

/* Index into untypedList of the smallest boot untyped with the given device
 * flag and at least minBits; -1 if none. `skip` boot untypeds that fit are
 * passed over first (to get several distinct ones). */
int boot_untyped_index(unsigned minBits, int device, int skip);
seL4_CPtr boot_untyped_slot(int index);
unsigned boot_untyped_bits(int index);
/* Register a boot untyped as used by the running test: clean-up revokes it
 * and checks that it is whole again afterwards. */
void use_boot_untyped(int index);

/* A fresh child untyped of 2^bits, retyped out of a RAM (ut_new) or device
 * (ut_new_device) boot untyped into a newly allocated slot. 0 on failure
 * (the failure is reported). */
seL4_CPtr ut_new(unsigned bits);
seL4_CPtr ut_new_device(unsigned bits);

/* Retype `n` objects of `type` (size_bits `bits`) from `ut` into newly
 * allocated consecutive root slots; returns the first slot, 0 on failure
 * (reported with the caller's line). */
#define new_objects(ut, type, bits, n) new_objects_at((ut), (type), (bits), (n), __FILE__, __LINE__)
#define new_object(ut, type, bits) new_objects_at((ut), (type), (bits), 1, __FILE__, __LINE__)
seL4_CPtr new_objects_at(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_Word n,
                         const char *file, int line);

/* Bytes still available in an untyped: the MR0 of the NotEnoughMemory error
 * of a retype that cannot fit (an Untyped of 2^47 into an empty slot).
 * semantics 3.2 steps 13-14: an untyped with no children reports its full
 * size. Returns (seL4_Word)-1 if the probe did not fail as expected. */
seL4_Word ut_bytes_left(seL4_CPtr ut);
#define CHECK_BYTES_LEFT(ut, n) check_bytes_left_at((ut), (n), #ut, __FILE__, __LINE__)
int check_bytes_left_at(seL4_CPtr ut, seL4_Word expected, const char *what, const char *file,
                        int line);

/* ---- Error details ------------------------------------------------------ */

/* Poison MR0..MR7 in the IPC buffer, so that a detail word the kernel did
 * not write cannot match by accident. The CHECK_*_ERR macros below do this
 * before evaluating the invocation. */
void mr_poison(void);
/* Detail word i of the last error (seL4_GetMR(i)). */
seL4_Word err_mr(int i);

/*
 * CHECK_ERR_MRS(invocation, seL4_XXX, mr0, mr1, ...): the invocation returns
 * seL4_XXX and its detail words MR0.. are exactly the values given. Prints
 * expected and actual error and words on failure.
 */
#define CHECK_ERR_MRS(inv, expected, ...)                                                \
    check_err_mrs_at(                                                                    \
        (mr_poison(), (seL4_Word)(inv)), (expected), (const seL4_Word[]){ __VA_ARGS__ }, \
        sizeof((const seL4_Word[]){ __VA_ARGS__ }) / sizeof(seL4_Word), #inv, __FILE__, __LINE__)
int check_err_mrs_at(seL4_Word err, seL4_Word expected, const seL4_Word *mrs, int n,
                     const char *expr, const char *file, int line);

/* Convenience forms of the detail words (seL4-abi.md 9.1, 9.2). `src` is the
 * FailedLookup source flag: 1 for source/pivot lookups, 0 otherwise. */
#define CHECK_RANGE_ERR(inv, min, max) CHECK_ERR_MRS(inv, seL4_RangeError, (min), (max))
#define CHECK_INVALID_ARG(inv, index) CHECK_ERR_MRS(inv, seL4_InvalidArgument, (index))
#define CHECK_INVALID_CAP(inv, index) CHECK_ERR_MRS(inv, seL4_InvalidCapability, (index))
#define CHECK_NOT_ENOUGH_MEM(inv, bytes) CHECK_ERR_MRS(inv, seL4_NotEnoughMemory, (bytes))
#define CHECK_LOOKUP_INVALID_ROOT(inv, src) \
    CHECK_ERR_MRS(inv, seL4_FailedLookup, (src), seL4_InvalidRoot)
#define CHECK_LOOKUP_MISSING(inv, src, bitsLeft) \
    CHECK_ERR_MRS(inv, seL4_FailedLookup, (src), seL4_MissingCapability, (bitsLeft))
#define CHECK_LOOKUP_DEPTH(inv, src, bitsLeft, bitsFound) \
    CHECK_ERR_MRS(inv, seL4_FailedLookup, (src), seL4_DepthMismatch, (bitsLeft), (bitsFound))
#define CHECK_LOOKUP_GUARD(inv, src, bitsLeft, guardFound, bitsFound)                          \
    CHECK_ERR_MRS(inv, seL4_FailedLookup, (src), seL4_GuardMismatch, (bitsLeft), (guardFound), \
                  (bitsFound))
/* Errors without detail words. */
#define CHECK_OK(inv) CHECK_ERR((inv), seL4_NoError)

/* ---- Raw invocations ----------------------------------------------------- */

/* seL4_Call on `cap` with the given label, `len` MRs (mrs[0..7] are all
 * written to the IPC buffer whatever len is, so the kernel must honour len)
 * and `ncaps` extra caps. Returns the reply tag; its label is the error. */
seL4_MessageInfo_t raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word len, const seL4_Word mrs[8],
                            seL4_Word ncaps, const seL4_CPtr caps[3]);
#define RAW_MRS(...) ((const seL4_Word[8]){ __VA_ARGS__ })
#define RAW_CAPS(...) ((const seL4_CPtr[3]){ __VA_ARGS__ })

/* ---- Probes of slot contents (no debug syscalls) ------------------------ */

/*
 * 1 if the slot (root, index, depth) holds a cap, 0 if it is empty, -1 if the
 * probe failed. Uses CNode_Move with source == destination, which changes
 * nothing: an occupied destination fails with DeleteFirst before the source
 * is looked up, an empty one then fails with FailedLookup/MissingCapability
 * (semantics 2.6, the ordering sel4test's is_slot_empty relies on).
 */
int slot_state(seL4_CNode root, seL4_Word index, seL4_Uint8 depth);
#define CHECK_OCCUPIED(slot) check_slot_at(ROOT, (slot), ROOT_DEPTH, 1, #slot, __FILE__, __LINE__)
#define CHECK_EMPTY(slot) check_slot_at(ROOT, (slot), ROOT_DEPTH, 0, #slot, __FILE__, __LINE__)
#define CHECK_SLOT_STATE(root, index, depth, full) \
    check_slot_at((root), (index), (depth), (full), #index, __FILE__, __LINE__)
int check_slot_at(seL4_CNode root, seL4_Word index, seL4_Uint8 depth, int expected,
                  const char *what, const char *file, int line);

/* 1 if the root slot holds a CNode cap with guard size 0 and this radix:
 * a Move-self of its slot 0 at depth `radix` resolves (DeleteFirst or
 * MissingCapability). Only use on slots that hold a CNode, an untyped or
 * nothing: other caps would be invoked with a CNode label. */
int cnode_has_radix(seL4_CPtr slot, unsigned radix);

/* 1 if the root slot holds an endpoint cap with all four rights: the only
 * cap CNode_CancelBadgedSends accepts (semantics 2.6). */
int is_full_endpoint(seL4_CPtr slot);
#define CHECK_FULL_ENDPOINT(slot) \
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, (slot), ROOT_DEPTH), seL4_NoError)
#define CHECK_NOT_FULL_ENDPOINT(slot) \
    CHECK_ERR(seL4_CNode_CancelBadgedSends(ROOT, (slot), ROOT_DEPTH), seL4_IllegalOperation)

/* ---- A second thread (needs the kernel's TCB and IPC support) ------------ */

/*
 * Make a TCB from `ut` in a new slot, start it at priority 100 in the root
 * task's CSpace and VSpace (sharing its TLS block, without an IPC buffer)
 * and let it Call `ep` once with label `label`; then Recv on `ep` here and
 * SaveCaller the resulting reply cap into `replySlot`. Returns 1 on success,
 * with the message's label and badge in *gotLabel / *gotBadge. The helper
 * thread stays blocked on its reply until it is answered; clean-up deletes
 * the TCB.
 */
int reply_cap_from_helper(seL4_CPtr ut, seL4_CPtr ep, seL4_Word label, seL4_CPtr replySlot,
                          seL4_Word *gotLabel, seL4_Word *gotBadge);

/* ---- Test wrapper ---------------------------------------------------------- */

void ktest_begin(void);
void ktest_end(void);

#define KTEST_(reg, name)          \
    static void body_##name(void); \
    reg(name)                      \
    {                              \
        ktest_begin();             \
        body_##name();             \
        ktest_end();               \
    }                              \
    static void body_##name(void)

#define KTEST(name) KTEST_(TEST, name)
#define KARCH_TEST(name) KTEST_(ARCH_TEST, name)

/* Copy / mint / move helpers within the root CNode. */
#define copy_root(dst, src, rights) \
    seL4_CNode_Copy(ROOT, (dst), ROOT_DEPTH, ROOT, (src), ROOT_DEPTH, (rights))
#define mint_root(dst, src, rights, badge) \
    seL4_CNode_Mint(ROOT, (dst), ROOT_DEPTH, ROOT, (src), ROOT_DEPTH, (rights), (badge))
#define move_root(dst, src) seL4_CNode_Move(ROOT, (dst), ROOT_DEPTH, ROOT, (src), ROOT_DEPTH)
#define mutate_root(dst, src, data) \
    seL4_CNode_Mutate(ROOT, (dst), ROOT_DEPTH, ROOT, (src), ROOT_DEPTH, (data))
#define retype_root(ut, type, bits, slot, n) \
    seL4_Untyped_Retype((ut), (type), (bits), ROOT, 0, 0, (slot), (n))

/* The guard word of a CNode cap (seL4-abi.md 3.3). */
#define GUARD(guard, size) (seL4_CNode_CapData_new((guard), (size)).words[0])
