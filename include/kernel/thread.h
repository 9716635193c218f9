/*
 * Thread states, the ready queues and the scheduler (non-MCS semantics,
 * semantics.md section 5).
 */
#pragma once

#include <kernel/state.h>
#include <object/structures.h>

void setThreadState(tcb_t *tcb, _thread_state_t ts);
void activateThread(void);
void schedule(void);
void scheduleTCB(tcb_t *tcb);
void rescheduleRequired(void);
void possibleSwitchTo(tcb_t *tcb);
void switchToThread(tcb_t *tcb);
void switchToIdleThread(void);

void tcbSchedEnqueue(tcb_t *tcb);
void tcbSchedAppend(tcb_t *tcb);
void tcbSchedDequeue(tcb_t *tcb);

/* The kernel timer fired: charge the current thread's timeslice. */
void timerTick(void);

/* Stop a thread for good (until resumed): leave queues, become Inactive. */
void suspendThread(tcb_t *tcb);

/* Debug list of all TCBs (names for dumps and diagnostics). */
void tcbDebugAppend(tcb_t *tcb);
void tcbDebugRemove(tcb_t *tcb);
void setThreadName(tcb_t *tcb, const char *name);
const char *threadStateName(word_t ts);
