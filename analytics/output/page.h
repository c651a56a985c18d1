/* page: report --out's files of the tables: CSV, JSON and the HTML page. */
#ifndef CAMDECOY_PAGE_H
#define CAMDECOY_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "table.h"

/* dir/name opened for writing; NULL with err filled. */
FILE *page_open(const char *dir, const char *name, char *err, size_t errlen);
/* dir/NAME.csv and dir/NAME.json of table t (NAME: its name). 0 or -1. */
int page_write_data(const char *dir, table_s *t, char *err, size_t errlen);
/* dir/index.html: scope, the charts (charts.h names them) and the tables. 0 or -1. */
int page_write_html(const char *dir, table_s **tables, int ntables, const char *scope, char *err,
                    size_t errlen);

#endif
