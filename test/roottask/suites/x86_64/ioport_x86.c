/*
 * x86 I/O ports (semantics 13, 2.3, 2.7; seL4-abi.md 8.7): IOPortControl
 * Issue and its errors, In/Out within and outside the issued range, the
 * range being freed with the last cap, and direct in/out instructions
 * raising #GP (UserException 13) even while a cap for the port exists.
 *
 * Devices used (platform-facts.md 1.7): CMOS 0x70/0x71 (register 0x34/0x35
 * = 0xBF00 with -m 3G), the absent COM2 at 0x2F8-0x2FF (reads all ones),
 * the ACPI PM timer at 0x608 (24 bits, 3.58 MHz). COM1 is never touched.
 */
#include "../threads.h"
#include "x86util.h"

#define CTL seL4_CapIOPortControl

static seL4_Error issue(seL4_Word first, seL4_Word last, seL4_CPtr slot)
{
    return seL4_X86_IOPortControl_Issue(CTL, first, last, ROOT, slot, ROOT_DEPTH);
}

/* A new IO-port cap for [first, last] in a new slot (0 on failure). */
static seL4_CPtr io_cap(seL4_Word first, seL4_Word last)
{
    seL4_CPtr s = slot_alloc();
    if (s == 0) {
        return 0;
    }
    seL4_Error err = issue(first, last, s);
    if (err != seL4_NoError) {
        TEST_FAIL("IOPortControl_Issue(0x%lx, 0x%lx) returned %s", (unsigned long)first,
                  (unsigned long)last, test_error_name(err));
        return 0;
    }
    return s;
}

static int cmos_read(seL4_CPtr io, seL4_Word reg, seL4_Word *val)
{
    if (!CHECK_OK(seL4_X86_IOPort_Out8(io, 0x70, reg))) {
        return 0;
    }
    seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(io, 0x71);
    *val = r.result;
    return CHECK_OK(r.error);
}

KARCH_TEST(x86_ioport_cmos_in_out)
{
    seL4_CPtr io = io_cap(0x70, 0x71);
    if (!io) {
        return;
    }
    seL4_Word lo = 0, hi = 0, old = 0, v = 0;
    /* Extended memory above 16 MiB in 64 KiB units: (3 GiB - 16 MiB) / 64 KiB. */
    if (cmos_read(io, 0x34, &lo) && cmos_read(io, 0x35, &hi)) {
        CHECK_EQ((hi << 8) | lo, 0xbf00);
    }
    /* A spare CMOS byte: write, read back, restore. */
    if (!cmos_read(io, 0x40, &old)) {
        return;
    }
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x70, 0x40));
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x71, 0xa5));
    if (cmos_read(io, 0x40, &v)) {
        CHECK_EQ(v, 0xa5);
    }
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x70, 0x40));
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x71, old));
    if (cmos_read(io, 0x40, &v)) {
        CHECK_EQ(v, old);
    }
    /* A 16-bit access covering both ports is inside the range. */
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x70, 0x34));
    seL4_X86_IOPort_In16_t w = seL4_X86_IOPort_In16(io, 0x70);
    CHECK_OK(w.error);
}

KARCH_TEST(x86_ioport_absent_device_reads_ones)
{
    seL4_CPtr io = io_cap(0x2f8, 0x2ff);
    if (!io) {
        return;
    }
    seL4_X86_IOPort_In8_t b = seL4_X86_IOPort_In8(io, 0x2fd);
    CHECK_OK(b.error);
    CHECK_EQ(b.result, 0xff);
    seL4_X86_IOPort_In16_t w = seL4_X86_IOPort_In16(io, 0x2f8);
    CHECK_OK(w.error);
    CHECK_EQ(w.result, 0xffff);
    seL4_X86_IOPort_In32_t d = seL4_X86_IOPort_In32(io, 0x2fc);
    CHECK_OK(d.error);
    CHECK_EQ(d.result, 0xffffffff);
    CHECK_OK(seL4_X86_IOPort_Out8(io, 0x2ff, 0x12));
    CHECK_OK(seL4_X86_IOPort_Out16(io, 0x2fe, 0x1234));
    CHECK_OK(seL4_X86_IOPort_Out32(io, 0x2f8, 0x12345678));
    /* The In reply: label 0, one word. */
    seL4_MessageInfo_t r = raw_call(io, X86IOPortIn8, 1, RAW_MRS(0x2fb), 0, RAW_CAPS(0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), 0);
    CHECK_EQ(seL4_MessageInfo_get_length(r), 1);
    CHECK_EQ(seL4_GetMR(0), 0xff);
    /* The port number is taken modulo 2^16. */
    r = raw_call(io, X86IOPortIn8, 1, RAW_MRS(0x102fbul), 0, RAW_CAPS(0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), 0);
    CHECK_EQ(seL4_GetMR(0), 0xff);
    r = raw_call(io, X86IOPortOut8, 2, RAW_MRS(0xffff02fful, 0), 0, RAW_CAPS(0));
    CHECK_EQ(seL4_MessageInfo_get_label(r), 0);
}

KARCH_TEST(x86_ioport_pm_timer_in32)
{
    /* The ACPI PM timer read with In32 is a 24-bit counter at 3.579545 MHz:
     * checked against 10 ms of PIT channel 2 (gate and OUT2 on port 0x61),
     * shortest of ten rounds (delays only lengthen a round). */
    seL4_CPtr pm = io_cap(0x608, 0x60b);
    seL4_CPtr pit = io_cap(0x40, 0x43);
    seL4_CPtr p61 = io_cap(0x61, 0x61);
    if (!pm || !pit || !p61) {
        return;
    }
    seL4_X86_IOPort_In32_t a = seL4_X86_IOPort_In32(pm, 0x608);
    CHECK_OK(a.error);
    CHECK_EQ(a.result >> 24, 0); /* TMR_VAL_EXT = 0 */
    seL4_Word orig = seL4_X86_IOPort_In8(p61, 0x61).result;
    uint32_t best = ~0u;
    for (int r = 0; r < 10; r++) {
        CHECK_OK(seL4_X86_IOPort_Out8(p61, 0x61, (orig & ~0x02ul) | 0x01));
        CHECK_OK(seL4_X86_IOPort_Out8(pit, 0x43, 0xb0)); /* ch 2, lo/hi, mode 0 */
        CHECK_OK(seL4_X86_IOPort_Out8(pit, 0x42, 11932 & 0xff));
        uint32_t p0 = xu_pm_read(pm);
        CHECK_OK(seL4_X86_IOPort_Out8(pit, 0x42, 11932 >> 8));
        uint64_t limit = xu_deadline(1000000);
        while (!(seL4_X86_IOPort_In8(p61, 0x61).result & 0x20) && xu_before(limit)) {
        }
        uint32_t ticks = (xu_pm_read(pm) - p0) & XU_PM_MASK;
        best = ticks < best ? ticks : best;
    }
    CHECK_OK(seL4_X86_IOPort_Out8(p61, 0x61, orig));
    /* 10 ms = 35795 ticks. */
    if (!CHECK_TRUE(best > 35795 * 9 / 10 && best < 35795 * 11 / 10)) {
        printf("  PM timer advanced %u ticks during 10 ms of the PIT (expected 35795)\n", best);
    }
    /* Byte and word reads of the same register are inside the range. */
    CHECK_OK(seL4_X86_IOPort_In8(pm, 0x60b).error);
    CHECK_OK(seL4_X86_IOPort_In16(pm, 0x60a).error);
}

KARCH_TEST(x86_ioport_access_outside_range)
{
    seL4_CPtr io = io_cap(0x2f9, 0x2fc);
    if (!io) {
        return;
    }
    CHECK_OK(seL4_X86_IOPort_In8(io, 0x2f9).error);
    CHECK_OK(seL4_X86_IOPort_In8(io, 0x2fc).error);
    CHECK_OK(seL4_X86_IOPort_In16(io, 0x2fb).error);
    CHECK_OK(seL4_X86_IOPort_In32(io, 0x2f9).error);
    /* Below, above, and running past the end. */
    CHECK_ERR(seL4_X86_IOPort_In8(io, 0x2f8).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In8(io, 0x2fd).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In8(io, 0x70).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In16(io, 0x2fc).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In16(io, 0x2f8).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In32(io, 0x2fa).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In32(io, 0x2f8).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_In32(io, 0xfffe).error, seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out8(io, 0x2fd, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out16(io, 0x2fc, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out32(io, 0x2fa, 0), seL4_IllegalOperation);
    CHECK_ERR(seL4_X86_IOPort_Out8(io, 0x3f8, 0), seL4_IllegalOperation);
    CHECK_OK(seL4_X86_IOPort_Out32(io, 0x2f9, 0));
    /* The control cap itself does not do I/O. */
    CHECK_ERR(seL4_X86_IOPort_In8(CTL, 0x2f9).error, seL4_IllegalOperation);
}

KARCH_TEST(x86_ioport_truncated)
{
    seL4_CPtr io = io_cap(0x2f8, 0x2ff);
    if (!io) {
        return;
    }
    seL4_Word in[] = { X86IOPortIn8, X86IOPortIn16, X86IOPortIn32 };
    seL4_Word out[] = { X86IOPortOut8, X86IOPortOut16, X86IOPortOut32 };
    for (int i = 0; i < 3; i++) {
        seL4_MessageInfo_t r = raw_call(io, in[i], 0, RAW_MRS(0x2f8), 0, RAW_CAPS(0));
        CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
        r = raw_call(io, out[i], 1, RAW_MRS(0x2f8, 0), 0, RAW_CAPS(0));
        CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
        r = raw_call(io, out[i], 0, RAW_MRS(0x2f8, 0), 0, RAW_CAPS(0));
        CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    }
    /* Other labels on an IO-port cap. */
    seL4_MessageInfo_t r =
        raw_call(io, X86IOPortControlIssue, 4, RAW_MRS(0x2f8, 0x2f8, 0, 64), 1, RAW_CAPS(ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
}

KARCH_TEST(x86_ioport_issue_errors)
{
    seL4_CPtr s = slot_alloc_range(4);
    if (!s) {
        return;
    }
    /* last < first. */
    CHECK_INVALID_ARG(issue(0x301, 0x300, s), 1);
    CHECK_INVALID_ARG(issue(0xffff, 0, s), 1);
    CHECK_EMPTY(s);
    /* Truncated: 3 words, or no CNode. */
    seL4_MessageInfo_t r =
        raw_call(CTL, X86IOPortControlIssue, 3, RAW_MRS(0x300, 0x30f, s), 1, RAW_CAPS(ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    r = raw_call(CTL, X86IOPortControlIssue, 4, RAW_MRS(0x300, 0x30f, s, 64), 0, RAW_CAPS(0));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_TruncatedMessage);
    /* Other labels on the control cap. */
    r = raw_call(CTL, X86IOPortIn8, 4, RAW_MRS(0x300, 0x30f, s, 64), 1, RAW_CAPS(ROOT));
    CHECK_ERR(seL4_MessageInfo_get_label(r), seL4_IllegalOperation);
    CHECK_EMPTY(s);
    /* Occupied destination, free range: DeleteFirst. */
    CHECK_ERR(issue(0x300, 0x30f, seL4_CapInitThreadTCB), seL4_DeleteFirst);
    /* Issue, then every overlapping range is refused. */
    if (!CHECK_OK(issue(0x300, 0x30f, s))) {
        return;
    }
    seL4_Word ov[][2] = { { 0x300, 0x30f }, { 0x305, 0x306 }, { 0x2f0, 0x300 },
                          { 0x30f, 0x310 }, { 0x200, 0x400 }, { 0x30f, 0x30f } };
    for (unsigned i = 0; i < sizeof(ov) / sizeof(ov[0]); i++) {
        if (!CHECK_ERR(issue(ov[i][0], ov[i][1], s + 1), seL4_RevokeFirst)) {
            printf("  range [0x%lx, 0x%lx]\n", (unsigned long)ov[i][0], (unsigned long)ov[i][1]);
        }
    }
    CHECK_EMPTY(s + 1);
    /* Check order: InvalidArgument, then RevokeFirst, then the destination. */
    CHECK_INVALID_ARG(issue(0x30f, 0x300, seL4_CapInitThreadTCB), 1);
    CHECK_ERR(issue(0x305, 0x305, seL4_CapInitThreadTCB), seL4_RevokeFirst);
    /* Adjacent ranges are fine, also a single port. */
    CHECK_OK(issue(0x310, 0x31f, s + 1));
    CHECK_OK(issue(0x2ff, 0x2ff, s + 2));
    CHECK_ERR(issue(0x2fe, 0x2ff, s + 3), seL4_RevokeFirst);
}

KARCH_TEST(x86_ioport_last_cap_frees_range)
{
    seL4_CPtr s = slot_alloc_range(3);
    if (!s || !CHECK_OK(issue(0x2f8, 0x2ff, s))) {
        return;
    }
    /* Copies work and keep the range allocated. */
    CHECK_OK(copy_root(s + 1, s, seL4_AllRights));
    CHECK_EQ(seL4_X86_IOPort_In8(s + 1, 0x2fd).result, 0xff);
    CHECK_OK(seL4_CNode_Delete(ROOT, s, ROOT_DEPTH));
    CHECK_ERR(issue(0x2f8, 0x2ff, s + 2), seL4_RevokeFirst);
    CHECK_ERR(issue(0x2fd, 0x2fd, s + 2), seL4_RevokeFirst);
    /* The last cap gone, the whole range is free again. */
    CHECK_OK(seL4_CNode_Delete(ROOT, s + 1, ROOT_DEPTH));
    CHECK_OK(issue(0x2fd, 0x2fd, s + 2));
    CHECK_OK(issue(0x2f8, 0x2fc, s));
    CHECK_OK(issue(0x2fe, 0x2ff, s + 1));
}

KARCH_TEST(x86_ioport_revoke_control_deletes_issued)
{
    /* Issued caps are children of the control cap (semantics 13, audited
     * MDB note): revoking it deletes them and frees their ranges. */
    seL4_CPtr s = slot_alloc_range(3);
    if (!s || !CHECK_OK(issue(0x2f8, 0x2fb, s)) || !CHECK_OK(issue(0x2fc, 0x2ff, s + 1)) ||
        !CHECK_OK(copy_root(s + 2, s + 1, seL4_AllRights))) {
        return;
    }
    CHECK_OK(seL4_CNode_Revoke(ROOT, CTL, ROOT_DEPTH));
    CHECK_EMPTY(s);
    CHECK_EMPTY(s + 1);
    CHECK_EMPTY(s + 2);
    CHECK_OCCUPIED(CTL);
    CHECK_OK(issue(0x2f8, 0x2ff, s));
}

/* ---- direct port instructions ------------------------------------------------------- */

static volatile seL4_Word g_io_result;
static volatile seL4_CPtr g_io_done;

static void t_raw_in(seL4_Word port, seL4_Word unused)
{
    (void)unused;
    g_io_result = xu_raw_inb((uint16_t)port);
    seL4_Signal(g_io_done);
}

static void t_raw_out(seL4_Word port, seL4_Word v)
{
    xu_raw_outb((uint16_t)port, (uint8_t)v);
    g_io_result = 0x600d;
    seL4_Signal(g_io_done);
}

/* Receive the #GP of thread t at `insn`, then resume it after the 1-byte
 * instruction by replying with a new FaultIP only. */
static void gp_and_skip(thread_t *t, seL4_CPtr ep, seL4_CPtr done, const char *insn)
{
    seL4_Word mrs[5], badge = 0;
    seL4_MessageInfo_t info = xu_recv(ep, &badge, mrs, 5);
    CHECK_EQ(badge, 0x10);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(mrs[seL4_UserException_FaultIP], (seL4_Word)insn);
    CHECK_TRUE(mrs[seL4_UserException_SP] < t->stack_top &&
               mrs[seL4_UserException_SP] > t->stack_top - THREAD_STACK_SIZE);
    CHECK_TRUE(mrs[seL4_UserException_FLAGS] & 0x200); /* IF */
    CHECK_EQ(mrs[seL4_UserException_Number], 13);
    CHECK_EQ(mrs[seL4_UserException_Code], 0);
    seL4_SetMR(0, (seL4_Word)insn + 1);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_Word b = 0;
    seL4_Wait(done, &b);
    CHECK_EQ(b, 0xd0);
}

TARCH_TEST(x86_ioport_raw_instructions_gp)
{
    /* Even with a cap for the ports, user-mode in/out raise #GP. */
    seL4_CPtr io = io_cap(0x2f8, 0x2ff);
    seL4_CPtr ep = tt_ep(), done = tt_ntfn();
    seL4_CPtr fep = ep ? tt_mint(ep, seL4_AllRights, 0x10) : 0;
    seL4_CPtr bdone = done ? tt_mint(done, seL4_AllRights, 0xd0) : 0;
    if (!io || !fep || !bdone) {
        return;
    }
    g_io_done = bdone;
    g_io_result = 0x1234;
    thread_t *t = thread_new(100, t_raw_in, 0x2fd, 0);
    if (!t || !thread_set_fault_ep(t, fep)) {
        return;
    }
    thread_start(t);
    gp_and_skip(t, ep, done, xu_raw_inb_insn);
    /* The in did not happen: AL kept the value the stub set (0). */
    CHECK_EQ(g_io_result, 0);
    thread_t *u = thread_new(100, t_raw_out, 0x80, 0x55);
    if (!u || !thread_set_fault_ep(u, fep)) {
        return;
    }
    thread_start(u);
    gp_and_skip(u, ep, done, xu_raw_outb_insn);
    CHECK_EQ(g_io_result, 0x600d);
}
