/*
 * Declarations of all global kernel state; the definitions, each with a
 * one-line comment, are in src/kernel/state.c. Every name starts with ks.
 */
#pragma once

#include <api/failures.h>
#include <config.h>
#include <object/structures.h>

#define NUM_READY_QUEUES (CONFIG_NUM_DOMAINS * CONFIG_NUM_PRIORITIES)
#define L2_BITMAP_WORDS ((CONFIG_NUM_PRIORITIES + wordBits - 1) / wordBits)

typedef struct {
    tcb_t *head;
    tcb_t *end;
} tcb_queue_t;

/* Scheduler action: resume the current thread, choose a new one, or a
 * specific candidate thread pointer. */
#define SchedulerAction_ResumeCurrentThread ((tcb_t *)0)
#define SchedulerAction_ChooseNewThread ((tcb_t *)1)

extern tcb_t *ksCurThread;
extern tcb_t *ksIdleThread;
extern tcb_t *ksSchedulerAction;
extern tcb_queue_t ksReadyQueues[NUM_READY_QUEUES];
extern word_t ksReadyQueuesL1Bitmap[CONFIG_NUM_DOMAINS];
extern word_t ksReadyQueuesL2Bitmap[CONFIG_NUM_DOMAINS][L2_BITMAP_WORDS];
extern dom_t ksCurDomain;
extern word_t ksDomainTime;
extern tcb_t *ksDebugTCBs;
extern syscall_error_t ksCurSyscallError;
extern lookup_fault_t ksCurLookupFault;
extern word_t ksWorkUnitsCompleted;
extern cte_t *ksCurExtraCaps[seL4_MsgMaxExtraCaps];
extern uint8_t ksIRQState[NUM_IRQS];
extern cte_t ksIRQNode[NUM_IRQS];
extern word_t ksSpuriousIRQs;
struct asid_pool;
extern struct asid_pool *ksASIDTable[NUM_ASID_POOLS];
