/* Process control of the root-task runtime. All end in rt_halt(). */
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

_Noreturn void abort(void);
_Noreturn void exit(int status);
/* Stop: seL4_DebugHalt in debug builds, else suspend the root task. */
_Noreturn void rt_halt(void);
