/* lite: the report over decoy SQLite databases, as a backend (backend.h). */
#ifndef CAMDECOY_LITE_H
#define CAMDECOY_LITE_H

#include "backend.h"

extern const backend_ops_s sqlite_backend;

#endif
