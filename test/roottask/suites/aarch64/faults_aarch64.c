/*
 * AArch64 fault messages (seL4-abi.md 10.3, semantics.md 8): the ESR of
 * data and instruction aborts (class, write flag, fault status), the
 * undefined-instruction and disabled-FPU user exceptions, the
 * UnknownSyscall register list, and replies that resume the thread.
 */
#include "../captypes.h"
#include "../threads.h"

#include <stdint.h>

#define EC(esr) (((esr) >> 26) & 0x3f)
#define IL(esr) (((esr) >> 25) & 1)
#define WNR(esr) (((esr) >> 6) & 1)
#define FSC(esr) ((esr)&0x3f)

typedef struct {
    seL4_Word label, length;
    seL4_Word mr[seL4_UnknownSyscall_Length];
} fault_msg_t;

static volatile seL4_Word resumed;

/* Start `fn` at the root task's priority with `ep` as its fault handler
 * and receive its fault. 1 on success. */
static int catch_fault(thread_fn_t fn, seL4_Word arg, seL4_CPtr ep, thread_t **out, fault_msg_t *m)
{
    thread_t *t = thread_new(ROOT_PRIO - 1, fn, arg, 0);
    if (!t || !thread_set_fault_ep(t, ep)) {
        return 0;
    }
    *out = t;
    thread_start(t);
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    m->label = seL4_MessageInfo_get_label(info);
    m->length = seL4_MessageInfo_get_length(info);
    for (seL4_Word i = 0; i < m->length && i < seL4_UnknownSyscall_Length; i++) {
        m->mr[i] = seL4_GetMR((int)i);
    }
    return !CHECK_NE(m->label, WD_LABEL);
}

static void h_write_low(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    *(volatile seL4_Word *)addr = 1;
    resumed = 1;
}

static void h_read_low(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    resumed = *(volatile seL4_Word *)addr;
}

static void h_jump(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    ((void (*)(void))addr)();
}

TARCH_TEST(aarch64_data_abort_write_esr)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    if (!catch_fault(h_write_low, 0x10, ep, &t, &m)) {
        return;
    }
    CHECK_EQ(m.label, seL4_Fault_VMFault);
    CHECK_EQ(m.length, seL4_VMFault_Length);
    CHECK_EQ(m.mr[seL4_VMFault_Addr], 0x10);
    CHECK_EQ(m.mr[seL4_VMFault_PrefetchFault], 0);
    seL4_Word esr = m.mr[seL4_VMFault_FSR];
    CHECK_EQ(EC(esr), 0x24); /* data abort from a lower EL */
    CHECK_EQ(IL(esr), 1);
    CHECK_EQ(WNR(esr), 1);
    CHECK_EQ(FSC(esr) >> 2, 1); /* translation fault */
    CHECK_TRUE(m.mr[seL4_VMFault_IP] >= 0x400000 && m.mr[seL4_VMFault_IP] < (seL4_Word)_end);
}

TARCH_TEST(aarch64_data_abort_read_esr)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    if (!catch_fault(h_read_low, 0x18, ep, &t, &m)) {
        return;
    }
    CHECK_EQ(m.label, seL4_Fault_VMFault);
    CHECK_EQ(m.mr[seL4_VMFault_Addr], 0x18);
    seL4_Word esr = m.mr[seL4_VMFault_FSR];
    CHECK_EQ(EC(esr), 0x24);
    CHECK_EQ(WNR(esr), 0);
    CHECK_EQ(FSC(esr) >> 2, 1);
}

/* A write to a read-only image page: a permission fault, level 3. */
TARCH_TEST(aarch64_permission_fault_esr)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    seL4_Word text = (seL4_Word)h_jump & ~0xffful;
    /* Remap one image text page read-only for the duration of the test. */
    seL4_CPtr frame = image_frame_cap((const void *)text);
    if (!CHECK_OK(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, text, seL4_CanRead,
                                    seL4_ARM_Default_VMAttributes))) {
        return;
    }
    int ok = catch_fault(h_write_low, text, ep, &t, &m);
    CHECK_OK(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, text, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes));
    if (!ok) {
        return;
    }
    seL4_Word esr = m.mr[seL4_VMFault_FSR];
    CHECK_EQ(m.mr[seL4_VMFault_Addr], text);
    CHECK_EQ(EC(esr), 0x24);
    CHECK_EQ(WNR(esr), 1);
    CHECK_EQ(FSC(esr), 0x0f); /* permission fault, level 3 */
    /* The reply restarts the write, which now succeeds. */
    resumed = 0;
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_TRUE(yield_until(&resumed, 1, YIELD_LIMIT));
}

TARCH_TEST(aarch64_instruction_abort_esr)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    if (!catch_fault(h_jump, 0x1000, ep, &t, &m)) {
        return;
    }
    CHECK_EQ(m.label, seL4_Fault_VMFault);
    CHECK_EQ(m.mr[seL4_VMFault_IP], 0x1000);
    CHECK_EQ(m.mr[seL4_VMFault_Addr], 0x1000);
    CHECK_EQ(m.mr[seL4_VMFault_PrefetchFault], 1);
    seL4_Word esr = m.mr[seL4_VMFault_FSR];
    CHECK_EQ(EC(esr), 0x20); /* instruction abort from a lower EL */
    CHECK_EQ(FSC(esr) >> 2, 1);
}

static void h_undefined(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    __asm__ volatile("udf #0x51");
    resumed = 1;
}

TARCH_TEST(aarch64_undefined_instruction_user_exception)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    resumed = 0;
    if (!catch_fault(h_undefined, 0, ep, &t, &m)) {
        return;
    }
    CHECK_EQ(m.label, seL4_Fault_UserException);
    CHECK_EQ(m.length, seL4_UserException_Length);
    CHECK_EQ(m.mr[seL4_UserException_Number], 0x02000000);
    CHECK_EQ(m.mr[seL4_UserException_Code], 0);
    CHECK_EQ(m.mr[seL4_UserException_SPSR] & 0xf, 0); /* EL0t */
    seL4_Word pc = m.mr[seL4_UserException_FaultIP];
    CHECK_EQ(*(const uint32_t *)pc, 0x00000051); /* udf #0x51 */
    /* Reply with the PC moved past the udf: the thread carries on. */
    seL4_SetMR(0, pc + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    CHECK_TRUE(yield_until(&resumed, 1, YIELD_LIMIT));
}

static volatile seL4_Word fpuStage, fpuResult;

static void h_fpu(seL4_Word v, seL4_Word unused)
{
    (void)unused;
    __asm__ volatile("fmov d8, %0" : : "r"(v) : "d8");
    fpuStage = 1;
    while (fpuStage != 2) {
        seL4_Yield();
    }
    seL4_Word out;
    __asm__ volatile("fmov %0, d8" : "=r"(out));
    fpuResult = out;
}

TARCH_TEST(aarch64_fpu_disabled_user_exception)
{
    seL4_CPtr ep = tt_ep();
    fpuStage = 0;
    fpuResult = 0;
    thread_t *t = thread_new(ROOT_PRIO, h_fpu, 0x1234567890abcdeful, 0);
    if (!t || !thread_set_fault_ep(t, ep)) {
        return;
    }
    thread_start(t);
    if (!CHECK_TRUE(yield_until(&fpuStage, 1, YIELD_LIMIT))) {
        return;
    }
    /* The root task uses the FPU meanwhile; the thread's d8 must survive. */
    __asm__ volatile("fmov d8, xzr" : : : "d8");
    seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(t->tcb, 0, seL4_TCBFlag_fpuDisabled);
    CHECK_ERR(f.error, seL4_NoError);
    CHECK_EQ(f.flags, seL4_TCBFlag_fpuDisabled);
    fpuStage = 2;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    if (!CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException)) {
        return;
    }
    seL4_Word esr = seL4_GetMR(seL4_UserException_Number);
    CHECK_EQ(EC(esr), 0x07); /* FP/SIMD access trap */
    CHECK_EQ(esr & 0xfe000000ul, 0x1e000000ul);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    f = seL4_TCB_SetFlags(t->tcb, seL4_TCBFlag_fpuDisabled, 0);
    CHECK_EQ(f.flags, 0);
    /* Label 0, no registers: the fmov runs again, with the saved d8. */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_TRUE(yield_until(&fpuResult, 0x1234567890abcdeful, YIELD_LIMIT));
}

static void h_unknown_syscall(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    register seL4_Word x0 __asm__("x0") = 0x100;
    register seL4_Word x1 __asm__("x1") = 0x101;
    register seL4_Word x2 __asm__("x2") = 0x102;
    register seL4_Word x3 __asm__("x3") = 0x103;
    register seL4_Word x4 __asm__("x4") = 0x104;
    register seL4_Word x5 __asm__("x5") = 0x105;
    register seL4_Word x6 __asm__("x6") = 0x106;
    register seL4_Word x7 __asm__("x7") = 12345;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
                     : "r"(x7)
                     : "memory");
    resumed = x0;
}

TARCH_TEST(aarch64_unknown_syscall_message_and_reply)
{
    seL4_CPtr ep = tt_ep();
    thread_t *t;
    fault_msg_t m;
    resumed = 0;
    if (!catch_fault(h_unknown_syscall, 0, ep, &t, &m)) {
        return;
    }
    CHECK_EQ(m.label, seL4_Fault_UnknownSyscall);
    CHECK_EQ(m.length, seL4_UnknownSyscall_Length);
    for (int i = 0; i < 7; i++) {
        CHECK_EQ(m.mr[seL4_UnknownSyscall_X0 + i], 0x100 + i);
    }
    CHECK_EQ(m.mr[seL4_UnknownSyscall_X7], 12345);
    CHECK_EQ(m.mr[seL4_UnknownSyscall_Syscall], 12345);
    seL4_Word pc = m.mr[seL4_UnknownSyscall_FaultIP];
    CHECK_EQ(*(const uint32_t *)pc, 0xd4000001); /* svc #0 */
    CHECK_EQ(m.mr[seL4_UnknownSyscall_LR], pc + 4);
    CHECK_TRUE(m.mr[seL4_UnknownSyscall_SP] > t->stack_top - THREAD_STACK_SIZE &&
               m.mr[seL4_UnknownSyscall_SP] <= t->stack_top);
    CHECK_EQ(m.mr[seL4_UnknownSyscall_SPSR] & 0xf, 0);
    /* Reply: x0 := 0x777 and the restart PC past the svc. */
    for (int i = 0; i < 8; i++) {
        seL4_SetMR(i, m.mr[i]);
    }
    seL4_SetMR(0, 0x777);
    seL4_SetMR(seL4_UnknownSyscall_FaultIP, pc + 4);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, seL4_UnknownSyscall_FaultIP + 1));
    CHECK_TRUE(yield_until(&resumed, 0x777, YIELD_LIMIT));
}

/* No fault handler: the thread just stops (the kernel prints the fault,
 * decoded, in debug builds). */
TARCH_TEST(aarch64_fault_without_handler_stops_thread)
{
    resumed = 0;
    thread_t *t = thread_run(ROOT_PRIO, h_write_low, 0x20, 0);
    if (!t) {
        return;
    }
    yield_n(20);
    CHECK_EQ(resumed, 0);
    seL4_UserContext ctx;
    CHECK_TRUE(read_regs(t->tcb, &ctx));
    /* Still at the faulting store. */
    CHECK_TRUE(ctx.pc >= (seL4_Word)h_write_low && ctx.pc < (seL4_Word)h_write_low + 64);
}
