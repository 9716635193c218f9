/*
 * C start-up of a test root task: builds the static TLS block, installs it,
 * points libsel4 at the IPC buffer and bootinfo, runs constructors, calls
 * main() and halts the system when it returns.
 *
 * Entered from crt0 (_sel4_start) on the static stack, before any
 * thread-local variable may be touched.
 */
#include <sel4/sel4.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <rt_thread.h>

int main(void);

/* TLS template, defined by roottask.ld: initialised part [_tdata_start,
 * _tdata_end), whole block up to _tbss_end, alignment as the value of the
 * absolute symbol __tls_align. */
extern char _tdata_start[];
extern char _tdata_end[];
extern char _tbss_end[];
extern char __tls_align[];

/* Constructors, defined by roottask.ld. */
typedef void (*rt_ctor_fn)(void);
extern rt_ctor_fn __init_array_start[];
extern rt_ctor_fn __init_array_end[];

/* Room for the TLS block of the initial thread, its alignment padding and
 * the thread control block at the thread pointer. */
#define RT_TLS_AREA_SIZE 16384
/* Bytes reserved at the x86_64 thread pointer: the self pointer at %fs:0
 * plus room for compiler-known slots such as a stack-protector canary at
 * %fs:0x28 (unused here, but reading it must not run off the area). */
#define RT_X86_TCB_SIZE 64
/* Size of the AArch64 TCB that precedes the TLS data (variant I). */
#define RT_ARM_TCB_SIZE 16

static unsigned char rt_tls_area[RT_TLS_AREA_SIZE] __attribute__((aligned(64)));

/* Known values in .tdata and .tbss: the start-up self-check reads them back
 * through the thread pointer, and they guarantee that both sections exist. */
#define RT_TLS_CANARY 0x7e57c0de5eed1234ul
__thread volatile uintptr_t __rt_tls_canary = RT_TLS_CANARY;
__thread volatile uintptr_t __rt_tls_zero;

static void rt_puts(const char *s)
{
    seL4_DebugPutString(s);
}

/* Start-up failure: print and stop. Calling abort() (libc/stdlib.c) also
 * makes sure that file is linked, and with it __assert_fail, which libsel4's
 * seL4_DebugAssert only references weakly. Needs no TLS. */
static __attribute__((noreturn)) void rt_fail(const char *msg)
{
    rt_puts("runtime: ");
    rt_puts(msg);
    rt_puts("\n");
    abort();
}

static uintptr_t align_up(uintptr_t v, uintptr_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Copy the template into [data, data + memsz) and zero its .tbss part. */
static void rt_fill_tls(unsigned char *data, size_t filesz, size_t memsz)
{
    memcpy(data, _tdata_start, filesz);
    memset(data + filesz, 0, memsz - filesz);
}

/* Build a TLS block in [area, area + size); return its thread pointer, or
 * 0 if it does not fit. */
uintptr_t rt_tls_new(void *area_ptr, size_t size)
{
    size_t filesz = (size_t)(_tdata_end - _tdata_start);
    size_t memsz = (size_t)(_tbss_end - _tdata_start);
    uintptr_t align = (uintptr_t)__tls_align; /* p_align of PT_TLS */
    uintptr_t area = (uintptr_t)area_ptr;
    uintptr_t area_end = area + size;
    uintptr_t tp;

    if (align == 0) {
        align = 1;
    }
    if ((align & (align - 1)) != 0) {
        rt_fail("TLS alignment is not a power of two");
    }
    /* The thread pointer itself is kept at least 16-byte aligned. The
     * offsets below must use the real p_align: that is what the linker
     * used to compute every variable's TP offset. */
    uintptr_t tp_align = align > 16 ? align : 16;

#if defined(CONFIG_ARCH_X86_64)
    /* Variant II: the block ends at the thread pointer; its size is memsz
     * rounded up to p_align (TP offset = offset in block - that size, as
     * computed by ld.lld and GNU ld). %fs:0 holds the thread pointer itself. */
    uintptr_t block = align_up(memsz, align);
    tp = align_up(area + block, tp_align);
    if (tp + RT_X86_TCB_SIZE > area_end) {
        return 0;
    }
    memset((void *)(tp - block), 0, block + RT_X86_TCB_SIZE);
    rt_fill_tls((unsigned char *)(tp - block), filesz, memsz);
    *(uintptr_t *)tp = tp;
#elif defined(CONFIG_ARCH_AARCH64)
    /* Variant I: a 16-byte TCB at the thread pointer, then padding so that
     * the data keeps the template's address modulo the alignment, then the
     * block: TP offset = 16 + ((p_vaddr - 16) mod p_align) + offset in block,
     * as computed by ld.lld and GNU ld. */
    uintptr_t offset =
        RT_ARM_TCB_SIZE + (((uintptr_t)_tdata_start - RT_ARM_TCB_SIZE) & (align - 1));
    tp = align_up(area, tp_align);
    if (tp + offset + memsz > area_end) {
        return 0;
    }
    memset((void *)tp, 0, offset);
    rt_fill_tls((unsigned char *)(tp + offset), filesz, memsz);
#else
#error "unsupported architecture"
#endif
    return tp;
}

static uintptr_t rt_thread_pointer(void)
{
    uintptr_t tp;
#if defined(CONFIG_ARCH_X86_64)
    __asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
#else
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
#endif
    return tp;
}

void rt_tls_set_ipc_buffer(uintptr_t tp, seL4_IPCBuffer *buffer)
{
    /* The variable sits at the same offset from every thread pointer. */
    uintptr_t offset = (uintptr_t)&__sel4_ipc_buffer - rt_thread_pointer();
    *(seL4_IPCBuffer **)(tp + offset) = buffer;
}

static void rt_install_tls(uintptr_t tp)
{
#if defined(CONFIG_ARCH_X86_64)
#ifdef CONFIG_SET_TLS_BASE_SELF
    seL4_SetTLSBase(tp);
#else
    /* No SetTLSBase syscall: TCB_SetTLSBase on ourselves, with MR0 in its
     * register so that no IPC buffer (and so no TLS) is needed. */
    seL4_Word mr0 = tp;
    seL4_CallWithMRs(seL4_CapInitThreadTCB, seL4_MessageInfo_new(TCBSetTLSBase, 0, 0, 1), &mr0,
                     NULL, NULL, NULL);
#endif
#elif defined(CONFIG_ARCH_AARCH64)
    __asm__ __volatile__("msr tpidr_el0, %0" ::"r"(tp) : "memory");
#endif
}

/*
 * Everything that may touch thread-local variables. It is a separate,
 * never-inlined function so that the compiler cannot move a read of the
 * thread pointer (e.g. `mrs tpidr_el0`, which it treats as a pure value)
 * above the point where rt_install_tls sets it.
 */
static __attribute__((noinline, noreturn)) void rt_start_with_tls(seL4_BootInfo *bi)
{
    if (__rt_tls_canary != RT_TLS_CANARY || __rt_tls_zero != 0) {
        rt_fail("TLS self-check failed (thread pointer or template wrong)");
    }

    seL4_SetIPCBuffer(bi->ipcBuffer);
    seL4_InitBootInfo(bi);

    for (rt_ctor_fn *fn = __init_array_start; fn < __init_array_end; fn++) {
        (*fn)();
    }

    (void)main();

    rt_halt();
}

__attribute__((noreturn)) void __rt_start_root(seL4_BootInfo *bi);

/* Called by crt0 on the static stack with the kernel's bootinfo pointer. */
__attribute__((noreturn)) void __rt_start_root(seL4_BootInfo *bi)
{
    uintptr_t tp = rt_tls_new(rt_tls_area, sizeof(rt_tls_area));
    if (tp == 0) {
        rt_fail("TLS block does not fit RT_TLS_AREA_SIZE");
    }
    rt_install_tls(tp);
    rt_start_with_tls(bi);
}
