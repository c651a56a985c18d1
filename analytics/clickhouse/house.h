/* house: the report over the fleet's ClickHouse, as a backend (backend.h). */
#ifndef CAMDECOY_HOUSE_H
#define CAMDECOY_HOUSE_H

#include "backend.h"

extern const backend_ops_s clickhouse_backend;

#endif
