/*
 * AArch64 interrupts through the GIC (semantics.md 9): IRQControl_Get and
 * GetTrigger with their range, state and slot checks, trigger modes of
 * SPIs, and a software-generated interrupt delivered end to end: an
 * SGI-signal cap raises SGI 1, whose IRQ handler signals a notification.
 */
#include "../threads.h"

#if CONFIG_ARM_GIC_VERSION == 3
#define MAX_IRQ 255
#else
#define MAX_IRQ 287
#endif
#define TIMER_IRQ 30
#define SPI_EDGE 100 /* SPIs with nothing wired to them on QEMU virt */
#define SPI_LEVEL 101
#define SGI 1

KARCH_TEST(aarch64_irq_get_trigger_modes)
{
    seL4_CPtr edge = slot_alloc(), level = slot_alloc(), again = slot_alloc();
    CHECK_OK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, SPI_EDGE, 1, ROOT, edge, 64));
    CHECK_OK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, SPI_LEVEL, 0, ROOT, level, 64));
    /* Each IRQ has one handler at a time. */
    CHECK_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, SPI_EDGE, 0, ROOT, again, 64),
              seL4_RevokeFirst);
    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, SPI_LEVEL, ROOT, again, 64),
              seL4_RevokeFirst);
    /* Deleting the handler makes the IRQ available again. */
    CHECK_OK(seL4_CNode_Delete(ROOT, edge, ROOT_DEPTH));
    CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, SPI_EDGE, ROOT, again, 64));
    CHECK_OK(seL4_IRQHandler_Ack(again));
    CHECK_OK(seL4_IRQHandler_Clear(again));
}

KARCH_TEST(aarch64_irq_get_errors)
{
    seL4_CPtr dest = slot_alloc();
    CHECK_ERR(raw_call(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 3,
                       RAW_MRS(SPI_EDGE, 1, dest), 1, RAW_CAPS(ROOT))
                      .words[0] >>
                  12,
              seL4_TruncatedMessage);
    CHECK_ERR(raw_call(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 4,
                       RAW_MRS(SPI_EDGE, 1, dest, 64), 0, RAW_CAPS(0))
                      .words[0] >>
                  12,
              seL4_TruncatedMessage);
    CHECK_RANGE_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, MAX_IRQ + 1, 0, ROOT, dest, 64),
                    0, MAX_IRQ);
    CHECK_RANGE_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, 5000, ROOT, dest, 64), 0, MAX_IRQ);
    /* The kernel's timer is never handed out. */
    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, TIMER_IRQ, ROOT, dest, 64), seL4_RevokeFirst);
    CHECK_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, SPI_EDGE, ROOT, seL4_CapInitThreadTCB, 64),
              seL4_DeleteFirst);
    CHECK_RANGE_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, SPI_EDGE, ROOT, dest, 65), 1, 64);
    /* Nothing was issued by the failures. */
    CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, SPI_EDGE, ROOT, dest, 64));
    CHECK_ERR(raw_call(seL4_CapIRQControl, 999, 0, RAW_MRS(0), 0, RAW_CAPS(0)).words[0] >> 12,
              seL4_IllegalOperation);
}

KARCH_TEST(aarch64_issue_sgi_signal_errors)
{
    seL4_CPtr dest = slot_alloc();
    CHECK_RANGE_ERR(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 16, 0, ROOT, dest, 64), 0,
                    15);
    CHECK_RANGE_ERR(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 1, 1, ROOT, dest, 64), 0, 0);
    CHECK_ERR(
        seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 1, 0, ROOT, seL4_CapInitThreadTCB, 64),
        seL4_DeleteFirst);
    CHECK_OK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 1, 0, ROOT, dest, 64));
}

/* semantics.md 2.1: an SGI-signal original parents its copies but not a
 * second original issued for the same SGI and target. */
KARCH_TEST(aarch64_sgi_signal_originals_are_siblings)
{
    seL4_CPtr first = slot_alloc(), second = slot_alloc(), copy = slot_alloc();
    seL4_CPtr probe = slot_alloc();
    CHECK_OK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 2, 0, ROOT, first, 64));
    CHECK_OK(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, first, ROOT_DEPTH, seL4_AllRights));
    /* Issued next to IRQControl, so `second` precedes `first` in the MDB. */
    CHECK_OK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 2, 0, ROOT, second, 64));
    CHECK_OK(seL4_CNode_Revoke(ROOT, second, ROOT_DEPTH));
    CHECK_OK(seL4_CNode_Copy(ROOT, probe, ROOT_DEPTH, ROOT, first, ROOT_DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, probe, ROOT_DEPTH));
    CHECK_OK(seL4_CNode_Copy(ROOT, probe, ROOT_DEPTH, ROOT, copy, ROOT_DEPTH, seL4_AllRights));
    CHECK_OK(seL4_CNode_Delete(ROOT, probe, ROOT_DEPTH));
    /* The copy is a child of `first`: revoking `first` removes it. */
    CHECK_OK(seL4_CNode_Revoke(ROOT, first, ROOT_DEPTH));
    CHECK_ERR(seL4_CNode_Copy(ROOT, probe, ROOT_DEPTH, ROOT, copy, ROOT_DEPTH, seL4_AllRights),
              seL4_FailedLookup);
    CHECK_OK(seL4_CNode_Copy(ROOT, probe, ROOT_DEPTH, ROOT, second, ROOT_DEPTH, seL4_AllRights));
}

TARCH_TEST(aarch64_sgi_signals_handler_notification)
{
    seL4_CPtr handler = slot_alloc(), sgi = slot_alloc();
    seL4_CPtr ntfn = tt_ntfn();
    seL4_CPtr badged = tt_mint(ntfn, seL4_AllRights, 0x5a);
    if (!CHECK_OK(seL4_IRQControl_Get(seL4_CapIRQControl, SGI, ROOT, handler, 64)) ||
        !CHECK_OK(seL4_IRQHandler_SetNotification(handler, badged)) ||
        !CHECK_OK(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, SGI, 0, ROOT, sgi, 64))) {
        return;
    }
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    CHECK_EQ(badge, 0);
    /* Raise SGI 1: it is taken on the way back to user level. */
    seL4_Signal(sgi);
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(badge, 0x5a);
    /* After Ack the line delivers again. */
    CHECK_OK(seL4_IRQHandler_Ack(handler));
    seL4_Signal(sgi);
    seL4_Wait(ntfn, &badge);
    CHECK_EQ(badge, 0x5a);
    CHECK_NE(badge, WD_BADGE);
    CHECK_OK(seL4_IRQHandler_Ack(handler));
}
