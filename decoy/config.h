/* config: defaults, configuration file and command line, each key bounded
 * (the keys and the configuration they fill: config_keys.h). */
#ifndef CAMDECOY_CONFIG_H
#define CAMDECOY_CONFIG_H

#include <stdio.h>

#include "config_keys.h"

void config_defaults(config_s *cfg);

/* Sets one key (the long option name without "--") from text. 0, or -1 with
 * err naming the key and the accepted range. */
int config_set(config_s *cfg, const char *key, const char *value, char *err, size_t errlen);

/* "key = value" lines; '#' starts a comment. Errors name file, line and key. */
int config_load_file(config_s *cfg, const char *path, char *err, size_t errlen);

/* Defaults, then --config FILE (if given), then every other flag on top. */
int config_parse_args(config_s *cfg, int argc, char **argv, char *err, size_t errlen);

/* Writes the option summary for --help. */
void config_usage(FILE *out);

/* The OSD's font: the configured one, or when the font was left at its
 * default, the face named (a file in the default font's folder) if it is
 * there. */
void config_osd_font(const config_s *cfg, const char *face, char *out, size_t cap);

#endif
