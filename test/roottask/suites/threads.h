/*
 * Helper threads for the IPC, notification, scheduling, TCB and fault
 * suites. Threads run in the root task's own address space (VSpace
 * seL4_CapInitThreadVSpace), each with a static stack, a 1 KiB IPC buffer
 * inside the root image (the image frame cap that holds it is passed to
 * TCB_Configure) and its own TLS block (rt_thread.h).
 *
 * Every test that creates threads is written as
 *
 *     TTEST(name) { ... }
 *
 * which wraps the body in ktest_begin()/threads_begin() ...
 * threads_end()/ktest_end() (helpers.h): all objects come from one
 * per-test untyped (tt_ut()), so clean-up revokes everything, and all
 * threads are suspended first.
 *
 * A watchdog thread at priority 0 exists during each TTEST. It only gets
 * the CPU when every other thread (root task included) is blocked, i.e.
 * when the root task waits for something that can no longer happen (no
 * device interrupts are used by these tests). It then forces the root
 * task's blocking syscall to return with badge WD_BADGE and message label
 * WD_LABEL, and the test is failed. A kernel bug therefore gives FAIL,
 * not a hang. Helper threads must use priorities >= 1.
 */
#pragma once

#include "helpers.h"

#include <stdint.h>

#define THREADS_MAX 10
#define THREAD_STACK_SIZE 16384
#define ROOT_PRIO 255

/* What a blocking syscall of the root task returns when the watchdog fires. */
#define WD_BADGE 0x00dead00dead00dbul
#define WD_LABEL 0xdeadul

/* Number of seL4_UserContext words (x86_64: 20). */
#define USER_CONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))

#if defined(CONFIG_ARCH_X86_64)
#define CTX_PC(c) ((c).rip)
#define CTX_SP(c) ((c).rsp)
#define CTX_CAPREG(c) ((c).rdi) /* cptr in, badge out */
#define CTX_TLS(c) ((c).fs_base)
#define SYSCALL_INSN_SIZE 2
#elif defined(CONFIG_ARCH_AARCH64)
#define CTX_PC(c) ((c).pc)
#define CTX_SP(c) ((c).sp)
#define CTX_CAPREG(c) ((c).x0)
#define CTX_TLS(c) ((c).tpidr_el0)
#define SYSCALL_INSN_SIZE 4
#endif

typedef void (*thread_fn_t)(seL4_Word arg0, seL4_Word arg1);

typedef struct thread {
    int index; /* pool entry */
    int in_use;
    seL4_CPtr tcb;       /* root-CNode slot of its TCB cap */
    seL4_IPCBuffer *ipc; /* its IPC buffer (inside the root image) */
    seL4_CPtr ipc_frame; /* image frame cap holding the buffer */
    uintptr_t tp;        /* its TLS thread pointer */
    seL4_Word stack_top; /* 16-byte aligned end of its stack */
    thread_fn_t fn;
    seL4_Word arg0, arg1;
    seL4_CPtr self;              /* its own TCB cap as named in its CSpace */
    seL4_CPtr cspace;            /* its CSpace root, as a cap in the root CNode */
    seL4_Word cspace_data;       /* guard word given with it */
    volatile seL4_Word returned; /* set when fn returned */
} thread_t;

/* ---- per-test set-up ---------------------------------------------------- */

void threads_begin(void);
void threads_end(void);

#define TTEST_(reg, name)           \
    static void tbody_##name(void); \
    reg(name)                       \
    {                               \
        ktest_begin();              \
        threads_begin();            \
        tbody_##name();             \
        threads_end();              \
        ktest_end();                \
    }                               \
    static void tbody_##name(void)

#define TTEST(name) TTEST_(TEST, name)
#define TARCH_TEST(name) TTEST_(ARCH_TEST, name)

/* Times the watchdog fired in the running test. */
seL4_Word wd_fired(void);
/* Forget the firings so far (for a test that provokes one on purpose). */
void wd_ack(void);

/* ---- objects (all from the test's untyped; freed by clean-up) ------------ */

seL4_CPtr tt_ut(void);
seL4_CPtr tt_obj(seL4_Word type, seL4_Word size_bits);
seL4_CPtr tt_ep(void);
seL4_CPtr tt_ntfn(void);
/* A CNode of 2^radix slots (its cap has guard size 0). */
seL4_CPtr tt_cnode(seL4_Word radix);
/* Mint / copy a cap of the root CNode into a new root slot (0 on failure). */
seL4_CPtr tt_mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge);
seL4_CPtr tt_copy(seL4_CPtr src, seL4_CapRights_t rights);

/* Cap of the root-image frame that contains vaddr. */
seL4_CPtr image_frame_cap(const void *vaddr);

/* ---- threads --------------------------------------------------------------- */

/*
 * Create a thread (TCB, IPC buffer, TLS, stack, registers), priority prio
 * (MCP stays 0), fault endpoint 0, CSpace = the root CNode. It is not
 * started. fn(arg0, arg1) runs on it; if fn returns, `returned` is set and
 * the thread suspends itself. Returns NULL (with a failed check) on error.
 */
thread_t *thread_new(seL4_Word prio, thread_fn_t fn, seL4_Word arg0, seL4_Word arg1);
/* thread_new + thread_start. */
thread_t *thread_run(seL4_Word prio, thread_fn_t fn, seL4_Word arg0, seL4_Word arg1);
/* Resume (first start or restart). */
void thread_start(thread_t *t);
void thread_suspend(thread_t *t);
/* TCB_SetSpace: fault endpoint cptr (looked up in the thread's CSpace). */
int thread_set_fault_ep(thread_t *t, seL4_CPtr fault_ep);
/* TCB_SetSpace with another CSpace root (a cap in the root CNode), its
 * guard word, and the cptr of the thread's own TCB cap in that CSpace
 * (used to suspend itself when fn returns; 0 if none). */
int thread_set_cspace(thread_t *t, seL4_CPtr fault_ep, seL4_CPtr cspace, seL4_Word cspace_data,
                      seL4_CPtr self);

/* The running thread's own descriptor (NULL in the root task). */
thread_t *thread_self(void);

/* ---- waiting ------------------------------------------------------------- */

/* Yield up to `max` times until *p == v. 1 if reached. */
int yield_until(volatile seL4_Word *p, seL4_Word v, int max);
/* Yield up to `max` times until *p >= v. */
int yield_until_ge(volatile seL4_Word *p, seL4_Word v, int max);
void yield_n(int n);
#define YIELD_LIMIT 2000

/*
 * NBRecv that tells whether anything was received: the message-info
 * register is preset to a value the kernel can never deliver (length 127),
 * and NBRecv with nothing pending writes only the badge register. Returns
 * 1 and fills *badge, *info (MR0..MR3 into the IPC buffer) if a message
 * came; 0 otherwise (then *badge is what the badge register held).
 */
int nb_recv(seL4_CPtr ep, seL4_Word *badge, seL4_MessageInfo_t *info);
#define NO_MSG_INFO (~0ul)

/*
 * A thread without an IPC buffer (semantics 8.2: it receives at most the
 * four register MRs) that receives one message on `ep`, records it in
 * bufferless_msg and signals `done`. Started and left blocked in Recv;
 * returns NULL with a failed check if that did not happen.
 */
typedef struct {
    volatile seL4_Word ready; /* set just before the Recv */
    volatile seL4_Word info;  /* message info words[0] */
    volatile seL4_Word mr[4]; /* MR0..MR3 as the registers delivered them */
} bufferless_msg_t;
extern bufferless_msg_t bufferless_msg;
thread_t *start_bufferless_receiver(seL4_CPtr ep, seL4_CPtr done);

/* ---- event log (ordering checks) ------------------------------------------ */

void ev_reset(void);
void ev(seL4_Word v);
seL4_Word ev_count(void);
seL4_Word ev_at(seL4_Word i);
#define CHECK_EVENTS(...)                                                                     \
    check_events_at((const seL4_Word[]){ __VA_ARGS__ },                                       \
                    sizeof((const seL4_Word[]){ __VA_ARGS__ }) / sizeof(seL4_Word), __FILE__, \
                    __LINE__)
int check_events_at(const seL4_Word *expected, seL4_Word n, const char *file, int line);

/* Message info as a word, and a check of all its fields. */
#define CHECK_INFO(info, label, unwrapped, extra, length) \
    check_info_at((info), (label), (unwrapped), (extra), (length), __FILE__, __LINE__)
int check_info_at(seL4_MessageInfo_t info, seL4_Word label, seL4_Word unwrapped, seL4_Word extra,
                  seL4_Word length, const char *file, int line);

/* Read all registers of another thread (1 on success). */
int read_regs(seL4_CPtr tcb, seL4_UserContext *ctx);

/* seL4_Call that also returns the badge register (cap register on return). */
seL4_MessageInfo_t call_with_badge(seL4_CPtr ep, seL4_MessageInfo_t info, seL4_Word *badge);
