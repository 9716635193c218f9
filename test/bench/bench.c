/*
 * Micro-benchmarks of the kernel's hot paths, run as a root task. Under
 * QEMU with -icount shift=0 the x86 TSC advances exactly once per guest
 * instruction, so every figure is a deterministic instruction count
 * (median of the runs). Run with: cmake --build --preset <preset> --target bench
 */
#include <rt_thread.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define RUNS 64
#define IMAGE_BASE 0x400000ul

static inline seL4_Word now(void)
{
#if defined(CONFIG_ARCH_X86_64)
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return ((seL4_Word)hi << 32) | lo;
#else
    seL4_Word v;
    __asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v));
    return v;
#endif
}

static seL4_Word median(seL4_Word *v, int n)
{
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            seL4_Word t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[n / 2];
}

static void report(const char *name, seL4_Word *samples)
{
    printf("BENCH %-28s %6lu instructions\n", name, (unsigned long)median(samples, RUNS));
}

static seL4_CPtr nextSlot, untyped;

static seL4_CPtr make(seL4_Word type)
{
    seL4_CPtr slot = nextSlot++;
    seL4_Untyped_Retype(untyped, type, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    return slot;
}

static struct {
    char stack[8192] __attribute__((aligned(16)));
    unsigned char tls[4096] __attribute__((aligned(64)));
    seL4_IPCBuffer ipc __attribute__((aligned(4096)));
} server;

static void echoServer(seL4_Word ep)
{
    seL4_Recv(ep, NULL);
    for (;;) {
        seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), NULL);
    }
}

static void startServer(seL4_BootInfo *bi, seL4_CPtr tcb, seL4_CPtr ep)
{
    uintptr_t tp = rt_tls_new(server.tls, sizeof(server.tls));
    rt_tls_set_ipc_buffer(tp, &server.ipc);
    seL4_CPtr frame = bi->userImageFrames.start + (((seL4_Word)&server.ipc - IMAGE_BASE) >> 12);
    seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                       (seL4_Word)&server.ipc, frame);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 255);
    seL4_UserContext regs = { 0 };
#if defined(CONFIG_ARCH_X86_64)
    regs.rip = (seL4_Word)echoServer;
    regs.rsp = (seL4_Word)(server.stack + sizeof(server.stack) - 8);
    regs.rdi = ep;
    regs.fs_base = tp;
#else
    regs.pc = (seL4_Word)echoServer;
    regs.sp = (seL4_Word)(server.stack + sizeof(server.stack));
    regs.x0 = ep;
    regs.tpidr_el0 = tp;
#endif
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word t[RUNS];
    nextSlot = bi->empty.start;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 20) {
            untyped = bi->untyped.start + i;
            break;
        }
    }
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ntfn = make(seL4_NotificationObject);
    seL4_CPtr tcb = make(seL4_TCBObject);

    for (int i = 0; i < RUNS; i++) {
        seL4_Word s = now();
        seL4_Yield();
        t[i] = now() - s;
    }
    report("yield (no other thread)", t);

    for (int i = 0; i < RUNS; i++) {
        seL4_Word s = now();
        seL4_Signal(ntfn);
        t[i] = now() - s;
        seL4_Poll(ntfn, NULL);
    }
    report("signal (nobody waiting)", t);

    for (int i = 0; i < RUNS; i++) {
        seL4_Signal(ntfn);
        seL4_Word s = now();
        seL4_Wait(ntfn, NULL);
        t[i] = now() - s;
    }
    report("wait (signal pending)", t);

    seL4_CPtr slot = nextSlot++;
    for (int i = 0; i < RUNS; i++) {
        seL4_Word s = now();
        seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, ep, 64,
                        seL4_AllRights);
        t[i] = now() - s;
        seL4_CNode_Delete(seL4_CapInitThreadCNode, slot, 64);
    }
    report("CNode_Copy", t);

    startServer(bi, tcb, ep);
    for (int i = 0; i < RUNS; i++) {
        seL4_Word s = now();
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        t[i] = now() - s;
    }
    report("Call + ReplyRecv round trip", t);
    printf("BENCH DONE\n");
    return 0;
}
