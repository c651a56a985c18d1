/* export: report --out DIR from either backend: every table as CSV and
 * JSON, the charts, index.html, and the two largest files (every view, every
 * merged session) written by child processes while the rest is done. */
#ifndef CAMDECOY_EXPORT_H
#define CAMDECOY_EXPORT_H

#include <stddef.h>

#include "backend.h"

#define EXPORT_TABLES_MAX 16

/* Writes it all into dir (created if missing) from h, an open handle of
 * ops (the child processes open their own from conf); scope is printed on
 * the page. 0, or -1 with err filled. */
int export_write(const backend_ops_s *ops, const backend_conf_s *conf, void *h, const char *dir,
                 const char *scope, char *err, size_t errlen);

#endif
