/* Process control of the root-task runtime. Both end in seL4_DebugHalt. */
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

_Noreturn void abort(void);
_Noreturn void exit(int status);
