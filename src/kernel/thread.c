/*
 * Thread states, ready queues and the scheduler. One FIFO per priority with
 * a two-level bitmap gives an O(1) choice of the highest runnable thread.
 */
#include <arch/machine.h>
#include <assert.h>
#include <kernel/arch_hooks.h>
#include <kernel/thread.h>
#include <machine/io.h>
#include <object/endpoint.h>

/* L2 bitmaps are stored inverted so that low words hold high priorities. */
static inline word_t prioL1Index(prio_t prio)
{
    return prio / wordBits;
}

static inline word_t invertL1Index(word_t i)
{
    return L2_BITMAP_WORDS - 1 - i;
}

static inline tcb_queue_t *readyQueue(dom_t dom, prio_t prio)
{
    return &ksReadyQueues[dom * CONFIG_NUM_PRIORITIES + prio];
}

static void addToBitmap(dom_t dom, prio_t prio)
{
    word_t l1 = prioL1Index(prio);
    ksReadyQueuesL1Bitmap[dom] |= BIT(l1);
    ksReadyQueuesL2Bitmap[dom][invertL1Index(l1)] |= BIT(prio % wordBits);
}

static void removeFromBitmap(dom_t dom, prio_t prio)
{
    word_t l1 = prioL1Index(prio);
    ksReadyQueuesL2Bitmap[dom][invertL1Index(l1)] &= ~BIT(prio % wordBits);
    if (ksReadyQueuesL2Bitmap[dom][invertL1Index(l1)] == 0) {
        ksReadyQueuesL1Bitmap[dom] &= ~BIT(l1);
    }
}

/* Highest priority with a ready thread; the L1 bitmap must be non-zero. */
static prio_t highestPrio(dom_t dom)
{
    word_t l1 = highestBit(ksReadyQueuesL1Bitmap[dom]);
    word_t l2 = highestBit(ksReadyQueuesL2Bitmap[dom][invertL1Index(l1)]);
    return l1 * wordBits + l2;
}

static bool isQueued(const tcb_t *t)
{
    return thread_state_get_tcbQueued(t->tcbState);
}

static void setQueued(tcb_t *t, bool q)
{
    thread_state_ptr_set_tcbQueued(&t->tcbState, q);
}

/* Insert at the head of the thread's ready queue (it keeps its turn). */
void tcbSchedEnqueue(tcb_t *tcb)
{
    if (isQueued(tcb)) {
        return;
    }
    tcb_queue_t *q = readyQueue(tcb->tcbDomain, tcb->tcbPriority);
    if (q->head == NULL) {
        q->end = tcb;
        addToBitmap(tcb->tcbDomain, tcb->tcbPriority);
    } else {
        q->head->tcbSchedPrev = tcb;
    }
    tcb->tcbSchedPrev = NULL;
    tcb->tcbSchedNext = q->head;
    q->head = tcb;
    setQueued(tcb, true);
}

/* Insert at the tail (yield, timeslice expiry). */
void tcbSchedAppend(tcb_t *tcb)
{
    if (isQueued(tcb)) {
        return;
    }
    tcb_queue_t *q = readyQueue(tcb->tcbDomain, tcb->tcbPriority);
    if (q->head == NULL) {
        q->head = tcb;
        addToBitmap(tcb->tcbDomain, tcb->tcbPriority);
    } else {
        q->end->tcbSchedNext = tcb;
    }
    tcb->tcbSchedPrev = q->end;
    tcb->tcbSchedNext = NULL;
    q->end = tcb;
    setQueued(tcb, true);
}

void tcbSchedDequeue(tcb_t *tcb)
{
    if (!isQueued(tcb)) {
        return;
    }
    tcb_queue_t *q = readyQueue(tcb->tcbDomain, tcb->tcbPriority);
    if (tcb->tcbSchedPrev) {
        tcb->tcbSchedPrev->tcbSchedNext = tcb->tcbSchedNext;
    } else {
        q->head = tcb->tcbSchedNext;
    }
    if (tcb->tcbSchedNext) {
        tcb->tcbSchedNext->tcbSchedPrev = tcb->tcbSchedPrev;
    } else {
        q->end = tcb->tcbSchedPrev;
    }
    if (q->head == NULL) {
        removeFromBitmap(tcb->tcbDomain, tcb->tcbPriority);
    }
    tcb->tcbSchedNext = tcb->tcbSchedPrev = NULL;
    setQueued(tcb, false);
}

void setThreadState(tcb_t *tcb, _thread_state_t ts)
{
    thread_state_ptr_set_tsType(&tcb->tcbState, ts);
    scheduleTCB(tcb);
}

/* A change to a thread's state may mean the current thread must yield. */
void scheduleTCB(tcb_t *tcb)
{
    if (tcb == ksCurThread && ksSchedulerAction == SchedulerAction_ResumeCurrentThread &&
        !isRunnable(tcb)) {
        rescheduleRequired();
    }
}

void rescheduleRequired(void)
{
    tcb_t *action = ksSchedulerAction;
    if (action != SchedulerAction_ResumeCurrentThread &&
        action != SchedulerAction_ChooseNewThread) {
        tcbSchedEnqueue(action);
    }
    ksSchedulerAction = SchedulerAction_ChooseNewThread;
}

void possibleSwitchTo(tcb_t *tcb)
{
    if (tcb->tcbDomain != ksCurDomain) {
        tcbSchedEnqueue(tcb);
    } else if (ksSchedulerAction != SchedulerAction_ResumeCurrentThread) {
        rescheduleRequired();
        tcbSchedEnqueue(tcb);
    } else {
        ksSchedulerAction = tcb;
    }
}

void switchToThread(tcb_t *tcb)
{
    Arch_switchToThread(tcb);
    tcbSchedDequeue(tcb);
    ksCurThread = tcb;
}

void switchToIdleThread(void)
{
    Arch_switchToIdleThread();
    ksCurThread = ksIdleThread;
}

static void chooseThread(void)
{
    dom_t dom = ksCurDomain;
    if (ksReadyQueuesL1Bitmap[dom] != 0) {
        tcb_t *t = readyQueue(dom, highestPrio(dom))->head;
        assert(t != NULL && isRunnable(t));
        switchToThread(t);
    } else {
        switchToIdleThread();
    }
}

static bool higherPriorityQueued(prio_t prio)
{
    dom_t dom = ksCurDomain;
    return ksReadyQueuesL1Bitmap[dom] != 0 && highestPrio(dom) > prio;
}

/* Runs once at the end of every kernel entry (semantics.md section 5). */
void schedule(void)
{
    tcb_t *action = ksSchedulerAction;
    if (action == SchedulerAction_ResumeCurrentThread) {
        return;
    }
    bool wasRunnable = isRunnable(ksCurThread);
    if (wasRunnable) {
        tcbSchedEnqueue(ksCurThread);
    }
    if (action == SchedulerAction_ChooseNewThread) {
        chooseThread();
    } else {
        tcb_t *candidate = action;
        bool curIsIdle = ksCurThread == ksIdleThread;
        bool fastfail = curIsIdle || candidate->tcbPriority < ksCurThread->tcbPriority;
        if (fastfail && higherPriorityQueued(candidate->tcbPriority)) {
            tcbSchedEnqueue(candidate);
            chooseThread();
        } else if (wasRunnable && candidate->tcbPriority == ksCurThread->tcbPriority) {
            tcbSchedAppend(candidate);
            chooseThread();
        } else {
            switchToThread(candidate);
        }
    }
    ksSchedulerAction = SchedulerAction_ResumeCurrentThread;
}

/* Make the current thread ready to return to user level. */
void activateThread(void)
{
    tcb_t *t = ksCurThread;
    switch (thread_state_type(t)) {
    case ThreadState_Running:
    case ThreadState_IdleThreadState:
        break;
    case ThreadState_Restart:
        setRegister(t, NextIP, getRegister(t, FaultIP));
        setThreadState(t, ThreadState_Running);
        break;
    default:
        kpanic("current thread \"%s\" is not runnable (state %s)", t->tcbName,
               threadStateName(thread_state_type(t)));
    }
}

void suspendThread(tcb_t *tcb)
{
    cancelIPC(tcb);
    if (thread_state_type(tcb) == ThreadState_Running) {
        setRegister(tcb, FaultIP, getRegister(tcb, NextIP));
    }
    setThreadState(tcb, ThreadState_Inactive);
    tcbSchedDequeue(tcb);
}

void tcbDebugAppend(tcb_t *tcb)
{
    tcb->tcbDebugPrev = NULL;
    tcb->tcbDebugNext = ksDebugTCBs;
    if (ksDebugTCBs) {
        ksDebugTCBs->tcbDebugPrev = tcb;
    }
    ksDebugTCBs = tcb;
}

void tcbDebugRemove(tcb_t *tcb)
{
    if (tcb->tcbDebugPrev) {
        tcb->tcbDebugPrev->tcbDebugNext = tcb->tcbDebugNext;
    } else {
        ksDebugTCBs = tcb->tcbDebugNext;
    }
    if (tcb->tcbDebugNext) {
        tcb->tcbDebugNext->tcbDebugPrev = tcb->tcbDebugPrev;
    }
    tcb->tcbDebugNext = tcb->tcbDebugPrev = NULL;
}

void setThreadName(tcb_t *tcb, const char *name)
{
    size_t n = strnlen(name, TCB_NAME_LENGTH - 1);
    memcpy(tcb->tcbName, name, n);
    tcb->tcbName[n] = '\0';
}

const char *threadStateName(word_t ts)
{
    static const char *const names[] = {
        [ThreadState_Inactive] = "inactive",
        [ThreadState_Running] = "running",
        [ThreadState_Restart] = "restart",
        [ThreadState_BlockedOnReceive] = "blocked on recv",
        [ThreadState_BlockedOnSend] = "blocked on send",
        [ThreadState_BlockedOnReply] = "blocked on reply",
        [ThreadState_BlockedOnNotification] = "blocked on ntfn",
        [ThreadState_IdleThreadState] = "idle",
    };
    return ts < ARRAY_SIZE(names) ? names[ts] : "unknown";
}

void timerTick(void)
{
    tcb_t *cur = ksCurThread;
    if (thread_state_type(cur) != ThreadState_Running) {
        return;
    }
    if (cur->tcbTimeSlice > 1) {
        cur->tcbTimeSlice--;
        return;
    }
    cur->tcbTimeSlice = CONFIG_TIME_SLICE;
    tcbSchedAppend(cur);
    rescheduleRequired();
}
