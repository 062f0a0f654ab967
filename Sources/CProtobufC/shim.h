#ifndef NOPROOF_CPROTOBUFC_SHIM_H
#define NOPROOF_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
