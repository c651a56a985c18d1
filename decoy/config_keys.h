/* config_keys: the configuration keys as data: name, default, the parser
 * that bounds and stores the value, help text. config.c walks it for the
 * file, the flags and --help; the fuzz target walks it too. */
#ifndef CAMDECOY_CONFIG_KEYS_H
#define CAMDECOY_CONFIG_KEYS_H

#include <stddef.h>

#include "config.h"

typedef struct key key_s;

/* Parses value (qv: the same, quoted for messages) into the key's field; 0,
 * or -1 with err naming the key and what it accepts. */
typedef int (*key_set_f)(config_s *cfg, const key_s *k, const char *value, const char *qv,
                         char *err, size_t errlen);

/* One name of an enumerated value; aliases are accepted but not offered. */
typedef struct {
	const char *ce_name;
	int ce_value;
	int ce_alias;
} config_enum_s;

struct key {
	const char *k_name;
	const char *k_default; /* NULL: empty, zero, off */
	key_set_f k_set;
	size_t k_off;                /* the field set */
	size_t k_cap;                /* strings: buffer size */
	long k_min, k_max;           /* integers: bounds */
	const config_enum_s *k_enum; /* enumerations: the names, NULL-ended */
	const char *k_help;
};

#define OFF(f)              offsetof(config_s, f)
#define FIELD(cfg, k, type) ((type *)((char *)(cfg) + (k)->k_off))

/* The key table: *n set to its number of keys. */
const key_s *config_keys(size_t *n);
/* NULL when there is no such key. */
const key_s *config_key_find(const char *name);
/* 1 when k is an integer key (its bounds and default go in --help). */
int config_key_is_int(const key_s *k);
/* 1 when k is a yes/no key (a flag may give it without a value). */
int config_key_is_flag(const key_s *k);

#endif
