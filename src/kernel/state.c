/*
 * All global kernel state, in one place. Nothing else in the kernel
 * defines a mutable global.
 */
#include <kernel/state.h>

/* Thread whose context is live on the CPU (never NULL after boot). */
tcb_t *ksCurThread;
/* The idle thread, run when no other thread is runnable. */
tcb_t *ksIdleThread;
/* What schedule() must do at the end of this kernel entry. */
tcb_t *ksSchedulerAction;
/* One FIFO per (domain, priority) of runnable threads. */
tcb_queue_t ksReadyQueues[NUM_READY_QUEUES];
/* Bit i set: L2 word i of that domain has a non-empty queue. */
word_t ksReadyQueuesL1Bitmap[CONFIG_NUM_DOMAINS];
/* Bit p set (inverted index, see thread.c): priority p has ready threads. */
word_t ksReadyQueuesL2Bitmap[CONFIG_NUM_DOMAINS][L2_BITMAP_WORDS];
/* Domain whose threads may run now. */
dom_t ksCurDomain;
/* Ticks left in the current domain's slot. */
word_t ksDomainTime;
/* Head of the list of all TCBs, for debug dumps. */
tcb_t *ksDebugTCBs;
/* Details of the syscall error being reported by this kernel entry. */
syscall_error_t ksCurSyscallError;
/* Details of the lookup failure being reported by this kernel entry. */
lookup_fault_t ksCurLookupFault;
/* Work done since the last preemption check in a long operation. */
word_t ksWorkUnitsCompleted;
/* Slots of the extra caps of the invocation being decoded (NULL: none). */
cte_t *ksCurExtraCaps[seL4_MsgMaxExtraCaps];
/* State of every IRQ line (irq_state_t). */
uint8_t ksIRQState[NUM_IRQS];
/* The notification cap each IRQ signals (IRQHandler_SetNotification). */
cte_t ksIRQNode[NUM_IRQS];
/* Interrupts that arrived with nobody to take them. */
word_t ksSpuriousIRQs;
/* ASID pools by the ASID's high bits; pool 0 belongs to the root server. */
struct asid_pool *ksASIDTable[NUM_ASID_POOLS];
