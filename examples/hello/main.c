/*
 * The example root server that the README's boot command runs.
 *
 * 1. It greets and summarises what the kernel handed over in bootinfo.
 * 2. It starts a server and a client thread; the client sends requests
 *    with seL4_Call and the server answers with seL4_ReplyRecv.
 * 3. The client then dereferences a null pointer. Its fault handler is an
 *    endpoint the root server listens on: the kernel turns the fault into
 *    a message, which the root server decodes and prints.
 */
#include <rt_thread.h>
#include <sel4/sel4.h>
#include <stdio.h>

#define IMAGE_BASE 0x400000ul
#define PAGE_BITS 12
#define STACK_BYTES 8192

typedef struct {
    char stack[STACK_BYTES] __attribute__((aligned(16)));
    unsigned char tls[4096] __attribute__((aligned(64)));
    seL4_IPCBuffer ipc __attribute__((aligned(4096)));
} thread_mem_t;

static thread_mem_t serverMem, clientMem;
static seL4_CPtr nextSlot;
static seL4_CPtr untyped;

static seL4_CPtr allocSlot(void)
{
    return nextSlot++;
}

/* A RAM untyped big enough for a few objects. */
static seL4_CPtr findUntyped(const seL4_BootInfo *bi)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) {
            return bi->untyped.start + i;
        }
    }
    return seL4_CapNull;
}

static seL4_CPtr make(seL4_Word type)
{
    seL4_CPtr slot = allocSlot();
    seL4_Error err = seL4_Untyped_Retype(untyped, type, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (err != seL4_NoError) {
        printf("retype of type %lu failed: %d\n", (unsigned long)type, err);
    }
    return slot;
}

/* The frame cap of the root server's own image page holding `p`. */
static seL4_CPtr imageFrameOf(const seL4_BootInfo *bi, const void *p)
{
    return bi->userImageFrames.start + (((seL4_Word)p - IMAGE_BASE) >> PAGE_BITS);
}

/* Start fn(arg) in a new thread of this address space. */
static void startThread(const seL4_BootInfo *bi, seL4_CPtr tcb, thread_mem_t *mem,
                        seL4_CPtr faultEP, seL4_Word prio, void (*fn)(seL4_Word), seL4_Word arg)
{
    uintptr_t tp = rt_tls_new(mem->tls, sizeof(mem->tls));
    rt_tls_set_ipc_buffer(tp, &mem->ipc);
    seL4_TCB_Configure(tcb, faultEP, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                       (seL4_Word)&mem->ipc, imageFrameOf(bi, &mem->ipc));
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio);
    seL4_UserContext regs = { 0 };
#if defined(CONFIG_ARCH_X86_64)
    regs.rip = (seL4_Word)fn;
    regs.rsp = (seL4_Word)(mem->stack + STACK_BYTES - 8);
    regs.rdi = arg;
    regs.fs_base = tp;
#elif defined(CONFIG_ARCH_AARCH64)
    regs.pc = (seL4_Word)fn;
    regs.sp = (seL4_Word)(mem->stack + STACK_BYTES);
    regs.x0 = arg;
    regs.tpidr_el0 = tp;
#endif
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

/* The server doubles numbers and adds the badge of the client's cap. */
static void server(seL4_Word ep)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (;;) {
        seL4_Word n = seL4_GetMR(0);
        seL4_SetMR(0, 2 * n + badge);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
        (void)info;
    }
}

static volatile int *volatile nullPointer;

static void client(seL4_Word ep)
{
    for (seL4_Word n = 1; n <= 3; n++) {
        seL4_SetMR(0, n);
        seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1));
        printf("  client: asked for %lu, server answered %lu\n", (unsigned long)n,
               (unsigned long)seL4_GetMR(0));
    }
    printf("  client: now reading through a null pointer...\n");
    printf("  client: read %d (never printed)\n", *nullPointer);
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word nUntyped = bi->untyped.end - bi->untyped.start;
    seL4_Word ramBytes = 0;
    for (seL4_Word i = 0; i < nUntyped; i++) {
        if (!bi->untypedList[i].isDevice) {
            ramBytes += (seL4_Word)1 << bi->untypedList[i].sizeBits;
        }
    }
    printf("Hello from the root server!\n");
    printf("  IPC buffer at %p, CNode of %lu slots, first free slot %lu\n", (void *)bi->ipcBuffer,
           (unsigned long)1 << bi->initThreadCNodeSizeBits, (unsigned long)bi->empty.start);
    printf("  %lu untyped caps, %lu MiB of free RAM\n", (unsigned long)nUntyped,
           (unsigned long)(ramBytes >> 20));

    nextSlot = bi->empty.start;
    untyped = findUntyped(bi);
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr faultEP = make(seL4_EndpointObject);
    seL4_CPtr serverTCB = make(seL4_TCBObject);
    seL4_CPtr clientTCB = make(seL4_TCBObject);
    /* The client gets a badged cap (badge 1000) to the server's endpoint. */
    seL4_CPtr clientEP = allocSlot();
    seL4_CNode_Mint(seL4_CapInitThreadCNode, clientEP, 64, seL4_CapInitThreadCNode, ep, 64,
                    seL4_AllRights, 1000);

    printf("Starting a server and a client:\n");
    startThread(bi, serverTCB, &serverMem, seL4_CapNull, 200, server, ep);
    startThread(bi, clientTCB, &clientMem, faultEP, 100, client, clientEP);

    /* Wait for the client's fault. */
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(faultEP, &badge);
    if (seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault) {
        printf("Fault handler: the client took a VM fault reading address %#lx at ip %#lx"
               " (%s, status %#lx); it stays stopped.\n",
               (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
               (unsigned long)seL4_GetMR(seL4_VMFault_IP),
               seL4_GetMR(seL4_VMFault_PrefetchFault) ? "instruction" : "data",
               (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    } else {
        printf("Fault handler: unexpected message with label %lu\n",
               (unsigned long)seL4_MessageInfo_get_label(info));
    }
    printf("Root server done.\n");
    return 0;
}
