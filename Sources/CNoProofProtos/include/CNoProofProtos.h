/* Umbrella header: every message generated from Protos/ plus the codec helpers. */
#ifndef NOPROOF_CNOPROOFPROTOS_H
#define NOPROOF_CNOPROOFPROTOS_H
#include <protobuf-c/protobuf-c.h>
#include "rpc.pb-c.h"
#include "health.pb-c.h"
#include "reflection.pb-c.h"
#include "session.pb-c.h"
#include "licences.pb-c.h"
#include "admin.pb-c.h"
#include "units.pb-c.h"
#include "verification.pb-c.h"
#include "oversight.pb-c.h"
#include "supervision.pb-c.h"
#include "noproof_descriptors.h"
#include "noproof_codec.h"
#endif
